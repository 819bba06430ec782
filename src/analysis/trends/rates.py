"""Growth-rate arithmetic shared by the chapters: compound rates, required rates, target years.

Rates are fractions per year (0.05 = 5 % a year). "Compound annual growth" between two
observations is ``(end / start) ** (1 / years) - 1``; a log-linear trend fitted by least
squares to all observations in a window gives a rate that is robust to a single odd year.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from analysis.errors import InputError


def _check_positive(**values: float) -> None:
    for name, value in values.items():
        if not (value > 0 and math.isfinite(value)):
            raise InputError(f"{name} must be a positive finite number for a growth rate; got {value!r}.")


def cagr(start_value: float, end_value: float, years: float) -> float:
    """Compound annual growth rate from ``start_value`` to ``end_value`` over ``years`` years."""
    _check_positive(start_value=start_value, end_value=end_value)
    if years <= 0:
        raise InputError(f"years must be positive; got {years!r}.")
    return (end_value / start_value) ** (1.0 / years) - 1.0


def required_cagr(current_value: float, current_year: int, target_value: float, target_year: int) -> float:
    """The constant annual growth that takes ``current_value`` in ``current_year`` to the target."""
    if target_year <= current_year:
        raise InputError(f"The target year ({target_year}) must come after the latest observation ({current_year}).")
    return cagr(current_value, target_value, target_year - current_year)


def year_reaching(current_value: float, current_year: int, target_value: float, annual_growth: float) -> float:
    """The (fractional) year in which ``current_value`` growing at ``annual_growth`` reaches the target.

    Returns ``current_year`` if the target is already reached and ``inf`` if the growth
    rate never gets there (zero or negative growth below the target).
    """
    _check_positive(current_value=current_value, target_value=target_value)
    if current_value >= target_value:
        return float(current_year)
    if annual_growth <= 0:
        return math.inf
    return current_year + math.log(target_value / current_value) / math.log1p(annual_growth)


def value_at(current_value: float, current_year: int, annual_growth: float, year: int) -> float:
    """Project ``current_value`` forward (or back) at a constant annual growth rate."""
    return current_value * (1.0 + annual_growth) ** (year - current_year)


PREDICTION_LEVEL = 0.95  # the level of every prediction and confidence interval of a trend


@dataclass(frozen=True)
class LogLinearFit:
    """A least-squares line through ``ln(value)`` on the year, with what its intervals need."""

    slope: float
    residual_sd: float  # s, with n − 2 degrees of freedom
    observations: int
    mean_year: float
    sxx: float  # sum of squared deviations of the years from their mean

    def half_width(self, year: float, level: float = PREDICTION_LEVEL) -> float:
        """Half the width, in logs, of the prediction interval for a new observation in ``year`` (NaN if n < 3)."""
        if self.observations < 3:
            return math.nan
        t = stats.t.ppf(0.5 + level / 2, self.observations - 2)
        return float(
            t * self.residual_sd * math.sqrt(1 + 1 / self.observations + (year - self.mean_year) ** 2 / self.sxx)
        )

    def growth_interval(self, level: float = PREDICTION_LEVEL) -> tuple[float, float]:
        """The confidence interval of the trend's growth rate (fractions a year; NaN if n < 3)."""
        if self.observations < 3:
            return math.nan, math.nan
        t = stats.t.ppf(0.5 + level / 2, self.observations - 2)
        half = t * self.residual_sd / math.sqrt(self.sxx)
        return math.expm1(self.slope - half), math.expm1(self.slope + half)


def log_linear_fit(series: pd.Series) -> LogLinearFit:
    """Fit ``ln(value) = a + b · year`` by least squares (positive observations only; at least two)."""
    clean = series.dropna()
    clean = clean[clean > 0]
    if len(clean) < 2:
        raise InputError(f"A trend needs at least two positive observations; got {len(clean)}.")
    years = np.asarray(clean.index, dtype=float)
    logs = np.log(clean.to_numpy(dtype=float))
    mean_year = float(years.mean())
    sxx = float(((years - mean_year) ** 2).sum())
    slope = float(((years - mean_year) * (logs - logs.mean())).sum() / sxx)
    residuals = logs - (logs.mean() + slope * (years - mean_year))
    dof = len(clean) - 2
    residual_sd = float(math.sqrt((residuals**2).sum() / dof)) if dof > 0 else math.nan
    return LogLinearFit(slope, residual_sd, len(clean), mean_year, sxx)


def log_trend_growth(series: pd.Series) -> float:
    """Annual growth of a least-squares log-linear trend through a series indexed by year.

    Missing years are simply absent (no interpolation); at least two observations are needed.
    """
    return math.expm1(log_linear_fit(series).slope)
