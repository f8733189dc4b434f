"""Trains the smoke model for real on a pixcap corpus (AdamW, warm-up + cosine), emitting protocol events.

Deterministic for a seed on the CPU (for a given thread count): the model is initialised after seeding and the batch
order comes from a seeded generator. On CUDA, grid_sample's backward accumulates with atomic adds, so losses may
differ in the last digits between runs.
"""

from __future__ import annotations

import json
import math
import os
import random
import shutil
import time

from ..config import Config, resolve_device
from ..corpus import read_corpus
from ..protocol import Emitter
from .data import collate, encode_sample, vocabulary_texts
from .model import SmokeConfig, SmokeRegionLM, lm_loss
from .tokenizer import BBOX, IM_PATCH, PAD, WordTokenizer


def lr_at(step: int, total: int, base: float) -> float:
    """Linear warm-up over the first 10% of steps (at least 1), then cosine decay to 10% of `base`."""
    warm = max(1, total // 10)
    if step < warm:
        return base * (step + 1) / warm
    progress = (step - warm) / max(1, total - warm)
    return base * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def save_checkpoint(model: SmokeRegionLM, tok: WordTokenizer, train_cfg: dict, step: int, output_dir: str) -> str:
    """Writes `checkpoint-<step>/{model.pt, tokenizer.json, config.json}` atomically; returns the relative path."""
    import torch

    name = f"checkpoint-{step}"
    final = os.path.join(output_dir, name)
    tmp = final + ".incomplete"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    torch.save(model.state_dict(), os.path.join(tmp, "model.pt"))
    with open(os.path.join(tmp, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(tok.to_json())
    with open(os.path.join(tmp, "config.json"), "w", encoding="utf-8") as f:
        json.dump({"backend": "smoke", "step": step, "model": model.cfg.to_dict(), "train": train_cfg}, f, indent=2)
    if os.path.exists(final):
        shutil.rmtree(final)
    os.replace(tmp, final)
    return name


def train_smoke(cfg: Config, output_dir: str, emitter: Emitter) -> dict:
    """Runs the training loop; returns a summary (first/last loss, steps, seconds)."""
    import torch

    corpus = cfg.dir("corpus")
    split = cfg.str("split", "train")
    images_root = cfg.dir("images_root")
    steps = cfg.int("steps", 40, minimum=1)
    batch_size = cfg.int("batch_size", 4, minimum=1)
    base_lr = cfg.float("lr", 3e-3)
    seed = cfg.int("seed", 0)
    log_every = cfg.int("log_every", 1, minimum=1)
    save_every = cfg.int("save_every", 0)
    device = resolve_device(cfg.choice("device", ("auto", "cpu", "cuda"), "auto"))
    limit = cfg.int("max_samples", minimum=1) if "max_samples" in cfg.data else None
    if device == "cpu":
        # The model is tiny: intra-op threads cost more than they give (measured ~10x slower per step with 2
        # threads than 1 on a busy 2-core host, OpenMP spin-waiting); `threads` overrides.
        torch.set_num_threads(cfg.int("threads", 1, minimum=1))

    random.seed(seed)
    torch.manual_seed(seed)
    samples = read_corpus(corpus, split, images_root, limit=limit)
    tok = WordTokenizer.build(vocabulary_texts(samples))
    mcfg = SmokeConfig(vocab_size=len(tok), pad_id=tok.id(PAD), patch_id=tok.id(IM_PATCH), bbox_id=tok.id(BBOX),
                       d_model=cfg.int("d_model", 128, minimum=8), n_layers=cfg.int("n_layers", 2, minimum=1),
                       max_len=cfg.int("max_len", 256, minimum=32), image_size=cfg.int("image_size", 64, minimum=16))
    encoded = [encode_sample(s, tok, images_root, mcfg.image_size, mcfg.patches, mcfg.max_len) for s in samples]
    emitter.log(f"smoke: {len(encoded)} samples from {split!r}, vocabulary {len(tok)}, device {device}",
                samples=len(encoded), vocab=len(tok), device=device)
    model = SmokeRegionLM(mcfg).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=base_lr, weight_decay=0.01)
    gen = torch.Generator().manual_seed(seed)
    order: list[int] = []
    train_cfg = {"corpus": corpus, "split": split, "steps": steps, "batch_size": batch_size, "lr": base_lr, "seed": seed}
    losses: list[float] = []
    started = time.monotonic()
    model.train()
    for step in range(1, steps + 1):
        batch = []
        for _ in range(min(batch_size, len(encoded))):
            if not order:
                order = torch.randperm(len(encoded), generator=gen).tolist()
            batch.append(encoded[order.pop()])
        ids, labels, images, boxes = collate(batch, mcfg.pad_id)
        lr = lr_at(step - 1, steps, base_lr)
        for group in opt.param_groups:
            group["lr"] = lr
        logits = model(ids.to(device), images.to(device), boxes)
        loss = lm_loss(logits, labels.to(device))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(float(loss.detach()))
        if step % log_every == 0 or step == steps:
            emitter.metric(step, "loss", losses[-1])
            emitter.metric(step, "learning_rate", lr)
        emitter.progress(step, steps)
        if save_every and step % save_every == 0 and step != steps:
            emitter.artifact(save_checkpoint(model, tok, train_cfg, step, output_dir), "checkpoint")
    emitter.artifact(save_checkpoint(model, tok, train_cfg, steps, output_dir), "checkpoint")
    seconds = time.monotonic() - started
    summary = {"first_loss": losses[0], "last_loss": losses[-1], "steps": steps, "train_seconds": round(seconds, 3)}
    emitter.log(f"smoke: loss {losses[0]:.3f} -> {losses[-1]:.3f} in {steps} steps ({seconds:.1f} s)", **summary)
    return summary
