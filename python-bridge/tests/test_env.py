"""env: the GPT4RoI checkout probe reports importability and the error text."""

from __future__ import annotations

from pixcap_bridge.env_cmd import collect_env, probe_gpt4roi


def _checkout(root, init_body: str, with_models: bool):
    pkg = root / "gpt4roi"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(init_body)
    if with_models:
        (pkg / "models").mkdir()
        (pkg / "models" / "__init__.py").write_text("")
        (pkg / "models" / "spi_llava.py").write_text("")
        (pkg / "models" / "layers.py").write_text("import mmcv_is_not_installed_here\n")
    return str(root)


def test_probe_reports_import_error_text(tmp_path):
    home = _checkout(tmp_path / "a", "import mmcv_missing_for_test\n", with_models=False)
    r = probe_gpt4roi(home)
    assert r["importable"] is False and r["has_models_dir"] is False
    assert r["error"] == "ModuleNotFoundError: No module named 'mmcv_missing_for_test'"


def test_probe_importable_checkout_reports_region_module_error(tmp_path):
    home = _checkout(tmp_path / "b", "", with_models=True)
    r = probe_gpt4roi(home)
    assert r["importable"] is True and r["has_models_dir"] is True
    assert r["region_module"] is False and "mmcv_is_not_installed_here" in r["region_module_error"]


def test_probe_missing_dir_and_collect_env(tmp_path, monkeypatch):
    assert probe_gpt4roi(str(tmp_path / "nope"))["error"].endswith("is not a directory")
    monkeypatch.setenv("GPT4ROI_HOME", str(tmp_path / "nope"))
    env = collect_env(None)
    assert env["gpt4roi"]["home"] == str(tmp_path / "nope")
    assert isinstance(env["gpus"], list) and env["transformers"] and env["python"].startswith("3.")
