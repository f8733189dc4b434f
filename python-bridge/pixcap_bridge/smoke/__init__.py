"""CPU smoke backend: a tiny region-aware captioner trained for real on a pixcap corpus (GPU when present)."""
