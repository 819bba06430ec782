"""Shared fixtures.

The processed tables are built from the real raw data by ``make test`` before pytest
runs (fetch + build); tests that need them use the ``pwt``, ``wdi`` and ``countries``
fixtures, which fail loudly, never skip, when the data is missing.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from analysis import paths
from analysis.data import load

REPO_ROOT = paths.repo_root()


@pytest.fixture(scope="session")
def pwt():
    return load("pwt")


@pytest.fixture(scope="session")
def wdi():
    return load("wdi")


@pytest.fixture(scope="session")
def countries():
    return load("countries")


@pytest.fixture
def tmp_repo(tmp_path, monkeypatch) -> Path:
    """An empty project root with a copy of the committed registry; ANALYSIS_ROOT points at it."""
    root = tmp_path / "repo"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "processed").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "data" / "raw" / "sources.toml", root / "data" / "raw" / "sources.toml")
    monkeypatch.setenv("ANALYSIS_ROOT", str(root))
    monkeypatch.delenv("ANALYSIS_DATA_MIRROR", raising=False)
    return root


@pytest.fixture(scope="session")
def mirror_dir() -> Path:
    """The offline mirror given to the test run (``ANALYSIS_DATA_MIRROR``)."""
    value = os.environ.get("ANALYSIS_DATA_MIRROR")
    if not value:
        pytest.fail("ANALYSIS_DATA_MIRROR is not set; `make test` sets it (see README).")
    return Path(value)
