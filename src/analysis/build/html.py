"""The HTML book: refuse stale pages, skip an unchanged book, MathJax served from the build, then
``jupyter-book build`` (one build at a time)."""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

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


def staging_root() -> Path:
    """Where jupyter-book builds (``<this>/_build/html``) before the checked result replaces the book."""
    return paths.book_dir() / "_build" / ".staging"


def _jupyter_book(output: Path, strict: bool) -> list[str]:
    """The build command; the console script sits beside this interpreter (jupyter_book has no __main__)."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(paths.book_dir())]
    command += ["--path-output", str(output), "--keep-going"]
    return command + (["-W"] if strict else [])


_LINK = re.compile(r"""(?:src|href)=["']([^"'#?]+)""")


def missing_files(html_dir: Path) -> list[str]:
    """Local files that the built pages reference but the build lacks, and a missing or cut search index."""
    problems = []
    if not (html_dir / "index.html").is_file():
        problems.append("index.html")
    index = html_dir / "searchindex.js"
    text = index.read_text(encoding="utf-8", errors="replace").strip() if index.is_file() else ""
    if not (text.startswith("Search.setIndex(") and text.endswith(")")):
        problems.append("searchindex.js (missing or incomplete)")
    for page in sorted(html_dir.rglob("*.html")):
        if "_static" in page.relative_to(html_dir).parts:
            continue  # bundled JavaScript and MathJax pages, copied whole by Sphinx
        for link in _LINK.findall(page.read_text(encoding="utf-8", errors="replace")):
            if "://" in link or link.startswith(("mailto:", "data:", "javascript:", "//", "/")):
                continue
            if not (page.parent / unquote(link)).exists():
                problems.append(f"{link} (linked from {page.relative_to(html_dir)})")
    return problems


def _exchange(new: Path, current: Path) -> None:
    """Swap two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``); plain renames elsewhere."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(current), rename_exchange) == 0:
            return
    aside = current.with_name(current.name + ".old")
    shutil.rmtree(aside, ignore_errors=True)
    os.rename(current, aside)
    os.rename(new, current)
    os.rename(aside, new)


def publish_html(built: Path, target: Path) -> None:
    """Replace ``target`` by the checked build ``built`` in one rename; the previous copy is deleted."""
    problems = missing_files(built)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; … ({len(problems)} in all)" if len(problems) > 5 else "")
        raise DataError(f"The HTML build is incomplete ({shown}); the book was not updated.")
    if target.exists():
        _exchange(built, target)
        shutil.rmtree(built)
    else:
        os.rename(built, target)


def _run_build(command: list[str]) -> None:
    """Run jupyter-book, passing its output through; a full disk is one line, not its traceback."""
    process = subprocess.Popen(
        command, cwd=paths.repo_root(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
    )
    held: list[str] = []  # a traceback is held back until we know it is not a full disk
    assert process.stdout is not None
    with process:
        for line in process.stdout:
            if held or line.startswith("Traceback (most recent call last)"):
                held.append(line)
            else:
                sys.stdout.write(line)
                sys.stdout.flush()
    text = "".join(held)
    if process.returncode != 0 and ("No space left on device" in text or "[Errno 28]" in text):
        raise DataError("The disk is full: the HTML book could not be written; the book was not updated.")
    sys.stdout.write(text)
    if process.returncode != 0:
        raise DataError("jupyter-book build failed (see the warnings above); the book was not updated.")


def build_html(strict: bool = True, force: bool = False) -> None:
    """Build book/_build/html; Sphinx warnings are errors when ``strict``. Skipped when no source changed.

    jupyter-book writes into :func:`staging_root` (seeded with a copy of the current book, so that only
    changed pages are rebuilt); the result replaces book/_build/html in one rename only once every file
    its pages link to and the search index are present. An interrupted or failed build leaves the
    previous book as it was.
    """
    from analysis.build.mathjax import ensure_mathjax
    from analysis.io import build_lock

    target = paths.book_dir() / "_build" / "html"
    index = target / "index.html"
    with build_lock():
        refuse_stale_pages()
        ensure_mathjax()
        current = sources_hash()
        stamp = stamp_path()
        if not force and index.exists() and stamp.exists() and stamp.read_text().strip() == current:
            print(f"unchanged  {paths.relative(index)} (no page source changed)")
            return
        built = staging_root() / "_build" / "html"
        try:
            shutil.rmtree(built, ignore_errors=True)  # what an interrupted build left
            if target.is_dir():
                shutil.copytree(target, built, symlinks=True)
            _run_build(_jupyter_book(staging_root(), strict))
            stamp.unlink(missing_ok=True)  # the stamp names the published book: never a newer one
            publish_html(built, target)
            stamp.write_text(current + "\n")
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise DataError(
                    f"The disk is full: could not write {error.filename or 'the HTML book'}; the book was not updated."
                ) from None
            raise
    print(f"book: {paths.relative(index)}")
