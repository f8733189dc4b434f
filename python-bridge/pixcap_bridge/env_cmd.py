"""`env`: reports the Python environment (torch, CUDA, GPUs, transformers, a GPT4RoI checkout) as one log event."""

from __future__ import annotations

import importlib
import os
import platform
import sys
import traceback
from typing import Any

from .config import Config
from .protocol import Emitter


def gpt4roi_home(config: Config | None) -> str | None:
    """The GPT4RoI checkout: the config's `gpt4roi_home`, else the GPT4ROI_HOME environment variable."""
    if config is not None and config.get("gpt4roi_home", None):
        return config.str("gpt4roi_home")
    return os.environ.get("GPT4ROI_HOME") or None


def probe_gpt4roi(home: str | None) -> dict[str, Any]:
    """Tries `import gpt4roi` (and its region module) with `home` first on sys.path; reports the error text if not."""
    if not home:
        return {"home": None, "importable": False, "error": "no checkout configured (set GPT4ROI_HOME or gpt4roi_home)"}
    report: dict[str, Any] = {"home": home, "importable": False}
    if not os.path.isdir(home):
        report["error"] = f"{home} is not a directory"
        return report
    # Pix2Cap's third_party/gpt4roi lacks gpt4roi/models/ (gpt4roi.md §9): say so before the import fails obscurely.
    report["has_models_dir"] = os.path.isfile(os.path.join(home, "gpt4roi", "models", "spi_llava.py"))
    sys.path.insert(0, home)
    before = set(sys.modules)
    try:
        importlib.import_module("gpt4roi")
        report["importable"] = True
        try:
            importlib.import_module("gpt4roi.models.layers")
            report["region_module"] = True
        except Exception as e:  # mmcv/mmdet missing or built without ops
            report["region_module"] = False
            report["region_module_error"] = f"{type(e).__name__}: {e}"
    except Exception as e:
        report["error"] = f"{type(e).__name__}: {e}"
        report["traceback"] = traceback.format_exc(limit=3)
    finally:
        sys.path.remove(home)
        for name in set(sys.modules) - before:  # a probe must not leave this checkout's modules cached
            if name == "gpt4roi" or name.startswith("gpt4roi."):
                del sys.modules[name]
    return report


def collect_env(config: Config | None) -> dict[str, Any]:
    """Everything the env doctor shows; importing torch/transformers is attempted, never required."""
    env: dict[str, Any] = {"python": platform.python_version(), "executable": sys.executable, "platform": platform.platform()}
    try:
        import torch

        env["torch"] = torch.__version__
        env["cuda_available"] = bool(torch.cuda.is_available())
        env["cuda_version"] = torch.version.cuda
        env["gpus"] = [
            {"index": i, "name": torch.cuda.get_device_name(i),
             "memory_bytes": int(torch.cuda.get_device_properties(i).total_memory),
             "capability": ".".join(map(str, torch.cuda.get_device_capability(i)))}
            for i in range(torch.cuda.device_count())
        ] if env["cuda_available"] else []
    except Exception as e:
        env.update(torch=None, cuda_available=False, cuda_version=None, gpus=[], torch_error=f"{type(e).__name__}: {e}")
    try:
        import transformers

        env["transformers"] = transformers.__version__
    except Exception as e:
        env["transformers"] = None
        env["transformers_error"] = f"{type(e).__name__}: {e}"
    try:
        import pyarrow

        env["pyarrow"] = pyarrow.__version__
    except Exception:
        env["pyarrow"] = None
    env["gpt4roi"] = probe_gpt4roi(gpt4roi_home(config))
    return env


def env_command(config_path: str | None, emitter: Emitter) -> None:
    config = Config.load(config_path) if config_path else None
    emitter.log("environment", level="info", env=collect_env(config))
