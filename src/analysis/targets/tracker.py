"""The target tracker: every dated target against the open data, judged by the one trend engine.

``tracker()`` gives one row per target of the claims table whose rule is ``target``
(``data/raw/verdict_rules.csv``) and that has a measure (``data/raw/target_measures.csv``). The
target value and year come from the claims table (income targets: from the inferred threshold);
the verdict from :func:`analysis.trends.outlook.outlook`. Chapters and the claims ledger read
these rows; none recomputes them.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.book.ledger import load_claims, load_rules
from analysis.countries import check_code
from analysis.data import load
from analysis.errors import DataError, InputError, available
from analysis.targets import income
from analysis.targets.measures import load_measures
from analysis.trends import outlook as engine

COLUMNS = [
    "claim_id",
    "indicator",
    "unit",
    "latest_value",
    "latest_year",
    "target_value",
    "target_year",
    "required_growth_pct",
    "recent_growth_pct",
    "window",
    "alternatives",
    "projected_value",
    "reach_year",
    "bound_value",
    "verdict",
    "note",
]


def indicator_series(
    table: pd.DataFrame, country: str, numerator: str, denominator: str = "", scale: float = 1.0
) -> pd.Series:
    """One country's indicator by year (observed years only): ``numerator ÷ denominator × scale``."""
    for column in filter(None, (numerator, denominator)):
        if column not in table.columns:
            raise InputError(
                f"Unknown column {column!r}. "
                f"Available: {available(c for c in table.columns if c not in ('iso3', 'country', 'year'))}."
            )
    country = check_code(country, table["iso3"])
    rows = table[table["iso3"] == country].set_index("year").sort_index()
    values = rows[numerator] / (rows[denominator] if denominator else 1.0) * scale
    values.index = values.index.astype(int)
    return values.dropna().rename(numerator)


def _tfp_windows(country: str) -> list[tuple[str, float]]:
    from analysis import growth

    pwt = load("pwt")
    last = int(pwt.loc[(pwt["iso3"] == country) & pwt["rgdpna"].notna(), "year"].max())
    periods = [f"{last - years + 1}-{last}" for years in sorted(engine.WINDOW_YEARS)]
    table = growth.decompose(pwt, country, periods, growth.BASELINE)
    return [(row.period, 100 * row.tfp_share) for row in table.itertuples()]


def _row(claim: pd.Series, measure: pd.Series, country: str, tables: dict[str, pd.DataFrame]) -> dict:
    target_year = int(claim["year_or_period"])
    row = {
        "claim_id": claim["claim_id"],
        "indicator": measure["indicator"],
        "unit": claim["unit"],
        "target_year": target_year,
        "note": measure["note"],
        "bound_value": math.nan,
    }
    if measure["table"] == "growth":  # a share of growth: judged over the declared windows, no projection
        windows = _tfp_windows(country)
        target = float(claim["value"])
        met = [share >= target for _, share in windows]
        verdict = "achieved" if all(met) else "off-track" if not any(met) else "borderline"
        (first_period, latest), *rest = windows
        return row | {
            "latest_value": latest,
            "latest_year": int(first_period[-4:]),
            "target_value": target,
            "required_growth_pct": math.nan,
            "recent_growth_pct": math.nan,
            "window": first_period,
            "alternatives": "; ".join(f"{p}: {s:.1f}%" for p, s in windows),
            "projected_value": math.nan,
            "reach_year": math.nan,
            "verdict": verdict,
        }
    if measure["table"] == "income":
        level = income.threshold(tables["wdi"], tables["countries"], measure["numerator"])
        series = indicator_series(tables["wdi"], country, income.GNI_COLUMN)
        target = level.value
        row["note"] += (
            f" Threshold {level.value:,.0f} US$ (between {level.below_max:,.0f} and {level.above_min:,.0f} in "
            f"{level.year}; {level.misclassified} economies on the wrong side). Classified today: "
            f"{income.income_group_of(tables['countries'], country)}."
        )
    else:
        table = tables[measure["table"]]
        series = indicator_series(table, country, measure["numerator"], measure["denominator"], measure["scale"])
        target = float(claim["value"])
        if measure["bound"]:
            row["bound_value"] = float(indicator_series(table, country, measure["bound"]).iloc[-1])
    result = engine.outlook(series, target, target_year, measure["kind"])
    return row | {
        "latest_value": result.latest_value,
        "latest_year": result.latest_year,
        "target_value": target,
        "required_growth_pct": 100 * result.required_growth,
        "recent_growth_pct": 100 * result.primary.growth,
        "window": result.primary.label,
        "alternatives": result.windows_text(),
        "projected_value": result.projected_value,
        "reach_year": result.reach_year,
        "verdict": result.verdict,
    }


def tracker(country: str = "VNM") -> pd.DataFrame:
    """One row per measurable target (see the module docstring), in the claims table's order."""
    claims = load_claims()
    rules = load_rules(claims)
    measures = load_measures().set_index("claim_id")
    judged = set(rules.loc[rules["rule"] == "target", "claim_id"])
    unmeasured = sorted(judged - set(measures.index))
    if unmeasured:
        raise DataError(f"Targets judged by the tracker have no measure in target_measures.csv: {unmeasured}.")
    tables = {"wdi": load("wdi"), "countries": load("countries")}
    if "hdr" in set(measures["table"]):
        tables["hdr"] = load("hdr")
    rows = [
        _row(claim, measures.loc[claim["claim_id"]], country, tables)
        for _, claim in claims[claims["claim_id"].isin(judged)].iterrows()
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
