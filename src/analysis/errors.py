"""Exceptions that carry a message written for the person at the keyboard.

The command line prints these as one paragraph and exits non-zero; anything else
is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable


class AnalysisError(Exception):
    """Base class for errors caused by input, data or environment, not by a bug."""


class InputError(AnalysisError, ValueError):
    """A country, year, period, indicator or option that the data does not allow."""


class DataError(AnalysisError):
    """A raw or processed file that is missing, corrupted or of the wrong vintage."""


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
