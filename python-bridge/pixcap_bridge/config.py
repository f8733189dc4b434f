"""Reads a run config JSON and checks each key, naming the file and key on error.

Message shape follows pixcap's rule (STYLE.md §6): `run.json: steps: expected a positive integer, got "ten"`.
"""

from __future__ import annotations

import json
import os
from typing import Any

from .protocol import BridgeError

_MISSING = object()


class Config:
    """A parsed config object with typed getters; `file` is used in every error message."""

    def __init__(self, data: dict[str, Any], file: str):
        self.data = data
        self.file = file

    @classmethod
    def load(cls, path: str) -> "Config":
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            raise BridgeError(f"{path}: config file not found") from None
        except json.JSONDecodeError as e:
            raise BridgeError(f"{path}: not valid JSON: {e}") from None
        if not isinstance(data, dict):
            raise BridgeError(f"{path}: expected a JSON object, got {type(data).__name__}")
        return cls(data, path)

    def fail(self, key: str, expected: str, got: Any) -> BridgeError:
        return BridgeError(f"{self.file}: {key}: expected {expected}, got {json.dumps(got)}")

    def get(self, key: str, default: Any = _MISSING) -> Any:
        if key not in self.data:
            if default is _MISSING:
                raise BridgeError(f"{self.file}: {key}: missing (required)")
            return default
        return self.data[key]

    def str(self, key: str, default: Any = _MISSING) -> Any:
        value = self.get(key, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, str) or value == "":
            raise self.fail(key, "a non-empty string", value)
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: Any = _MISSING) -> str:
        value = self.get(key, default)
        if value not in choices:
            raise self.fail(key, "one of " + " | ".join(json.dumps(c) for c in choices), value)
        return value

    def int(self, key: str, default: Any = _MISSING, minimum: int = 0) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            what = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
            raise self.fail(key, what, value)
        return value

    def float(self, key: str, default: Any = _MISSING, positive: bool = True) -> float:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (positive and not value > 0):
            raise self.fail(key, "a positive number" if positive else "a number", value)
        return float(value)

    def bool(self, key: str, default: Any = _MISSING) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false", value)
        return value

    def dir(self, key: str, default: Any = _MISSING) -> Any:
        """A path that must be an existing directory."""
        value = self.str(key, default)
        if value is not None and not os.path.isdir(value):
            raise BridgeError(f"{self.file}: {key}: directory {value!r} does not exist")
        return value


def resolve_device(name: str) -> str:
    """Maps `auto | cpu | cuda` to a torch device string; `cuda` without a GPU is an error, not a silent fallback."""
    import torch

    if name == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda" and not torch.cuda.is_available():
        raise BridgeError("device: 'cuda' requested but torch.cuda.is_available() is false on this host")
    return name
