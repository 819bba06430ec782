"""What a path of inputs implies for outputs: Resolution 57's input targets against the no-policy path.

The *policy effect* is the extra output growth a year that the move of R&D intensity and
researcher density to their targets buys, compared with a path on which they stay at their latest
values (GDP and population grow alike on both paths, so their contribution cancels). It depends
only on the input elasticities and their covariance, so its confidence interval is the model's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import trends
from analysis.countries import check_code
from analysis.errors import InputError, available
from analysis.kpf.estimators import KpfFit
from analysis.kpf.panel import WDI_COLUMNS, choice, require_columns


@dataclass(frozen=True)
class InputBase:
    """An economy's inputs in the latest year where R&D spending and researchers are both reported."""

    iso3: str
    year: int
    rd_pct_gdp: float
    researchers_per_10k: float
    gdp: float
    population: float


def latest_inputs(wdi: pd.DataFrame, iso3: str) -> InputBase:
    """The latest year with R&D (% of GDP), researchers, GDP (PPP) and population all reported."""
    require_columns(wdi, ("iso3", "year", *WDI_COLUMNS), "wdi")
    iso3 = check_code(iso3, wdi["iso3"], "World Development Indicators")
    rows = wdi[wdi["iso3"] == iso3]
    needed = ["rd_expenditure_pct_gdp", "researchers_per_million", "gdp_ppp_const_2021usd", "population"]
    complete = rows.dropna(subset=needed)
    if complete.empty:
        raise InputError(f"{iso3} never reports R&D spending and researchers in the same year: no input baseline.")
    last = complete.loc[complete["year"].idxmax()]
    return InputBase(
        iso3=iso3,
        year=int(last["year"]),
        rd_pct_gdp=float(last["rd_expenditure_pct_gdp"]),
        researchers_per_10k=float(last["researchers_per_million"]) / 100.0,
        gdp=float(last["gdp_ppp_const_2021usd"]),
        population=float(last["population"]),
    )


def recent_growth(
    wdi: pd.DataFrame, iso3: str, column: str, years: int = 10, method: str = "cagr"
) -> tuple[float, int, int]:
    """Average annual growth of a WDI column over the last ``years`` years: (rate, first year, last year).

    ``cagr``: compound rate between the latest observation and the one ``years`` earlier (both
    must exist); ``trend``: log-linear trend through every observation in that window.
    """
    require_columns(wdi, ("iso3", "year", column), "wdi")
    choice(method, ("cagr", "trend"), "growth method")
    values = wdi.loc[wdi["iso3"] == iso3].set_index("year")[column].dropna()
    if values.empty:
        raise InputError(f"{iso3} has no observations of {column}.")
    end = int(values.index.max())
    start = end - years
    if method == "trend":
        window = values.loc[start:end]
        return trends.log_trend_growth(window), int(window.index.min()), end
    if start not in values.index:
        raise InputError(f"{iso3} has no {column} in {start}, {years} years before its latest value ({end}).")
    return trends.cagr(float(values.loc[start]), float(values.loc[end]), years), start, end


