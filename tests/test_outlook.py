"""The one target engine (analysis.trends.outlook), on hand-worked series."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.errors import InputError
from analysis.trends import outlook


def _series(values: dict[int, float]) -> pd.Series:
    return pd.Series(values, dtype=float)


def test_trend_compound_and_log_linear_hand_worked():
    # 100 growing exactly 10 % a year from 2010 to 2020: both methods give 10 %.
    exact = _series({y: 100 * 1.1 ** (y - 2010) for y in range(2010, 2021)})
    for method in outlook.METHODS:
        t = outlook.trend(exact, 10, method)
        assert (t.first_year, t.last_year, t.observations) == (2010, 2020, 11)
        assert t.growth == pytest.approx(0.10)
    # Only the end points matter for compound growth: 100 → 400 over 2016–2020 (4 years) = √2 − 1.
    bumpy = _series({2014: 50.0, 2016: 100.0, 2017: 900.0, 2020: 400.0})
    assert outlook.trend(bumpy, 4, "compound", jump_factor=100).growth == pytest.approx(math.sqrt(2) - 1)


def test_window_is_cut_at_the_last_break():
    # A level break (×3 between 2015 and 2016) ends the window: only 2016–2020 count.
    series = _series(
        {**{y: 10.0 for y in range(2010, 2016)}, **{y: 30.0 * 1.05 ** (y - 2016) for y in range(2016, 2021)}}
    )
    t = outlook.trend(series, 10, "log-linear")
    assert (t.first_year, t.observations) == (2016, 5)
    assert t.growth == pytest.approx(0.05)


def test_level_target_verdicts_hand_worked():
    # 1 % of GDP in 2020 growing 10 % a year reaches 1.1**10 = 2.594 by 2030: on track for 2, off track for 3.
    series = _series({y: 1.1 ** (y - 2020) for y in range(2010, 2021)})
    on = outlook.outlook(series, 2.0, 2030, "level")
    assert on.verdict == "on-track"
    assert on.projected_value == pytest.approx(1.1**10)
    assert on.required_growth == pytest.approx(2**0.1 - 1)
    assert on.reach_year == 2028  # 1.1**t = 2 at t = 7.27 years
    assert outlook.outlook(series, 3.0, 2030, "level").verdict == "off-track"
    assert outlook.outlook(series, 0.5, 2030, "level").verdict == "achieved"


def test_borderline_when_windows_disagree():
    # Flat, then 20 % a year for the last five years (2.49 in 2020): at 20 % a year the 5-year windows
    # reach 8 by 2030 (2.49 × 1.2**10 = 15.4); the 10-year compound rate (9.5 %) gives only 6.2.
    values = {y: 1.0 for y in range(2005, 2016)} | {y: 1.2 ** (y - 2015) for y in range(2016, 2021)}
    result = outlook.outlook(_series(values), 8.0, 2030, "level", jump_factor=10)
    assert result.verdict == "borderline"
    assert "meets" in result.windows_text() and "misses" in result.windows_text()


def test_growth_target_compares_rates():
    series = _series({y: 100 * 1.12 ** (y - 2010) for y in range(2010, 2021)})
    assert outlook.outlook(series, 10, 2030, "growth").verdict == "on-track"
    assert outlook.outlook(series, 15, 2030, "growth").verdict == "off-track"
    # a growth target is judged on the rate: the projection is the trend's 12 % a year, with its interval
    result = outlook.outlook(series, 15, 2030, "growth")
    assert result.projected_value == pytest.approx(12.0)
    assert result.projected_band == (pytest.approx(12.0), pytest.approx(12.0))  # an exact trend: no residual
    noisy = _series({y: 100 * 1.12 ** (y - 2010) * (1.03 if y % 2 else 0.97) for y in range(2010, 2021)})
    low, high = outlook.outlook(noisy, 15, 2030, "growth").projected_band
    assert low < 12.0 < high
    assert math.isnan(result.reach_year) and math.isnan(result.reach_year_band[0])  # a rate is met or not


def test_bad_input_is_refused():
    with pytest.raises(InputError, match="Unknown target kind 'stock'"):
        outlook.outlook(_series({2020: 1.0, 2021: 2.0}), 3, 2030, "stock")
    with pytest.raises(InputError, match="no trend, so no verdict"):
        outlook.outlook(_series({2020: 1.0}), 3, 2030, "level")
    with pytest.raises(InputError, match="Unknown trend method"):
        outlook.trend(_series({2020: 1.0, 2021: 2.0}), 5, "linear")
