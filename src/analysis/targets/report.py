"""What the targets chapter shows: the tracker's rows for readers, counts, and the targets it cannot judge."""

from __future__ import annotations

import math

import pandas as pd

from analysis.claims.ledger import SOURCES, load_claims, load_rules
from analysis.claims.verdicts import TARGET_VERDICTS

UNIT_TEXT = {
    "percent": "%",
    "percent_per_year": "% a year",
    "percent_of_gdp": "% of GDP",
    "percent_of_budget": "% of the state budget",
    "percent_of_st_budget": "% of the S&T budget",
    "per_10k_people": "per 10,000 people",
    "index": "",
    "income_group": "US$",
}


def _number(value: float, digits: int) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def _digits(value: float) -> int:
    return 3 if abs(value) < 1 else 1 if abs(value) < 1000 else 0


def target_text(row: pd.Series) -> str:
    """The target as a reader reads it: ``"2 % of GDP by 2030"``, ``"+16 % a year to 2030"``."""
    unit = UNIT_TEXT.get(row["unit"], "")
    if row["unit"] == "rank":
        return f"top {row['target_value']:.0f} by {row['target_year']}"
    value = f"{row['target_value']:,.{_digits(row['target_value'])}f}"
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    if row["unit"] == "percent_per_year":
        return f"+{value}% a year to {row['target_year']}"
    joiner = "" if unit.startswith("%") else " "
    return f"{value}{joiner}{unit} by {row['target_year']}".replace("  ", " ")


def _interval_text(low: float, high: float, central: float, digits: int) -> str:
    """``"6.7 to 7.8 (trend 7.2)"``: the interval first, the trend line's value inside it."""
    if math.isnan(low) or math.isnan(high):
        return _number(central, digits)
    inside = "" if math.isnan(central) else f" (trend {_number(central, digits)})"
    return f"{_number(low, digits)} to {_number(high, digits)}{inside}"


def _reach_text(row) -> str:
    """The years the target is reached at the ends of the trend's growth interval (``2034–2058``, ``2046–never``)."""
    if row.verdict == "achieved":
        return "reached"
    early, late, trend = row.reach_year_low, row.reach_year_high, row.reach_year
    if math.isnan(early):
        return "–" if math.isnan(trend) else ("never" if math.isinf(trend) else f"{trend:.0f}")
    end = "never" if math.isnan(late) or math.isinf(late) else f"{late:.0f}"
    middle = "never" if math.isinf(trend) else f"{trend:.0f}"
    return f"{early:.0f}–{end} (trend {middle})"


def reader_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The tracker for the page: verdict first, the indicator, where it stands, the growth needed and seen."""
    latest = [
        ("+" if r.unit == "percent_per_year" else "")
        + f"{_number(r.latest_value, 0 if r.unit == 'rank' else _digits(r.latest_value))} ({r.latest_year})"
        if r.unit != "percent_per_year"
        else f"{_number(r.latest_value, 0)} in {r.latest_year}"
        for r in rows.itertuples()
    ]
    source = rows["claim_id"].map(load_claims().set_index("claim_id")["source_seed"].map(SOURCES))
    return pd.DataFrame(
        {
            "Verdict": rows["verdict"],
            "Source": source.to_numpy(),
            "Target": [f"{r.indicator}: {target_text(r)}" for _, r in rows.iterrows()],
            "Latest (year)": latest,
            "Needed (% a year)": [_number(v, 1) for v in rows["required_growth_pct"]],
            "Recent trend, interval first (% a year)": [
                _interval_text(r.recent_growth_low_pct, r.recent_growth_high_pct, r.recent_growth_pct, 1)
                for r in rows.itertuples()
            ],
            "Trend window": rows["window"],
            "In the target year, interval first": [
                _interval_text(
                    r.projected_low,
                    r.projected_high,
                    r.projected_value,
                    1 if r.unit == "percent_per_year" else _digits(r.latest_value),
                )
                for r in rows.itertuples()
            ],
            "Target reached (years)": [_reach_text(r) for r in rows.itertuples()],
            "Last three observations (% a year)": [
                f"{_number(v, 1)} ({w})" if w else "–"
                for v, w in zip(rows["short_growth_pct"], rows["short_window"], strict=True)
            ],
            "Latest observation trails the source by (years)": [_number(v, 0) for v in rows["latest_lag_years"]],
        }
    )


def distinct(rows: pd.DataFrame) -> pd.DataFrame:
    """One tracker row per distinct target (the first row of each ``target_group``)."""
    return rows.drop_duplicates("target_group")


def verdict_counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many distinct tracked targets (``target_group``) have each target verdict (zeros kept), in the
    vocabulary's order; a target repeated by two texts, or stated as a range, counts once (its first row)."""
    counts = distinct(rows)["verdict"].value_counts()
    return {verdict: int(counts.get(verdict, 0)) for verdict in TARGET_VERDICTS}


def unjudged(target_year: int | None = None) -> pd.DataFrame:
    """Targets the open data here cannot judge: their words, the verdict their rule gives, and why."""
    claims = load_claims()
    rules = load_rules(claims).set_index("claim_id")
    targets = claims[(claims["kind"] == "target") & ~claims["claim_id"].map(rules["rule"]).eq("target")]
    if target_year is not None:
        targets = targets[targets["year_or_period"].isin(["", str(target_year)])]
    rule = targets["claim_id"].map(rules["rule"])
    return (
        pd.DataFrame(
            {
                "Verdict": rule.replace({"proxy": "proxy-only"}),
                "Target (in the source's words)": targets["quote"],
                "What would settle it": [
                    (rules.loc[c, "settled_by"] or rules.loc[c, "basis"]) for c in targets["claim_id"]
                ],
            }
        )
        .drop_duplicates()
        .reset_index(drop=True)
    )


# A rank target's growth and projection are of the index relative to the bar (the tracker's egov rows).
RANK_FIELD_UNITS = {
    "required_growth_pct": "percent_per_year",
    "recent_growth_pct": "percent_per_year",
    "projected_value": "ratio_to_bar",
}

RECORDED_FIELDS = (
    "latest_value",
    "latest_year",
    "target_value",
    "required_growth_pct",
    "recent_growth_pct",
    "projected_value",
    "reach_year",
)


def record(recorder, rows: pd.DataFrame) -> None:
    """Record every tracker number as ``target.<claim id>.<column>`` (the published record; no claim links:
    the ledger reads target verdicts from the tracker itself)."""
    for row in rows.itertuples():
        for field in RECORDED_FIELDS:
            value = getattr(row, field)
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                unit = RANK_FIELD_UNITS.get(field, row.unit) if row.unit == "rank" else row.unit
                recorder.record(f"target.{row.claim_id}.{field}", float(value), "year" if "year" in field else unit)
