"""Exceptions that carry a message written for the person at the keyboard.

The command line prints these as one paragraph and exits non-zero; anything else
is a bug and keeps its traceback.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class AnalysisError(Exception):
    """Base class for errors caused by input, data or environment, not by a bug."""


class InputError(AnalysisError, ValueError):
    """A country, year, period, indicator or option that the data does not allow."""


class NoDataError(InputError):
    """An economy or series the sources have no (or too few) observations of: a gap, not a mistake."""


class DataError(AnalysisError):
    """A raw or processed file that is missing, corrupted or of the wrong vintage."""


class DiskFull(DataError, OSError):
    """A write that failed for want of space (or under a file-size limit), naming the file written."""


class UnexpectedAnswer(DataError):
    """A server's answer that parses but is not in the form its API documents."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(f"{url}: the API answered in an unexpected form: {detail}.")


def available(values: Iterable[object], limit: int = 40) -> str:
    """Format allowed values for an error message, shortening very long lists."""
    items = sorted({str(v) for v in values})
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", … ({len(items)} in all)"


def _shown(folder: Path) -> str:
    from analysis import paths

    return paths.relative(folder)


def inside(folder: Path, text: str, what: str, base: Path | None = None) -> Path:
    """``base / text`` (``base`` defaults to ``folder``) if it lies strictly inside ``folder``: no absolute
    path, no ``..`` and no symbolic link leading out. Else :class:`InputError` naming ``what`` and ``folder``."""
    allowed = Path(os.path.normpath(folder))
    path = Path(os.path.normpath((base or allowed) / text))
    inside_lexically = not Path(text).is_absolute() and path.is_relative_to(allowed) and path != allowed
    if not inside_lexically or not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(allowed)):
        raise InputError(f"{what} {shorten(text)!r} is outside {_shown(allowed)}/; only paths inside it are allowed.")
    return path


def shorten(text: str, limit: int = 200) -> str:
    """``text`` for an error message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
