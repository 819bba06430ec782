"""Prediction intervals of the trend engine: by hand and against statsmodels' own."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from analysis.trends import outlook
from analysis.trends.rates import log_linear_fit

SERIES = pd.Series([1.0, 1.1, 1.25, 1.3, 1.45, 1.6], index=range(2015, 2021))


def test_half_width_against_statsmodels():
    fit = log_linear_fit(SERIES)
    x = sm.add_constant(np.asarray(SERIES.index, dtype=float))
    model = sm.OLS(np.log(SERIES.to_numpy()), x).fit()
    frame = model.get_prediction(np.array([[1.0, 2030.0]])).summary_frame(alpha=0.05)
    half = float(frame["obs_ci_upper"].iloc[0] - frame["mean"].iloc[0])
    assert fit.slope == pytest.approx(model.params[1], rel=1e-12)
    assert fit.half_width(2030) == pytest.approx(half, rel=1e-9)
    low, high = (math.expm1(b) for b in model.conf_int(alpha=0.05)[1])
    assert fit.growth_interval() == pytest.approx((low, high), rel=1e-9)


def test_half_width_by_hand():
    # three points on ln y = 0, 0.1, 0.3 at years 0, 1, 2: slope 0.15, fitted 2/15 - 0.15 + 0.15 x,
    # residuals 1/60, -1/30, 1/60; one degree of freedom; year 4 is 3 from the mean, Sxx = 2
    series = pd.Series(np.exp([0.0, 0.1, 0.3]), index=[0, 1, 2])
    fit = log_linear_fit(series)
    s = math.sqrt((1 / 60) ** 2 + (1 / 30) ** 2 + (1 / 60) ** 2)
    t = 12.706204736174707  # t(0.975, 1 df)
    assert fit.slope == pytest.approx(0.15)
    assert fit.half_width(4) == pytest.approx(t * s * math.sqrt(1 + 1 / 3 + 9 / 2), rel=1e-9)
    assert math.isnan(log_linear_fit(series.iloc[:2]).half_width(4))  # two points: no interval


def test_band_is_centred_on_the_projection_and_reach_years_bracket():
    result = outlook.outlook(SERIES, 3.0, 2030, "level")
    low, high = result.projected_band
    assert math.sqrt(low * high) == pytest.approx(result.projected_value, rel=1e-12)  # symmetric in logs
    early, late = result.reach_year_band
    assert early <= result.reach_year <= late
    assert result.band_at(int(late))[0] >= 3.0 > result.band_at(int(late) - 1)[0]
