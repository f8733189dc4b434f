"""Turns corpus samples into the smoke model's tensors: v0-style turns, loss only on the assistant's words.

Rendering mirrors GPT4RoI's v0 template in words (gpt4roi.md §4): `### human : <turn> ### assistant : <answer> ###`.
The system line is left out to keep sequences short for a CPU model. Labels are -100 everywhere except the answer
words and the `###` that ends each answer (the stop string at inference).
Truncation follows gpt4roi.md §2: boxes whose `<bbox>` token was cut are dropped with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..corpus import Sample
from ..imaging import load_image
from ..protocol import BridgeError
from .tokenizer import BBOX, BOS, SEP, WordTokenizer

IGNORE = -100
ROLE_WORDS = {"human": ["human", ":"], "gpt": ["assistant", ":"]}


@dataclass
class Encoded:
    """One training example: token ids, labels, boxes (in `<bbox>` order) and the image tensor."""

    input_ids: list[int]
    labels: list[int]
    boxes: list[list[float]]
    image: object  # torch.Tensor (3, S, S)


def vocabulary_texts(samples: list[Sample]) -> list[str]:
    return [turn["value"] for s in samples for turn in s.conversations] + ["human assistant :"]


def encode_turns(
    tok: WordTokenizer, turns: list[dict[str, str]], patches: int, with_labels: bool = True
) -> tuple[list[int], list[int]]:
    """Ids and labels of a conversation; a trailing human turn is left open for generation (ends with `assistant :`)."""
    ids = [tok.id(BOS)]
    labels = [IGNORE]
    for turn in turns:
        head = [tok.id(SEP)] + [tok.id(w) for w in ROLE_WORDS[turn["from"]]]
        body = tok.encode(turn["value"], patches)
        ids += head + body
        supervised = with_labels and turn["from"] == "gpt"
        labels += [IGNORE] * len(head) + (body if supervised else [IGNORE] * len(body))
        if supervised:
            ids.append(tok.id(SEP))  # the answer's end marker is a target: the model learns to stop
            labels.append(tok.id(SEP))
    return ids, labels


def encode_sample(
    s: Sample, tok: WordTokenizer, images_root: str, image_size: int, patches: int, max_len: int
) -> Encoded:
    ids, labels = encode_turns(tok, s.conversations, patches)
    boxes = s.boxes
    if len(ids) > max_len:
        ids, labels = ids[:max_len], labels[:max_len]
        kept = ids.count(tok.id(BBOX))
        boxes = boxes[:kept]  # gpt4roi.md §2: dropped <bbox> tokens take their boxes with them
    if ids.count(tok.id(BBOX)) != len(boxes):
        raise BridgeError(f"sample {s.id}: {ids.count(tok.id(BBOX))} <bbox> tokens after encoding but {len(boxes)} boxes")
    try:
        image, _ = load_image(os.path.join(images_root, s.image), image_size)
    except (FileNotFoundError, OSError) as e:
        raise BridgeError(f"sample {s.id}: image: {e}") from None
    return Encoded(ids, labels, boxes, image)


def collate(batch: list[Encoded], pad_id: int):
    """Pads to the longest sequence; returns (input_ids, labels, images, boxes list)."""
    import torch

    t = max(len(e.input_ids) for e in batch)
    ids = torch.full((len(batch), t), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), t), IGNORE, dtype=torch.long)
    for i, e in enumerate(batch):
        ids[i, : len(e.input_ids)] = torch.tensor(e.input_ids)
        labels[i, : len(e.labels)] = torch.tensor(e.labels)
    images = torch.stack([e.image for e in batch])
    boxes = [torch.tensor(e.boxes, dtype=torch.float32).reshape(-1, 4) for e in batch]
    return ids, labels, images, boxes
