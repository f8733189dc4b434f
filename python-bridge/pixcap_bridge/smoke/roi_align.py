"""RoIAlign in plain torch (torchvision/mmcv are not available): bilinear sampling through `grid_sample`.

Semantics follow mmcv/torchvision `RoIAlign(aligned=True)`, which GPT4RoI's region extractor uses
(gpt4roi.md §2: output 14x14, sampling_ratio 2, strides [14/8, 14/4, 14/2, 14]):
- a box in input-image pixels is scaled by `spatial_scale` and shifted by -0.5 so pixel centres sit at integers;
- each of the `out x out` bins averages `ratio x ratio` bilinear samples at the sub-bin centres;
- a sample with y < -1 or y > H (same for x) contributes 0; otherwise its coordinate is clamped to [0, H-1].
`grid_sample(align_corners=False)` samples pixel index p at normalised g = (2p + 1) / W - 1, which we use after
clamping, so the interpolation is exact and differentiable with respect to the features.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def roi_align(
    feats: torch.Tensor,
    boxes: list[torch.Tensor],
    output_size: int,
    spatial_scale: float,
    sampling_ratio: int = 2,
) -> torch.Tensor:
    """Pools `out x out` features per box: feats (N, C, H, W), boxes[i] (K_i, 4) xyxy in input pixels of image i.

    Returns (sum K_i, C, out, out), boxes in the order given (image 0's boxes first).
    """
    n, c, h, w = feats.shape
    if len(boxes) != n:
        raise ValueError(f"roi_align: {len(boxes)} box lists for {n} feature maps")
    r, s = sampling_ratio, output_size
    # Sub-bin sample offsets in units of one bin: (i + (j + 0.5) / r) for bin i, sample j.
    cdt = torch.float64 if feats.dtype == torch.float64 else torch.float32  # sample coordinates in at least fp32
    steps = (torch.arange(s * r, device=feats.device, dtype=cdt) + 0.5) / r
    outs = []
    for i, b in enumerate(boxes):
        if b.numel() == 0:
            continue
        b = b.to(cdt) * spatial_scale - 0.5
        x1, y1, x2, y2 = b.unbind(-1)
        bw = (x2 - x1) / s
        bh = (y2 - y1) / s
        xs = x1[:, None] + steps[None, :] * bw[:, None]  # (K, s*r) sample x in feature pixels
        ys = y1[:, None] + steps[None, :] * bh[:, None]
        x_valid = (xs >= -1.0) & (xs <= w)
        y_valid = (ys >= -1.0) & (ys <= h)
        gx = (2 * xs.clamp(0, w - 1) + 1) / w - 1
        gy = (2 * ys.clamp(0, h - 1) + 1) / h - 1
        k = b.shape[0]
        grid = torch.stack(torch.broadcast_tensors(gx[:, None, :], gy[:, :, None]), dim=-1)  # (K, s*r, s*r, 2)
        grid = grid.reshape(1, k * s * r, s * r, 2).to(feats.dtype)
        sampled = F.grid_sample(feats[i : i + 1], grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        sampled = sampled.reshape(c, k, s * r, s * r).permute(1, 0, 2, 3)  # (K, C, y, x)
        valid = (y_valid[:, :, None] & x_valid[:, None, :]).to(sampled.dtype)
        sampled = sampled * valid[:, None]
        outs.append(sampled.reshape(k, c, s, r, s, r).mean(dim=(3, 5)))
    if not outs:
        return feats.new_zeros((0, c, s, s))
    return torch.cat(outs, dim=0)
