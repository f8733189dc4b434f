"""Stage-2 initialisation from a stage-1 work directory, without GPT4RoI's silent resume.

gpt4roi.md §7 / runs.md §5: `train_stage2.sh WORKDIR STAGE1WORKDIR` creates `WORKDIR/checkpoint-0/` with symlinks
to the stage-1 files except scheduler.pt, training_args.bin, optimizer.pt and trainer_state.json, and `train()`
resumes from `checkpoint-*`, so the stage-1 weights load with a fresh optimizer. Upstream treats a non-empty
WORKDIR as "resume"; here that needs an explicit `resume=True`, otherwise it is an error.

Differences from the script, on purpose: links are absolute (the script links relative paths after `cd`, which
breaks for a relative STAGE1WORKDIR), and only top-level files are linked (the script's recursive `find` flattens
stage-1 `checkpoint-N/` files into the same directory, where name clashes silently keep whichever came first). If
the stage-1 directory has no top-level weights, its newest `checkpoint-N/` is used instead.
"""

from __future__ import annotations

import os
import re

from ..protocol import BridgeError

EXCLUDED = ("scheduler.pt", "training_args.bin", "optimizer.pt", "trainer_state.json")
CHECKPOINT_DIR = re.compile(r"^checkpoint-(\d+)$")


def _has_weights(d: str) -> bool:
    return any(n.startswith("pytorch_model") or n.endswith(".safetensors") or n == "model.pt" for n in os.listdir(d))


def latest_checkpoint(d: str) -> str | None:
    """The `checkpoint-N` subdirectory of `d` with the largest N, or None."""
    best = max(((int(m.group(1)), n) for n in os.listdir(d) if (m := CHECKPOINT_DIR.match(n)) and os.path.isdir(os.path.join(d, n))),
               default=None)
    return os.path.join(d, best[1]) if best else None


def prepare_stage2(workdir: str, stage1_dir: str, resume: bool = False) -> dict:
    """Creates `workdir/checkpoint-0` linking the stage-1 files; returns {"action", "source", "linked"}.

    A workdir that already holds anything is refused unless `resume` (then nothing is touched and
    {"action": "resume", "checkpoint": latest} is returned).
    """
    if os.path.isdir(workdir) and os.listdir(workdir):
        if not resume:
            raise BridgeError(
                f"{workdir}: work directory is not empty ({', '.join(sorted(os.listdir(workdir))[:5])}); GPT4RoI would "
                "silently resume from it. Set resume: true to resume, or choose an empty output directory.")
        ckpt = latest_checkpoint(workdir)
        if ckpt is None:
            raise BridgeError(f"{workdir}: resume requested but there is no checkpoint-N directory to resume from")
        return {"action": "resume", "checkpoint": ckpt, "linked": []}
    if not os.path.isdir(stage1_dir):
        raise BridgeError(f"{stage1_dir}: stage-1 work directory does not exist (GPT4RoI releases no stage-1 "
                          "checkpoint; train stage 1 first, see docs/gpt4roi-setup.md)")
    source = os.path.abspath(stage1_dir)
    if not _has_weights(source):
        ckpt = latest_checkpoint(source)
        if ckpt is None or not _has_weights(ckpt):
            raise BridgeError(f"{stage1_dir}: no model weights (pytorch_model*.bin or *.safetensors) at the top level "
                              "or in a checkpoint-N directory")
        source = ckpt
    target = os.path.join(workdir, "checkpoint-0")
    os.makedirs(target)
    linked = []
    for name in sorted(os.listdir(source)):
        path = os.path.join(source, name)
        if name in EXCLUDED or not os.path.isfile(path):
            continue
        os.symlink(os.path.realpath(path), os.path.join(target, name))
        linked.append(name)
    return {"action": "init", "source": source, "checkpoint": target, "linked": linked}
