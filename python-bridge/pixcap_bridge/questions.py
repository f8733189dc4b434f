"""Region questions in, answers out: the `infer` command's file formats, shared by every backend.

Questions (JSONL, one per line), in either spelling:
- `{"id", "image", "boxes", "question"}` (pixcap's own), or
- `{"question_id", "image", "width", "height", "text", "boxes"}` (what `pixcap eval vg-prepare` writes).
`image` is relative to images_root; `boxes` are normalised xyxy, one per `<bbox>` in the text, in order. A question
without `<image>` gets GPT4RoI's begin string (gpt4roi.md §4).

Answers: `answers.jsonl` rows `{id, question, answer}`; with `results_dir`, also GPT4RoI's VG result shard
`{results_dir}/{ckpt_basename}_vg_{rank}.json` = `[{"image_id", "caption"}]` (gpt4roi.md §12), which
`pixcap eval vg-score` merges.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from .corpus import BEGIN_STR, check_row
from .protocol import BridgeError


@dataclass
class Question:
    """One checked question; `id` keeps its JSON type (VG ids are numbers)."""

    id: Any
    image: str
    boxes: list[list[float]]
    text: str  # as given
    prompt: str  # with the begin string when the text had no <image>


def read_questions(path: str, images_root: str | None = None) -> list[Question]:
    """Reads and checks every question (box count, box range, image path) before any model is loaded."""
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        raise BridgeError(f"{path}: questions file not found") from None
    out: list[Question] = []
    with f:
        for i, line in enumerate(f):
            if not line.strip():
                continue
            where = f"{path}: [{i}]"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as e:
                raise BridgeError(f"{path}: line {i + 1}: not valid JSON: {e}") from None
            if not isinstance(raw, dict):
                raise BridgeError(f"{where}: expected an object")
            qid = raw.get("id", raw.get("question_id"))
            text = raw.get("question", raw.get("text"))
            if qid is None or isinstance(qid, (bool, dict, list)):
                raise BridgeError(f"{where}: expected an id (\"id\" or \"question_id\": a string or number), got {json.dumps(qid)}")
            if not isinstance(text, str) or not text:
                raise BridgeError(f"{where}: expected the question text (\"question\" or \"text\": a string), got {json.dumps(text)}")
            prompt = text if "<image>" in text else BEGIN_STR + text
            row = {"id": str(qid), "image": raw.get("image"), "width": 1, "height": 1, "boxes": raw.get("boxes"),
                   "conversations": [{"from": "human", "value": prompt}]}
            s = check_row(row, where, images_root)
            out.append(Question(qid, s.image, s.boxes, text, prompt))
    if not out:
        raise BridgeError(f"{path}: no questions")
    return out


def write_answers(output_dir: str, answers: list[tuple[Question, str]]) -> str:
    """Writes `answers.jsonl` atomically; returns its name (relative to output_dir)."""
    name = "answers.jsonl"
    tmp = os.path.join(output_dir, name + ".incomplete")
    with open(tmp, "w", encoding="utf-8") as f:
        for q, a in answers:
            f.write(json.dumps({"id": q.id, "question": q.text, "answer": a}, ensure_ascii=False) + "\n")
    os.replace(tmp, os.path.join(output_dir, name))
    return name


def write_vg_results(results_dir: str, checkpoint: str, answers: list[tuple[Question, str]], rank: int = 0) -> str:
    """Writes GPT4RoI's `{ckpt_basename}_vg_{rank}.json` shard atomically; returns its path."""
    os.makedirs(results_dir, exist_ok=True)
    ckpt = os.path.basename(os.path.normpath(checkpoint))
    path = os.path.join(results_dir, f"{ckpt}_vg_{rank}.json")
    with open(path + ".incomplete", "w", encoding="utf-8") as f:
        json.dump([{"image_id": q.id, "caption": a} for q, a in answers], f, ensure_ascii=False)
    os.replace(path + ".incomplete", path)
    return path
