"""The bridge's parent-death check (issue 17, finding 6): a bridge whose parent is SIGKILLed ends itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

BRIDGE_ROOT = Path(__file__).resolve().parents[1]

# The parent starts a child that installs the bridge's SIGTERM handling and parent watch, prints the child's pid, then
# sleeps; the test SIGKILLs the parent (no handler can run) and expects the child gone within seconds.
CHILD = textwrap.dedent(
    """
    import signal, sys, time
    from pixcap_bridge.__main__ import _on_sigterm, Terminated, watch_parent
    signal.signal(signal.SIGTERM, _on_sigterm)
    watch_parent(0.1)
    try:
        time.sleep(60)
    except Terminated:
        sys.exit(143)
    """
)
PARENT = textwrap.dedent(
    """
    import subprocess, sys, time
    child = subprocess.Popen([sys.executable, "-c", sys.argv[1]])
    print(child.pid, flush=True)
    time.sleep(60)
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (re-parented to a reaper that has not waited yet) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_bridge_ends_when_its_parent_is_sigkilled() -> None:
    env = {**os.environ, "PYTHONPATH": str(BRIDGE_ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, CHILD], stdout=subprocess.PIPE, env=env, text=True)
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    time.sleep(0.5)
    assert _alive(child_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while _alive(child_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child_pid), "the bridge outlived its parent's SIGKILL"
