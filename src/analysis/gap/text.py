"""Words for time distances: table cells and phrases that never print a bound as a plain number.

Numbers go through :mod:`analysis.book.format` (years as whole numbers, plurals that agree).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.book import format as f

from .compute import LESS_THAN, MORE_THAN, NO_DATA


def _missing(value: float | None) -> bool:
    return value is None or pd.isna(value)


def format_distance(years_behind: float, censored: str, digits: int = 0) -> str:
    """A table cell: ``12``, ``>32`` (lower bound), ``<-1`` (upper bound) or ``–`` (no data)."""
    if censored == NO_DATA or _missing(years_behind):
        return "–"
    return {MORE_THAN: ">", LESS_THAN: "<"}.get(censored, "") + f.number(years_behind, digits)


def format_generation_range(low: float, high: float, censored: str, digits: int = 1) -> str:
    """A range of generations: ``1.9 to 4.0``, ``at least 2.2`` (more-than), ``at most 0.0`` (less-than)."""
    if censored == NO_DATA or (_missing(low) and _missing(high)):
        return "–"
    if censored == MORE_THAN:
        return f"at least {f.number(low, digits)}"
    if censored == LESS_THAN:
        return f"at most {f.number(high, digits)}"
    return f"{f.number(low, digits)} to {f.number(high, digits)}"


def format_reference_year(year: float, years_behind: float, censored: str) -> str:
    """The calendar year in which the reference reached the level: ``2014`` (crossing at 2014.2),
    ``before 1991`` (more-than), ``after 2024`` (less-than)."""
    if censored == NO_DATA or _missing(years_behind):
        return "–"
    reached = float(year) - float(years_behind)
    if censored == MORE_THAN:
        return f"before {f.year(round(reached))}"
    if censored == LESS_THAN:
        return f"after {f.year(round(reached))}"
    return f.year(math.floor(reached + 1e-9))  # the interpolated crossing falls during this year


def describe_years(years_behind: float, censored: str, digits: int = 0) -> str:
    """Prose: "19 years behind", "more than 33 years behind", "ahead by at least 1 year"…

    Bounds are whole years (differences between observed years), so they are written without decimals.
    """
    if censored == NO_DATA or _missing(years_behind):
        return "not measurable (no data)"
    places = 0 if censored in (MORE_THAN, LESS_THAN) else digits
    years = f.quantity(abs(float(years_behind)), "year", places)
    if censored == MORE_THAN:
        return f"more than {years} behind"
    if censored == LESS_THAN:
        if years_behind == 0:
            return "ahead (the reference has not reached this level in its data)"
        return f"ahead by at least {years}" if years_behind < 0 else f"less than {years} behind"
    return f"{years} behind" if years_behind >= 0 else f"ahead by {years}"


def overlap_phrase(implied: tuple[float, float], claimed: tuple[float, float]) -> str:
    """``"overlaps"`` or ``"does not overlap"``: whether the implied range of generations meets the claimed one."""
    meets = implied[0] <= claimed[1] and claimed[0] <= implied[1]
    return "overlaps" if meets else "does not overlap"
