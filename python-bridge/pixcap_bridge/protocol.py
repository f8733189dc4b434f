"""The bridge's event emitter: one JSON object per line on the real stdout, flushed per line.

`claim_stdout()` takes the process's stdout for the protocol and points file descriptor 1 (and `sys.stdout`) at
stderr, so a stray `print`, a library warning or a C extension writing to fd 1 lands in the run's stderr log and
can never corrupt the protocol stream (docs/bridge-protocol.md: "anything else on stdout is a protocol error").
"""

from __future__ import annotations

import json
import math
import os
import sys
import threading
import time
import traceback
from typing import IO, Any

from . import PROTOCOL_VERSION

EVENT_TYPES = ("hello", "progress", "metric", "artifact", "log", "done", "error", "heartbeat")
LOG_LEVELS = ("debug", "info", "warning", "error")


class Emitter:
    """Writes protocol events to a text stream; thread-safe (the heartbeat thread shares it)."""

    def __init__(self, stream: IO[str]):
        self._stream = stream
        self._lock = threading.Lock()
        self.closed = False

    def emit(self, type_: str, **fields: Any) -> None:
        """Writes `{"v":1,"type":type_, ...fields}` as one line; non-finite floats become null (JSON has no NaN)."""
        if type_ not in EVENT_TYPES:
            raise ValueError(f"unknown event type {type_!r}; expected one of {', '.join(EVENT_TYPES)}")
        event = {"v": PROTOCOL_VERSION, "type": type_, **{k: _finite(v) for k, v in fields.items()}}
        line = json.dumps(event, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        with self._lock:
            if self.closed:
                return
            self._stream.write(line + "\n")
            self._stream.flush()
            if type_ in ("done", "error"):
                self.closed = True  # nothing may follow the terminal event

    def progress(self, step: int, total: int) -> None:
        self.emit("progress", step=int(step), total=int(total))

    def metric(self, step: int, name: str, value: float) -> None:
        self.emit("metric", step=int(step), name=name, value=float(value))

    def artifact(self, path: str, kind: str) -> None:
        self.emit("artifact", path=path, kind=kind)

    def log(self, message: str, level: str = "info", **extra: Any) -> None:
        if level not in LOG_LEVELS:
            raise ValueError(f"unknown log level {level!r}")
        self.emit("log", level=level, message=message, **extra)

    def done(self, status: str = "finished") -> None:
        self.emit("done", status=status)

    def error(self, message: str, tb: str | None = None, **extra: Any) -> None:
        fields: dict[str, Any] = {"message": message, **extra}
        if tb is not None:
            fields["traceback"] = tb
        self.emit("error", **fields)

    def exception(self, exc: BaseException, **extra: Any) -> None:
        """Emits an error event for `exc` with its formatted traceback."""
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.error(f"{type(exc).__name__}: {exc}" if not isinstance(exc, BridgeError) else str(exc), tb, **extra)


class BridgeError(Exception):
    """An expected failure (bad config, missing file): its message is shown as is, without the class name."""


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def claim_stdout() -> Emitter:
    """Duplicates fd 1 for the protocol, then redirects fd 1 and sys.stdout to stderr; returns the emitter."""
    sys.stdout.flush()
    proto_fd = os.dup(1)
    os.dup2(2, 1)  # C-level writes and child processes that inherit fd 1 now go to stderr
    sys.stdout = sys.stderr
    stream = os.fdopen(proto_fd, "w", encoding="utf-8", buffering=1)
    return Emitter(stream)


class Heartbeat:
    """Emits `{"type":"heartbeat","t":<unix seconds>}` every `interval` seconds until stopped (context manager)."""

    def __init__(self, emitter: Emitter, interval: float = 10.0):
        self._emitter = emitter
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pixcap-heartbeat", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._emitter.emit("heartbeat", t=round(time.time(), 3))

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self._interval + 1)
