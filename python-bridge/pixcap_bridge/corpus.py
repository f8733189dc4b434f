"""Reads a pixcap corpus split written by `pixcap convert --to gpt4roi` and checks every row.

Layout (ARCHITECTURE.md "A corpus on disk"): `<corpus>/data/<split>-*.parquet` (preferred when pyarrow is present)
or `<corpus>/jsonl/<split>.jsonl`. A row: `{id, image, image_id, width, height, conversations: [{from, value}],
boxes: [[x1,y1,x2,y2] normalised], regions, template_ids, source, split}`.

Rules checked (gpt4roi.md §2-4): the number of `<bbox>` tokens equals len(boxes) (the k-th `<bbox>` gets boxes[k]);
boxes are normalised xyxy with x1 < x2, y1 < y2 in [0, 1]; turns alternate human/gpt starting with human; the image
name is relative and never climbs out (no absolute path, no `..`). Symlinks under images_root are followed: GPT4RoI's
README has users link their images into `coco_imgs/` and `vg_all/`, so a link that points elsewhere is expected.
"""

from __future__ import annotations

import glob
import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterator

from .protocol import BridgeError

BBOX_TOKEN = "<bbox>"
IMAGE_TOKEN = "<image>"
# gpt4roi.md §4: the begin string of VG / Pix2Cap samples.
BEGIN_STR = "The <image> provides an overview of the picture.\n"


@dataclass
class Sample:
    """One checked corpus row."""

    id: str
    image: str  # path relative to images_root
    width: int
    height: int
    conversations: list[dict[str, str]]
    boxes: list[list[float]]
    extra: dict[str, Any] = field(default_factory=dict)


def corpus_files(corpus: str, split: str) -> tuple[str, list[str]]:
    """Returns ("parquet", files) when Parquet shards exist and pyarrow imports, else ("jsonl", [file])."""
    shards = sorted(glob.glob(os.path.join(glob.escape(corpus), "data", f"{glob.escape(split)}-*.parquet")))
    if shards:
        try:
            import pyarrow.parquet  # noqa: F401

            return "parquet", shards
        except ImportError:
            pass
    jsonl = os.path.join(corpus, "jsonl", f"{split}.jsonl")
    if os.path.isfile(jsonl):
        return "jsonl", [jsonl]
    raise BridgeError(
        f"{corpus}: no rows for split {split!r}: expected {os.path.join(corpus, 'data', split + '-*.parquet')} "
        f"or {jsonl} (was the corpus written by `pixcap convert --to gpt4roi`?)"
    )


def iter_raw_rows(corpus: str, split: str) -> Iterator[tuple[str, int, Any]]:
    """Yields (file, row index, raw row) without checking; streams JSONL and Parquet row groups."""
    kind, files = corpus_files(corpus, split)
    for file in files:
        if kind == "jsonl":
            with open(file, encoding="utf-8") as f:
                for i, line in enumerate(f):
                    if not line.strip():
                        continue
                    try:
                        yield file, i, json.loads(line)
                    except json.JSONDecodeError as e:
                        raise BridgeError(f"{file}: line {i + 1}: not valid JSON: {e}") from None
        else:
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(file)
            i = 0
            for batch in pf.iter_batches(batch_size=1024):
                for row in batch.to_pylist():
                    yield file, i, row
                    i += 1


