"""Coverage helpers, on a small hand-made table and on the real processed data."""

import numpy as np
import pandas as pd
import pytest

from analysis import coverage
from analysis.errors import InputError


@pytest.fixture
def toy():
    return pd.DataFrame(
        {
            "iso3": ["AAA"] * 4 + ["BBB"] * 2,
            "year": [2000, 2001, 2002, 2003, 2001, 2003],
            "x": [1.0, np.nan, 3.0, 4.0, np.nan, np.nan],
            "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )


def test_variable_coverage_counts(toy):
    table = coverage.variable_coverage(toy, ["x", "y"]).set_index("variable")
    # x: AAA in 2000, 2002, 2003 only; BBB never.
    assert table.loc["x"].to_dict() == {"economies": 1, "first_year": 2000, "last_year": 2003, "observations": 3}
    assert table.loc["y", "observations"] == 6


def test_presence_matrix_marks_gaps(toy):
    matrix = coverage.presence_matrix(toy, "x", ["AAA", "BBB"], 2000, 2004)
    assert matrix.loc["AAA"].tolist() == [1, 0, 1, 1, 0]
    assert matrix.loc["BBB"].sum() == 0


def test_format_years_compresses_runs():
    assert coverage.format_years([2002, 2011, 2013, 2014, 2015, 2017]) == "2002, 2011, 2013–2015, 2017"
    assert coverage.format_years([2017, 2013, 2015, 2016, 2015]) == "2013, 2015–2017"  # any order, repeats
    assert coverage.format_years([]) == "none"


def test_unknown_country_is_explained(toy):
    with pytest.raises(InputError, match="Unknown country codes \\['ZZZ'\\].*AAA, BBB"):
        coverage.country_years(toy, ["x"], ["ZZZ"])


def test_real_data_gaps_for_viet_nam(pwt, wdi):
    # The gaps the PWT 11.0 manifest documents: no labour share, capital services or TFP for VNM.
    for variable in ("labsh", "rkna", "rtfpna"):
        assert coverage.years_with_data(pwt, variable, "VNM") == []
    assert coverage.years_with_data(pwt, "rgdpna", "VNM") == list(range(1970, 2024))
    # WDI R&D for VNM: eight observation years in the 2026-07-13 vintage (2002-2023).
    rd_years = coverage.years_with_data(wdi, "rd_expenditure_pct_gdp", "VNM")
    assert rd_years[0] == 2002 and rd_years[-1] == 2023 and len(rd_years) == 8
