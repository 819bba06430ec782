"""Where the project's files live.

Everything is found relative to the repository root, so that notebooks, tests and
the command line agree whatever the working directory. ``ANALYSIS_ROOT`` overrides
the root (tests use it to work in a temporary copy).
"""

from __future__ import annotations

import os
from pathlib import Path


def repo_root() -> Path:
    """The repository root: ``$ANALYSIS_ROOT`` if set, else two levels above ``src/analysis``."""
    override = os.environ.get("ANALYSIS_ROOT")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2]


def raw_dir() -> Path:
    return repo_root() / "data" / "raw"


def processed_dir() -> Path:
    return repo_root() / "data" / "processed"


def book_dir() -> Path:
    return repo_root() / "book"


def results_dir() -> Path:
    """Results tables written by notebook runs (committed with the executed notebooks)."""
    return book_dir() / "results"


def relative(path: Path) -> str:
    """A path as shown to users: relative to the repository root when inside it.

    Messages and notebook outputs must never carry this machine's absolute paths.
    """
    try:
        return str(Path(path).resolve().relative_to(repo_root().resolve()))
    except ValueError:
        return Path(path).name if Path(path).is_absolute() else str(path)
