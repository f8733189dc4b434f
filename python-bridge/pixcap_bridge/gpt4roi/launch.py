"""GPT4RoI stage-2 training: plan (argv, env, cwd, stage config) as data, then run it under torchrun.

The hyper-parameters are those of GPT4RoI's `train_stage2.sh` (gpt4roi.md §7): 8 processes with FSDP
`full_shard auto_wrap` on LlamaDecoderLayer, per-device batch 2, 2 epochs, lr 2e-5 cosine, warm-up ratio 0.003 and
3000 steps (steps win), wd 0, bf16 + tf32, gradient checkpointing, max length 2048, save every 3000 steps keeping 1,
logging every step, `--report_to none`, seed 0. The recipe may override any flag through `gpt4roi_args`.
Flash attention is GPT4RoI's `NORM_ATTN=1` switch (train_mem.py); stage 2 trains the whole model (no ONLY_SPI).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from ..config import Config
from ..env_cmd import gpt4roi_home
from ..protocol import BridgeError, Emitter
from .stage2_init import CHECKPOINT_DIR, prepare_stage2
from .stage_config import PIXCAP_TYPE, check_entry, upstream_stage2, write_stage_config
from .trainer_log import TrainerLogParser

BRIDGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRAIN_SCRIPT = os.path.join("gpt4roi", "train", "train_mem.py")
STAGE2_ARGS: dict[str, Any] = {
    "vision_tower": "openai/clip-vit-large-patch14",
    "mm_vision_select_layer": -2,
    "mm_use_im_start_end": True,
    "bf16": True,
    "num_train_epochs": 2,
    "per_device_train_batch_size": 2,
    "per_device_eval_batch_size": 4,
    "gradient_accumulation_steps": 1,
    "evaluation_strategy": "no",
    "save_strategy": "steps",
    "save_steps": 3000,
    "save_total_limit": 1,
    "learning_rate": 2e-5,
    "weight_decay": 0.0,
    "warmup_ratio": 0.003,
    "warmup_steps": 3000,
    "fsdp": "full_shard auto_wrap",
    "fsdp_transformer_layer_cls_to_wrap": "LlamaDecoderLayer",
    "lr_scheduler_type": "cosine",
    "logging_steps": 1,
    "tf32": True,
    "model_max_length": 2048,
    "gradient_checkpointing": True,
    "lazy_preprocess": True,
    "report_to": "none",
    "seed": 0,
}


class TrainFailed(BridgeError):
    """GPT4RoI's training exited non-zero; `event_fields["failure"]` carries the structured failure."""

    def __init__(self, message: str, failure: dict[str, Any], exit_code: int):
        super().__init__(message)
        self.event_fields = {"failure": failure}
        self.exit_code = exit_code if exit_code > 0 else 1


def _flag_value(v: Any) -> str:
    if isinstance(v, bool):
        return "True" if v else "False"  # HfArgumentParser's string_to_bool spelling, as in the shell scripts
    return str(v)


def stage_entries(cfg: Config) -> list[dict[str, Any]]:
    """The corpus entry (PIXCAP loader by default, or a DENSECOCO/VGDATA export), extra and upstream datasets."""
    entry = cfg.get("corpus_entry", None)
    if entry is None:
        entry = {"type": PIXCAP_TYPE, "corpus": cfg.dir("corpus"), "split": cfg.str("split", "train"),
                 "images_root": cfg.dir("images_root")}
        if "corpus_ratio" in cfg.data:
            entry["ratio"] = cfg.get("corpus_ratio")
    entries = [check_entry(entry, f"{cfg.file}: corpus_entry")]
    extra = cfg.get("datasets", [])
    if not isinstance(extra, list):
        raise cfg.fail("datasets", "a list of stage-config entries", extra)
    entries += [check_entry(e, f"{cfg.file}: datasets[{i}]") for i, e in enumerate(extra)]
    root = cfg.str("upstream_data_root", None)
    if root:
        entries += [check_entry(e, f"{cfg.file}: upstream_data_root[{i}]") for i, e in enumerate(upstream_stage2(root))]
    return entries


