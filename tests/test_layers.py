"""The package's layers import only downwards (the import-linter contract in pyproject.toml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = os.environ | {"PYTHONPATH": str(root / "src")}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_layers_contract_is_kept():
    done = _lint(REPO_ROOT)
    assert done.returncode == 0, done.stdout[-2000:]
    assert "1 kept, 0 broken" in done.stdout


@pytest.mark.slow
def test_an_upward_import_breaks_the_contract(tmp_path):
    # The claims layer importing the build system (as ledger_report once imported targets) must fail.
    shutil.copytree(REPO_ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    verdicts = tmp_path / "src" / "analysis" / "claims" / "verdicts.py"
    verdicts.write_text(verdicts.read_text(encoding="utf-8") + "\nfrom analysis.build import pipeline  # noqa\n")
    done = _lint(tmp_path)
    assert done.returncode != 0 and "0 kept, 1 broken" in done.stdout
    assert "analysis.claims.verdicts -> analysis.build.pipeline" in done.stdout
