"""Stage-2 initialisation: checkpoint-0 links every stage-1 file but the optimizer state; never a silent resume."""

from __future__ import annotations

import os

import pytest

from pixcap_bridge.gpt4roi.stage2_init import EXCLUDED, latest_checkpoint, prepare_stage2
from pixcap_bridge.protocol import BridgeError

STAGE1_FILES = ["config.json", "pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin",
                "pytorch_model.bin.index.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
                "added_tokens.json", "generation_config.json"]


def _stage1(root, top=True):
    root.mkdir(parents=True)
    where = root if top else root / "checkpoint-2000"
    where.mkdir(exist_ok=True)
    for name in STAGE1_FILES + list(EXCLUDED):
        (where / name).write_text(name)
    (root / "checkpoint-1000").mkdir(exist_ok=True)
    (root / "checkpoint-1000" / "optimizer.pt").write_text("old")
    return root


def test_links_all_but_the_excluded_files(tmp_path, monkeypatch):
    stage1 = _stage1(tmp_path / "exp" / "stage1")
    monkeypatch.chdir(tmp_path)
    r = prepare_stage2("exp/stage2", "exp/stage1")  # relative paths, like `train_stage2.sh exp/stage2 exp/stage1`
    ck = tmp_path / "exp" / "stage2" / "checkpoint-0"
    assert r["action"] == "init" and r["linked"] == sorted(STAGE1_FILES)
    assert sorted(os.listdir(ck)) == sorted(STAGE1_FILES)
    for name in STAGE1_FILES:
        link = ck / name
        assert link.is_symlink() and os.path.isabs(os.readlink(link))
        assert os.readlink(link) == str(stage1 / name) and link.read_text() == name
    assert not set(EXCLUDED) & set(os.listdir(ck))


def test_refuses_a_non_empty_workdir_unless_resume(tmp_path):
    stage1 = _stage1(tmp_path / "s1")
    work = tmp_path / "s2"
    (work / "checkpoint-3000").mkdir(parents=True)
    with pytest.raises(BridgeError, match=r"s2: work directory is not empty \(checkpoint-3000\); GPT4RoI would silently resume"):
        prepare_stage2(str(work), str(stage1))
    r = prepare_stage2(str(work), str(stage1), resume=True)
    assert r == {"action": "resume", "checkpoint": str(work / "checkpoint-3000"), "linked": []}
    assert os.listdir(work) == ["checkpoint-3000"]  # nothing touched


def test_resume_without_checkpoint_and_missing_stage1(tmp_path):
    (tmp_path / "w").mkdir()
    (tmp_path / "w" / "train.log").write_text("")
    with pytest.raises(BridgeError, match="no checkpoint-N directory to resume from"):
        prepare_stage2(str(tmp_path / "w"), str(tmp_path / "none"), resume=True)
    with pytest.raises(BridgeError, match="stage-1 work directory does not exist .*no stage-1"):
        prepare_stage2(str(tmp_path / "w2"), str(tmp_path / "none"))


def test_falls_back_to_the_newest_stage1_checkpoint(tmp_path):
    stage1 = _stage1(tmp_path / "s1", top=False)
    assert latest_checkpoint(str(stage1)) == str(stage1 / "checkpoint-2000")
    r = prepare_stage2(str(tmp_path / "s2"), str(stage1))
    assert r["source"] == str(stage1 / "checkpoint-2000") and r["linked"] == sorted(STAGE1_FILES)


def test_stage1_without_weights_is_refused(tmp_path):
    (tmp_path / "s1").mkdir()
    (tmp_path / "s1" / "config.json").write_text("{}")
    with pytest.raises(BridgeError, match="no model weights"):
        prepare_stage2(str(tmp_path / "s2"), str(tmp_path / "s1"))
