"""`infer`: answers region questions with a checkpoint; writes answers.jsonl and, with `results_dir`, GPT4RoI's
VG result shard (pixcap_bridge.questions)."""

from __future__ import annotations

import os

from .config import Config
from .protocol import BridgeError, Emitter, Heartbeat
from .questions import read_questions, write_answers, write_vg_results


def infer_command(config_path: str, output_dir: str, emitter: Emitter) -> None:
    cfg = Config.load(config_path)
    backend = cfg.choice("backend", ("smoke", "gpt4roi"))
    if backend == "gpt4roi":
        # gpt4roi.md §11 describes the recipe (boxes bound to forward with functools.partial); it needs the
        # user's checkout and a GPU, neither of which this bridge version drives yet.
        raise BridgeError(f"{config_path}: backend: \"gpt4roi\" inference is not implemented by this bridge yet; "
                          "use GPT4RoI's own eval/dense_caption/infer.py (docs/gpt4roi-setup.md)")
    stop = cfg.str("stop", "###")
    if stop != "###":
        raise cfg.fail("stop", "\"###\" (the v0 template's stop string, the only one the smoke model learns)", stop)
    questions = read_questions(cfg.str("questions"), cfg.dir("images_root"))
    from .smoke.infer import infer_smoke

    with Heartbeat(emitter, cfg.float("heartbeat_seconds", 10.0)):
        answers = infer_smoke(cfg, questions, emitter)
    emitter.artifact(write_answers(output_dir, answers), "predictions")
    results_dir = cfg.str("results_dir", None)
    if results_dir:
        path = write_vg_results(results_dir, cfg.str("checkpoint"), answers)
        rel = os.path.relpath(path, output_dir)
        if rel.startswith(os.pardir + os.sep):  # artifact paths must stay inside the output dir
            emitter.log(f"wrote {path}", results=path)
        else:
            emitter.artifact(rel, "predictions")
