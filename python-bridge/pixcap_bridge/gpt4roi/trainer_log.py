"""Parses a GPT4RoI (HF Trainer under torchrun) training log into protocol events and a structured failure.

What the log holds (runs.md §4-5; transformers `ProgressCallback` / `PrinterCallback.on_log`):
- one Python dict repr per logging step, e.g. `{'loss': 1.23, 'learning_rate': 2e-05, 'epoch': 0.01}`; recent
  transformers format floats as strings with 4 significant digits (`{'loss': '1.23', ...}`), so both are accepted;
  the last one holds `train_runtime`, `train_samples_per_second`, `train_loss`, ...;
- tqdm bars `  5%|▌   | 10/200 [00:10<03:10, 1.00it/s]` (carriage-return separated) giving the global step;
- on failure, torchrun's `ChildFailedError` block: title `<script> FAILED`, `Failures:` (or `<NO_OTHER_FAILURES>`)
  and `Root Cause (first observed failure):`, each entry with time, host, rank (local_rank), exitcode (pid),
  error_file, traceback. A negative exitcode is a signal (-9 SIGKILL, -11 SIGSEGV);
- the DeepSpeed launcher's `exits with return code = N` line.
"""

from __future__ import annotations

import ast
import re
import signal
from collections import deque
from typing import Any

_TQDM = re.compile(r"\|\s*(\d+)/(\d+)\s*\[")
_DICT = re.compile(r"(\{'[A-Za-z_]+':.*\})\s*$")  # may follow a tqdm bar on the same line (stderr/stdout merged)
_ENTRY = re.compile(
    r"\[(?P<idx>\d+)\]:\n"
    r"  time\s*: (?P<time>.*)\n"
    r"  host\s*: (?P<host>.*)\n"
    r"  rank\s*: (?P<rank>\S+) \(local_rank: (?P<local_rank>\S+)\)\n"
    r"  exitcode\s*: (?P<exitcode>-?\d+) \(pid: (?P<pid>\d+)\)[ ]*(?:\((?P<signame>\w+)\))?[ ]*\n"
    r"  error_file: (?P<error_file>.*)\n"
    r"  traceback : (?P<traceback>.*(?:\n  .*)*)"
)
_DS_EXIT = re.compile(r"exits with return code = (-?\d+)")
NOT_METRICS = ("epoch",)  # reported too, but it is a position, not a quality


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def parse_log_dict(line: str) -> dict[str, float] | None:
    """The numeric fields of a Trainer log line (`{'loss': ...}`), or None if the line is not one."""
    m = _DICT.search(line)
    if not m:
        return None
    try:
        value = ast.literal_eval(m.group(1))  # a literal only: never eval()
    except (ValueError, SyntaxError):
        return None
    if not isinstance(value, dict):
        return None
    out = {k: n for k, v in value.items() if isinstance(k, str) and (n := _number(v)) is not None}
    return out or None


def signal_name(exitcode: int) -> str | None:
    if exitcode >= 0:
        return None
    try:
        return signal.Signals(-exitcode).name
    except ValueError:
        return f"SIG{-exitcode}"


def parse_child_failed(text: str) -> dict[str, Any] | None:
    """The last torchrun ChildFailedError block in `text` as {script, root_cause, failures}, or None."""
    at = text.rfind("Root Cause (first observed failure):")
    if at < 0:
        return None
    start = text.rfind("Failures:", 0, at)
    title = re.findall(r"^(.*) FAILED\s*$", text[:start if start >= 0 else at], flags=re.M)
    root = _ENTRY.search(text, at)
    if not root:
        return None
    failures = [_entry(m) for m in _ENTRY.finditer(text[start:at])] if start >= 0 else []
    return {"script": title[-1].strip() if title else None, "root_cause": _entry(root), "failures": failures}


def _entry(m: re.Match) -> dict[str, Any]:
    code = int(m.group("exitcode"))
    tb = "\n".join(line[2:] if line.startswith("  ") else line for line in m.group("traceback").split("\n"))
    tb = re.split(r"\n[=\-]{10,}", tb)[0]  # the block's closing rule is not part of the traceback
    return {
        "rank": _maybe_int(m.group("rank")), "local_rank": _maybe_int(m.group("local_rank")), "exitcode": code,
        "signal": m.group("signame") or signal_name(code), "pid": int(m.group("pid")), "host": m.group("host").strip(),
        "time": m.group("time").strip(), "error_file": m.group("error_file").strip(), "traceback": tb.strip(),
    }


def _maybe_int(s: str) -> int | str:
    try:
        return int(s)
    except ValueError:
        return s


class TrainerLogParser:
    """Feeds on log lines; returns events as (type, fields) tuples and, at the end, a failure summary."""

    def __init__(self, logging_steps: int = 1, tail_lines: int = 400):
        self.logging_steps = logging_steps
        self.step: int | None = None  # last global step seen in a tqdm bar
        self.total: int | None = None
        self._logs = 0
        self._last_progress: tuple[int, int] | None = None
        self.tail: deque[str] = deque(maxlen=tail_lines)
        self.final: dict[str, float] = {}

    def feed(self, chunk: str) -> list[tuple[str, dict[str, Any]]]:
        """Parses one line (or a tqdm chunk holding several `\\r`-separated updates)."""
        events: list[tuple[str, dict[str, Any]]] = []
        for part in re.split(r"[\r\n]", chunk):
            if not part.strip():
                continue
            self.tail.append(part)
            found = _DICT.search(part)
            bar = _TQDM.search(part[: found.start()] if found else part)
            if bar and "%|" in part:
                self.step, self.total = int(bar.group(1)), int(bar.group(2))
                if (self.step, self.total) != self._last_progress:
                    self._last_progress = (self.step, self.total)
                    events.append(("progress", {"step": self.step, "total": self.total}))
            fields = parse_log_dict(found.group(1)) if found else None
            if fields is None:
                continue
            if "train_runtime" in fields:
                self.final = fields
                step = self.step if self.step is not None else self._logs * self.logging_steps
                events += [("metric", {"step": step, "name": k, "value": v}) for k, v in fields.items()]
                continue
            self._logs += 1
            step = self.step if self.step is not None else self._logs * self.logging_steps
            events += [("metric", {"step": step, "name": k, "value": v}) for k, v in fields.items()]
        return events

    def failure(self, exit_code: int | None) -> dict[str, Any]:
        """A structured failure: exit code/signal, torchrun's root cause when present, the last log lines."""
        text = "\n".join(self.tail)
        out: dict[str, Any] = {"exit_code": exit_code, "signal": signal_name(exit_code) if exit_code is not None else None,
                               "last_lines": list(self.tail)[-40:]}
        child = parse_child_failed(text)
        if child:
            out["torchrun"] = child
        ds = _DS_EXIT.findall(text)
        if ds:
            out["deepspeed_exit_code"] = int(ds[-1])
        return out
