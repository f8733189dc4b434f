"""One forward+backward step of a GPT4RoI-sized region module on random weights; prints a JSON report.

    PYTHONPATH=python-bridge python python-bridge/scripts/roi_module_step.py --device cuda --dtype bfloat16
    PYTHONPATH=python-bridge python python-bridge/scripts/roi_module_step.py --width 16 --hidden 32 --out 64 --threads 1  # CPU/CI

Defaults are GPT4RoI's sizes (gpt4roi.md §2): 4 maps 16x16x1024, RoIAlign 14x14, 1024 -> 4096, 2 images x 15 boxes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from pixcap_bridge.gpt4roi.roi_module import RoiModuleSize, roi_module_step  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = RoiModuleSize()
    p.add_argument("--width", type=int, default=d.width, help="channels of the CLIP maps and the fusion (1024)")
    p.add_argument("--hidden", type=int, default=d.hidden, help="region feature width before up-projection (1024)")
    p.add_argument("--out", type=int, default=d.out, help="LLM hidden size (4096)")
    p.add_argument("--images", type=int, default=2)
    p.add_argument("--boxes", type=int, default=15, help="boxes per image (GPT4RoI caps VG/DENSECOCO at 15)")
    p.add_argument("--device", default="cuda" if _cuda() else "cpu")
    p.add_argument("--dtype", default="float32", choices=("float32", "bfloat16", "float16"))
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    a = p.parse_args()
    size = RoiModuleSize(width=a.width, hidden=a.hidden, out=a.out)
    print(json.dumps(roi_module_step(size, a.images, a.boxes, a.device, a.dtype, threads=a.threads), indent=2))


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


if __name__ == "__main__":
    main()
