"""torchrun entry: GPT4RoI's train_mem.py with pixcap's `PIXCAP` dataset type registered.

GPT4RoI's `build_spi_dataset` (gpt4roi/datasets/data_modules.py) dispatches on `type` with an if-chain and recurses
through its module-level name, so wrapping that name is enough for `PIXCAP` entries to reach
`PixcapGpt4RoiDataset` while every upstream type still goes to GPT4RoI's own loaders. Then train_mem.py runs
unchanged (its flash-attention switch NORM_ATTN included).
"""

from __future__ import annotations

import os
import runpy
import sys


def register_pixcap_type() -> None:
    from gpt4roi.datasets import data_modules

    from .dataset import from_stage_entry
    from .stage_config import PIXCAP_TYPE

    upstream = data_modules.build_spi_dataset

    def build_spi_dataset(dataset_config, tokenizer=None, multimodal_cfg=None, **kwargs):
        if isinstance(dataset_config, dict) and dataset_config.get("type") == PIXCAP_TYPE:
            entry = dict(dataset_config)
            ratio = entry.pop("ratio", 1)
            dataset = from_stage_entry(entry, tokenizer, multimodal_cfg)
            if ratio < 1:  # same subsampling rule as upstream (gpt4roi.md §1)
                import numpy as np
                import torch

                keep = np.random.choice(len(dataset), int(ratio * len(dataset)), replace=False)
                return torch.utils.data.Subset(dataset, keep)
            return dataset
        return upstream(dataset_config, tokenizer=tokenizer, multimodal_cfg=multimodal_cfg, **kwargs)

    data_modules.build_spi_dataset = build_spi_dataset


def main() -> None:
    home = os.environ.get("GPT4ROI_HOME")
    if not home:
        sys.exit("pixcap_bridge.gpt4roi.entry: GPT4ROI_HOME is not set")
    if home not in sys.path:
        sys.path.insert(0, home)
    register_pixcap_type()
    script = os.path.join(home, "gpt4roi", "train", "train_mem.py")
    sys.argv = [script, *sys.argv[1:]]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
