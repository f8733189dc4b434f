"""Trainer log parsing: HF log dicts, tqdm steps, the final summary, and torchrun's ChildFailedError block
(formatted by torch's own ChildFailedError, and printed by a real torchrun)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from torch.distributed.elastic.multiprocessing.errors import ChildFailedError, ProcessFailure

from pixcap_bridge.gpt4roi.trainer_log import TrainerLogParser, parse_child_failed, parse_log_dict


def test_log_dicts_in_old_and_new_transformers_formats():
    assert parse_log_dict("{'loss': 1.2345, 'learning_rate': 2e-05, 'epoch': 0.01}") == {
        "loss": 1.2345, "learning_rate": 2e-05, "epoch": 0.01}
    assert parse_log_dict("{'loss': '1.234', 'grad_norm': '0.5', 'learning_rate': '2e-05', 'epoch': '0.01'}") == {
        "loss": 1.234, "grad_norm": 0.5, "learning_rate": 2e-05, "epoch": 0.01}
    assert parse_log_dict("{'loss': nan}") is None  # not a literal: ignored, never eval'd
    assert parse_log_dict(" 33%|###   | 1/3 [00:01<00:02,  1.00it/s]{'loss': 3.0}") == {"loss": 3.0}
    assert parse_log_dict("{'note': 'text only'}") is None


def test_stream_gives_progress_metrics_and_summary_with_tqdm_steps():
    p = TrainerLogParser(logging_steps=1)
    ev = p.feed("  0%|          | 0/200 [00:00<?, ?it/s]\r  0%|          | 1/200 [00:02<07:00,  2.10s/it]")
    assert ev == [("progress", {"step": 0, "total": 200}), ("progress", {"step": 1, "total": 200})]
    ev = p.feed("{'loss': 2.5, 'learning_rate': 6.667e-09, 'epoch': 0.0}\n")
    assert ev == [("metric", {"step": 1, "name": "loss", "value": 2.5}),
                  ("metric", {"step": 1, "name": "learning_rate", "value": 6.667e-09}),
                  ("metric", {"step": 1, "name": "epoch", "value": 0.0})]
    p.feed("  1%|          | 2/200 [00:04<07:00,  2.10s/it]")
    assert p.feed("{'loss': '2.25', 'learning_rate': '1.333e-08', 'epoch': '0.01'}")[0] == (
        "metric", {"step": 2, "name": "loss", "value": 2.25})
    ev = p.feed("{'train_runtime': 420.5, 'train_samples_per_second': 7.6, 'train_steps_per_second': 0.476, 'train_loss': 1.9, 'epoch': 2.0}")
    assert ("metric", {"step": 2, "name": "train_runtime", "value": 420.5}) in ev
    assert p.final["train_loss"] == 1.9


def test_bar_and_dict_on_one_line():
    # stderr (tqdm) and stdout (the log dict) share one pipe, so a dict can follow a bar without a newline
    p = TrainerLogParser()
    assert p.feed(" 50%|#####     | 5/10 [00:05<00:05,  1.00it/s]{'loss': 0.5, 'epoch': 0.5}") == [
        ("progress", {"step": 5, "total": 10}), ("metric", {"step": 5, "name": "loss", "value": 0.5}),
        ("metric", {"step": 5, "name": "epoch", "value": 0.5})]


def test_without_tqdm_steps_count_logging_steps():
    p = TrainerLogParser(logging_steps=10)
    p.feed("{'loss': 3.0, 'epoch': 0.1}")
    assert p.feed("{'loss': 2.0, 'epoch': 0.2}")[0] == ("metric", {"step": 20, "name": "loss", "value": 2.0})


def test_parses_torch_formatted_child_failed_error(tmp_path):
    err = tmp_path / "error.json"
    err.write_text(json.dumps({"message": {"message": "RuntimeError: CUDA out of memory", "extraInfo": {
        "py_callstack": "Traceback (most recent call last):\n  File \"train_mem.py\", line 9, in <module>\n    train()\nRuntimeError: CUDA out of memory",
        "timestamp": "1700000000"}}}))
    failures = {0: ProcessFailure(local_rank=0, pid=4242, exitcode=1, error_file=str(err)),
                3: ProcessFailure(local_rank=3, pid=4245, exitcode=-9, error_file="/nonexistent")}
    text = "some log line\n" + ChildFailedError("gpt4roi/train/train_mem.py", failures).format_msg() + "\n"
    got = parse_child_failed(text)
    assert got["script"] == "gpt4roi/train/train_mem.py"
    root = got["root_cause"]
    assert (root["rank"], root["local_rank"], root["exitcode"], root["pid"], root["signal"]) == (0, 0, 1, 4242, None)
    assert root["error_file"] == str(err)
    assert root["traceback"].startswith("Traceback (most recent call last):\n  File \"train_mem.py\"")
    assert root["traceback"].endswith("RuntimeError: CUDA out of memory")
    [other] = got["failures"]
    assert (other["rank"], other["exitcode"], other["signal"], other["error_file"]) == (3, -9, "SIGKILL", "<N/A>")
    assert other["traceback"] == "Signal 9 (SIGKILL) received by PID 4245"


def test_failure_summary_from_a_real_torchrun(tmp_path):
    script = tmp_path / "boom.py"
    script.write_text("import sys\nprint('starting', flush=True)\nsys.exit(3)\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--nnodes=1", "--nproc_per_node=1",
                        f"--master_port={port}", str(script)], capture_output=True, text=True, timeout=120)
    assert p.returncode != 0
    parser = TrainerLogParser()
    for line in (p.stdout + p.stderr).splitlines():
        parser.feed(line)
    f = parser.failure(p.returncode)
    assert f["exit_code"] == p.returncode and "starting" in f["last_lines"]
    assert f["torchrun"]["script"].endswith("boom.py")
    assert f["torchrun"]["root_cause"]["exitcode"] == 3 and f["torchrun"]["root_cause"]["rank"] == 0
    assert f["torchrun"]["failures"] == []


def test_signal_exit_and_deepspeed_line():
    p = TrainerLogParser()
    p.feed("[2024-01-01 00:00:00,000] [ERROR] [launch.py:321:sigkill_handler] ['python', '-u', 'train.py'] exits with return code = -9")
    f = p.failure(-9)
    assert f["signal"] == "SIGKILL" and f["deepspeed_exit_code"] == -9 and "torchrun" not in f
