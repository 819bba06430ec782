"""Time distance (Sicherl's S-distance), generations, the forward view and the structure snapshot.

Take a country's level ``L`` of an indicator in year ``t`` and a reference economy's annual
series ``R(y)``. The reference first reached ``L`` in year ``y*``; the time distance is ``t - y*``
years. ``y*`` is interpolated between the two consecutive observations that bracket ``L``:
log-linearly for levels (constant growth between observations) and linearly for shares (a
percentage moves by equal steps). Missing years are simply absent: the interpolation bridges the
gap between the observations on either side. If the reference's series goes down and up again,
the *first* crossing counts ("first reached").

The answer is censored when the data cannot give a number:

``more-than``
    The reference was already above ``L`` in its first observed year ``y0``: it reached
    ``L`` some time before ``y0``, so ``years_behind`` (= ``t - y0``) is a lower bound.
``less-than``
    The reference never reached ``L`` in its observed years (last one ``y1``): it may
    reach it after ``y1``, so ``years_behind`` (= ``t - y1``) is an upper bound. When
    that bound is zero or negative the country is *ahead* of the reference.

Uncensored distances are negative when the reference reached ``L`` only after ``t``: the
country is ahead by that many years. Batch tables mark a missing series ``no-data``.

Generations turn years into the paper's unit: years behind / generation length.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import trends
from analysis.errors import InputError, available

from .indicators import INTERPOLATIONS, LOG_LINEAR, Indicator, get_indicator
from .panels import NoDataError, Panels, parse_reference, reference_series

NOT_CENSORED = "no"
MORE_THAN = "more-than"
LESS_THAN = "less-than"
NO_DATA = "no-data"

COLUMNS = ["country", "reference", "indicator", "year", "level", "reference_year_at_level", "years_behind", "censored"]


# --------------------------------------------------------------------------- time distance


@dataclass(frozen=True)
class TimeDistance:
    """The year the reference reached the level, and the distance (or its bound, if censored)."""

    reference_year_at_level: float  # NaN when censored
    years_behind: float  # the distance; a lower bound if MORE_THAN, an upper bound if LESS_THAN
    censored: str  # NOT_CENSORED, MORE_THAN or LESS_THAN


def interpolate_year(
    year_a: float, value_a: float, year_b: float, value_b: float, level: float, interpolation: str = LOG_LINEAR
) -> float:
    """The year between two observations at which the path through them equals ``level``.

    Log-linear: constant growth between the observations. It needs positive values; a
    segment starting from zero falls back to linear.
    """
    if interpolation not in INTERPOLATIONS:
        raise InputError(f"Unknown interpolation {interpolation!r}. Allowed: {available(INTERPOLATIONS)}.")
    if value_a == value_b:
        return float(year_a)
    if interpolation == LOG_LINEAR and value_a > 0 and value_b > 0 and level > 0:
        fraction = math.log(level / value_a) / math.log(value_b / value_a)
    else:
        fraction = (level - value_a) / (value_b - value_a)
    return year_a + fraction * (year_b - year_a)


def time_distance(reference: pd.Series, level: float, year: int, interpolation: str = LOG_LINEAR) -> TimeDistance:
    """How many years before ``year`` the reference first reached ``level`` (see the module docstring)."""
    observed = reference.dropna().sort_index()
    if observed.empty:
        raise NoDataError(f"The reference series {reference.name!r} has no observations.")
    if not math.isfinite(level):
        raise InputError(f"The level must be a finite number; got {level!r}.")
    years = observed.index.to_numpy(dtype=float)
    values = observed.to_numpy(dtype=float)
    reached = np.flatnonzero(values >= level)
    if reached.size == 0:
        return TimeDistance(math.nan, year - years[-1], LESS_THAN)
    first = int(reached[0])
    if first == 0:
        if values[0] == level:
            return TimeDistance(years[0], year - years[0], NOT_CENSORED)
        return TimeDistance(math.nan, year - years[0], MORE_THAN)
    crossing = interpolate_year(years[first - 1], values[first - 1], years[first], values[first], level, interpolation)
    return TimeDistance(crossing, year - crossing, NOT_CENSORED)


def country_level(series: pd.Series, year: int | None, what: str = "") -> tuple[int, float]:
    """(year, value): the value in ``year``, or the latest observation if ``year`` is None."""
    if year is None:
        return int(series.index.max()), float(series.iloc[-1])
    if year not in series.index:
        raise NoDataError(
            f"{series.name} has no observation{what} in {year}; observed years: "
            f"{available(series.index.astype(int), limit=80)}."
        )
    return int(year), float(series.loc[year])


def gap(country: str, reference: str, indicator: str, year: int | None = None, panels: Panels | None = None) -> dict:
    """One row of the gap table: the country's level and its time distance to the reference."""
    panels = panels or Panels()
    ind = get_indicator(indicator)
    ref = parse_reference(reference, panels)
    country_year, level = country_level(panels.series(ind, country), year, f" of {ind.id}")
    distance = time_distance(reference_series(ind, ref, panels), level, country_year, ind.interpolation)
    return {
        "country": country.strip().upper(),
        "reference": ref.label,
        "indicator": ind.id,
        "year": country_year,
        "level": level,
        "reference_year_at_level": distance.reference_year_at_level,
        "years_behind": distance.years_behind,
        "censored": distance.censored,
    }