def input_path(
    base: InputBase,
    target_year: int,
    rd_target_pct_gdp: float,
    researchers_target_per_10k: float,
    gdp_growth: float,
    population_growth: float,
) -> pd.DataFrame:
    """Yearly inputs from the base year to the targets in ``target_year``.

    R&D intensity and researcher density move at a constant annual rate from their base values to
    the targets; GDP and population grow at the given rates (fractions per year). Passing the base
    values as targets gives the no-policy path. Returns levels and every log regressor of the models.
    """
    if target_year <= base.year:
        raise InputError(f"The target year ({target_year}) must come after the base year of the inputs ({base.year}).")
    for name, value in (
        ("rd_target_pct_gdp", rd_target_pct_gdp),
        ("researchers_target_per_10k", researchers_target_per_10k),
    ):
        if not (value > 0 and math.isfinite(value)):
            raise InputError(f"{name} must be a positive number; got {value!r}.")
    for name, value in (("gdp_growth", gdp_growth), ("population_growth", population_growth)):
        if not (value > -1 and math.isfinite(value)):
            raise InputError(f"{name} must be a growth rate (fraction per year) above -1; got {value!r}.")
    years = np.arange(base.year, target_year + 1)
    share = (years - base.year) / (target_year - base.year)
    path = pd.DataFrame({"year": years})
    path["rd_pct_gdp"] = base.rd_pct_gdp * (rd_target_pct_gdp / base.rd_pct_gdp) ** share
    path["researchers_per_10k"] = (
        base.researchers_per_10k * (researchers_target_per_10k / base.researchers_per_10k) ** share
    )
    path["gdp"] = base.gdp * (1.0 + gdp_growth) ** (years - base.year)
    path["population"] = base.population * (1.0 + population_growth) ** (years - base.year)
    path["log_rd_intensity"] = np.log(path["rd_pct_gdp"])
    path["log_researcher_density"] = np.log(path["researchers_per_10k"] * 100.0)  # per million people
    path["log_rd_spending"] = np.log(path["rd_pct_gdp"] / 100.0 * path["gdp"])
    path["log_researchers"] = np.log(path["researchers_per_10k"] / 1e4 * path["population"])
    path["log_gdp"] = np.log(path["gdp"])
    path["log_gdp_per_capita"] = np.log(path["gdp"] / path["population"])
    path["log_population"] = np.log(path["population"])
    return path


def path_growth(path: pd.DataFrame, column: str) -> float:
    """Average annual growth (fraction) of a log column of an input path, first to last year."""
    require_columns(path, ("year", column), "input path")
    years = int(path["year"].iloc[-1] - path["year"].iloc[0])
    return math.expm1((path[column].iloc[-1] - path[column].iloc[0]) / years)


def _annual(change: float, years: int) -> float:
    return math.expm1(change / years)


def policy_growth(fit_: KpfFit, target: pd.DataFrame, baseline: pd.DataFrame) -> pd.Series:
    """Extra output growth a year (fraction) that the target path buys over the baseline, with its 95 % CI.

    ``change`` = sum_k b_k (Delta x_k on the target path - Delta x_k on the baseline), over the
    whole path; its standard error is sqrt(d' V d) with the model's clustered covariance V.
    """
    terms = fit_.terms
    missing = [t for t in terms if t not in target.columns or t not in baseline.columns]
    if missing:
        raise InputError(f"The input paths lack the regressor(s) {available(missing)}.")
    if len(target) != len(baseline):
        raise InputError("The target and baseline paths must cover the same years.")
    delta = (target[terms].iloc[-1] - target[terms].iloc[0]) - (baseline[terms].iloc[-1] - baseline[terms].iloc[0])
    vector = delta.to_numpy(dtype=float)
    change = float(vector @ fit_.params.to_numpy())
    se = math.sqrt(float(vector @ fit_.cov.to_numpy() @ vector))
    half = fit_.critical_value * se
    years = len(target) - 1
    return pd.Series(
        {"growth": _annual(change, years), "low": _annual(change - half, years), "high": _annual(change + half, years)}
    )


def implied_growth(fit_: KpfFit, path: pd.DataFrame) -> pd.Series:
    """Total output growth a year (fraction) along ``path`` with its 95 % CI, year effects held fixed.

    A per-capita outcome adds the growth of population (known, no uncertainty) to give total output.
    """
    terms = fit_.terms
    delta = (path[terms].iloc[-1] - path[terms].iloc[0]).to_numpy(dtype=float)
    change = float(delta @ fit_.params.to_numpy())
    se = math.sqrt(float(delta @ fit_.cov.to_numpy() @ delta))
    half = fit_.critical_value * se
    if fit_.panel.specification == "per_capita":
        change += float(path["log_population"].iloc[-1] - path["log_population"].iloc[0])
    years = len(path) - 1
    return pd.Series(
        {"growth": _annual(change, years), "low": _annual(change - half, years), "high": _annual(change + half, years)}
    )
