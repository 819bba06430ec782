"""Growth-rate arithmetic, checked against hand-worked examples."""

import math

import pandas as pd
import pytest

from analysis import trends
from analysis.errors import InputError


def test_cagr_doubling_in_ten_years():
    # 2 ** (1/10) - 1 = 0.0717734625...
    assert trends.cagr(100.0, 200.0, 10) == pytest.approx(0.0717734625, abs=1e-10)


def test_required_cagr_researchers_example():
    # 8.361 per 10,000 in 2023 to 12 in 2030: (12 / 8.361) ** (1/7) - 1 = 0.05297...
    assert trends.required_cagr(8.361, 2023, 12.0, 2030) == pytest.approx((12 / 8.361) ** (1 / 7) - 1)
    assert trends.required_cagr(8.361, 2023, 12.0, 2030) == pytest.approx(0.05297, abs=5e-5)


def test_year_reaching_inverts_value_at():
    year = trends.year_reaching(5.0, 2020, 10.0, 0.05)
    # ln 2 / ln 1.05 = 14.2067 years
    assert year == pytest.approx(2034.2067, abs=1e-4)
    assert trends.value_at(5.0, 2020, 0.05, 2034) < 10.0 < trends.value_at(5.0, 2020, 0.05, 2035)


def test_year_reaching_edge_cases():
    assert trends.year_reaching(12.0, 2023, 10.0, 0.01) == 2023
    assert trends.year_reaching(5.0, 2023, 10.0, 0.0) == math.inf
    assert trends.year_reaching(5.0, 2023, 10.0, -0.02) == math.inf


def test_log_trend_growth_recovers_exact_rate_with_gaps():
    years = [2000, 2001, 2004, 2010]  # irregular years: no interpolation needed
    series = pd.Series([3.0 * 1.04 ** (y - 2000) for y in years], index=years)
    assert trends.log_trend_growth(series) == pytest.approx(0.04, abs=1e-12)


def test_bad_input_is_explained():
    with pytest.raises(InputError, match="target year"):
        trends.required_cagr(5.0, 2030, 10.0, 2030)
    with pytest.raises(InputError, match="positive"):
        trends.cagr(0.0, 1.0, 5)
    with pytest.raises(InputError, match="at least two"):
        trends.log_trend_growth(pd.Series([1.0], index=[2000]))
