"""Image loading as GPT4RoI feeds it: stretched to a square (no letterbox, no crop) and CLIP-normalised.

gpt4roi.md §3: mmdet `Resize img_scale=(224,224), keep_ratio=False`, i.e. a stretch, so a normalised box
`x/W, y/H` on the original image is the same box on the 224x224 tensor. CLIP mean/std are those of
openai/clip-vit-large-patch14's image processor.
"""

from __future__ import annotations

import os

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
GPT4ROI_IMAGE_SIZE = 224


def load_image(path: str, size: int = GPT4ROI_IMAGE_SIZE):
    """Returns (tensor (3, size, size) float32 CLIP-normalised, (width, height) of the original)."""
    import numpy as np
    import torch
    from PIL import Image

    if not os.path.isfile(path):
        raise FileNotFoundError(f"image {path!r} not found")
    with Image.open(path) as im:
        im = im.convert("RGB")
        original = im.size
        # Bicubic like CLIPImageProcessor's resample; the stretch itself is what GPT4RoI's pipeline does.
        im = im.resize((size, size), Image.BICUBIC)
        arr = np.asarray(im, dtype=np.float32) / 255.0
    t = torch.from_numpy(arr).permute(2, 0, 1).contiguous()
    mean = torch.tensor(CLIP_MEAN).view(3, 1, 1)
    std = torch.tensor(CLIP_STD).view(3, 1, 1)
    return (t - mean) / std, original
