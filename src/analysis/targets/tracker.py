"""The target tracker: every dated target against the open data, judged by the one trend engine.

``tracker()`` gives one row per target of the claims table whose rule is ``target``
(``data/raw/verdict_rules.csv``) and that has a measure (``data/raw/target_measures.csv``). The
target value and year come from the claims table (income targets: from the inferred threshold);
the verdict from :func:`analysis.trends.outlook.outlook`. Chapters and the claims ledger read
these rows; none recomputes them.

Targets that several texts repeat (upper-middle income in the paper and the resolution) or that
give a range (patents +16–18 % a year) share a ``target_group``: counts are of groups.

Income thresholds are the World Bank's of the classification the WDI country table holds
(:mod:`analysis.targets.income`), indexed forward to the target year at each of
:data:`THRESHOLD_INDEX_RATES` a year (the World Bank raises them with inflation); the verdict
follows the target rule at every rate, and is borderline where the rates disagree.
The TFP share of growth is a period average, not a level that grows: it is judged over the
declared windows and specification grid without a trend (``below-target`` when every one is
below the target).

A rank target ("among the top 50", "top three in Southeast Asia", UN E-Government Survey) is
measured by the latest rank; it is achieved when that rank is at most the target. Otherwise the
bar to clear is the E-Government Development Index of the state at the target rank, survey by
survey since :data:`analysis.egov.RANK_PATH_FROM` (others improve too, so the bar moves), and the
trend engine judges Viet Nam's index *relative to the bar* against one: the ratio reaches one
exactly when the rank reaches the target. The index is bounded by one, so its own log-linear
projection would overshoot; the ratio to the bar does not have that problem.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.claims.ledger import load_claims, load_rules
from analysis.claims.verdicts import agreement
from analysis.countries import check_code
from analysis.data import load
from analysis.errors import DataError, InputError, NoDataError, available
from analysis.style.format import counted
from analysis.targets import income
from analysis.targets.measures import load_measures
from analysis.trends import outlook as engine
from analysis.trends import rates

# How fast the income thresholds may rise a year to the target year: the declared range, its middle
# the baseline shown. The World Bank moves them with the SDR deflator; 0 holds today's in current dollars.
THRESHOLD_INDEX_RATES = (0.0, 0.0125, 0.025)
BASELINE_INDEX_RATE = 0.0125
SHORT_WINDOW_OBSERVATIONS = 3  # the last three observations: a recent slowdown shows beside the trend

COLUMNS = [
    "claim_id",
    "target_group",
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
    "recent_growth_low_pct",
    "recent_growth_high_pct",
    "short_growth_pct",
    "short_window",
    "latest_lag_years",
    "projected_value",
    "projected_low",
    "projected_high",
    "reach_year",
    "reach_year_low",
    "reach_year_high",
    "bound_value",
    "threshold_basis_year",
    "threshold_today",
    "threshold_at_target",
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
    if country not in set(table["iso3"]):
        raise NoDataError(f"the source of {numerator!r} has no rows for {country}")
    rows = table[table["iso3"] == country].set_index("year").sort_index()
    values = rows[numerator] / (rows[denominator] if denominator else 1.0) * scale
    values.index = values.index.astype(int)
    return values.dropna().rename(numerator)


def _tfp_windows(country: str) -> list[tuple[str, float, float, float]]:
    """The TFP share (percent) over the declared windows up to PWT's last year: baseline, grid low, grid high."""
    from analysis import growth  # growth accounting loads statsmodels-free but heavy modules; only this row needs it

    pwt = load("pwt")
    observed = pwt.loc[(pwt["iso3"] == country) & pwt["rgdpna"].notna(), "year"]
    if observed.empty:
        raise NoDataError(f"PWT 11.0 has no real GDP for {country}, so no TFP share.")
    last = int(observed.max())
    periods = [f"{last - years + 1}-{last}" for years in sorted(engine.WINDOW_YEARS)]
    table = growth.decompose(pwt, country, periods, growth.BASELINE).set_index("period")["tfp_share"]
    grid = growth.sensitivity(pwt, country, periods, growth.GRID_LABOUR_SHARES).groupby("period")["tfp_share"]
    low, high = grid.min(), grid.max()
    return [(p, 100 * table[p], 100 * low[p], 100 * high[p]) for p in periods]


