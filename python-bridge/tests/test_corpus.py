"""Corpus reading: Parquet preferred over JSONL, and every rule violation named with file, row and field."""

from __future__ import annotations

import json

import pytest

from conftest import make_corpus
from pixcap_bridge.corpus import check_row, corpus_files, read_corpus
from pixcap_bridge.protocol import BridgeError


def test_jsonl_rows_round_trip(tmp_path):
    corpus, images, rows = make_corpus(tmp_path, n_images=3)
    samples = read_corpus(str(corpus), "train", str(images))
    assert [s.id for s in samples] == [r["id"] for r in rows]
    assert samples[1].boxes == rows[1]["boxes"] and samples[1].conversations == rows[1]["conversations"]
    assert samples[0].extra["template_ids"] == rows[0]["template_ids"]


def test_parquet_is_preferred_when_present(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    corpus, images, rows = make_corpus(tmp_path, n_images=4)
    (corpus / "data").mkdir()
    # Two shards; the JSONL stays behind with different content to prove which one was read.
    pq.write_table(pa.Table.from_pylist(rows[:2]), corpus / "data" / "train-00000-of-00002.parquet")
    pq.write_table(pa.Table.from_pylist(rows[2:3]), corpus / "data" / "train-00001-of-00002.parquet")
    kind, files = corpus_files(str(corpus), "train")
    assert kind == "parquet" and len(files) == 2
    samples = read_corpus(str(corpus), "train", str(images))
    assert [s.id for s in samples] == [r["id"] for r in rows[:3]]
    assert samples[2].boxes == rows[2]["boxes"]  # float64 in Parquet: exact


def test_missing_split_names_both_layouts(tmp_path):
    with pytest.raises(BridgeError, match=r"no rows for split 'val'.*val-\*\.parquet.*jsonl/val\.jsonl"):
        read_corpus(str(tmp_path), "val")


ROW = {"id": "a", "image": "x.jpg", "width": 10, "height": 10, "boxes": [[0.1, 0.1, 0.5, 0.5]],
       "conversations": [{"from": "human", "value": "The <image> provides an overview of the picture.\nWhat is region1 <bbox>?"},
                         {"from": "gpt", "value": "a cat"}]}


@pytest.mark.parametrize("patch, message", [
    ({"boxes": []}, "c.jsonl: [3]: 1 <bbox> tokens but 0 boxes; GPT4RoI assigns the k-th <bbox> to boxes[k], so the counts must be equal"),
    ({"boxes": [[10, 10, 50, 50]]}, "c.jsonl: [3].boxes[0]: [10, 10, 50, 50] is not normalised xyxy with x1 < x2, y1 < y2 in [0, 1] (pixels? boxes must be normalised to [0, 1])"),
    ({"boxes": [[0.5, 0.1, 0.2, 0.3]]}, "c.jsonl: [3].boxes[0]: [0.5, 0.1, 0.2, 0.3] is not normalised xyxy with x1 < x2, y1 < y2 in [0, 1] (x2 < x1 or y2 < y1: was it [x, y, w, h]?)"),
    ({"boxes": [[0.1, 0.2, 0.3]]}, "c.jsonl: [3].boxes[0]: expected 4 numbers, got [0.1, 0.2, 0.3]"),
    ({"image": "../etc/passwd"}, "c.jsonl: [3].image: '../etc/passwd' escapes images_root (absolute or '..'); expected a relative path"),
    ({"width": "10"}, 'c.jsonl: [3].width: expected an integer width, got "10"'),
    ({"conversations": [{"from": "gpt", "value": "x"}]}, "c.jsonl: [3].conversations[0].from: expected 'human' (turns alternate, human first), got 'gpt'"),
])
def test_row_errors(patch, message):
    with pytest.raises(BridgeError) as e:
        check_row({**ROW, **patch}, "c.jsonl: [3]")
    assert str(e.value) == message


def test_bad_json_line_is_named(tmp_path):
    (tmp_path / "jsonl").mkdir()
    (tmp_path / "jsonl" / "train.jsonl").write_text(json.dumps(ROW) + "\n{oops\n")
    with pytest.raises(BridgeError, match=r"train\.jsonl: line 2: not valid JSON"):
        read_corpus(str(tmp_path), "train")


def test_nested_fields_stored_as_json_text_are_accepted():
    row = {**ROW, "boxes": json.dumps(ROW["boxes"]), "conversations": json.dumps(ROW["conversations"])}
    s = check_row(row, "c.parquet: [0]")
    assert s.boxes == ROW["boxes"] and s.conversations == ROW["conversations"]
    with pytest.raises(BridgeError, match=r"c.parquet: \[0\].boxes: a string that is not valid JSON"):
        check_row({**ROW, "boxes": "[[0.1,"}, "c.parquet: [0]")
