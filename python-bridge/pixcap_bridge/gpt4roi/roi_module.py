"""A GPT4RoI-sized region feature module in plain torch, to measure one forward+backward step on random weights.

Structure and sizes follow gpt4roi.md §2 (`MLVLROIQueryModule` / `MlvlRoIExtractor` in gpt4roi/models/layers.py):
- 4 CLIP-L layer maps (16x16x1024; layers -11, -8, -5, -2) are upsampled bilinearly to 128/64/32/16;
- each level gets 2 coordinate channels and a 1x1 conv back to 1024 channels;
- 5 fuse rounds: each level keeps half its channels, takes a quarter from the next coarser and a quarter from the
  next finer level (resized), then 3x3 conv + GroupNorm(64) + ReLU;
- RoIAlign 14x14 (sampling ratio 2) per level, boxes scaled to the 224 grid, strides [14/8, 14/4, 14/2, 14];
- a 3x3 conv per level, summed over levels, ReLU, flattened (1024*14*14) and a linear to 1024;
- plus a position MLP 4->256->1024 (ReLU, LayerNorm) on the normalised xyxy box, then a linear 1024->4096.
This is pixcap's own implementation of that description, used to size GPU memory and time before a real run; the
`width` argument shrinks the channel count so the same geometry runs on a CPU in CI.
"""

from __future__ import annotations

import math
import resource
import time
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..smoke.roi_align import roi_align

IMAGE = 224
STRIDES = (14 / 8, 14 / 4, 14 / 2, 14)  # level 0 is the finest (128x128)


@dataclass
class RoiModuleSize:
    """Sizes; the defaults are GPT4RoI's (CLIP ViT-L/14 at 224 px and a 4096-d LLaMA-7B)."""

    width: int = 1024  # CLIP-L hidden size, kept through fusion
    grid: int = 16  # 224 / 14
    levels: int = 4
    roi: int = 14
    hidden: int = 1024
    pos_hidden: int = 256
    out: int = 4096
    fuse_rounds: int = 5
    gn_groups: int = 64


def _conv_gn_relu(c: int, groups: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c, c, 3, padding=1, bias=False), nn.GroupNorm(math.gcd(groups, c), c), nn.ReLU())