def _short_growth(series: pd.Series) -> tuple[float, str]:
    """Compound growth (percent a year) over the last :data:`SHORT_WINDOW_OBSERVATIONS` observations."""
    tail = series.dropna().sort_index().tail(SHORT_WINDOW_OBSERVATIONS)
    if len(tail) < 2 or (tail <= 0).any():
        return math.nan, ""
    first, last = int(tail.index[0]), int(tail.index[-1])
    return 100 * rates.cagr(float(tail.iloc[0]), float(tail.iloc[-1]), last - first), f"{first}–{last}"


def _outlook_fields(result: engine.Outlook, series: pd.Series) -> dict:
    """The tracker's columns that come from a trend outlook: growth needed and seen, with their intervals,
    the projection and the reach years (each interval before its trend line's value, in the table)."""
    growth_low, growth_high = result.growth_band
    projected_low, projected_high = result.projected_band
    reach_low, reach_high = result.reach_year_band
    short_growth, short_window = _short_growth(series)
    return {
        "required_growth_pct": 100 * result.required_growth,
        "recent_growth_pct": 100 * result.primary.growth,
        "recent_growth_low_pct": 100 * growth_low,
        "recent_growth_high_pct": 100 * growth_high,
        "short_growth_pct": short_growth,
        "short_window": short_window,
        "window": result.primary.label,
        "alternatives": result.windows_text(),
        "projected_value": result.projected_value,
        "projected_low": projected_low,
        "projected_high": projected_high,
        "reach_year": result.reach_year,
        "reach_year_low": reach_low,
        "reach_year_high": reach_high,
    }


def _egov_fields(claim: pd.Series, measure: pd.Series, country: str, egov: pd.DataFrame) -> dict:
    """A rank target's tracker fields: the latest rank, the bar (EGDI at the target rank) and the verdict."""
    from analysis import egov as survey

    target_year, target_rank = int(claim["year_or_period"]), int(float(claim["value"]))
    region = survey.region_states(measure["numerator"])
    if country not in set(egov["iso3"]) or (region is not None and country not in region):
        where = "the E-Government Survey's member states" if region is None else "the region's states"
        raise NoDataError(f"{country} is not among {where}")
    path = survey.rank_path(egov, country, region=region or survey.REGIONS["southeast_asia"])
    latest = path.iloc[-1]
    rank = int(latest["world_rank"] if region is None else latest["regional_rank"])
    year = int(latest["survey_year"])
    index = path.set_index("survey_year")["egdi"]
    bars = survey.bar_path(egov, target_rank, region=region)
    series = (index / bars).dropna().rename("egdi_relative_to_bar")
    result = engine.outlook(series, 1.0, target_year, "level")
    verdict = "achieved" if rank <= target_rank else result.verdict
    return _outlook_fields(result, series) | {
        "latest_value": float(rank),
        "latest_year": year,
        "target_value": float(target_rank),
        "latest_lag_years": int(egov["survey_year"].max()) - year,
        "bound_value": float(index.iloc[-1]),
        "threshold_basis_year": year,
        "threshold_today": float(bars.iloc[-1]),
        "verdict": verdict,
        "note": (
            f"{measure['note']} Rank {rank} in {year}: index {index.iloc[-1]:.4f} against {bars.iloc[-1]:.4f} for "
            f"the state ranked {target_rank} (the bar), {100 * series.iloc[-1]:.1f}% of it. Growth columns are of "
            "Viet Nam's index relative to the bar, survey by survey."
        ),
    }


def _base_row(claim: pd.Series, measure: pd.Series) -> dict:
    """The fields every tracker row has, judged or not: the target, its measure and empty results."""
    return dict.fromkeys(COLUMNS, math.nan) | {
        "claim_id": claim["claim_id"],
        "target_group": claim["group"],
        "indicator": measure["indicator"],
        "unit": claim["unit"],
        "target_year": int(claim["year_or_period"]),
        "note": measure["note"],
        "window": "",
        "alternatives": "",
        "short_window": "",
    }


