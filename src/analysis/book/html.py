"""The HTML book: MathJax served from the build, then ``jupyter-book build``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analysis import paths
from analysis.book.mathjax import ensure_mathjax
from analysis.errors import DataError


def build_html(strict: bool = True) -> None:
    """Build book/_build/html; Sphinx warnings are errors when ``strict``."""
    ensure_mathjax()
    # The console script sits beside this interpreter (jupyter_book has no __main__ module).
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.book_dir()), "--keep-going"]
    if strict:
        command.append("-W")
    completed = subprocess.run(command, cwd=paths.repo_root())
    if completed.returncode != 0:
        raise DataError("jupyter-book build failed (see the warnings above); the book was not updated.")
    print(f"book: {paths.relative(paths.book_dir() / '_build' / 'html' / 'index.html')}")
