"""Sanity checks before a new WDI vintage replaces the pinned one.

The registry records, per WDI file, what the pinned vintage covers (``coverage`` in
``data/raw/sources.toml``: economies, series, first and last year, rows). A download is
accepted as a new vintage only if it covers at least as much; otherwise it is refused with
a diff (what shrank, and which economies or series went missing when the pinned file is at
hand). A well-formed but tiny answer (a 1-country, 1 KB "WDI") can then never be recorded.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data.registry import Source

# Rows may fall a little between vintages (WDI withdraws values); more than this is a shrink.
ROWS_TOLERANCE = 0.02


def summarize(path: Path, countries_file: bool) -> dict[str, int]:
    """The coverage of a tidy WDI file: counts and the year span (countries file: economies only)."""
    table = pd.read_csv(path, dtype={"iso3": str}, keep_default_na=False, na_values=[""])
    if countries_file:
        return {"economies": int(table["iso3"].nunique()), "rows": len(table)}
    years = table["year"]
    return {
        "economies": int(table["iso3"].nunique()),
        "series": int(table["indicator"].nunique()),
        "first_year": int(years.min()) if len(table) else 0,
        "last_year": int(years.max()) if len(table) else 0,
        "rows": len(table),
    }


def _named_losses(pinned: Path, new: Path, column: str, limit: int = 12) -> str:
    """Which values of ``column`` the pinned file has and the new one lacks (when the pinned file is at hand)."""
    if not pinned.exists():
        return ""
    old = set(pd.read_csv(pinned, usecols=[column], dtype=str, keep_default_na=False)[column])
    now = set(pd.read_csv(new, usecols=[column], dtype=str, keep_default_na=False)[column])
    lost = sorted(old - now)
    if not lost:
        return ""
    shown = ", ".join(lost[:limit]) + (f", … ({len(lost)} in all)" if len(lost) > limit else "")
    return f" (missing: {shown})"


def shrinkage(src: Source, new_file: Path, expected_series: list[str]) -> list[str]:
    """How ``new_file`` covers less than the pinned vintage of ``src``; empty when it does not."""
    countries_file = "indicator" not in pd.read_csv(new_file, nrows=0).columns
    now = summarize(new_file, countries_file)
    pinned = dict(src.coverage)
    problems: list[str] = []
    if now["economies"] < pinned.get("economies", 0):
        losses = _named_losses(src.path, new_file, "iso3")
        problems.append(f"economies {pinned['economies']} -> {now['economies']}{losses}")
    if not countries_file:
        present = set(pd.read_csv(new_file, usecols=["indicator"], dtype=str)["indicator"])
        missing = [code for code in expected_series if code not in present]
        if missing or now["series"] < pinned.get("series", 0):
            problems.append(
                f"series {pinned.get('series', len(expected_series))} -> {now['series']}"
                + (f" (missing: {', '.join(missing)})" if missing else "")
            )
        old_span = (pinned.get("first_year", now["first_year"]), pinned.get("last_year", now["last_year"]))
        if now["first_year"] > old_span[0] or now["last_year"] < old_span[1]:
            problems.append(f"years {old_span[0]}-{old_span[1]} -> {now['first_year']}-{now['last_year']}")
    if now["rows"] < pinned.get("rows", 0) * (1 - ROWS_TOLERANCE):
        problems.append(f"rows {pinned['rows']} -> {now['rows']}")
    return problems
