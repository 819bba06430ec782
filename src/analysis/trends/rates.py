"""Growth-rate arithmetic shared by the chapters: compound rates, required rates, target years.

Rates are fractions per year (0.05 = 5 % a year). "Compound annual growth" between two
observations is ``(end / start) ** (1 / years) - 1``; a log-linear trend fitted by least
squares to all observations in a window gives a rate that is robust to a single odd year.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

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


def log_trend_growth(series: pd.Series) -> float:
    """Annual growth of a least-squares log-linear trend through a series indexed by year.

    Missing years are simply absent (no interpolation); at least two observations are needed.
    """
    clean = series.dropna()
    clean = clean[clean > 0]
    if len(clean) < 2:
        raise InputError(
            f"A trend needs at least two positive observations; got {len(clean)} (years {list(clean.index)})."
        )
    years = np.asarray(clean.index, dtype=float)
    slope = np.polyfit(years, np.log(clean.to_numpy(dtype=float)), 1)[0]
    return math.expm1(slope)
