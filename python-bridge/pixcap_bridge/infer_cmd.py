"""`infer`: answers region questions with a trained checkpoint (smoke backend), writing answers.jsonl."""

from __future__ import annotations

from .config import Config
from .protocol import BridgeError, Emitter, Heartbeat


def infer_command(config_path: str, output_dir: str, emitter: Emitter) -> None:
    cfg = Config.load(config_path)
    backend = cfg.choice("backend", ("smoke", "gpt4roi"))
    if backend == "gpt4roi":
        # gpt4roi.md §11 describes the recipe (boxes bound to forward with functools.partial); it needs the
        # user's checkout and a GPU, neither of which this bridge version drives yet.
        raise BridgeError(f"{config_path}: backend: \"gpt4roi\" inference is not implemented by this bridge yet; "
                          "use GPT4RoI's own eval/dense_caption/infer.py (docs/gpt4roi-setup.md)")
    from .smoke.infer import infer_smoke

    with Heartbeat(emitter, cfg.float("heartbeat_seconds", 10.0)):
        name = infer_smoke(cfg, output_dir, emitter)
    emitter.artifact(name, "predictions")