class MultiLevelRoiModule(nn.Module):
    """Multi-level fusion + RoIAlign + projection to the LLM width; returns (sum K, out) region embeddings."""

    def __init__(self, size: RoiModuleSize = RoiModuleSize()):
        super().__init__()
        self.size = size
        c, lv = size.width, size.levels
        if len(STRIDES) != lv:
            raise ValueError(f"GPT4RoI's strides cover {len(STRIDES)} levels, got levels={lv}")
        self.input_convs = nn.ModuleList(nn.Conv2d(c + 2, c, 1) for _ in range(lv))
        self.fuse = nn.ModuleList(_conv_gn_relu(c, size.gn_groups) for _ in range(size.fuse_rounds))
        self.level_convs = nn.ModuleList(nn.Conv2d(c, c, 3, padding=1) for _ in range(lv))
        self.flatten_linear = nn.Linear(c * size.roi * size.roi, size.hidden)
        self.pos_mlp = nn.Sequential(nn.Linear(4, size.pos_hidden), nn.ReLU(), nn.LayerNorm(size.pos_hidden),
                                     nn.Linear(size.pos_hidden, size.hidden), nn.ReLU(), nn.LayerNorm(size.hidden))
        self.up = nn.Linear(size.hidden, size.out)

    def _exchange(self, maps: list[torch.Tensor], conv: nn.Module) -> list[torch.Tensor]:
        c = self.size.width
        keep, quarter = c - 2 * (c // 4), c // 4
        out = []
        for lvl, x in enumerate(maps):
            coarser = maps[min(lvl + 1, len(maps) - 1)][:, keep + quarter :]
            finer = maps[max(lvl - 1, 0)][:, keep : keep + quarter]
            size = x.shape[-2:]
            parts = [x[:, :keep]] + [F.interpolate(p, size=size, mode="bilinear", align_corners=True) for p in (coarser, finer)]
            out.append(conv(torch.cat(parts, 1)))
        return out

    def forward(self, layer_maps: list[torch.Tensor], boxes: list[torch.Tensor]) -> torch.Tensor:
        """layer_maps: (B, width, grid, grid) for layers -11, -8, -5, -2 (level 0 -> 128x128); boxes normalised xyxy."""
        s = self.size
        maps = []
        for lvl, m in enumerate(layer_maps):
            side = s.grid * 2 ** (s.levels - 1 - lvl)  # 128, 64, 32, 16
            m = F.interpolate(m, size=(side, side), mode="bilinear", align_corners=True)
            ys, xs = torch.meshgrid(torch.linspace(-1, 1, side, device=m.device, dtype=m.dtype),
                                    torch.linspace(-1, 1, side, device=m.device, dtype=m.dtype), indexing="ij")
            coords = torch.stack([xs, ys])[None].expand(m.shape[0], -1, -1, -1)
            maps.append(self.input_convs[lvl](torch.cat([m, coords], 1)))
        for conv in self.fuse:
            maps = self._exchange(maps, conv)
        pixel_boxes = [b * IMAGE for b in boxes]
        pooled = sum(self.level_convs[lvl](roi_align(maps[lvl].float(), pixel_boxes, s.roi, 1.0 / STRIDES[lvl], 2).to(maps[lvl].dtype))
                     for lvl in range(s.levels))
        flat = self.flatten_linear(F.relu(pooled).flatten(1))
        return self.up(flat + self.pos_mlp(torch.cat(boxes, 0).to(flat.dtype)))


def parameter_count(size: RoiModuleSize) -> int:
    """Parameters of the module at `size`, counted on the meta device (no memory allocated)."""
    with torch.device("meta"):
        return sum(p.numel() for p in MultiLevelRoiModule(size).parameters())


def roi_module_step(size: RoiModuleSize = RoiModuleSize(), images: int = 2, boxes_per_image: int = 15,
                    device: str = "cpu", dtype: str = "float32", seed: int = 0, threads: int | None = None) -> dict:
    """One forward+backward step on random weights and inputs; returns time, peak memory and shapes.

    `threads` sets torch's CPU threads (on a busy shared host 1 thread can be >10x faster than 2: OpenMP spin-waits).
    """
    if threads is not None:
        torch.set_num_threads(threads)
    torch.manual_seed(seed)
    dt = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]
    module = MultiLevelRoiModule(size).to(device=device, dtype=dt)
    maps = [torch.randn(images, size.width, size.grid, size.grid, device=device, dtype=dt, requires_grad=True)
            for _ in range(size.levels)]
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(images, boxes_per_image, 2, generator=g) * 0.6
    wh = torch.rand(images, boxes_per_image, 2, generator=g) * 0.35 + 0.05
    boxes = [torch.cat([xy[i], xy[i] + wh[i]], -1).to(device=device, dtype=dt) for i in range(images)]
    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    out = module(maps, boxes)
    out.float().square().mean().backward()
    if device.startswith("cuda"):
        torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    grads_ok = all(p.grad is not None and bool(torch.isfinite(p.grad).all()) for p in module.parameters())
    report = {
        "size": asdict(size), "images": images, "boxes_per_image": boxes_per_image, "device": device, "dtype": dtype,
        "output_shape": list(out.shape), "parameters": sum(p.numel() for p in module.parameters()),
        "parameters_at_gpt4roi_size": parameter_count(RoiModuleSize()), "seconds": round(seconds, 4), "cpu_threads": torch.get_num_threads(),
        "grads_finite": grads_ok,
    }
    if device.startswith("cuda"):
        report["peak_memory_bytes"] = int(torch.cuda.max_memory_allocated())
        report["peak_memory_kind"] = "torch.cuda.max_memory_allocated"
    else:
        report["peak_memory_bytes"] = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024
        report["peak_memory_kind"] = "process max RSS (ru_maxrss)"
    return report
