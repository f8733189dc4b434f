"""Greedy captioning with a smoke checkpoint: JSONL questions with boxes in, JSONL answers out.

Question row: `{"id", "image" (relative to images_root), "boxes": [[x1,y1,x2,y2] normalised], "question"}`; the
question holds one `<bbox>` per box, in order. Without `<image>` it gets GPT4RoI's begin string (gpt4roi.md §4),
as Pix2Cap's VG eval prompt does (§12). Decoding is greedy (reproducible) and stops at `###`, the v0 stop string.
"""

from __future__ import annotations

import json
import os

from ..config import Config, resolve_device
from ..corpus import BEGIN_STR, check_row
from ..imaging import load_image
from ..protocol import BridgeError, Emitter
from .data import encode_turns
from .model import SmokeConfig, SmokeRegionLM
from .tokenizer import SEP, WordTokenizer


def load_checkpoint(path: str, device: str) -> tuple[SmokeRegionLM, WordTokenizer]:
    import torch

    for name in ("model.pt", "tokenizer.json", "config.json"):
        if not os.path.isfile(os.path.join(path, name)):
            raise BridgeError(f"{path}: not a smoke checkpoint: {name} is missing")
    with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
        meta = json.load(f)
    if meta.get("backend") != "smoke":
        raise BridgeError(f"{path}/config.json: backend: expected \"smoke\", got {json.dumps(meta.get('backend'))}")
    with open(os.path.join(path, "tokenizer.json"), encoding="utf-8") as f:
        tok = WordTokenizer.from_json(f.read())
    model = SmokeRegionLM(SmokeConfig(**meta["model"]))
    model.load_state_dict(torch.load(os.path.join(path, "model.pt"), map_location="cpu", weights_only=True))
    return model.to(device).eval(), tok


def generate(model: SmokeRegionLM, tok: WordTokenizer, image, boxes: list[list[float]], question: str,
             max_new_tokens: int, device: str) -> str:
    """Greedy decoding of one answer to `question` about `boxes` on `image` (3, S, S)."""
    import torch

    ids, _ = encode_turns(tok, [{"from": "human", "value": question}, {"from": "gpt", "value": ""}],
                          model.cfg.patches, with_labels=False)
    box_t = [torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4)]
    out: list[int] = []
    with torch.no_grad():
        for _ in range(max_new_tokens):
            seq = ids + out
            if len(seq) >= model.cfg.max_len:
                break
            logits = model(torch.tensor([seq], device=device), image[None].to(device), box_t)
            nxt = int(logits[0, -1].argmax())
            if nxt == tok.id(SEP):
                break
            out.append(nxt)
    return tok.decode(out)


def infer_smoke(cfg: Config, output_dir: str, emitter: Emitter) -> str:
    """Answers every question; writes `answers.jsonl` (atomically) and returns its name."""
    device = resolve_device(cfg.choice("device", ("auto", "cpu", "cuda"), "auto"))
    if device == "cpu":
        import torch

        torch.set_num_threads(cfg.int("threads", 1, minimum=1))  # tiny model: see smoke/train.py
    model, tok = load_checkpoint(cfg.dir("checkpoint"), device)
    questions = cfg.str("questions")
    images_root = cfg.dir("images_root")
    max_new = cfg.int("max_new_tokens", 32, minimum=1)
    with open(questions, encoding="utf-8") as f:
        rows = [(i, line) for i, line in enumerate(f) if line.strip()]
    name = "answers.jsonl"
    tmp = os.path.join(output_dir, name + ".incomplete")
    with open(tmp, "w", encoding="utf-8") as out:
        for n, (i, line) in enumerate(rows, 1):
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as e:
                raise BridgeError(f"{questions}: line {i + 1}: not valid JSON: {e}") from None
            if not isinstance(raw, dict) or not isinstance(raw.get("question"), str):
                raise BridgeError(f"{questions}: [{i}].question: expected a string")
            question = raw["question"] if "<image>" in raw["question"] else BEGIN_STR + raw["question"]
            row = {**raw, "conversations": [{"from": "human", "value": question}],
                   "width": raw.get("width", 1), "height": raw.get("height", 1)}
            sample = check_row(row, f"{questions}: [{i}]", images_root)
            image, _ = load_image(os.path.join(images_root, sample.image), model.cfg.image_size)
            answer = generate(model, tok, image, sample.boxes, question, max_new, device)
            out.write(json.dumps({"id": sample.id, "question": raw["question"], "answer": answer}, ensure_ascii=False) + "\n")
            emitter.progress(n, len(rows))
    os.replace(tmp, os.path.join(output_dir, name))
    return name
