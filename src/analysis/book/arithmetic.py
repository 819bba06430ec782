"""The sources' own arithmetic: totals against their parts, ratios of their own numbers.

These checks need no data, only the claims table: a claim whose rule is ``arithmetic`` is
``arithmetic-consistent`` when the value computed here from the source's other numbers lies
within the claim's tolerance band (:func:`analysis.book.verdicts.tolerance`).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.book.results import COLUMNS
from analysis.errors import DataError

PAPER_DATA_YEAR = 2023  # the paper appeared in 2023 (code 23091401); "until now" means 2023


def _values(claims: pd.DataFrame, pattern: str) -> pd.Series:
    parts = claims[claims["claim_id"].str.fullmatch(pattern)]
    if parts.empty:
        raise DataError(f"No claims match {pattern!r}: the arithmetic check has nothing to add up.")
    return parts.set_index("claim_id")["value"].astype(float)


def _start_year(period: str) -> int:
    found = re.search(r"\b(1[89]\d\d|20\d\d)\b", period)
    if not found:
        raise DataError(f"No start year in {period!r}.")
    return int(found.group(1))


def checks(claims: pd.DataFrame) -> list[tuple[str, float, str, str]]:
    """``(claim_id, computed value, basis, how)`` for every arithmetic claim of the claims table."""
    value = claims.set_index("claim_id")["value"].astype(float)
    period = claims.set_index("claim_id")["year_or_period"]
    out = []
    for circular, total, groups in (
        ("circular17", "criteria", "criteria_groups"),
        ("circular03", "indicators", "indicator_groups"),
    ):
        parts = _values(claims, rf"paper\.{circular}\.group\w+")
        out.append(
            (f"paper.{circular}.{total}", float(parts.sum()), "sum of the groups", " + ".join(f"{v:g}" for v in parts))
        )
        out.append((f"paper.{circular}.{groups}", float(len(parts)), "groups listed", f"{len(parts)} groups listed"))
    start = _start_year(period["paper.industrialization.duration_years"])
    out.append(
        (
            "paper.industrialization.duration_years",
            float(PAPER_DATA_YEAR - start),
            str(PAPER_DATA_YEAR),
            f"{PAPER_DATA_YEAR} − {start}",
        )
    )
    vnm, world = value["paper.rd.vnm_pct_gdp"], value["paper.rd.world_pct_gdp"]
    out.append(
        ("paper.rd.vnm_to_world_ratio", 100 * vnm / world, "the paper's own figures", f"100 × {vnm:g} ÷ {world:g}")
    )
    total, equitised = value["moit.research_institutes.ministry_total"], value["moit.research_institutes.equitised"]
    out.append(
        (
            "moit.research_institutes.under_ministry",
            total - equitised,
            "the interview's own figures",
            f"{total:g} − {equitised:g}",
        )
    )
    return out


def results(claims: pd.DataFrame) -> pd.DataFrame:
    """The arithmetic checks as rows of a results table (notebook ``arithmetic``)."""
    unit = claims.set_index("claim_id")["unit"]
    rows = [
        {
            "result_id": f"arithmetic.{claim_id}",
            "value": computed,
            "unit": unit[claim_id],
            "notebook": "arithmetic",
            "parameters": "{}",
            "claim_id": claim_id,
            "basis_used": basis,
            "search_value": float("nan"),
            "search_basis": "",
            "note": how,
        }
        for claim_id, computed, basis, how in checks(claims)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
