"""Coverage: helpers on a small hand-made table, the real processed data, and the data-overview chapter's pieces."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis import coverage
from analysis.coverage import compute, report
from analysis.data import load
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


def test_years_span_compresses_runs():
    from analysis.style.format import years_list, years_span

    assert years_span([2002, 2011, 2013, 2014, 2015, 2017]) == "2002, 2011, 2013–2015, 2017"
    assert years_span([2017, 2013, 2015, 2016, 2015]) == "2013, 2015–2017"  # any order, repeats
    assert years_span([]) == "none"
    # the same runs in prose, joined by "and" (one implementation, two renderings)
    assert years_list([2002, 2011, 2013, 2014, 2015, 2017]) == "2002, 2011, 2013–2015 and 2017"
    assert years_list([]) == ""


def test_unknown_country_is_explained(toy):
    with pytest.raises(InputError, match=r"Unknown country code\(s\) ZZZ.*Available: AAA, BBB"):
        coverage.country_years(toy, ["x"], ["ZZZ"])


def test_real_data_gaps_for_viet_nam(pwt, wdi):
    # The gaps the PWT 11.0 manifest documents: no labour share, capital services or TFP for VNM.
    for variable in ("labsh", "rkna", "rtfpna"):
        assert coverage.years_with_data(pwt, variable, "VNM") == []
    assert coverage.years_with_data(pwt, "rgdpna", "VNM") == list(range(1970, 2024))
    # WDI R&D for VNM: eight observation years in the 2026-07-13 vintage (2002-2023).
    rd_years = coverage.years_with_data(wdi, "rd_expenditure_pct_gdp", "VNM")
    assert rd_years[0] == 2002 and rd_years[-1] == 2023 and len(rd_years) == 8


def test_latest_values_skip_missing_years(toy):
    # x: AAA last observed in 2003 (4.0); BBB never, so it is left out
    assert compute.latest_values(toy, "x", ["BBB", "AAA"]).values.tolist() == [["AAA", 2003, 4.0]]
    assert compute.latest_values(toy, "y", ["BBB", "AAA"])["iso3"].tolist() == ["BBB", "AAA"]
    with pytest.raises(InputError, match="'z' is not in the table"):
        compute.latest_values(toy, "z", ["AAA"])


def test_industry_sentence_ranks_the_focus_economy():
    latest = pd.DataFrame(
        {"iso3": ["AAA", "BBB", "CCC"], "year": [2024, 2024, 2023], "industry_value_added_pct_gdp": [37.6, 40.0, 30.0]}
    )
    assert report.industry_sentence(latest, "AAA", {"AAA": "Aland"}) == (
        "industry made up 37.6% of Aland's GDP in 2024, below 1 of the 2 others shown"
    )
    assert report.industry_sentence(latest, "BBB", {}).endswith("the highest shown")


def test_new_sources_are_covered(wdi):
    # The supplement extract's three series are listed with the rest of WDI.
    hdr = load("hdr")
    economies = load("countries").query("~is_aggregate")["iso3"]
    table = compute.wdi_series_table(wdi, economies).set_index("column")
    for column in report.SUPPLEMENT_COLUMNS:
        assert table.loc[column, "economies"] > 150
    assert table.loc["industry_value_added_pct_gdp", "code"] == "NV.IND.TOTL.ZS"
    # HDR 2023/24: HDI for 1990–2022; Viet Nam 0.726 in 2022
    hdi = compute.latest_values(hdr, "hdi", ["VNM"]).iloc[0]
    assert (hdi["year"], hdi["hdi"]) == (2022, pytest.approx(0.726))


def test_chapter_report_on_real_data():
    rpt = report.report("VNM", ["THA", "KOR"], first_year=2000)
    assert {"Labour share of GDP", "TFP at constant national prices"} <= set(rpt.pwt_missing)
    assert rpt.industry_latest["iso3"].iloc[0] == "Viet Nam"
    assert rpt.counts["wdi_supplement_series"] == 3 and rpt.counts["hdr_economies"] == 195
    # the industry figure draws one line per economy with data, the focus economy thickest
    lines = rpt.figures["industry"].axes[0].lines
    assert len(lines) == 3 and max(lines, key=lambda line: line.get_linewidth()).get_label() == "Viet Nam"
    assert rpt.page_line.startswith("This page: Viet Nam, compared with Thailand")
    for fig in rpt.figures.values():
        plt.close(fig)