def _row(claim: pd.Series, measure: pd.Series, country: str, tables: dict[str, pd.DataFrame]) -> dict:
    target_year = int(claim["year_or_period"])
    row = _base_row(claim, measure)
    if measure["table"] == "egov":  # a rank: the latest rank, and the index against the bar at the target rank
        return row | _egov_fields(claim, measure, country, tables["egov"])
    if measure["table"] == "growth":  # a share of growth: judged over the declared windows and grid, no trend
        windows = _tfp_windows(country)
        target = float(claim["value"])
        met = [value >= target for _, base, low, high in windows for value in (base, low, high)]
        verdict = agreement(["achieved" if m else "below-target" for m in met])
        first_period, latest, low, high = windows[0]
        return row | {
            "latest_value": latest,
            "latest_year": int(first_period[-4:]),
            "target_value": target,
            "window": first_period,
            "alternatives": "; ".join(
                f"{p}: baseline {base:.1f}%, declared grid {lo:.1f}–{hi:.1f}%" for p, base, lo, hi in windows
            ),
            "projected_low": low,
            "projected_high": high,
            "verdict": verdict,
        }
    rates_shown = (0.0,)
    if measure["table"] == "income":
        level = income.threshold(tables["wdi"], tables["countries"], measure["numerator"])
        series = indicator_series(tables["wdi"], country, income.GNI_COLUMN)
        rates_shown = THRESHOLD_INDEX_RATES
        source_table, source_column = tables["wdi"], income.GNI_COLUMN
        targets = {r: level.value * (1 + r) ** (target_year - level.year) for r in rates_shown}
        target = targets[BASELINE_INDEX_RATE]
        row |= {
            "threshold_basis_year": level.year,
            "threshold_today": level.value,
            "threshold_at_target": target,
        }
        row["note"] += (
            f" Threshold {level.value:,.0f} US$ in {level.year} GNI (between {level.below_max:,.0f} and "
            f"{level.above_min:,.0f}; {counted(level.misclassified, 'economy')} "
            "on the wrong side), indexed at "
            f"{', '.join(f'{100 * r:g}' for r in rates_shown)} % a year: "
            f"{', '.join(f'{v:,.0f}' for v in targets.values())} "
            f"US$ in {target_year}. Classified today: {income.income_group_of(tables['countries'], country)}."
        )
    else:
        table = tables[measure["table"]]
        series = indicator_series(table, country, measure["numerator"], measure["denominator"], measure["scale"])
        target = float(claim["value"])
        targets = {0.0: target}
        if measure["bound"]:
            bound = indicator_series(table, country, measure["bound"])
            row["bound_value"] = float(bound.iloc[-1]) if len(bound) else math.nan
        source_table, source_column = table, measure["numerator"]
    if series.empty:
        raise NoDataError(f"no observation of {source_column!r} for {country}")
    # How far the latest observation trails the latest year the source reports for any economy.
    reported = source_table.loc[source_table[source_column].notna(), "year"]
    row["latest_lag_years"] = int(reported.max()) - int(series.index.max())
    outlooks = {r: engine.outlook(series, value, target_year, measure["kind"]) for r, value in targets.items()}
    if measure["table"] == "income" and series.iloc[-1] >= level.value:
        verdict = "achieved"  # classified in the group today: no threshold to index
    else:
        verdict = agreement([o.verdict for o in outlooks.values()])
    result = outlooks[BASELINE_INDEX_RATE if measure["table"] == "income" else 0.0]
    return (
        row
        | _outlook_fields(result, series)
        | {
            "latest_value": result.latest_value,
            "latest_year": result.latest_year,
            "target_value": target,
            "verdict": verdict,
        }
    )


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
    country = check_code(country, tables["wdi"]["iso3"])  # unknown anywhere: an error; absent from one source: a gap
    if "hdr" in set(measures["table"]):
        tables["hdr"] = load("hdr")
    if "egov" in set(measures["table"]):
        tables["egov"] = load("egov")
    rows = [
        _row_or_gap(claim, measures.loc[claim["claim_id"]], country, tables)
        for _, claim in claims[claims["claim_id"].isin(judged)].iterrows()
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _row_or_gap(claim: pd.Series, measure: pd.Series, country: str, tables: dict[str, pd.DataFrame]) -> dict:
    """The target's row, or a ``no-data`` row saying why when the economy lacks the series (e.g. ``WLD``)."""
    try:
        return _row(claim, measure, country, tables)
    except NoDataError as gap:
        return _base_row(claim, measure) | {
            "target_value": float(claim["value"]) if pd.notna(claim["value"]) else math.nan,
            "verdict": "no-data",
            "note": f"No data for {country}: {gap}",
        }
