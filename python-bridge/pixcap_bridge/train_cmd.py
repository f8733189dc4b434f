"""`train`: dispatches on the config's `backend` (smoke | gpt4roi) and reports through the emitter."""

from __future__ import annotations

from .config import Config
from .protocol import Emitter, Heartbeat

BACKENDS = ("smoke", "gpt4roi")


def train_command(config_path: str, output_dir: str, emitter: Emitter) -> None:
    cfg = Config.load(config_path)
    backend = cfg.choice("backend", BACKENDS)
    with Heartbeat(emitter, cfg.float("heartbeat_seconds", 10.0)):
        if backend == "smoke":
            from .smoke.train import train_smoke

            train_smoke(cfg, output_dir, emitter)
        else:
            from .gpt4roi.launch import train_gpt4roi

            train_gpt4roi(cfg, output_dir, emitter)
