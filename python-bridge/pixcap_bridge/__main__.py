"""Entry point: `python -m pixcap_bridge <env|train|infer> [--config run.json] --output-dir DIR`.

Exit status 0 after a `done` event, 1 after an `error` event, 2 for a usage error (also reported as an event).
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import sys
import threading
import time

from . import __version__
from .protocol import BridgeError, Emitter, claim_stdout

COMMANDS = ("env", "train", "infer")


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM so that `finally` blocks run (the GPT4RoI launcher then stops torchrun's
    process group instead of orphaning GPU workers); a BaseException so `except Exception` cannot swallow it."""

    def __init__(self, signum: int):
        super().__init__(f"terminated by {signal.Signals(signum).name}")
        self.exit_code = 128 + signum


def _on_sigterm(signum: int, _frame: object) -> None:
    raise Terminated(signum)


def watch_parent(interval_s: float = 1.0) -> threading.Thread | None:
    """Parent-death check: when the process that started the bridge dies (pixcap SIGKILLed, or torchrun gone), the
    bridge is re-parented and os.getppid() changes; it then sends itself SIGTERM, so `Terminated` runs the `finally`
    blocks that stop its workers. pixcap's group reaper (src/bridge/spawn-bridge.ts) ends the group as well; this
    check also covers a bridge started under another launcher. No watch when already orphaned at start (ppid 1)."""
    parent = os.getppid()
    if parent <= 1:
        return None

    def loop() -> None:
        while True:
            time.sleep(interval_s)
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    t = threading.Thread(target=loop, name="pixcap-parent-watch", daemon=True)
    t.start()
    return t


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pixcap_bridge", description="pixcap's Python bridge (JSON lines on stdout)")
    p.add_argument("command", choices=COMMANDS)
    p.add_argument("--config", help="run config JSON (required for train and infer)")
    p.add_argument("--output-dir", help="where checkpoints and outputs go (required for train and infer)")
    return p


def _torch_facts() -> tuple[str | None, bool]:
    try:
        import torch
    except Exception:  # the env command must still work without torch
        return None, False
    return torch.__version__, bool(torch.cuda.is_available())


def main(argv: list[str] | None = None) -> int:
    emitter = claim_stdout()
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # argparse already wrote the usage to stderr (which is where sys.stdout points now)
        if not e.code:  # --help
            emitter.done("finished")
            return 0
        emitter.error(f"usage error: see stderr (argv: {' '.join(sys.argv[1:] if argv is None else argv)})")
        return 2
    signal.signal(signal.SIGTERM, _on_sigterm)
    watch_parent()
    torch_version, cuda = _torch_facts()
    emitter.emit("hello", bridge=__version__, python=platform.python_version(), torch=torch_version, cuda=cuda)
    return run(args.command, args.config, args.output_dir, emitter)


def run(command: str, config: str | None, output_dir: str | None, emitter: Emitter) -> int:
    """Runs one command, turning any exception into an error event; returns the exit status."""
    try:
        if command == "env":
            from .env_cmd import env_command

            env_command(config, emitter)
        else:
            if not config:
                raise BridgeError(f"{command}: --config is required")
            if not output_dir:
                raise BridgeError(f"{command}: --output-dir is required")
            os.makedirs(output_dir, exist_ok=True)
            if command == "train":
                from .train_cmd import train_command

                train_command(config, output_dir, emitter)
            else:
                from .infer_cmd import infer_command

                infer_command(config, output_dir, emitter)
        emitter.done("finished")
        return 0
    except KeyboardInterrupt as e:
        emitter.exception(e)
        return 130
    except Terminated as e:
        emitter.error(str(e))
        return e.exit_code
    except BaseException as e:  # noqa: BLE001 - every failure must become an error event
        emitter.exception(e, **getattr(e, "event_fields", {}))
        code = getattr(e, "exit_code", None)
        return code if isinstance(code, int) and code > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
