"""GPT4RoI launcher: the planned argv/env (stage-2 recipe, gpt4roi.md §7), and a run under a real torchrun of a
stand-in train_mem.py that logs like the HF Trainer, streamed into events; the PIXCAP type registration."""

from __future__ import annotations

import os
import socket
import sys
import textwrap

import pytest

from conftest import make_corpus, parse_events, run_bridge, write_config
from pixcap_bridge.config import Config
from pixcap_bridge.gpt4roi.launch import plan_gpt4roi
from pixcap_bridge.protocol import BridgeError


def _pairs(argv):
    i = argv.index("--vision_tower")
    flags = argv[i:]
    return dict(zip(flags[::2], flags[1::2]))


def _cfg(tmp_path, **extra):
    corpus, images, _ = make_corpus(tmp_path, n_images=2)
    data = {"backend": "gpt4roi", "gpt4roi_home": str(tmp_path / "GPT4RoI"), "model_name_or_path": "/m/vicuna-7b",
            "pretrain_mm_mlp_adapter": "/m/proj.bin", "corpus": str(corpus), "images_root": str(images),
            "stage1_dir": str(tmp_path / "stage1"), **extra}
    return Config(data, "run.json")


def test_plan_uses_the_stage2_recipe(tmp_path):
    plan = plan_gpt4roi(_cfg(tmp_path), str(tmp_path / "out"))
    argv = plan["argv"]
    assert argv[:6] == [sys.executable, "-m", "torch.distributed.run", "--nnodes=1", "--nproc_per_node=8", "--master_port=25001"]
    assert argv[6:8] == ["-m", "pixcap_bridge.gpt4roi.entry"]  # the corpus is read by the PIXCAP loader
    f = _pairs(argv)
    assert len(f) == len(argv[argv.index("--vision_tower"):]) // 2  # every flag has one value
    assert f == {
        "--model_name_or_path": "/m/vicuna-7b", "--vision_tower": "openai/clip-vit-large-patch14",
        "--mm_vision_select_layer": "-2", "--mm_use_im_start_end": "True", "--bf16": "True", "--num_train_epochs": "2",
        "--per_device_train_batch_size": "2", "--per_device_eval_batch_size": "4", "--gradient_accumulation_steps": "1",
        "--evaluation_strategy": "no", "--save_strategy": "steps", "--save_steps": "3000", "--save_total_limit": "1",
        "--learning_rate": "2e-05", "--weight_decay": "0.0", "--warmup_ratio": "0.003", "--warmup_steps": "3000",
        "--fsdp": "full_shard auto_wrap", "--fsdp_transformer_layer_cls_to_wrap": "LlamaDecoderLayer",
        "--lr_scheduler_type": "cosine", "--logging_steps": "1", "--tf32": "True", "--model_max_length": "2048",
        "--gradient_checkpointing": "True", "--lazy_preprocess": "True", "--report_to": "none", "--seed": "0",
        "--pretrain_mm_mlp_adapter": "/m/proj.bin", "--dataset_config": str(tmp_path / "out" / "stage2_config.py"),
        "--output_dir": str(tmp_path / "out" / "workdir"),
    }
    assert plan["cwd"] == str(tmp_path / "GPT4RoI") and "NORM_ATTN" not in plan["env"]
    assert plan["env"]["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path / "GPT4RoI")
    assert [e["type"] for e in plan["entries"]] == ["PIXCAP"]


def test_plan_overrides_flash_attn_and_upstream_datasets(tmp_path):
    cfg = _cfg(tmp_path, lr=1e-5, batch_size=1, seed=3, steps=100, nproc_per_node=4, flash_attn=True,
               gpt4roi_args={"save_steps": 500, "gradient_checkpointing": False},
               corpus_entry={"type": "DENSECOCO", "ann_file": "/d/p2c.json", "img_prefix": "/coco/train2017"},
               upstream_data_root="/data")
    plan = plan_gpt4roi(cfg, str(tmp_path / "out"))
    f = _pairs(plan["argv"])
    assert (f["--learning_rate"], f["--per_device_train_batch_size"], f["--seed"], f["--max_steps"]) == ("1e-05", "1", "3", "100")
    assert (f["--save_steps"], f["--gradient_checkpointing"]) == ("500", "False")
    assert plan["argv"][4] == "--nproc_per_node=4" and plan["argv"][6] == str(tmp_path / "GPT4RoI" / "gpt4roi/train/train_mem.py")
    assert plan["env"]["NORM_ATTN"] == "1"
    assert [e["type"] for e in plan["entries"]] == ["DENSECOCO", "RefCOCOG", "flickr30k", "VGDATA", "det_llava", "vcr", "single_vcr", "multi_vcr"]


def test_plan_refuses_multi_node(tmp_path):
    with pytest.raises(BridgeError, match=r'run.json: nnodes: expected 1 \(the bridge launches single-node torchrun'):
        plan_gpt4roi(_cfg(tmp_path, nnodes=2, launcher_argv=["torchrun"]), str(tmp_path / "out"))


def test_plan_needs_a_checkout(tmp_path, monkeypatch):
    monkeypatch.delenv("GPT4ROI_HOME", raising=False)
    cfg = _cfg(tmp_path)
    del cfg.data["gpt4roi_home"]
    with pytest.raises(BridgeError, match="gpt4roi_home: missing"):
        plan_gpt4roi(cfg, str(tmp_path))


TRAIN_MEM = textwrap.dedent('''
    # Stand-in for GPT4RoI's train_mem.py: logs like the HF Trainer, saves a checkpoint, fails on demand.
    import argparse, os, sys, time
    p = argparse.ArgumentParser()
    p.add_argument("--output_dir"); p.add_argument("--dataset_config"); p.add_argument("--max_steps", type=int, default=3)
    a, _ = p.parse_known_args()
    assert os.path.isfile(a.dataset_config)
    assert sorted(os.listdir(os.path.join(a.output_dir, "checkpoint-0")))[0] == "config.json"
    if os.environ.get("HANG_PIDFILE"):
        open(os.environ["HANG_PIDFILE"], "w").write(str(os.getpid()))
        time.sleep(120)
    for step in range(1, a.max_steps + 1):
        sys.stderr.write(f"\\r {step * 33}%|###   | {step}/{a.max_steps} [00:01<00:02,  1.00it/s]"); sys.stderr.flush()
        print({"loss": round(3.0 / step, 4), "learning_rate": 2e-05, "epoch": step / a.max_steps}, flush=True)
        if os.environ.get("FAIL_AT") == str(step):
            raise RuntimeError("CUDA out of memory (stand-in)")
    os.makedirs(os.path.join(a.output_dir, f"checkpoint-{a.max_steps}"))
    print({"train_runtime": 1.5, "train_samples_per_second": 2.0, "train_loss": 1.8, "epoch": 1.0}, flush=True)
''')


def _fake_checkout(tmp_path):
    home = tmp_path / "GPT4RoI"
    (home / "gpt4roi" / "train").mkdir(parents=True)
    (home / "gpt4roi" / "train" / "train_mem.py").write_text(TRAIN_MEM)
    s1 = tmp_path / "stage1"
    s1.mkdir()
    for n in ("config.json", "pytorch_model.bin", "optimizer.pt"):
        (s1 / n).write_text(n)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    corpus, images, _ = make_corpus(tmp_path, n_images=2)
    return dict(backend="gpt4roi", gpt4roi_home=str(home), model_name_or_path="/m/vicuna", corpus=str(corpus),
                images_root=str(images), stage1_dir=str(s1), nproc_per_node=1, master_port=port, steps=3,
                corpus_entry={"type": "VGDATA", "ann_file": str(tmp_path / "vg.json"), "img_prefix": str(images)})


def test_run_streams_trainer_log_as_events(tmp_path):
    cfg = write_config(tmp_path / "run.json", **_fake_checkout(tmp_path))
    out = tmp_path / "out"
    p = run_bridge(["train", "--config", str(cfg), "--output-dir", str(out)], timeout=180)
    assert p.returncode == 0, p.stderr
    events = parse_events(p.stdout)
    losses = [(e["step"], e["value"]) for e in events if e["type"] == "metric" and e["name"] == "loss"]
    assert losses == [(1, 3.0), (2, 1.5), (3, 1.0)]
    assert ("progress", 3, 3) in [(e["type"], e.get("step"), e.get("total")) for e in events]
    arts = [(e["path"], e["kind"]) for e in events if e["type"] == "artifact"]
    assert arts == [("stage2_config.py", "config"), ("workdir/checkpoint-3", "checkpoint")]
    assert "train_runtime" in [e.get("name") for e in events]
    assert os.path.islink(out / "workdir" / "checkpoint-0" / "pytorch_model.bin")
    assert not os.path.exists(out / "workdir" / "checkpoint-0" / "optimizer.pt")
    assert "{'loss': 3.0" in (out / "train.log").read_text() and "{'loss': 3.0" in p.stderr
    assert events[-1]["type"] == "done"


def test_failed_run_reports_torchrun_root_cause(tmp_path):
    cfg = write_config(tmp_path / "run.json", **_fake_checkout(tmp_path))
    p = run_bridge(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "out")], timeout=180,
                   env={"FAIL_AT": "2"})
    assert p.returncode == 1
    err = parse_events(p.stdout)[-1]
    assert err["type"] == "error" and err["message"].startswith("GPT4RoI training failed with exit code 1 (rank 0, exit code 1")
    f = err["failure"]
    assert f["torchrun"]["script"].endswith("train_mem.py") and f["torchrun"]["root_cause"]["exitcode"] == 1
    assert any("CUDA out of memory (stand-in)" in line for line in f["last_lines"])
    # A second run into the same output directory must not silently resume.
    p2 = run_bridge(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "out")], timeout=180)
    assert "work directory is not empty" in parse_events(p2.stdout)[-1]["message"]


