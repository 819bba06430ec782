"""Atomic file writes (a reader sees either the old file or the complete new one) and the one build lock."""

from __future__ import annotations

import fcntl
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.paths import repo_root


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success.

    On any exception the temporary file is removed and ``target`` is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; published files should be world-readable
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_atomic(target: Path, writer: Callable[[Path], None]) -> None:
    """Call ``writer(tmp_path)`` and move the result to ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def sha256_of(path: Path) -> str:
    """The sha256 of a file, as pooch computes it when it checks a download."""
    import pooch  # deferred: pooch is needed only by the data layer

    return pooch.file_hash(str(path), alg="sha256")


@contextmanager
def build_lock() -> Iterator[None]:
    """One build at a time: a second ``run``, ``book``, ``fetch`` or ``build`` waits here for the first.

    Re-entrant within a thread, so a command holding the lock may call another that takes it.
    """
    if getattr(_lock_depth, "value", 0):
        _lock_depth.value += 1
        try:
            yield
        finally:
            _lock_depth.value -= 1
        return
    path = repo_root() / ".build" / "book.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("waiting for another build of the book to finish …", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        _lock_depth.value = 1
        try:
            yield
        finally:
            _lock_depth.value = 0
            fcntl.flock(handle, fcntl.LOCK_UN)


_lock_depth = threading.local()
