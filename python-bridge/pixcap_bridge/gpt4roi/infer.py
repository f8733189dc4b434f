"""GPT4RoI inference on region questions, following the steps every reference script shares (gpt4roi.md §11).

1. Load the tokenizer and `SPILlavaMPTForCausalLM` (fp16) from the checkpoint. Add `<im_patch>`, `<im_start>`/`<im_end>`
   and `<bbox>`/`<point>`. Load the CLIP tower if it sits on `meta`. Set the vision config's token ids and
   `use_im_start_end`. Set `model.model.tokenizer`, since forward looks up the `<bbox>` id through it. Missing
   `mm_vision_tower` / `mm_hidden_size` / `use_mm_proj` are filled the way Pix2Cap's model_vqa.py fills them.
2. Image: CLIPImageProcessor without centre crop, then bilinear resize to 224x224 (the stretch).
3. Text: GPT4RoI's own `preprocess_multimodal` + `preprocess` on `[{'from': 'human', 'value': prompt}]`.
4. Boxes cannot go through generate() kwargs, so they are bound to forward with functools.partial.
5. Generate with the `###` stop criterion; decode only the new tokens; strip `###` and the `Assistant:` prefix.
Decoding is greedy at temperature 0 (reproducible evals), else sampled; upstream samples at 0.2.

Runs only where the user's checkout imports and a GPU is present. It is not exercised end to end by the tests
(no checkout, no GPU in CI); `clean_answer` is.
"""

from __future__ import annotations

import os
import sys
from functools import partial
from typing import Any

from ..config import Config
from ..env_cmd import gpt4roi_home, probe_gpt4roi
from ..protocol import BridgeError, Emitter
from ..questions import Question

STOP = "###"
IMAGE_SIZE = 224
# multimodal_cfg as GPT4RoI's demo passes it to preprocess_multimodal (256 = (224 / 14)^2 patch tokens).
MULTIMODAL_CFG = {"is_multimodal": True, "sep_image_conv_front": False, "image_token_len": 256,
                  "image_aspect_ratio": "square", "use_im_start_end": True}
DEFAULT_VISION_TOWER = "openai/clip-vit-large-patch14"


def clean_answer(text: str) -> str:
    """Cuts at the stop string and drops the `Assistant:` / `: ` prefix the v0 template leaves (gpt4roi.md §4)."""
    text = text.split(STOP, 1)[0].strip()
    for prefix in ("Assistant:", ": "):
        if text.startswith(prefix):
            text = text[len(prefix):].strip()
    return text


def load_model(checkpoint: str, device: str) -> tuple[Any, Any, Any]:
    """Returns (model, tokenizer, image processor) set up as in step 1."""
    import torch
    from transformers import AutoTokenizer, CLIPImageProcessor, CLIPVisionModel

    from gpt4roi.models.spi_llava import SPILlavaMPTForCausalLM  # the user's checkout

    tok = AutoTokenizer.from_pretrained(checkpoint)
    model = SPILlavaMPTForCausalLM.from_pretrained(checkpoint, low_cpu_mem_usage=True, torch_dtype=torch.float16,
                                                   use_cache=True).to(device)
    cfg = model.config
    if not getattr(cfg, "mm_vision_tower", None):
        cfg.mm_vision_tower = DEFAULT_VISION_TOWER
    if not getattr(cfg, "mm_hidden_size", None):
        cfg.mm_hidden_size = 1024
    if getattr(cfg, "use_mm_proj", None) is None:
        cfg.use_mm_proj = True
    processor = CLIPImageProcessor.from_pretrained(cfg.mm_vision_tower)
    tok.add_tokens(["<im_patch>"], special_tokens=True)
    tok.add_tokens(["<im_start>", "<im_end>"], special_tokens=True)
    tok.add_tokens(["<bbox>", "<point>"], special_tokens=True)
    tower = model.get_model().vision_tower[0]
    if tower.device.type == "meta":
        tower = CLIPVisionModel.from_pretrained(tower.config._name_or_path, torch_dtype=torch.float16, low_cpu_mem_usage=True)
        model.get_model().vision_tower[0] = tower
    tower.to(device=device, dtype=torch.float16)
    vc = tower.config
    vc.im_patch_token = tok.convert_tokens_to_ids(["<im_patch>"])[0]
    vc.use_im_start_end = getattr(cfg, "mm_use_im_start_end", False)
    vc.im_start_token, vc.im_end_token = tok.convert_tokens_to_ids(["<im_start>", "<im_end>"])
    model.model.tokenizer = tok
    return model.eval(), tok, processor


def answer(model: Any, tok: Any, processor: Any, image_path: str, q: Question, device: str, temperature: float,
           max_new_tokens: int) -> str:
    """Steps 2-5 for one question."""
    import torch
    import torch.nn.functional as F
    from PIL import Image

    from gpt4roi.train.train import preprocess, preprocess_multimodal
    from llava.model.utils import KeywordsStoppingCriteria

    with Image.open(image_path) as im:
        pixels = processor.preprocess(im.convert("RGB"), do_center_crop=False, return_tensors="pt")["pixel_values"][0]
    image = F.interpolate(pixels[None], size=(IMAGE_SIZE, IMAGE_SIZE), mode="bilinear", align_corners=False)[0]
    sources = preprocess_multimodal([[{"from": "human", "value": q.prompt}]], dict(MULTIMODAL_CFG), 256)
    input_ids = preprocess(sources, tok)["input_ids"][0][None].to(device)
    stopping = KeywordsStoppingCriteria([STOP], tok, input_ids)
    boxes = torch.tensor(q.boxes, dtype=torch.float32).reshape(-1, 4).half().to(device)
    original = model.forward
    model.forward = partial(original, img_metas=[None], bboxes=[boxes])
    try:
        with torch.inference_mode(), torch.autocast(device_type="cuda", enabled=device.startswith("cuda")):
            sample = temperature > 0
            out = model.generate(input_ids, images=image[None].half().to(device), do_sample=sample,
                                 temperature=temperature if sample else None, max_new_tokens=max_new_tokens,
                                 stopping_criteria=[stopping])
    finally:
        model.forward = original
    return clean_answer(tok.batch_decode(out[:, input_ids.shape[1]:], skip_special_tokens=True)[0])


def infer_gpt4roi(cfg: Config, questions: list[Question], emitter: Emitter) -> list[tuple[Question, str]]:
    """Answers every question with a GPT4RoI checkpoint; needs the checkout (gpt4roi_home) and a GPU."""
    import torch

    home = gpt4roi_home(cfg)
    probe = probe_gpt4roi(home)
    if not probe.get("importable") or not probe.get("region_module"):
        reason = probe.get("error") or probe.get("region_module_error") or "unknown"
        raise BridgeError(f"{cfg.file}: gpt4roi_home: the GPT4RoI checkout {home!r} does not import ({reason}); "
                          "see docs/gpt4roi-setup.md")
    if not torch.cuda.is_available():
        raise BridgeError("gpt4roi inference needs a CUDA GPU (the model runs in fp16); torch.cuda.is_available() is false")
    sys.path.insert(0, home)
    torch.manual_seed(cfg.int("seed", 0))
    images_root = cfg.dir("images_root")
    temperature = cfg.float("temperature", 0.0, positive=False)
    max_new = cfg.int("max_new_tokens", 1024, minimum=1)
    model, tok, processor = load_model(cfg.str("checkpoint"), "cuda")
    answers = []
    for n, q in enumerate(questions, 1):
        answers.append((q, answer(model, tok, processor, os.path.join(images_root, q.image), q, "cuda", temperature, max_new)))
        emitter.progress(n, len(questions))
    return answers