def test_sigterm_stops_the_whole_torchrun_group(tmp_path):
    import signal
    import subprocess
    import time

    from conftest import BRIDGE_ROOT

    cfg = write_config(tmp_path / "run.json", **_fake_checkout(tmp_path))
    pidfile = tmp_path / "worker.pid"
    env = {**os.environ, "PYTHONPATH": str(BRIDGE_ROOT), "PYTHONUNBUFFERED": "1", "HANG_PIDFILE": str(pidfile)}
    bridge = subprocess.Popen([sys.executable, "-m", "pixcap_bridge", "train", "--config", str(cfg), "--output-dir",
                               str(tmp_path / "out")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    deadline = time.monotonic() + 120
    while not pidfile.exists() or not pidfile.read_text():
        assert time.monotonic() < deadline and bridge.poll() is None, "worker never started"
        time.sleep(0.2)
    worker = int(pidfile.read_text())
    bridge.send_signal(signal.SIGTERM)
    out, _ = bridge.communicate(timeout=60)
    assert bridge.returncode == 143
    assert parse_events(out)[-1] == {"v": 1, "type": "error", "message": "terminated by SIGTERM"}
    for _ in range(50):  # the worker (a grandchild) is gone, not orphaned on the GPU
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.kill(worker, signal.SIGKILL)
        raise AssertionError("torchrun worker survived the bridge's SIGTERM")


def test_entry_registers_the_pixcap_type(tmp_path, monkeypatch):
    # A stand-in checkout with data_modules' dispatch shape: an if-chain that recurses through its module-level name.
    home = tmp_path / "co"
    (home / "gpt4roi" / "datasets").mkdir(parents=True)
    (home / "gpt4roi" / "train").mkdir(parents=True)
    for d in ("gpt4roi", "gpt4roi/datasets", "gpt4roi/train"):
        (home / d / "__init__.py").write_text("")
    (home / "gpt4roi" / "datasets" / "data_modules.py").write_text(textwrap.dedent('''
        def build_spi_dataset(cfg, tokenizer=None, multimodal_cfg=None, **kw):
            if isinstance(cfg, list):
                return [build_spi_dataset(c, tokenizer=tokenizer, multimodal_cfg=multimodal_cfg) for c in cfg]
            if cfg["type"] == "VGDATA":
                return "upstream-vg"
            raise NotImplementedError
    '''))
    (home / "gpt4roi" / "train" / "train.py").write_text(textwrap.dedent('''
        def preprocess_multimodal(sources, cfg, n):
            return sources
        def preprocess(sources, tok):
            raise AssertionError("not called without a tokenizer")
    '''))
    corpus, images, rows = make_corpus(tmp_path, n_images=3)
    monkeypatch.syspath_prepend(str(home))
    try:
        from pixcap_bridge.gpt4roi.entry import register_pixcap_type

        register_pixcap_type()
        from gpt4roi.datasets import data_modules

        built = data_modules.build_spi_dataset([{"type": "VGDATA"}, {"type": "PIXCAP", "corpus": str(corpus),
                                                "images_root": str(images), "split": "train"}], tokenizer=None,
                                               multimodal_cfg={})
        assert built[0] == "upstream-vg" and len(built[1]) == 3 and built[1][0]["id"] == rows[0]["id"]
    finally:
        for name in [n for n in sys.modules if n == "gpt4roi" or n.startswith("gpt4roi.")]:
            del sys.modules[name]
