"""The chapter's tables for readers: every cell in words, bounds marked, names readable, years whole."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.claims.ledger import load_claims, load_rules
from analysis.claims.verdicts import judge
from analysis.style import format as f

from .compute import LESS_THAN, MORE_THAN
from .indicators import get_indicator
from .panels import MEDIAN, WORLD
from .text import describe_years, format_distance, format_generation_range, format_reference_year, relation_words

GDP_IDS = ("SL.GDP.PCAP.EM.KD", "pwt_gdp_per_worker")
NO_OPEN_DATA_CLAIMS = (
    "paper.technology.imported_1970s_share",
    "paper.innovation_investment.vnm",
    "paper.innovation_investment.ind",
    "paper.innovation_investment.kor",
)


def name(code: str, names: Mapping[str, str]) -> str:
    """A readable name for prose and tables; the world aggregate reads "the world"."""
    return {WORLD: "the world", MEDIAN: "the median economy"}.get(code) or names.get(code, code)


def unmeasured_table(claim_ids: Sequence[str] = NO_OPEN_DATA_CLAIMS) -> pd.DataFrame:
    """The paper's statements that open data cannot test: its words, the verdict its rule gives, and why."""
    claims = load_claims().set_index("claim_id")
    rules = load_rules(load_claims()).set_index("claim_id")
    return pd.DataFrame(
        {
            "Verdict": [rules.loc[c, "rule"] for c in claim_ids],
            "The paper says": [claims.loc[c, "quote"] for c in claim_ids],
            "Why open data cannot settle it": [rules.loc[c, "basis"] for c in claim_ids],
        }
    ).drop_duplicates(subset=["The paper says"])


def gdp_table(gaps: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """Distances in GDP per person employed from both sources, in words."""
    rows = gaps[gaps["indicator"].isin(GDP_IDS)]
    return pd.DataFrame(
        {
            "Source": [get_indicator(i).source.upper() for i in rows["indicator"]],
            "Reference": [name(r, names) for r in rows["reference"]],
            "Year": [f.year(y) for y in rows["year"]],
            "Level (2021 PPP $)": [f.number(v, 0) for v in rows["level"]],
            "Reference at that level in": [
                format_reference_year(t, y, c)
                for t, y, c in zip(rows["year"], rows["years_behind"], rows["censored"], strict=True)
            ],
            "Distance": [describe_years(y, c, 1) for y, c in zip(rows["years_behind"], rows["censored"], strict=True)],
        }
    )


def generations_table(rows: pd.DataFrame, generation_years: float, band: Sequence[float]) -> pd.DataFrame:
    """Years and generations behind for each reference and source; bounds marked, never plain numbers."""
    return pd.DataFrame(
        {
            "Reference (source)": rows["label"],
            "Years behind": [
                format_distance(y, c, 0 if c in (MORE_THAN, LESS_THAN) else 1)  # bounds are whole years
                for y, c in zip(rows["years_behind"], rows["censored"], strict=True)
            ],
            f"Generations at {f.quantity(generation_years, 'year')}": [
                format_distance(g, c, 1) for g, c in zip(rows["generations"], rows["censored"], strict=True)
            ],
            f"Range over {f.year_range(min(band), max(band))} years": [
                format_generation_range(lo, hi, c)
                for lo, hi, c in zip(rows["generations_low"], rows["generations_high"], rows["censored"], strict=True)
            ],
        }
    )


def _reach(year: float) -> str:
    return "never" if year == math.inf else f.year(math.ceil(year)) if pd.notna(year) else f.MISSING


def _reach_range(early: float, late: float) -> str:
    """The years reached at the two ends of the trend growth's interval (``2031–2040``, ``2031–never``)."""
    if pd.isna(early) or pd.isna(late):
        return f.MISSING
    return f"{_reach(early)}–{_reach(late)}" if early != late else _reach(early)


def forward_reader_table(forward: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The forward view in words: each reference's latest level and when the country's trend reaches it."""
    return pd.DataFrame(
        {
            "Reference": [name(r, names) for r in forward["reference"]],
            "Reference's latest year": [f.year(y) for y in forward["reference_year"]],
            "Its level (2021 PPP $)": [f.number(v, 0) for v in forward["reference_level"]],
            "Year reached, growth interval": [
                _reach_range(early, late)
                for early, late in zip(forward["year_reached_early"], forward["year_reached_late"], strict=True)
            ],
            "Year reached at the trend": [_reach(v) for v in forward["year_reached"]],
            "Years from now": [f.number(v, 1) for v in forward["years_to_reach"]],
        }
    )


def _length(years: float) -> str:
    return f.number(years, 0 if years == round(years) else 1)


def _generations_cell(r) -> str:
    censored = MORE_THAN if math.isinf(r.generations[1]) else LESS_THAN if math.isinf(r.generations[0]) else "no"
    if r.lengths[0] == r.lengths[1]:
        return format_distance(r.generations[0], censored, 1)
    return format_generation_range(*r.generations, censored)


def generation_length_table(
    readings: Sequence, claimed: Sequence[float], other: tuple[str, Sequence] | None = None
) -> pd.DataFrame:
    """Viet Nam's proxy at each generation length: lengths, generations, how they stand to the claim, verdict.

    ``readings`` are Viet Nam's :class:`.report.Reading` rows (the paper's claim is about Viet Nam);
    ``other`` is (name, readings) of the page's economy when it is another one, shown beside them and
    not compared with the claim. The ledger's rule for the generations claim is ``proxy``, so its
    verdict is ``proxy-only`` whatever the length; the length changes only the reading.
    """
    rules = load_rules(load_claims()).set_index("claim_id")
    verdict = judge(rules.loc["paper.technology.generations_behind.low", "rule"], (-math.inf, math.inf))
    table = pd.DataFrame(
        {
            "Generation length": [r.basis for r in readings],
            "Years a generation": [
                _length(r.lengths[0])
                if r.lengths[0] == r.lengths[1]
                else f"{_length(r.lengths[0])} to {_length(r.lengths[1])}"
                for r in readings
            ],
            "Viet Nam: generations behind the world (PWT)": [_generations_cell(r) for r in readings],
            f"Against the paper's {f.number(claimed[0], 0)}–{f.number(claimed[1], 0)}": [
                relation_words(r.relation) for r in readings
            ],
            "Ledger verdict": [verdict] * len(readings),
        }
    )
    if other is not None:
        table[f"{other[0]}: generations behind the world (PWT)"] = [_generations_cell(r) for r in other[1]]
    return table
