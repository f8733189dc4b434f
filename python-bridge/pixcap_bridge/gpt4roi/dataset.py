"""A torch Dataset that feeds GPT4RoI's trainer from a pixcap corpus, with the tensors GPT4RoI's own loaders give.

Per item (gpt4roi.md §3-4, and the VG/DENSECOCO loaders' `train_process_test`):
- `image`: (3, 224, 224) float32, the original stretched to 224x224 (no letterbox, no crop), CLIP mean/std;
- `bboxes`: (K, 4) float32 normalised xyxy in `<bbox>` order (the k-th `<bbox>` gets row k);
- `conversations`: LLaVA source format `[{'from': 'human'|'gpt', 'value'}]`; the first human turn starts with the
  begin string, regions appear as `region{k} <bbox>`. The corpus already fixed shuffle, templates and the
  15-region cap with a seed (gpt4roi.md §10), so items are deterministic;
- `img_metas`: filename, original and resized shapes, as GPT4RoI's collator passes them through;
- with `tokenizer` + GPT4RoI's `preprocess_multimodal`/`preprocess` (from the user's checkout,
  `gpt4roi.train.train`): `input_ids` and `labels` (1-D), rendered and masked by GPT4RoI's own code; boxes whose
  `<bbox>` token fell past `model_max_length` are dropped with it (gpt4roi.md §2).
"""

from __future__ import annotations

import copy
import os
from typing import Any, Callable

import torch
from torch.utils.data import Dataset

from ..corpus import Sample, read_corpus
from ..imaging import GPT4ROI_IMAGE_SIZE, load_image
from ..protocol import BridgeError

PATCH = 14  # CLIP ViT-L/14: 224 / 14 = 16, 16^2 = 256 image tokens (gpt4roi.md §2)
MIN_BOX_PX = 2  # FilterAnnotationsFlickr(min_gt_bbox_wh=(2, 2)) on the 224 grid (gpt4roi.md §3)


def image_token_len(size: int = GPT4ROI_IMAGE_SIZE) -> int:
    return (size // PATCH) * (size // PATCH)


def tiny_boxes(boxes: list[list[float]], size: int = GPT4ROI_IMAGE_SIZE) -> list[int]:
    """Indices of boxes GPT4RoI's pipeline would drop: width or height <= 2 px on the 224 grid."""
    return [k for k, (x1, y1, x2, y2) in enumerate(boxes) if (x2 - x1) * size <= MIN_BOX_PX or (y2 - y1) * size <= MIN_BOX_PX]


class PixcapGpt4RoiDataset(Dataset):
    """Items shaped like GPT4RoI's VGDATA/DENSECOCO items, read from `<corpus>/{data,jsonl}/<split>*`."""

    def __init__(
        self,
        corpus: str,
        split: str,
        images_root: str,
        tokenizer: Any = None,
        multimodal_cfg: dict | None = None,
        preprocess_multimodal: Callable | None = None,
        preprocess: Callable | None = None,
        image_size: int = GPT4ROI_IMAGE_SIZE,
        samples: list[Sample] | None = None,
    ):
        self.samples = samples if samples is not None else read_corpus(corpus, split, images_root)
        self.images_root = images_root
        self.image_size = image_size
        self.tokenizer = tokenizer
        self.multimodal_cfg = multimodal_cfg
        self._preprocess_multimodal = preprocess_multimodal
        self._preprocess = preprocess
        if tokenizer is not None and (preprocess is None or preprocess_multimodal is None or multimodal_cfg is None):
            raise ValueError("tokenizer given without GPT4RoI's preprocess, preprocess_multimodal and multimodal_cfg")
        # A <bbox> for a box GPT4RoI would have filtered still works, but flags a converter that skipped the filter.
        self.tiny_box_count = sum(len(tiny_boxes(s.boxes, image_size)) for s in self.samples)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> dict[str, Any]:
        s = self.samples[i]
        path = os.path.join(self.images_root, s.image)
        try:
            image, (w, h) = load_image(path, self.image_size)
        except (FileNotFoundError, OSError) as e:
            raise BridgeError(f"sample {s.id}: image: {e}") from None
        if (w, h) != (s.width, s.height):
            raise BridgeError(f"sample {s.id}: image {path} is {w}x{h} but the corpus says {s.width}x{s.height}; "
                              "boxes are normalised to the corpus size, so this is the wrong image")
        bboxes = torch.tensor(s.boxes, dtype=torch.float32).reshape(-1, 4)
        item: dict[str, Any] = {
            "id": s.id,
            "image": image,
            "bboxes": bboxes,
            "conversations": copy.deepcopy(s.conversations),
            "img_metas": {"filename": path, "ori_shape": (h, w, 3), "img_shape": (self.image_size, self.image_size, 3)},
        }
        if self.tokenizer is not None:
            sources = self._preprocess_multimodal(copy.deepcopy([s.conversations]), self.multimodal_cfg,
                                                  image_token_len(self.image_size))
            data = self._preprocess(sources, self.tokenizer)
            input_ids, labels = data["input_ids"][0], data["labels"][0]
            bbox_id = self.tokenizer.convert_tokens_to_ids("<bbox>")
            kept = int((torch.as_tensor(input_ids) == bbox_id).sum())
            if kept > len(bboxes):
                raise BridgeError(f"sample {s.id}: {kept} <bbox> tokens after tokenization but {len(bboxes)} boxes")
            item.update(input_ids=input_ids, labels=labels, bboxes=bboxes[:kept])
        return item


def from_stage_entry(entry: dict, tokenizer: Any, multimodal_cfg: dict) -> PixcapGpt4RoiDataset:
    """Builds the dataset for a `{'type': 'PIXCAP', 'corpus', 'split', 'images_root'}` stage-config entry,
    with GPT4RoI's own text preprocessing imported from the checkout on sys.path."""
    from gpt4roi.train.train import preprocess, preprocess_multimodal  # the user's checkout

    return PixcapGpt4RoiDataset(entry["corpus"], entry.get("split", "train"), entry["images_root"], tokenizer=tokenizer,
                                multimodal_cfg=multimodal_cfg, preprocess_multimodal=preprocess_multimodal,
                                preprocess=preprocess)
