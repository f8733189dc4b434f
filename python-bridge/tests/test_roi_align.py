"""RoIAlign (grid_sample based) against a direct transcription of the aligned RoIAlign algorithm."""

from __future__ import annotations

import math

import torch

from pixcap_bridge.smoke.roi_align import roi_align


def _bilinear(f, y, x):
    """torchvision/mmcv bilinear_interpolate: 0 outside [-1, H] x [-1, W], edge-clamped inside."""
    c, h, w = f.shape
    if y < -1.0 or y > h or x < -1.0 or x > w:
        return torch.zeros(c, dtype=f.dtype)
    y, x = max(y, 0.0), max(x, 0.0)
    y0, x0 = int(y), int(x)
    if y0 >= h - 1:
        y0 = y1 = h - 1
        y = float(y0)
    else:
        y1 = y0 + 1
    if x0 >= w - 1:
        x0 = x1 = w - 1
        x = float(x0)
    else:
        x1 = x0 + 1
    ly, lx = y - y0, x - x0
    hy, hx = 1 - ly, 1 - lx
    return hy * hx * f[:, y0, x0] + hy * lx * f[:, y0, x1] + ly * hx * f[:, y1, x0] + ly * lx * f[:, y1, x1]


def _reference(feats, boxes, out, scale, ratio):
    res = []
    for i, bs in enumerate(boxes):
        for b in bs.tolist():
            x1, y1, x2, y2 = (v * scale - 0.5 for v in b)
            bw, bh = (x2 - x1) / out, (y2 - y1) / out
            o = torch.zeros(feats.shape[1], out, out, dtype=feats.dtype)
            for py in range(out):
                for px in range(out):
                    acc = 0
                    for iy in range(ratio):
                        for ix in range(ratio):
                            y = y1 + py * bh + (iy + 0.5) * bh / ratio
                            x = x1 + px * bw + (ix + 0.5) * bw / ratio
                            acc = acc + _bilinear(feats[i], y, x)
                    o[:, py, px] = acc / (ratio * ratio)
            res.append(o)
    return torch.stack(res)


def test_matches_reference_including_borders():
    g = torch.Generator().manual_seed(0)
    feats = torch.randn(2, 3, 9, 7, generator=g, dtype=torch.float64)
    boxes = [torch.tensor([[0.0, 0.0, 28.0, 36.0], [3.3, 5.1, 17.9, 20.2], [-6.0, -4.0, 10.0, 8.0]], dtype=torch.float64),
             torch.tensor([[20.0, 30.0, 31.0, 40.0]], dtype=torch.float64)]
    got = roi_align(feats, boxes, output_size=3, spatial_scale=0.25, sampling_ratio=2)
    want = _reference(feats, boxes, 3, 0.25, 2)
    assert got.shape == (4, 3, 3, 3)
    assert torch.allclose(got, want, atol=1e-10)


def test_linear_ramp_gives_bin_centres():
    # Bilinear sampling reproduces a linear function exactly, so each bin averages to its centre's x (inside the map).
    w = 32
    feats = torch.arange(w, dtype=torch.float64).repeat(1, 1, 16, 1)
    box = torch.tensor([[4.0, 2.0, 20.0, 10.0]], dtype=torch.float64)  # pixels, scale 1
    got = roi_align(feats, [box], output_size=4, spatial_scale=1.0, sampling_ratio=2)[0, 0]
    centres = [4 - 0.5 + (k + 0.5) * 4 for k in range(4)]
    assert torch.allclose(got, torch.tensor(centres, dtype=torch.float64).expand(4, 4))


def test_gradient_flows_to_features():
    feats = torch.randn(1, 2, 8, 8, requires_grad=True)
    out = roi_align(feats, [torch.tensor([[1.0, 1.0, 6.0, 5.0]])], 2, 1.0)
    out.sum().backward()
    assert feats.grad is not None and math.isfinite(float(feats.grad.abs().sum())) and float(feats.grad.abs().sum()) > 0
