"""`infer`: answers region questions with a checkpoint; writes answers.jsonl and, with `results_dir`, GPT4RoI's
VG result shard (pixcap_bridge.questions)."""

from __future__ import annotations

import os

from .config import Config
from .protocol import Emitter, Heartbeat
from .questions import read_questions, write_answers, write_vg_results


def infer_command(config_path: str, output_dir: str, emitter: Emitter) -> None:
    cfg = Config.load(config_path)
    backend = cfg.choice("backend", ("smoke", "gpt4roi"))
    stop = cfg.str("stop", "###")
    if stop != "###":
        raise cfg.fail("stop", "\"###\" (the v0 template's stop string)", stop)
    questions = read_questions(cfg.str("questions"), cfg.dir("images_root"))
    if backend == "smoke":
        from .smoke.infer import infer_smoke as run
    else:
        from .gpt4roi.infer import infer_gpt4roi as run
    with Heartbeat(emitter, cfg.float("heartbeat_seconds", 10.0)):
        answers = run(cfg, questions, emitter)
    # Every answer says how it was produced (vipbench.md §7: record the decoding settings with every result).
    metadata = {"backend": backend, "temperature": cfg.float("temperature", 0.0, positive=False),
                "max_new_tokens": cfg.int("max_new_tokens", 1024 if backend == "gpt4roi" else 32, minimum=1),
                "seed": cfg.int("seed", 0), "stop": stop}
    emitter.artifact(write_answers(output_dir, answers, cfg.str("checkpoint"), metadata), "predictions")
    results_dir = cfg.str("results_dir", None)
    if results_dir:
        path = write_vg_results(results_dir, cfg.str("checkpoint"), answers)
        rel = os.path.relpath(path, output_dir)
        if rel.startswith(os.pardir + os.sep):  # artifact paths must stay inside the output dir
            emitter.log(f"wrote {path}", results=path)
        else:
            emitter.artifact(rel, "predictions")