def gap_table(
    country: str,
    references: Sequence[str],
    indicators: Sequence[str],
    year: int | None = None,
    panels: Panels | None = None,
) -> pd.DataFrame:
    """The gap for every reference × indicator; a missing series gives a ``no-data`` row, not an error.

    Codes and indicator names are still checked: a typo is an error, a gap in the data is a row.
    """
    panels = panels or Panels()
    panels.check_code(country)
    inds = [get_indicator(i) for i in indicators]
    refs = [parse_reference(r, panels) for r in references]
    rows = []
    for ind in inds:
        for ref in refs:
            try:
                rows.append(gap(country, ref.label, ind.id, year, panels))
            except NoDataError:
                rows.append(
                    {
                        "country": country.strip().upper(),
                        "reference": ref.label,
                        "indicator": ind.id,
                        "year": year,
                        "censored": NO_DATA,
                    }
                )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["year"] = table["year"].astype("Int64")
    return table


# --------------------------------------------------------------------------- generations and reading


def generations(years_behind: float, generation_years: float = 10.0) -> float:
    """Years behind expressed in technology generations of ``generation_years`` years."""
    if not generation_years > 0:
        raise InputError(f"A generation must last a positive number of years; got {generation_years!r}.")
    return years_behind / generation_years


def generation_range(
    years_behind: float, band: Sequence[float] = (7.0, 15.0), censored: str = NOT_CENSORED
) -> tuple[float, float]:
    """(low, high) generations over a band of generation lengths; open-ended when censored."""
    if len(band) != 2:
        raise InputError(f"The generation band needs two lengths (shortest, longest); got {list(band)!r}.")
    ends = sorted(generations(years_behind, g) for g in band)
    if censored == MORE_THAN:
        return ends[0], math.inf
    if censored == LESS_THAN:
        return -math.inf, ends[1]
    if censored == NO_DATA:
        return math.nan, math.nan
    return ends[0], ends[1]


