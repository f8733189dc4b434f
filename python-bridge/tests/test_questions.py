"""Question files: both spellings, the begin string, and errors naming the line."""

from __future__ import annotations

import json
import os

import pytest

from pixcap_bridge.protocol import BridgeError
from pixcap_bridge.questions import read_questions, write_vg_results

BOX = [0.1, 0.2, 0.5, 0.6]


def _write(tmp_path, *rows):
    p = tmp_path / "q.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(p)


def q(qid, text, boxes=(BOX,), image="x.jpg", **extra):
    return {"question_id": qid, "image": image, "width": 5, "height": 5, "text": text, "boxes": list(boxes), **extra}


def test_schema_lines_and_begin_string(tmp_path):
    path = _write(tmp_path, q("a", "what is region1 <bbox>?", capability=["rec"]),
                  q(7, "The <image> provides an overview of the picture.\nwhat is region1 <bbox>?", image="y.jpg"))
    a, b = read_questions(path)
    assert (a.id, b.id) == ("a", 7)  # a VG id stays a number for the result shard
    assert a.prompt == "The <image> provides an overview of the picture.\nwhat is region1 <bbox>?" == b.prompt
    assert a.text == "what is region1 <bbox>?" and b.boxes == [BOX]


def test_symlinked_images_are_followed_but_names_that_climb_out_are_not(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.jpg").write_bytes(b"")
    root = tmp_path / "coco_imgs"
    root.mkdir()
    os.symlink(elsewhere / "x.jpg", root / "x.jpg")  # GPT4RoI's README: link the images into coco_imgs/
    os.symlink(elsewhere, root / "linked_dir")
    [a, b] = read_questions(_write(tmp_path, q(1, "region1 <bbox>"), q(2, "region1 <bbox>", image="linked_dir/x.jpg")), str(root))
    assert (a.image, b.image) == ("x.jpg", "linked_dir/x.jpg")
    with pytest.raises(BridgeError, match=r"'\.\./elsewhere/x\.jpg' escapes images_root"):
        read_questions(_write(tmp_path, q(1, "region1 <bbox>", image="../elsewhere/x.jpg")), str(root))


@pytest.mark.parametrize("row, message", [
    ({"image": "x.jpg", "width": 5, "height": 5, "boxes": [BOX], "text": "region1 <bbox>"}, "q.jsonl: [0].question_id: missing (required)"),
    ({"id": 1, "image": "x.jpg", "boxes": [BOX], "question": "region1 <bbox>"},  # the old pixcap-only spelling
     "q.jsonl: [0].question_id: missing (required) (and 3 more: .width: missing (required); .height: missing (required); .text: missing (required))"),
    (q(True, "region1 <bbox>"), "q.jsonl: [0].question_id: expected integer or string, got true"),
    (q(1, "region1 <bbox>", boxes=[[0.1, 0.2, 0.5]]), "q.jsonl: [0].boxes[0]: expected 4 items, got 3"),
    (q(1, "region1 <bbox>", boxes=[BOX, BOX]), "q.jsonl: [0]: 1 <bbox> tokens but 2 boxes; GPT4RoI assigns the k-th <bbox> to boxes[k], so the counts must be equal"),
    (q(1, "region1 <bbox>", image="/abs.jpg"), "q.jsonl: [0].image: '/abs.jpg' escapes images_root (absolute or '..'); expected a relative path"),
])
def test_errors(tmp_path, row, message):
    with pytest.raises(BridgeError) as e:
        read_questions(_write(tmp_path, row))
    assert str(e.value) == f"{tmp_path}/{message}"


def test_vg_shard_name_and_content(tmp_path):
    path = _write(tmp_path, q(3, "region1 <bbox>"))
    [question] = read_questions(path)
    out = write_vg_results(str(tmp_path / "res"), "/exp/stage2/checkpoint-6000/", [(question, "a dog")])
    assert out == str(tmp_path / "res" / "checkpoint-6000_vg_0.json")
    assert json.loads(open(out).read()) == [{"image_id": 3, "caption": "a dog"}]


def test_gpt4roi_answer_cleaning():
    from pixcap_bridge.gpt4roi.infer import clean_answer

    assert clean_answer("Assistant: a man in a red shirt\n###") == "a man in a red shirt"
    assert clean_answer(": a dog ### Human: more") == "a dog"
    assert clean_answer("  a cat: black  ") == "a cat: black"  # only a leading ': ' is the template's


def test_gpt4roi_infer_refuses_without_a_checkout(tmp_path, monkeypatch):
    from conftest import parse_events, run_bridge, write_config

    qs = _write(tmp_path, q("a", "what is region1 <bbox>?"))
    cfg = write_config(tmp_path / "infer.json", backend="gpt4roi", gpt4roi_home=str(tmp_path / "missing"),
                       checkpoint=str(tmp_path), questions=qs, images_root=str(tmp_path))
    p = run_bridge(["infer", "--config", str(cfg), "--output-dir", str(tmp_path / "out")])
    assert p.returncode == 1
    msg = parse_events(p.stdout)[-1]["message"]
    assert msg == f"{cfg}: gpt4roi_home: the GPT4RoI checkout {str(tmp_path / 'missing')!r} does not import ({tmp_path / 'missing'} is not a directory); see docs/gpt4roi-setup.md"
