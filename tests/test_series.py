"""Helpers for sparsely observed WDI series (:mod:`analysis.series`): hand-worked examples, identities, real-data facts.

Tables are built from researcher data (:mod:`analysis.researchers.compute`), as in the chapters.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.researchers import compute as r
from analysis.trends import sparse as s


def synthetic_wdi(values: dict[str, dict[int, float]], column: str = r.WDI_RESEARCHERS_PER_MILLION) -> pd.DataFrame:
    """A tiny WDI-shaped table: one row per (iso3, year) with the given column, other rows NaN."""
    rows = [
        {"iso3": c, "country": f"Country {c}", "year": y, column: v}
        for c, series in values.items()
        for y, v in series.items()
    ]
    return pd.DataFrame(rows)


# --- what exists ------------------------------------------------------------------------------


def test_observed_years_lists_what_exists():
    wdi = synthetic_wdi({"AAA": {2002: 1.0, 2013: 2.0, 2014: 3.0}})
    years = s.observed_years(r.researcher_density(wdi, ["AAA"]))
    assert years.iloc[0].to_dict() == {
        "country": "AAA",
        "observations": 3,
        "first_year": 2002,
        "last_year": 2014,
        "years": "2002, 2013–2014",
    }


# --- matching a published figure --------------------------------------------------------------


def test_closest_year_with_cutoff_and_ties():
    series = pd.Series({2015: 7.0, 2017: 7.25, 2019: 7.75, 2021: 7.5})
    assert s.closest_year(series, 7.5) == (2021, 7.5)
    # up to 2020: |7.25 - 7.5| = |7.75 - 7.5| = 0.25 exactly (binary fractions), a tie → the later year
    assert s.closest_year(series, 7.5, up_to_year=2020) == (2019, 7.75)
    assert s.years_within(series, 7.5, 0.25, up_to_year=2020) == [2017, 2019]
    with pytest.raises(InputError, match="No observation up to 2010"):
        s.closest_year(series, 7.4, up_to_year=2010)


def test_match_published_verdicts_with_per_country_tolerance():
    wdi = synthetic_wdi({"AAA": {2016: 700.0, 2018: 760.0, 2022: 740.0}, "BBB": {2016: 2000.0}})
    table = r.researcher_density(wdi, ["AAA", "BBB"])
    matches = s.match_published(
        table, r.RESEARCHERS_PER_10K, {"AAA": 7.4, "BBB": 21.0}, {"AAA": 0.25, "BBB": 0.5}, up_to_year=2020
    )
    aaa, bbb = matches.to_dict("records")
    # AAA up to 2020: 7.0 (off by 0.4) and 7.6 (off by 0.2) → 2018, reproduced within 0.25;
    # 2022 is exact but after the cutoff
    assert (aaa["best_year"], aaa["difference"], aaa["verdict"]) == (2018, pytest.approx(0.2), "reproduced")
    assert (aaa["best_year_any"], aaa["years_within_tolerance"], aaa["latest_year"]) == (2022, "2018, 2022", 2022)
    # BBB: 20.0 vs 21.0 is off by 1.0 > 0.5
    assert (bbb["verdict"], bbb["years_within_tolerance"]) == ("differs", "none")


# --- breaks -----------------------------------------------------------------------------------


def test_detect_jumps_hand_example():
    # 10 → 11 (×1.1), 11 → 30 across a 3-year gap (×2.727), 30 → 10 (×0.333), 10 → 10.5 (×1.05)
    series = pd.Series({2000: 10.0, 2001: 11.0, 2004: 30.0, 2005: 10.0, 2006: 10.5})
    jumps = s.detect_jumps(series, factor=1.5)
    assert jumps[["from_year", "to_year", "gap_years"]].values.tolist() == [[2001, 2004, 3], [2004, 2005, 1]]
    assert jumps["ratio"].tolist() == pytest.approx([30 / 11, 1 / 3])
    assert s.since_last_jump(series).index.tolist() == [2005, 2006]
    with pytest.raises(InputError, match="greater than 1"):
        s.detect_jumps(series, factor=1.0)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(min_value=0.1, max_value=1e4), min_size=2, max_size=12),
    scale=st.floats(min_value=1e-3, max_value=1e3),
)
def test_jumps_do_not_depend_on_units(values, scale):
    # A break is a ratio between observations, so changing units (per million vs per 10,000) changes nothing.
    series = pd.Series(values, index=range(2000, 2000 + len(values)))
    a = s.detect_jumps(series)
    b = s.detect_jumps(series * scale)
    # Ratios exactly at the threshold may flip by rounding; compare away from it.
    ratios = (series / series.shift(1)).dropna()
    if ((ratios / 1.5 - 1).abs() < 1e-9).any() or ((ratios * 1.5 - 1).abs() < 1e-9).any():
        return
    assert a["to_year"].tolist() == b["to_year"].tolist()


# --- target arithmetic ------------------------------------------------------------------------


def test_target_arithmetic_hand_example():
    # A break 2002 → 2013 (1.0 → 4.0), then exactly +5 % a year: 4 × 1.05^(y - 2013) in 2013, 2015, 2017, 2019.
    series = pd.Series({2002: 1.0, **{y: 4.0 * 1.05 ** (y - 2013) for y in (2013, 2015, 2017, 2019)}})
    a = s.target_arithmetic(series, target_value=8.0, target_year=2030)
    # latest 2019: 4 × 1.05^6 = 5.36038; required (8 / 5.36038)^(1/11) - 1 = 0.037071
    assert a.latest_year == 2019 and a.latest_value == pytest.approx(5.36038, abs=1e-5)
    assert a.required_growth == pytest.approx(0.037071, abs=1e-6)
    # the trend window starts after the break, so trend growth is exactly 5 % (CAGR and log trend)
    assert (a.trend_first_year, a.trend_observations) == (2013, 4)
    assert a.trend_growth == pytest.approx(0.05) and a.trend_cagr == pytest.approx(0.05)
    # ln(8 / 5.36038) / ln(1.05) = 0.40040 / 0.048790 = 8.2067 years → 2027.21, before 2030
    assert a.year_reaching_at_trend == pytest.approx(2027.2067, abs=1e-4)
    assert a.year_reached == 2028.0
    assert a.verdict == "on-track"


def test_target_arithmetic_without_a_trend_after_a_break():
    series = pd.Series({2010: 10.0, 2012: 3.0})  # the last observation is itself a break
    a = s.target_arithmetic(series, 12.0, 2030)
    assert math.isnan(a.trend_growth) and a.verdict == "cannot-be-measured"


def test_target_verdicts():
    assert s.target_verdict(13.0, 12.0, 2030, math.nan) == "on-track"  # already there
    assert s.target_verdict(8.0, 12.0, 2030, 2029.5) == "on-track"
    assert s.target_verdict(8.0, 12.0, 2030, 2040.8) == "off-track"
    assert s.target_verdict(8.0, 12.0, 2030, math.inf) == "off-track"


def test_describe_target_sentences():
    series = pd.Series({2013: 4.0, 2015: 4.0 * 1.05**2, 2017: 4.0 * 1.05**4})
    behind = s.describe_target(s.target_arithmetic(series, 8.0, 2030), "AAA")
    # latest 4 × 1.05^4 = 4.862; required (8 / 4.862)^(1/13) - 1 = 3.9 %; trend 5.0 %;
    # reaches 8 at 2017 + ln(1.6454)/ln(1.05) = 2027.2, so the first annual value at or above 8 is 2028's
    assert behind == (
        "AAA stood at 4.9 in 2017; to reach 8 by 2030 it must grow 3.9% a year; since 2013 it has grown 5.0% a year "
        "(log-linear trend), a pace at which it reaches 8 in 2028."
    )
    assert s.describe_target(s.target_arithmetic(series, 4.5, 2030), "AAA").endswith(
        "already at or above the target of 4.5."
    )
    falling = pd.Series({2013: 5.0, 2017: 4.5})
    assert "never gets there" in s.describe_target(s.target_arithmetic(falling, 8.0, 2030), "AAA")


def test_target_summary_shows_the_arithmetic():
    series = pd.Series({2013: 4.0, 2015: 4.0 * 1.05**2, 2017: 4.0 * 1.05**4})
    table = s.target_summary(s.target_arithmetic(series, 8.0, 2030), "per 10,000").set_index("quantity")["value"]
    # 4 × 1.05^4 = 4.862; trend exactly 5 % a year
    assert table["latest observation (per 10,000)"] == "4.86"
    assert table["log-linear trend growth (% a year)"] == "5.00"
    assert table["verdict"] == "on-track"
    no_trend = s.target_summary(s.target_arithmetic(pd.Series({2010: 10.0, 2012: 3.0}), 12.0, 2030), "x").set_index(
        "quantity"
    )["value"]
    assert no_trend["log-linear trend growth (% a year)"] == "n/a"


def test_describe_target_with_unit():
    a = s.target_arithmetic(pd.Series({2013: 0.3, 2023: 0.4}), 2.0, 2030)
    assert s.describe_target(a, "AAA", digits=2, unit="% of GDP").startswith(
        "AAA stood at 0.40% of GDP in 2023; to reach 2% of GDP by 2030"
    )


# --- levels -----------------------------------------------------------------------------------


def test_average_growth_from_levels():
    # 100 → 200 over ten years: 2^(1/10) - 1 = 0.0717735
    series = pd.Series({2014: 100.0, 2019: 150.0, 2024: 200.0})
    assert s.average_growth_from_levels(series, 10) == (pytest.approx(0.0717735, abs=1e-7), 2014, 2024)
    with pytest.raises(InputError, match="needs an observation in 2015"):
        s.average_growth_from_levels(series, 9)


def test_level_in_observed_or_projected():
    series = pd.Series({2014: 100.0, 2024: 200.0})
    assert s.level_in(series, 2014) == (100.0, False)
    # 200 × 2^(6/10) = 303.143
    value, projected = s.level_in(series, 2030)
    assert projected and value == pytest.approx(303.143, abs=1e-3)


# --- figures ----------------------------------------------------------------------------------


def test_target_path_figure_draws(wdi):
    table = r.researcher_density(wdi, ["VNM"])
    series = s.series_of(table, "VNM", r.RESEARCHERS_PER_10K)
    fig = s.plot_target_path(series, s.target_arithmetic(series, 12.0, 2030), "VNM", ylabel="per 10,000", title="t")
    assert any("required" in t.get_text() for t in fig.axes[0].get_legend().get_texts())
    plt.close(fig)
