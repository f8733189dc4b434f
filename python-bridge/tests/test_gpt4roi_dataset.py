"""PixcapGpt4RoiDataset: the tensors GPT4RoI's loaders give (gpt4roi.md §2-4), checked without GPT4RoI installed."""

from __future__ import annotations

import re

import pytest
import torch

from conftest import BEGIN, make_corpus
from pixcap_bridge.gpt4roi.dataset import PixcapGpt4RoiDataset, image_token_len, tiny_boxes
from pixcap_bridge.imaging import CLIP_MEAN, CLIP_STD
from pixcap_bridge.protocol import BridgeError


def test_items_have_gpt4roi_shapes_order_and_counts(tmp_path):
    corpus, images, rows = make_corpus(tmp_path, n_images=5, fmt="PNG")
    ds = PixcapGpt4RoiDataset(str(corpus), "train", str(images))
    assert len(ds) == 5
    for i, row in enumerate(rows):
        item = ds[i]
        assert item["image"].shape == (3, 224, 224) and item["image"].dtype == torch.float32
        assert item["bboxes"].dtype == torch.float32 and item["bboxes"].shape == (len(row["boxes"]), 4)
        assert torch.equal(item["bboxes"], torch.tensor(row["boxes"], dtype=torch.float32))  # <bbox> order kept
        convs = item["conversations"]
        assert convs == row["conversations"] and convs[0]["value"].startswith(BEGIN)
        assert [c["from"] for c in convs] == ["human", "gpt"] * (len(convs) // 2)
        assert sum(c["value"].count("<bbox>") for c in convs) == len(item["bboxes"])
        # region{k} <bbox> numbering follows the box order
        ks = [int(k) for c in convs for k in re.findall(r"region(\d+) <bbox>", c["value"])]
        assert ks == list(range(1, len(row["boxes"]) + 1))
        assert item["img_metas"]["ori_shape"] == (row["height"], row["width"], 3)


def test_image_is_stretched_not_letterboxed_and_clip_normalised(tmp_path):
    from PIL import Image

    (tmp_path / "img").mkdir()
    im = Image.new("RGB", (200, 50), (255, 255, 255))
    im.paste((0, 0, 0), (100, 0, 200, 50))  # right half black
    im.save(tmp_path / "img" / "wide.png")
    row = {"id": "w", "image": "wide.png", "width": 200, "height": 50, "boxes": [[0.5, 0.0, 1.0, 1.0]],
           "conversations": [{"from": "human", "value": BEGIN + "What is region1 <bbox>?"}, {"from": "gpt", "value": "black"}]}
    from pixcap_bridge.corpus import check_row

    ds = PixcapGpt4RoiDataset("", "train", str(tmp_path / "img"), samples=[check_row(row, "mem")])
    img = ds[0]["image"]
    white = torch.tensor([(1 - m) / s for m, s in zip(CLIP_MEAN, CLIP_STD)])
    black = torch.tensor([(0 - m) / s for m, s in zip(CLIP_MEAN, CLIP_STD)])
    # A letterbox would leave padding rows at the top and bottom; a stretch fills every row.
    assert torch.allclose(img[:, 0, :100], white[:, None], atol=1e-4)
    assert torch.allclose(img[:, 223, 124:], black[:, None], atol=1e-4)
    assert torch.allclose(img[:, 112, 10], white, atol=1e-4) and torch.allclose(img[:, 112, 200], black, atol=1e-4)
    # The normalised box x1 = 0.5 is the black edge at column 112 of the 224 grid, as x/W says.
    assert torch.allclose(img[:, 112, 108], white, atol=1e-3) and torch.allclose(img[:, 112, 116], black, atol=1e-3)


def test_wrong_image_size_is_an_error(tmp_path):
    corpus, images, rows = make_corpus(tmp_path, n_images=1)
    from pixcap_bridge.corpus import check_row

    row = {**rows[0], "width": rows[0]["width"] + 1}
    ds = PixcapGpt4RoiDataset("", "train", str(images), samples=[check_row(row, "mem")])
    with pytest.raises(BridgeError, match="but the corpus says"):
        ds[0]


# Stand-ins for GPT4RoI's preprocess_multimodal / preprocess, written from gpt4roi.md §2 and §4 (not upstream code).
class WordTok:
    def __init__(self, max_len):
        self.model_max_length = max_len
        self.vocab: dict[str, int] = {}

    def convert_tokens_to_ids(self, t):
        return self.vocab.setdefault(t, len(self.vocab))

    def __call__(self, text):
        words = re.findall(r"<[a-z_]+>|[^\s<]+", text)[: self.model_max_length]
        return [self.convert_tokens_to_ids(w) for w in words]


def fake_preprocess_multimodal(sources, cfg, cur_token_len):
    rep = "<im_start>" + "<im_patch>" * cur_token_len + "<im_end>" if cfg["use_im_start_end"] else "<im_patch>" * cur_token_len
    for source in sources:
        for turn in source:
            turn["value"] = turn["value"].replace("<image>", rep)
    return sources


def fake_preprocess(sources, tok):
    roles = {"human": "Human", "gpt": "Assistant"}
    text = "SYSTEM\n\n" + "".join(f"### {roles[t['from']]}: {t['value']}\n" for t in sources[0]) + "### "
    ids = torch.tensor(tok(text))
    return {"input_ids": [ids], "labels": [ids.clone()]}


def test_tokenized_items_and_truncation_drops_boxes_with_their_tokens(tmp_path):
    corpus, images, rows = make_corpus(tmp_path, n_images=4)
    cfg = {"use_im_start_end": True}
    full = PixcapGpt4RoiDataset(str(corpus), "train", str(images), tokenizer=WordTok(4096), multimodal_cfg=cfg,
                                preprocess_multimodal=fake_preprocess_multimodal, preprocess=fake_preprocess)
    item = full[0]
    tok = full.tokenizer
    assert int((item["input_ids"] == tok.convert_tokens_to_ids("<im_patch>")).sum()) == image_token_len() == 256
    assert int((item["input_ids"] == tok.convert_tokens_to_ids("<bbox>")).sum()) == len(item["bboxes"]) == len(rows[0]["boxes"])
    # Cut right after the first <bbox>: only the first box survives.
    ids = item["input_ids"].tolist()
    first = ids.index(tok.convert_tokens_to_ids("<bbox>"))
    short = PixcapGpt4RoiDataset(str(corpus), "train", str(images), tokenizer=WordTok(first + 1), multimodal_cfg=cfg,
                                 preprocess_multimodal=fake_preprocess_multimodal, preprocess=fake_preprocess)
    cut = short[0]
    assert len(cut["input_ids"]) == first + 1
    assert torch.equal(cut["bboxes"], item["bboxes"][:1])


def test_tiny_boxes_match_the_2px_filter():
    # 2 px on the 224 grid: w <= 2/224 is dropped by GPT4RoI's FilterAnnotationsFlickr(min_gt_bbox_wh=(2, 2)).
    assert tiny_boxes([[0.0, 0.0, 2 / 224, 0.5], [0.0, 0.0, 2.1 / 224, 2.1 / 224], [0.1, 0.1, 0.5, 0.1 + 1 / 224]]) == [0, 2]
