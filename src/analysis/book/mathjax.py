"""MathJax for the offline book: installed from the npm registry (pinned in book/package-lock.json)."""

from __future__ import annotations

import shutil
import subprocess

from analysis import paths
from analysis.errors import DataError


def ensure_mathjax() -> None:
    """Put MathJax 3 (from the npm registry, pinned in book/package-lock.json) into book/_static.

    The built book must work with no network at all, so MathJax is served from the build.
    """
    book = paths.book_dir()
    target = book / "_static" / "mathjax"
    if (target / "tex-chtml.js").exists():
        return
    source = book / "node_modules" / "mathjax" / "es5"
    if not source.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise DataError(
                "MathJax is not installed and npm is not on PATH. Install Node.js (npm), then run `npm ci --prefix book`."
            )
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(book)], check=True, stdout=subprocess.DEVNULL
        )
    shutil.copytree(source, target, dirs_exist_ok=True)
