"""Captioning with a smoke checkpoint: region questions in, answers out.

Questions come from pixcap_bridge.questions (both question spellings). Decoding is greedy at temperature 0
(reproducible; upstream samples at 0.2, gpt4roi.md §11) and stops at `###`, the v0 stop string.
"""

from __future__ import annotations

import json
import os

from ..config import Config, resolve_device
from ..imaging import load_image
from ..protocol import BridgeError, Emitter
from ..questions import Question
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


def generate(model: SmokeRegionLM, tok: WordTokenizer, image, boxes: list[list[float]], prompt: str,
             max_new_tokens: int, device: str, temperature: float = 0.0, generator=None) -> str:
    """Decodes one answer to `prompt` about `boxes` on `image` (3, S, S): greedy at temperature 0, else sampled."""
    import torch

    ids, _ = encode_turns(tok, [{"from": "human", "value": prompt}, {"from": "gpt", "value": ""}],
                          model.cfg.patches, with_labels=False)
    box_t = [torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4)]
    out: list[int] = []
    with torch.no_grad():
        for _ in range(max_new_tokens):
            seq = ids + out
            if len(seq) >= model.cfg.max_len:
                break
            logits = model(torch.tensor([seq], device=device), image[None].to(device), box_t)[0, -1].float().cpu()
            if temperature > 0:
                nxt = int(torch.multinomial(torch.softmax(logits / temperature, -1), 1, generator=generator))
            else:
                nxt = int(logits.argmax())
            if nxt == tok.id(SEP):  # "###", the v0 stop string
                break
            out.append(nxt)
    return tok.decode(out)


def infer_smoke(cfg: Config, questions: list[Question], emitter: Emitter) -> list[tuple[Question, str]]:
    """Answers every question with the config's smoke checkpoint."""
    import torch

    device = resolve_device(cfg.choice("device", ("auto", "cpu", "cuda"), "auto"))
    if device == "cpu":
        torch.set_num_threads(cfg.int("threads", 1, minimum=1))  # tiny model: see smoke/train.py
    model, tok = load_checkpoint(cfg.dir("checkpoint"), device)
    images_root = cfg.dir("images_root")
    max_new = cfg.int("max_new_tokens", 32, minimum=1)
    temperature = cfg.float("temperature", 0.0, positive=False)
    gen = torch.Generator().manual_seed(cfg.int("seed", 0))
    answers = []
    for n, q in enumerate(questions, 1):
        try:
            image, _ = load_image(os.path.join(images_root, q.image), model.cfg.image_size)
        except (FileNotFoundError, OSError) as e:
            raise BridgeError(f"question {q.id}: image: {e}") from None
        answers.append((q, generate(model, tok, image, q.boxes, q.prompt, max_new, device, temperature, gen)))
        emitter.progress(n, len(questions))
    return answers
