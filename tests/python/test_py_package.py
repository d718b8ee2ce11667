"""The installed package: its layout, its stubs (checked against the compiled module with mypy's
stubtest) and the wheel's contents."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path

import pytest

if os.environ.get("SPM_REQUIRE_PYTHON_PACKAGE") == "1":
    import spm
else:
    spm = pytest.importorskip("spm", reason="the spm Python package is not installed (pip install .)")

ROOT = Path(__file__).resolve().parents[2]
PKG = Path(spm.__file__).parent


def test_layout():
    assert (PKG / "py.typed").exists()
    assert (PKG / "_spm.pyi").exists()
    assert spm._spm.__name__ == "spm._spm"
    for name in spm.__all__:
        assert hasattr(spm, name), name


def test_installed_files_are_the_python_package_only():
    try:
        files = importlib.metadata.files("spm")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("spm is not installed as a distribution (run from the source tree)")
    names = [str(f) for f in files or []]
    assert any(n.startswith("spm/_spm") and n.endswith(".so") for n in names)
    bad = [n for n in names if n.endswith((".h", ".hpp", ".cmake", ".a", ".pc"))
           or "include/" in n or "cmake/" in n]
    assert bad == []


def test_stubs_match_the_module(tmp_path):
    pytest.importorskip("mypy", reason="mypy is not installed")
    config = tmp_path / "mypy.ini"
    # pandas ships no inline types; its stubs are a separate package that the check does not need.
    config.write_text(f"[mypy]\nignore_missing_imports = True\ncache_dir = {tmp_path / 'cache'}\n")
    allow = ROOT / "python" / "stubtest-allowlist.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "spm._spm", "--mypy-config-file", str(config),
         "--allowlist", str(allow)],
        capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