def check_row(raw: Any, where: str, images_root: str | None = None) -> Sample:
    """Checks one raw row; `where` is `file: [i]` and prefixes every message."""
    if not isinstance(raw, dict):
        raise BridgeError(f"{where}: expected an object, got {type(raw).__name__}")

    def need(key: str, kind: type | tuple[type, ...], what: str) -> Any:
        if key not in raw:
            raise BridgeError(f"{where}.{key}: missing")
        v = raw[key]
        if not isinstance(v, kind) or isinstance(v, bool):
            raise BridgeError(f"{where}.{key}: expected {what}, got {json.dumps(v)[:80]}")
        return v

    for key in ("conversations", "boxes"):
        # A Parquet writer without nested types may store these as JSON text; accept that, strictly.
        if isinstance(raw.get(key), str):
            try:
                raw = {**raw, key: json.loads(raw[key])}
            except json.JSONDecodeError as e:
                raise BridgeError(f"{where}.{key}: a string that is not valid JSON: {e}") from None
    sid = str(need("id", (str, int), "a string id"))
    image = need("image", str, "an image path relative to images_root")
    width = need("width", int, "an integer width")
    height = need("height", int, "an integer height")
    convs = need("conversations", list, "a list of {from, value} turns")
    boxes = need("boxes", list, "a list of [x1, y1, x2, y2] normalised boxes")
    if os.path.isabs(image) or ".." in image.replace("\\", "/").split("/"):
        raise BridgeError(f"{where}.image: {image!r} escapes images_root (absolute or '..'); expected a relative path")
    turns: list[dict[str, str]] = []
    for t, turn in enumerate(convs):
        if not isinstance(turn, dict) or not isinstance(turn.get("value"), str):
            raise BridgeError(f"{where}.conversations[{t}]: expected {{from, value: string}}, got {json.dumps(turn)[:80]}")
        role = "human" if t % 2 == 0 else "gpt"
        if turn.get("from") != role:
            raise BridgeError(f"{where}.conversations[{t}].from: expected {role!r} (turns alternate, human first), "
                              f"got {turn.get('from')!r}")
        turns.append({"from": role, "value": turn["value"]})
    if not turns:
        raise BridgeError(f"{where}.conversations: empty")
    for t, turn in enumerate(turns):
        if turn["from"] == "gpt" and BBOX_TOKEN in turn["value"]:
            raise BridgeError(f"{where}.conversations[{t}].value: an answer contains {BBOX_TOKEN}; only human turns may")
    n_tokens = sum(turn["value"].count(BBOX_TOKEN) for turn in turns)
    if n_tokens != len(boxes):
        raise BridgeError(f"{where}: {n_tokens} {BBOX_TOKEN} tokens but {len(boxes)} boxes; GPT4RoI assigns the k-th "
                          f"{BBOX_TOKEN} to boxes[k], so the counts must be equal")
    checked: list[list[float]] = []
    for b, box in enumerate(boxes):
        if not isinstance(box, (list, tuple)) or len(box) != 4 or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in box
        ):
            raise BridgeError(f"{where}.boxes[{b}]: expected 4 numbers, got {json.dumps(box)[:80]}")
        x1, y1, x2, y2 = (float(x) for x in box)
        if not (0 <= x1 < x2 <= 1 and 0 <= y1 < y2 <= 1):
            hint = " (pixels? boxes must be normalised to [0, 1])" if max(x2, y2) > 1 else ""
            hint = hint or (" (x2 < x1 or y2 < y1: was it [x, y, w, h]?)" if x2 <= x1 or y2 <= y1 else "")
            raise BridgeError(f"{where}.boxes[{b}]: {list(box)} is not normalised xyxy with x1 < x2, y1 < y2 in [0, 1]{hint}")
        checked.append([x1, y1, x2, y2])
    extra = {k: v for k, v in raw.items() if k not in ("id", "image", "width", "height", "conversations", "boxes")}
    return Sample(sid, image, width, height, turns, checked, extra)


def read_corpus(corpus: str, split: str, images_root: str | None = None, limit: int | None = None) -> list[Sample]:
    """Reads and checks a split (the smoke backend's corpora are small; GPT4RoI-scale reads use iter_raw_rows)."""
    out: list[Sample] = []
    for file, i, raw in iter_raw_rows(corpus, split):
        out.append(check_row(raw, f"{file}: [{i}]", images_root))
        if limit is not None and len(out) >= limit:
            break
    if not out:
        raise BridgeError(f"{corpus}: split {split!r} has no rows")
    return out
