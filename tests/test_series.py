"""Sparsely observed WDI series (:mod:`analysis.trends.sparse`): hand-worked examples, identities, real-data facts.

Tables are built from researcher data (:mod:`analysis.researchers.compute`), as in the chapters.
"""

from __future__ import annotations

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
    with pytest.raises(InputError, match="No observation up to 2010"):
        s.closest_year(series, 7.4, up_to_year=2010)


def test_at_basis_ignores_the_claim():
    # The basis comes from the rule, never from the claimed value: the latest observation up to the year.
    series = pd.Series({2015: 7.0, 2017: 7.4, 2019: 7.75, 2021: 7.5})
    assert s.at_basis(series, "<=2020") == (2019, 7.75)  # not 2017, although 7.4 would match a claim of 7.4
    assert s.at_basis(series, "2017") == (2017, 7.4)
    with pytest.raises(InputError, match="No observation in 2018"):
        s.at_basis(series, "2018")
    with pytest.raises(InputError, match="No observation up to 2010"):
        s.at_basis(series, "<=2010")
    with pytest.raises(InputError, match="YYYY or <=YYYY"):
        s.at_basis(series, "latest")
    assert "claim" not in str(__import__("inspect").signature(s.at_basis))


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
