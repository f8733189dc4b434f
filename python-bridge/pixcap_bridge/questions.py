"""Region questions in, answers out: the `infer` command's file formats, shared by every backend.

Both line shapes are declared once, in src/schemas/region-qa.ts, and checked here against the generated JSON Schema
(pixcap_bridge.region_qa):
- a question `{question_id, image, width, height, text, boxes, ...}` (what `pixcap vipbench prepare` and
  `pixcap eval vg-prepare` write): `image` relative to images_root, `boxes` normalised xyxy, one per `<bbox>` in the
  text, in order. A text without `<image>` gets GPT4RoI's begin string (gpt4roi.md §4);
- an answer `{question_id, prompt, text, model_id, metadata}` (ViP-LLaVA llava/eval/model_vqa.py's answer line, read
  by `pixcap vipbench grade`).
With `results_dir`, `infer` also writes GPT4RoI's VG result shard `{results_dir}/{ckpt_basename}_vg_{rank}.json` =
`[{"image_id", "caption"}]` (gpt4roi.md §12), which `pixcap eval vg-score` merges.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from .corpus import BEGIN_STR, check_row
from .protocol import BridgeError
from .region_qa import check_line


@dataclass
class Question:
    """One checked question; `id` keeps its JSON type (VG ids are numbers)."""

    id: Any
    image: str
    boxes: list[list[float]]
    text: str  # as given
    prompt: str  # with the begin string when the text had no <image>


def read_questions(path: str, images_root: str | None = None) -> list[Question]:
    """Reads and checks every question (schema, box count, box range, image path) before any model is loaded."""
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
            raw = check_line(raw, "question", where)
            text = raw["text"]
            prompt = text if "<image>" in text else BEGIN_STR + text
            row = {"id": str(raw["question_id"]), "image": raw["image"], "width": raw["width"], "height": raw["height"],
                   "boxes": raw["boxes"], "conversations": [{"from": "human", "value": prompt}]}
            s = check_row(row, where, images_root)
            out.append(Question(raw["question_id"], s.image, s.boxes, text, prompt))
    if not out:
        raise BridgeError(f"{path}: no questions")
    return out


def answer_line(q: Question, answer: str, model_id: str, metadata: dict[str, Any]) -> dict[str, Any]:
    """One answer line, checked against the shared schema before it is written."""
    return check_line({"question_id": q.id, "prompt": q.prompt, "text": answer, "model_id": model_id,
                       "metadata": metadata}, "answer", f"answer to question {q.id!r}")


def model_id(checkpoint: str) -> str:
    """The checkpoint's base name (`exp/stage2/checkpoint-6000/` -> `checkpoint-6000`), as the VG shard names it."""
    return os.path.basename(os.path.normpath(checkpoint))


def write_answers(output_dir: str, answers: list[tuple[Question, str]], checkpoint: str,
                  metadata: dict[str, Any]) -> str:
    """Writes `answers.jsonl` atomically; returns its name (relative to output_dir)."""
    name = "answers.jsonl"
    tmp = os.path.join(output_dir, name + ".incomplete")
    mid = model_id(checkpoint)
    with open(tmp, "w", encoding="utf-8") as f:
        for q, a in answers:
            f.write(json.dumps(answer_line(q, a, mid, metadata), ensure_ascii=False) + "\n")
    os.replace(tmp, os.path.join(output_dir, name))
    return name


def write_vg_results(results_dir: str, checkpoint: str, answers: list[tuple[Question, str]], rank: int = 0) -> str:
    """Writes GPT4RoI's `{ckpt_basename}_vg_{rank}.json` shard atomically; returns its path."""
    os.makedirs(results_dir, exist_ok=True)
    path = os.path.join(results_dir, f"{model_id(checkpoint)}_vg_{rank}.json")
    with open(path + ".incomplete", "w", encoding="utf-8") as f:
        json.dump([{"image_id": q.id, "caption": a} for q, a in answers], f, ensure_ascii=False)
    os.replace(path + ".incomplete", path)
    return path
