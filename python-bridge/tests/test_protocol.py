"""The protocol: every stdout line is a v1 JSON event, hello first, done/error last; stray output goes to stderr."""

from __future__ import annotations

import subprocess
import sys

from conftest import BRIDGE_ROOT, parse_events, run_bridge, write_config

STRAY = r"""
import os, subprocess, sys
from pixcap_bridge.protocol import claim_stdout
em = claim_stdout()
em.emit("hello", bridge="0.1.0", python="x", torch=None, cuda=False)
print("stray print")
sys.stdout.write("stray write\n"); sys.stdout.flush()
os.write(1, b"stray fd 1\n")
subprocess.run([sys.executable, "-c", "print('child stdout')"], check=True)
em.metric(1, "loss", float("nan"))
em.log("hi", level="info")
em.done()
em.log("after done")
"""


def test_stray_output_never_reaches_stdout():
    p = subprocess.run([sys.executable, "-c", STRAY], capture_output=True, text=True, cwd=str(BRIDGE_ROOT), timeout=60)
    assert p.returncode == 0, p.stderr
    events = parse_events(p.stdout)
    assert [e["type"] for e in events] == ["hello", "metric", "log", "done"]
    assert events[1]["value"] is None  # NaN is not JSON: it becomes null
    for stray in ("stray print", "stray write", "stray fd 1", "child stdout"):
        assert stray in p.stderr
        assert stray not in p.stdout


def test_env_command_lines(tmp_path):
    p = run_bridge(["env"], env={"GPT4ROI_HOME": ""})
    assert p.returncode == 0, p.stderr
    events = parse_events(p.stdout)
    assert events[0]["type"] == "hello" and events[0]["bridge"] == "0.1.0"
    assert events[0]["python"].count(".") == 2 and isinstance(events[0]["cuda"], bool)
    assert events[-1] == {"v": 1, "type": "done", "status": "finished"}
    env = events[1]["env"]
    assert events[1]["type"] == "log" and env["torch"] == events[0]["torch"]
    assert env["gpt4roi"]["importable"] is False and "GPT4ROI_HOME" in env["gpt4roi"]["error"]


def test_config_error_is_an_error_event_naming_file_and_key(tmp_path):
    cfg = write_config(tmp_path / "run.json", backend="smoke", corpus=str(tmp_path), images_root=str(tmp_path), steps="ten")
    p = run_bridge(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "out")])
    assert p.returncode == 1
    events = parse_events(p.stdout)
    assert events[0]["type"] == "hello" and events[-1]["type"] == "error"
    assert events[-1]["message"] == f'{cfg}: steps: expected a positive integer, got "ten"'
    assert "Traceback" in events[-1]["traceback"]


def test_unknown_backend_and_missing_config(tmp_path):
    cfg = write_config(tmp_path / "run.json", backend="llava")
    p = run_bridge(["train", "--config", str(cfg), "--output-dir", str(tmp_path / "o")])
    assert parse_events(p.stdout)[-1]["message"] == f'{cfg}: backend: expected one of "smoke" | "gpt4roi", got "llava"'
    p = run_bridge(["train", "--output-dir", str(tmp_path / "o")])
    assert p.returncode == 1 and parse_events(p.stdout)[-1]["message"] == "train: --config is required"


def test_usage_error_exits_2_with_an_error_event():
    p = run_bridge(["fly"])
    assert p.returncode == 2
    events = parse_events(p.stdout)
    assert [e["type"] for e in events] == ["error"] and "usage error" in events[0]["message"]
    assert "invalid choice" in p.stderr


def test_help_is_not_an_error():
    p = run_bridge(["--help"])
    assert p.returncode == 0 and "usage:" in p.stderr
    assert parse_events(p.stdout) == [{"v": 1, "type": "done", "status": "finished"}]
