"""Shared fixtures: a tiny pixcap corpus (coloured shapes on generated images) in the `convert --to gpt4roi` layout."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

BRIDGE_ROOT = Path(__file__).resolve().parents[1]
BEGIN = "The <image> provides an overview of the picture.\n"
COLOURS = {"red": (220, 30, 30), "green": (30, 180, 60), "blue": (40, 60, 220), "yellow": (230, 210, 40)}
SHAPES = ("square", "circle")
QUESTIONS = (
    "What is shown in the area marked by {r}?",
    "Please describe the region labelled {r} in the picture.",
    "Can you tell me about the part of the image outlined by {r}?",
)


def make_corpus(root: Path, n_images: int = 12, seed: int = 0, fmt: str = "JPEG") -> tuple[Path, Path, list[dict]]:
    """Writes images + `<corpus>/jsonl/train.jsonl`; returns (corpus dir, images root, rows)."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    images = root / "images"
    corpus = root / "corpus"
    (images / "sub").mkdir(parents=True)
    (corpus / "jsonl").mkdir(parents=True)
    rows = []
    for i in range(n_images):
        w, h = rng.choice([(96, 72), (80, 80), (64, 96)])
        im = Image.new("RGB", (w, h), (245, 245, 245))
        draw = ImageDraw.Draw(im)
        regions = []
        for k in range(rng.choice([2, 3])):
            colour, shape = rng.choice(list(COLOURS)), rng.choice(SHAPES)
            bw, bh = rng.randint(w // 5, w // 3), rng.randint(h // 5, h // 3)
            x1, y1 = rng.randint(0, w - bw - 1), rng.randint(0, h - bh - 1)
            box = (x1, y1, x1 + bw, y1 + bh)
            (draw.rectangle if shape == "square" else draw.ellipse)(box, fill=COLOURS[colour])
            side = "left" if x1 + bw / 2 < w / 2 else "right"
            regions.append((box, f"a {colour} {shape} on the {side}"))
        ext = "jpg" if fmt == "JPEG" else "png"
        rel = f"sub/img{i:03d}.{ext}"
        im.save(images / rel, fmt)
        conv = []
        for k, (_, caption) in enumerate(regions):
            q = rng.choice(QUESTIONS).format(r=f"region{k + 1} <bbox>")
            conv += [{"from": "human", "value": (BEGIN if k == 0 else "") + q}, {"from": "gpt", "value": caption}]
        rows.append({
            "id": f"toy:{i}", "image": rel, "image_id": i, "width": w, "height": h, "conversations": conv,
            "boxes": [[b[0] / w, b[1] / h, b[2] / w, b[3] / h] for b, _ in regions],
            "regions": [f"{i}:{k}" for k in range(len(regions))], "template_ids": [0] * len(regions),
            "source": "toy", "split": "train",
        })
    with open(corpus / "jsonl" / "train.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    return corpus, images, rows


@pytest.fixture
def toy_corpus(tmp_path: Path):
    return make_corpus(tmp_path)


def run_bridge(args: list[str], timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    """Spawns `python -m pixcap_bridge ...` the way the TypeScript side does (PYTHONPATH, PYTHONUNBUFFERED)."""
    full_env = {**os.environ, "PYTHONPATH": str(BRIDGE_ROOT), "PYTHONUNBUFFERED": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "pixcap_bridge", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=str(BRIDGE_ROOT))


def parse_events(stdout: str) -> list[dict]:
    """Every stdout line must be a JSON object with v == 1 (the protocol); returns the events."""
    events = []
    for n, line in enumerate(stdout.splitlines()):
        ev = json.loads(line)  # raises on any stray text
        assert isinstance(ev, dict) and ev.get("v") == 1 and isinstance(ev.get("type"), str), f"line {n}: {line!r}"
        events.append(ev)
    return events


def write_config(path: Path, **cfg) -> Path:
    path.write_text(json.dumps(cfg))
    return path
