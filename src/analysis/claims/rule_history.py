"""The dated history of the verdict rules: when each rule was written, and every change since.

``data/raw/verdict_rules_history.csv`` has one row per event, oldest first: the rule's writing
(``change = written``) and every later change (``change = changed``), each with the rule, basis
year and tolerance band before and after, the verdict before and after, and the reason. The first
rules were written on 2026-12-01, after the first full pass over the data of 2026-11-24, whose
verdicts are kept as ``verdict_before`` of the ``written`` rows (the *first-pass verdict*).

:func:`unrecorded` lists the rules whose current form is not the latest entry of the history, so
that no rule can change silently (a test runs it on the committed tables).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import DataError

COLUMNS = [
    "date",
    "claim_id",
    "change",
    "rule_before",
    "rule_after",
    "basis_year_before",
    "basis_year_after",
    "band_before",
    "band_after",
    "verdict_before",
    "verdict_after",
    "reason",
]
CHANGES = ("written", "changed")
FIRST_PASS_DATE = "2026-11-24"  # the first full pass over the data, before any rule was written
RULES_WRITTEN_ON = "2026-12-01"  # the first rules table


def history_path() -> Path:
    return paths.raw_dir() / "verdict_rules_history.csv"


def load_history(path: Path | None = None) -> pd.DataFrame:
    """The rule history, checked: its columns, ISO dates in order per claim, one ``written`` row first."""
    path = path or history_path()
    where = paths.relative(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(table.columns) != COLUMNS:
        raise DataError(f"{where} must have the columns {COLUMNS}; it has {list(table.columns)}.")
    dates = pd.to_datetime(table["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        bad = table.loc[dates.isna(), "date"].iloc[0]
        raise DataError(f"{where}: dates must be written YYYY-MM-DD; found {bad!r}.")
    bad_change = sorted(set(table["change"]) - set(CHANGES))
    if bad_change:
        raise DataError(f"{where}: change must be one of {CHANGES}; found {bad_change}.")
    for claim_id, rows in table.groupby("claim_id", sort=False):
        if rows["change"].iloc[0] != "written" or (rows["change"].iloc[1:] == "written").any():
            raise DataError(f"{where}: {claim_id} must have exactly one 'written' row, before its changes.")
        if not dates[rows.index].is_monotonic_increasing:
            raise DataError(f"{where}: the rows of {claim_id} must be in date order.")
    return table


def band_text(low: float, high: float) -> str:
    """A tolerance band as the history writes it: ``"45..50"``, ``"55..inf"``; ``""`` for no band.

    Ten significant digits, so that a date's band (``20191214.5..20191215.5``) is written exactly.
    """
    if math.isnan(low):
        return ""
    return f"{low:.10g}..{high:.10g}"


def latest(history: pd.DataFrame) -> pd.DataFrame:
    """Each claim's latest history row (indexed by claim id)."""
    return history.groupby("claim_id", sort=False).tail(1).set_index("claim_id")


def unrecorded(rules: pd.DataFrame, bands: pd.DataFrame, history: pd.DataFrame) -> list[str]:
    """Claims whose rule, basis year or tolerance band differ from their latest history entry (or have none)."""
    last = latest(history)
    current = rules.merge(bands, on="claim_id")
    out = []
    for row in current.itertuples():
        if row.claim_id not in last.index:
            out.append(f"{row.claim_id} (no history entry)")
            continue
        entry = last.loc[row.claim_id]
        recorded = (entry["rule_after"], entry["basis_year_after"], entry["band_after"])
        now = (row.rule, row.basis_year, band_text(row.band_low, row.band_high))
        if recorded != now:
            out.append(f"{row.claim_id} (history {recorded}, rules table {now})")
    return out


def per_claim(history: pd.DataFrame) -> pd.DataFrame:
    """``claim_id, rule_fixed_on, first_pass_verdict``: the date of the rule in force and the 2026-11-24 verdict."""
    first = history[history["change"] == "written"].set_index("claim_id")["verdict_before"]
    fixed_on = latest(history)["date"]
    return pd.DataFrame(
        {
            "claim_id": fixed_on.index,
            "rule_fixed_on": fixed_on.values,
            "first_pass_verdict": first.reindex(fixed_on.index).fillna("").values,
        }
    )


def changed_verdicts(history: pd.DataFrame) -> pd.DataFrame:
    """Every history row whose verdict after differs from the verdict before (first pass included)."""
    rows = history[(history["verdict_before"] != "") & (history["verdict_before"] != history["verdict_after"])]
    return rows.reset_index(drop=True)
