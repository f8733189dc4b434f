"""The smoke backend's region-aware captioner: GPT4RoI's structure at toy scale, in plain PyTorch.

- vision: a small conv encoder on the stretched image (stride 8);
- `<im_patch>` embeddings are replaced, in order, by pooled patch features (GPT4RoI: 256 CLIP patches);
- `<bbox>` embeddings are replaced, in order, by RoI features: RoIAlign of the box, a linear layer, plus a position
  MLP on the normalised xyxy box (gpt4roi.md §2: "sum -> linear, plus a position MLP 4->256->1024");
  the k-th `<bbox>` in the batch gets the k-th box, like `spi_embeds[spi_mask] = spi_feat`;
- a small causal transformer language model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from .roi_align import roi_align


@dataclass
class SmokeConfig:
    """Model hyper-parameters; saved as config.json in every checkpoint."""

    vocab_size: int
    pad_id: int
    patch_id: int
    bbox_id: int
    d_model: int = 128
    n_layers: int = 2
    n_heads: int = 4
    max_len: int = 256
    image_size: int = 64
    channels: int = 64
    patch_grid: int = 4
    roi_size: int = 4

    @property
    def patches(self) -> int:
        return self.patch_grid * self.patch_grid

    def to_dict(self) -> dict:
        return asdict(self)


class SmokeRegionLM(nn.Module):
    """Tiny region-aware causal LM; `forward` returns logits (B, T, vocab)."""

    STRIDE = 8

    def __init__(self, cfg: SmokeConfig):
        super().__init__()
        self.cfg = cfg
        c, d = cfg.channels, cfg.d_model
        self.vision = nn.Sequential(
            nn.Conv2d(3, c // 2, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv2d(c // 2, c, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv2d(c, c, 3, stride=2, padding=1), nn.GELU(),
        )
        self.patch_proj = nn.Linear(c, d)
        self.roi_proj = nn.Linear(c * cfg.roi_size * cfg.roi_size, d)
        self.pos_mlp = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.LayerNorm(64), nn.Linear(64, d))
        self.tok_emb = nn.Embedding(cfg.vocab_size, d, padding_idx=cfg.pad_id)
        self.pos_emb = nn.Embedding(cfg.max_len, d)
        layer = nn.TransformerEncoderLayer(d, cfg.n_heads, 4 * d, dropout=0.0, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, cfg.n_layers, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, cfg.vocab_size, bias=False)

    def region_features(self, feat: torch.Tensor, boxes: list[torch.Tensor]) -> torch.Tensor:
        """(sum K, d) features for normalised xyxy boxes, in order."""
        size = self.cfg.image_size
        pooled = roi_align(feat, [b * size for b in boxes], self.cfg.roi_size, 1.0 / self.STRIDE, 2)
        flat = self.roi_proj(pooled.flatten(1))
        return flat + self.pos_mlp(torch.cat(boxes, 0).to(flat.dtype)) if len(boxes) else flat

    def forward(self, input_ids: torch.Tensor, images: torch.Tensor, boxes: list[torch.Tensor]) -> torch.Tensor:
        b, t = input_ids.shape
        if t > self.cfg.max_len:
            raise ValueError(f"sequence of {t} tokens exceeds max_len {self.cfg.max_len}")
        feat = self.vision(images)  # (B, C, S/8, S/8)
        emb = self.tok_emb(input_ids)
        patch_mask = input_ids == self.cfg.patch_id
        if patch_mask.any():
            grid = F.adaptive_avg_pool2d(feat, self.cfg.patch_grid).flatten(2).transpose(1, 2)  # (B, P, C)
            counts = patch_mask.sum(1)
            if not bool((counts == self.cfg.patches).all() | (counts == 0).all()):
                raise ValueError(f"each sequence needs 0 or {self.cfg.patches} <im_patch> tokens, got {counts.tolist()}")
            rows = [self.patch_proj(grid[i]) for i in range(b) if counts[i] > 0]
            emb = emb.masked_scatter(patch_mask.unsqueeze(-1), torch.cat(rows, 0).to(emb.dtype))
        bbox_mask = input_ids == self.cfg.bbox_id
        n_tokens = int(bbox_mask.sum())
        n_boxes = sum(int(x.shape[0]) for x in boxes)
        if n_tokens != n_boxes:
            raise ValueError(f"{n_tokens} <bbox> tokens but {n_boxes} boxes (the counts must match)")
        if n_boxes:
            regions = self.region_features(feat, [x.to(feat.device) for x in boxes])
            emb = emb.masked_scatter(bbox_mask.unsqueeze(-1), regions.to(emb.dtype))
        x = emb + self.pos_emb(torch.arange(t, device=input_ids.device))[None]
        causal = nn.Transformer.generate_square_subsequent_mask(t, device=input_ids.device)
        x = self.blocks(x, mask=causal, is_causal=True, src_key_padding_mask=None)
        return self.lm_head(self.ln_f(x))


def lm_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Next-token cross-entropy on the positions whose label is not -100."""
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), labels[:, 1:].reshape(-1), ignore_index=-100)
