"""GPT4RoI-sized region module: one forward+backward step (narrow channels on CPU), and the full-size count."""

from __future__ import annotations

import json
import subprocess
import sys

from pixcap_bridge.gpt4roi.roi_module import RoiModuleSize, parameter_count, roi_module_step


def _expected_params(c=1024, roi=14, hidden=1024, pos=256, out=4096, levels=4, fuse=5):
    input_convs = levels * ((c + 2) * c + c)
    fuse_convs = fuse * (9 * c * c + 2 * c)  # conv without bias + GroupNorm affine
    level_convs = levels * (9 * c * c + c)
    flatten = c * roi * roi * hidden + hidden
    pos_mlp = (4 * pos + pos) + 2 * pos + (pos * hidden + hidden) + 2 * hidden
    up = hidden * out + out
    return input_convs + fuse_convs + level_convs + flatten + pos_mlp + up


def test_full_size_parameter_count():
    # ~299M parameters, 205M of them in the 1024*14*14 -> 1024 flatten linear (gpt4roi.md §2)
    assert parameter_count(RoiModuleSize()) == _expected_params() == 299_142_912


def test_one_step_on_cpu_with_gpt4roi_geometry():
    size = RoiModuleSize(width=16, hidden=32, out=64, gn_groups=64)
    r = roi_module_step(size, images=2, boxes_per_image=15, device="cpu", threads=1)
    assert r["output_shape"] == [30, 64] and r["grads_finite"] is True
    assert r["parameters"] == _expected_params(c=16, hidden=32, out=64)
    assert r["seconds"] > 0 and r["peak_memory_bytes"] > 0


def test_script_prints_a_json_report():
    p = subprocess.run([sys.executable, "scripts/roi_module_step.py", "--width", "8", "--hidden", "16", "--out", "32",
                        "--boxes", "3", "--device", "cpu", "--threads", "1"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["output_shape"] == [6, 32] and r["size"]["roi"] == 14 and r["size"]["grid"] == 16
