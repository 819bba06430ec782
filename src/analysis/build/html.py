"""The HTML book: refuse stale pages, skip an unchanged book, MathJax served from the build, then
``jupyter-book build`` (one build at a time)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from analysis import paths
from analysis.errors import DataError

# Not page sources: build output, npm packages, the MathJax copy, and the run bookkeeping.
_NOT_SOURCES = {"_build", "node_modules", ".ipynb_checkpoints"}


def stamp_path() -> Path:
    return paths.book_dir() / "_build" / ".sources.sha256"


def sources_hash() -> str:
    """Hash of every file the HTML is built from (book/ without its build output) and the environment."""
    book = paths.book_dir()
    digest = hashlib.sha256()
    files = [
        p
        for p in book.rglob("*")
        if p.is_file()
        and not _NOT_SOURCES & set(p.relative_to(book).parts)
        and p.relative_to(book).parts[:2] != ("_static", "mathjax")
    ]
    lock = paths.repo_root() / "requirements.lock"
    for file in sorted(files) + ([lock] if lock.exists() else []):
        digest.update(str(file.relative_to(paths.repo_root())).encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def refuse_stale_pages() -> None:
    """Raise :class:`DataError` naming every run whose page is stale or failed."""
    from analysis.build import pipeline

    stale = [(name, reason) for name, state, reason in pipeline.status() if state != "unchanged"]
    if stale:
        listing = "; ".join(f"{name} ({reason})" for name, reason in stale)
        raise DataError(
            f"The book was not built: {len(stale)} {'page is' if len(stale) == 1 else 'pages are'} stale or failed: "
            f"{listing}. "
            "Run `python -m analysis run` first (see `python -m analysis run --dry-run`)."
        )


def build_html(strict: bool = True, force: bool = False) -> None:
    """Build book/_build/html; Sphinx warnings are errors when ``strict``. Skipped when no source changed."""
    from analysis.build.mathjax import ensure_mathjax
    from analysis.build.pipeline import build_lock

    index = paths.book_dir() / "_build" / "html" / "index.html"
    with build_lock():
        refuse_stale_pages()
        ensure_mathjax()
        current = sources_hash()
        stamp = stamp_path()
        if not force and index.exists() and stamp.exists() and stamp.read_text().strip() == current:
            print(f"unchanged  {paths.relative(index)} (no page source changed)")
            return
        stamp.unlink(missing_ok=True)  # a failed or interrupted build must not look current
        # The console script sits beside this interpreter (jupyter_book has no __main__ module).
        command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.book_dir()), "--keep-going"]
        if strict:
            command.append("-W")
        completed = subprocess.run(command, cwd=paths.repo_root())
        if completed.returncode != 0:
            raise DataError("jupyter-book build failed (see the warnings above); the book was not updated.")
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
    print(f"book: {paths.relative(index)}")