def ranges_overlap(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether two closed intervals share at least one point (False if either is NaN)."""
    return bool(a[0] <= b[1] and b[0] <= a[1])


def with_generations(
    gaps: pd.DataFrame, generation_years: float = 10.0, band: Sequence[float] = (7.0, 15.0)
) -> pd.DataFrame:
    """Gap rows plus generations at ``generation_years`` and their range over ``band`` (bounds if censored)."""
    out = gaps.copy()
    out["generations"] = [generations(y, generation_years) for y in out["years_behind"].astype(float)]
    ranges = [
        generation_range(y, band, c) for y, c in zip(out["years_behind"].astype(float), out["censored"], strict=False)
    ]
    out["generations_low"] = [r[0] for r in ranges]
    out["generations_high"] = [r[1] for r in ranges]
    return out


# --------------------------------------------------------------------------- forward view


@dataclass(frozen=True)
class ForwardView:
    """When the country, growing at its own trend, reaches the reference's latest level."""

    trend_growth: float  # fraction per year, log-linear trend over the window
    reference_year: int
    reference_level: float
    year_reached: float  # inf if the trend never gets there
    years_to_reach: float
    growth_low: float = math.nan  # the trend growth's confidence interval (trends.PREDICTION_LEVEL)
    growth_high: float = math.nan
    year_reached_early: float = math.nan  # the year reached at growth_high ...
    year_reached_late: float = math.nan  # ... and at growth_low (inf: never)


def forward_view(
    country_series: pd.Series, reference: pd.Series, year: int | None = None, window: int = 10
) -> ForwardView:
    """When the country, at its trend growth over ``window`` years ending in ``year``, reaches the reference's
    latest level."""
    if window < 2:
        raise InputError(f"The trend window must be at least 2 years; got {window!r}.")
    country_year, level = country_level(country_series, year)
    recent = country_series.loc[country_year - window + 1 : country_year]
    fit = trends.log_linear_fit(recent)
    growth = math.expm1(fit.slope)
    low, high = fit.growth_interval()
    observed = reference.dropna()
    if observed.empty:
        raise NoDataError(f"The reference series {reference.name!r} has no observations.")
    reference_year, reference_level = int(observed.index.max()), float(observed.loc[observed.index.max()])
    reached = trends.year_reaching(level, country_year, reference_level, growth)

    def reached_at(rate: float) -> float:
        return math.nan if math.isnan(rate) else trends.year_reaching(level, country_year, reference_level, rate)

    return ForwardView(
        growth, reference_year, reference_level, reached, reached - country_year, low, high, reached_at(high),
        reached_at(low),
    )  # fmt: skip


def forward_table(
    country: str,
    references: Sequence[str],
    indicator: str,
    year: int | None = None,
    window: int = 10,
    panels: Panels | None = None,
) -> pd.DataFrame:
    """:func:`forward_view` for each reference (a reference without data gives a row of NaN)."""
    panels = panels or Panels()
    ind = get_indicator(indicator)
    own = panels.series(ind, country)
    rows = []
    for text in references:
        ref = parse_reference(text, panels)
        try:
            view = forward_view(own, reference_series(ind, ref, panels), year, window)
        except NoDataError:
            rows.append({"reference": ref.label})
            continue
        rows.append(
            {
                "reference": ref.label,
                "trend_growth": view.trend_growth,
                "reference_year": view.reference_year,
                "reference_level": view.reference_level,
                "year_reached": view.year_reached,
                "years_to_reach": view.years_to_reach,
                "growth_low": view.growth_low,
                "growth_high": view.growth_high,
                "year_reached_early": view.year_reached_early,
                "year_reached_late": view.year_reached_late,
            }
        )
    return pd.DataFrame(rows, columns=FORWARD_COLUMNS)


FORWARD_COLUMNS = [
    "reference",
    "trend_growth",
    "reference_year",
    "reference_level",
    "year_reached",
    "years_to_reach",
    "growth_low",
    "growth_high",
    "year_reached_early",
    "year_reached_late",
]


# --------------------------------------------------------------------------- structure paradox


def latest_values(indicator: Indicator, panels: Panels, window: int = 5, last_year: int | None = None) -> pd.Series:
    """Each economy's latest observation in the ``window`` years up to ``last_year`` (default: the indicator's
    last year)."""
    values = panels.values(indicator)
    last_year = int(values["year"].max()) if last_year is None else last_year
    recent = values[(values["year"] > last_year - window) & (values["year"] <= last_year)]
    latest = recent.sort_values("year").groupby("iso3").tail(1)
    return latest.set_index("iso3")["value"].rename(indicator.id)


def structure_snapshot(
    indicators: Sequence[str], panels: Panels | None = None, window: int = 5, min_population: float = 1e6
) -> pd.DataFrame:
    """Economies (no aggregates, at least ``min_population`` people) × latest values of the indicators."""
    panels = panels or Panels()
    inds = [get_indicator(i) for i in indicators]
    countries = panels.table("countries")
    economies = countries.loc[~countries["is_aggregate"], ["iso3", "country"]].set_index("iso3")
    population = latest_values(get_indicator("SP.POP.TOTL"), panels, window)
    snapshot = economies.join(population.rename("population"), how="inner")
    snapshot = snapshot[snapshot["population"] >= min_population]
    for ind in inds:
        snapshot = snapshot.join(latest_values(ind, panels, window))
    return snapshot.reset_index()


def percentile_rank(snapshot: pd.DataFrame, column: str, iso3: str) -> float:
    """Share (%) of the other economies with a value of ``column`` below ``iso3``'s (NaN if it has none)."""
    observed = snapshot.dropna(subset=[column])
    own = observed.loc[observed["iso3"] == iso3, column]
    if own.empty:
        return math.nan
    others = observed.loc[observed["iso3"] != iso3, column]
    return float(100.0 * (others < own.iloc[0]).mean())