def plan_gpt4roi(cfg: Config, output_dir: str) -> dict[str, Any]:
    """Everything the run needs, computed before anything runs: {argv, env, cwd, workdir, stage_config, entries}."""
    home = gpt4roi_home(cfg)
    if not home:
        raise BridgeError(f"{cfg.file}: gpt4roi_home: missing (or set GPT4ROI_HOME) - the GPT4RoI checkout to train with")
    home = os.path.abspath(home)
    workdir = os.path.abspath(cfg.str("workdir", os.path.join(output_dir, "workdir")))
    stage_config = os.path.join(os.path.abspath(output_dir), "stage2_config.py")
    entries = stage_entries(cfg)
    uses_pixcap_loader = any(e["type"] == PIXCAP_TYPE for e in entries)

    args = dict(STAGE2_ARGS)
    args["model_name_or_path"] = cfg.str("model_name_or_path")
    if cfg.get("pretrain_mm_mlp_adapter", None):
        args["pretrain_mm_mlp_adapter"] = cfg.str("pretrain_mm_mlp_adapter")
    for key, flag in (("lr", "learning_rate"), ("batch_size", "per_device_train_batch_size"), ("seed", "seed")):
        if key in cfg.data:
            args[flag] = cfg.float(key) if key == "lr" else cfg.int(key, minimum=0 if key == "seed" else 1)
    if cfg.get("steps", 0):
        args["max_steps"] = cfg.int("steps", minimum=1)
    overrides = cfg.get("gpt4roi_args", {})
    if not isinstance(overrides, dict):
        raise cfg.fail("gpt4roi_args", "an object of flag -> value", overrides)
    args.update(overrides)
    args["dataset_config"] = stage_config
    args["output_dir"] = workdir

    if cfg.int("nnodes", 1, minimum=1) != 1:
        raise cfg.fail("nnodes", "1 (the bridge launches single-node torchrun, like train_stage2.sh)", cfg.get("nnodes"))
    # The runs side also passes `launcher_argv` (its torchrun prefix); the bridge builds its own with the GPT4RoI
    # environment's interpreter (`python`), taking nproc_per_node and master_port from the config.
    nproc = cfg.int("nproc_per_node", 8, minimum=1)
    port = cfg.int("master_port", 25001, minimum=1)
    entry = ["-m", "pixcap_bridge.gpt4roi.entry"] if uses_pixcap_loader else [os.path.join(home, TRAIN_SCRIPT)]
    argv = [cfg.str("python", sys.executable), "-m", "torch.distributed.run", "--nnodes=1",
            f"--nproc_per_node={nproc}", f"--master_port={port}", *entry]
    for flag, value in args.items():
        if value is None:
            continue
        argv += [f"--{flag}", _flag_value(value)]

    env = {"PYTHONPATH": os.pathsep.join([home, BRIDGE_ROOT] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])),
           "GPT4ROI_HOME": home, "PYTHONUNBUFFERED": "1"}
    if cfg.bool("flash_attn", False):
        env["NORM_ATTN"] = "1"
    return {"argv": argv, "env": env, "cwd": home, "workdir": workdir, "stage_config": stage_config,
            "entries": entries, "stage1_dir": cfg.str("stage1_dir", None), "resume": cfg.bool("resume", False),
            "logging_steps": int(args.get("logging_steps", 1))}


def train_gpt4roi(cfg: Config, output_dir: str, emitter: Emitter) -> None:
    """Prepares stage 2, writes the stage config, runs GPT4RoI and streams its log as events."""
    plan = plan_gpt4roi(cfg, output_dir)
    if not os.path.isfile(os.path.join(plan["cwd"], TRAIN_SCRIPT)):
        raise BridgeError(f"{plan['cwd']}: not a GPT4RoI checkout ({TRAIN_SCRIPT} is missing)")
    if plan["stage1_dir"] is None and not plan["resume"]:
        raise BridgeError(f"{cfg.file}: stage1_dir: missing; stage 2 starts from stage-1 weights (none are released, "
                          "see docs/gpt4roi-setup.md) or set resume: true")
    init = prepare_stage2(plan["workdir"], plan["stage1_dir"] or "", resume=plan["resume"])
    emitter.log(f"gpt4roi: {init['action']} from {init.get('source') or init.get('checkpoint')}", init=init)
    write_stage_config(plan["stage_config"], plan["entries"], header=f"corpus: {cfg.get('corpus', '')}")
    emitter.artifact(os.path.relpath(plan["stage_config"], output_dir), "config")
    emitter.log("gpt4roi: launching " + " ".join(plan["argv"]), argv=plan["argv"], cwd=plan["cwd"],
                env={k: v for k, v in plan["env"].items()})
    exit_code, parser = _run_streaming(plan, output_dir, emitter)
    for name in _checkpoints(plan["workdir"]):
        emitter.artifact(os.path.relpath(os.path.join(plan["workdir"], name), output_dir), "checkpoint")
    if exit_code != 0:
        failure = parser.failure(exit_code)
        root = failure.get("torchrun", {}).get("root_cause")
        detail = f" (rank {root['rank']}, exit code {root['exitcode']}{', ' + root['signal'] if root['signal'] else ''})" if root else ""
        raise TrainFailed(f"GPT4RoI training failed with exit code {exit_code}{detail}", failure, exit_code)


def _checkpoints(workdir: str) -> list[str]:
    if not os.path.isdir(workdir):
        return []
    names = [n for n in os.listdir(workdir) if CHECKPOINT_DIR.match(n) and n != "checkpoint-0"]
    return sorted(names, key=lambda n: int(n.split("-")[1]))


def _run_streaming(plan: dict[str, Any], output_dir: str, emitter: Emitter) -> tuple[int, TrainerLogParser]:
    """Runs the argv (no shell) in its own process group; every line goes to stderr and train.log, and is parsed."""
    parser = TrainerLogParser(logging_steps=plan["logging_steps"])
    env = {**os.environ, **plan["env"]}
    seen: set[str] = set()
    last_scan = 0.0
    with open(os.path.join(output_dir, "train.log"), "a", encoding="utf-8") as log:
        proc = subprocess.Popen(plan["argv"], cwd=plan["cwd"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1, start_new_session=True,
                                errors="replace")
        try:
            assert proc.stdout is not None
            for line in proc.stdout:  # text mode: '\r' from tqdm also ends a line
                sys.stderr.write(line)
                log.write(line)
                for type_, fields in parser.feed(line):
                    emitter.emit(type_, **fields)
                if time.monotonic() - last_scan > 5:  # record checkpoints before save_total_limit rotates them
                    last_scan = time.monotonic()
                    for name in _checkpoints(plan["workdir"]):
                        if name not in seen:
                            seen.add(name)
                            emitter.log(f"gpt4roi: saved {name}", checkpoint=name)
            return proc.wait(), parser
        finally:
            if proc.poll() is None:
                _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the whole process group (torchrun and its workers), SIGKILL after 15 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass
