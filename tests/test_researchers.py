"""Researchers: hand-worked examples, identities, real-data facts, the chapter's sentences and records, the command.

The general helpers for sparse series it builds on are tested in ``test_series.py``; the target
tracker whose row the chapter shows in ``test_targets.py``.
"""

from __future__ import annotations

import io
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.claims.ledger import bands, load_claims, load_rules
from analysis.cli import main
from analysis.errors import InputError
from analysis.researchers import compute as r
from analysis.researchers import figures, report
from analysis.trends import sparse as s


def synthetic_wdi(values: dict[str, dict[int, float]], column: str = r.WDI_RESEARCHERS_PER_MILLION) -> pd.DataFrame:
    """A tiny WDI-shaped table: one row per (iso3, year) with the given column, other rows NaN."""
    rows = [
        {"iso3": c, "country": f"Country {c}", "year": y, column: v}
        for c, series in values.items()
        for y, v in series.items()
    ]
    return pd.DataFrame(rows)


# --- conversion and observed points -----------------------------------------------------------


def test_per_million_to_per_10k():
    # 836.1 per million people = 836.1 / 100 = 8.361 per 10,000 people
    assert r.per_million_to_per_10k(836.1) == pytest.approx(8.361)
    assert r.per_million_to_per_10k(pd.Series([100.0, 6920.0])).tolist() == pytest.approx([1.0, 69.2])


def test_observed_keeps_only_observed_years_in_requested_order():
    wdi = synthetic_wdi({"AAA": {2001: 500.0, 2002: np.nan, 2005: 700.0}, "BBB": {2003: 1000.0}})
    table = r.researcher_density(wdi, ["bbb", "AAA"])
    assert table["country"].tolist() == ["BBB", "AAA", "AAA"]
    assert table["year"].tolist() == [2003, 2001, 2005]  # 2002 is missing, not interpolated
    assert table[r.RESEARCHERS_PER_10K].tolist() == pytest.approx([10.0, 5.0, 7.0])


def test_unknown_country_and_country_without_data_are_explained():
    wdi = synthetic_wdi({"AAA": {2001: 500.0}, "BBB": {2001: np.nan}})
    with pytest.raises(InputError, match=r"Unknown country code\(s\) XYZ.*Available: AAA, BBB"):
        r.researcher_density(wdi, ["AAA", "XYZ"])
    with pytest.raises(InputError, match=r"No researchers in R&D .* for BBB \(Country BBB\).*with data: AAA"):
        r.researcher_density(wdi, ["AAA", "BBB"])
    with pytest.raises(InputError, match="Unknown WDI column 'nope'"):
        s.observed(wdi, ["AAA"], "nope", "x")


def test_latest_observation_skips_missing_years():
    wdi = synthetic_wdi({"AAA": {2019: 700.0, 2021: 750.0, 2023: np.nan}, "BBB": {2010: 100.0}})
    latest = r.latest_density(wdi, ["AAA", "BBB"])
    assert latest.columns.tolist() == ["country", "year", r.RESEARCHERS_PER_10K]
    assert latest.values.tolist() == [["AAA", 2021, 7.5], ["BBB", 2010, 1.0]]


# --- the paper's figures at their ruled basis -------------------------------------------


def _claims_inputs(claimed: dict[str, float], basis: str = "<=2020"):
    claims = pd.DataFrame({"claim_id": list(claimed), "value": list(claimed.values())})
    rules = pd.DataFrame({"claim_id": list(claimed), "basis_year": basis})
    bands = pd.DataFrame({"claim_id": list(claimed), "band_low": 0.0, "band_high": 1.0})
    return claims, rules, bands


def test_claims_at_basis_hand_example():
    # Observed 2016: 2,334 → 23.34; 2018: 2,110 → 21.10; 2020: 711.5 → 7.115; 2022: 2,360 → 23.60.
    wdi = synthetic_wdi({"MYS": {2016: 2334.0, 2018: 2110.0, 2020: 711.5, 2022: 2360.0}})
    table = r.researcher_density(wdi, ["MYS"])
    out = r.claims_at_basis(table, r.RESEARCHERS_PER_10K, {"c": "MYS"}, *_claims_inputs({"c": 23.6})).iloc[0]
    # basis "<=2020": 2020 (7.115) is a break (2,110 → 711.5, ×0.34 < 1/1.5), so the latest valid
    # observation up to 2020 is 2018 (21.10), whatever the claim says; 2020 is shown beside it
    assert (out["basis_used"], out["value"]) == (2018, pytest.approx(21.10))
    assert (out["flagged_year"], out["flagged_value"]) == (2020, pytest.approx(7.115))
    # the search covers every observed year: 2022 (23.60) equals the claim
    assert (out["search_year"], out["search_value"]) == (2022, pytest.approx(23.6))
    assert (out["latest_year"], out["latest_value"]) == (2022, pytest.approx(23.6))


@settings(max_examples=25, deadline=None)
@given(claimed=st.floats(min_value=0.1, max_value=100.0))
def test_basis_never_depends_on_the_claimed_value(claimed):
    wdi = synthetic_wdi({"AAA": {2015: 500.0, 2017: 900.0, 2019: 700.0, 2021: 1200.0}})
    table = r.researcher_density(wdi, ["AAA"])
    out = r.claims_at_basis(table, r.RESEARCHERS_PER_10K, {"c": "AAA"}, *_claims_inputs({"c": claimed})).iloc[0]
    assert (out["basis_used"], out["value"]) == (2019, pytest.approx(7.0))
    assert out["search_year"] in (2015, 2017, 2019, 2021)


def test_claims_at_basis_rejects_a_claim_without_rule():
    table = r.researcher_density(synthetic_wdi({"AAA": {2019: 700.0}}), ["AAA"])
    claims, rules, bands = _claims_inputs({"c": 7.0})
    with pytest.raises(InputError, match="no verdict rule"):
        r.claims_at_basis(table, r.RESEARCHERS_PER_10K, {"other": "AAA"}, claims, rules, bands)


def test_paper_figures_at_basis_on_real_data(wdi):
    claims = load_claims()
    at_basis = r.claims_at_basis(
        r.researcher_density(wdi, ["VNM", "SGP", "MYS", "THA"]),
        r.RESEARCHERS_PER_10K,
        report.PAPER_CLAIMS,
        claims,
        load_rules(claims),
        bands(claims),
    ).set_index("country")
    # WDI: Viet Nam 754.6 per million in 2019 (no 2020 value); Singapore 7,503.3 in 2020, 6,950.1 in 2017
    assert at_basis.loc["VNM", "basis_used"] == 2019 and at_basis.loc["VNM", "value"] == pytest.approx(7.546, abs=1e-3)
    assert at_basis.loc["SGP", "basis_used"] == 2020 and at_basis.loc["SGP", "value"] == pytest.approx(75.03, abs=0.01)
    assert at_basis.loc["SGP", "search_year"] == 2017
    assert at_basis.loc["SGP", "search_value"] == pytest.approx(69.50, abs=0.01)
    # Malaysia's 2020 value (7.1) is a break by the chapter's rule: the basis is 2018 (21.1), 2020 beside it
    assert at_basis.loc["MYS", "basis_used"] == 2018 and at_basis.loc["MYS", "value"] == pytest.approx(21.10, abs=0.01)
    assert at_basis.loc["MYS", "flagged_year"] == 2020 and at_basis.loc["MYS", "flagged_value"] < 8


def test_vietnam_years_are_sparse(wdi):
    years = r.researcher_density(wdi, ["VNM"])["year"].tolist()
    assert years[:2] == [2002, 2013]  # an eleven-year hole: no series for 2003–2012
    assert 2020 not in years and len(years) < 10


# --- breaks -----------------------------------------------------------------------------------


def test_malaysia_break_around_2020_is_detected(wdi):
    jumps = s.detect_jumps(s.series_of(r.researcher_density(wdi, ["MYS"]), "MYS", r.RESEARCHERS_PER_10K))
    row = jumps[jumps["to_year"] == 2020].iloc[0]
    # WDI: 2,110.4 per million in 2018, 711.5 in 2020 → ratio 0.337, two thirds gone
    assert row["from_year"] == 2018
    assert row["ratio"] == pytest.approx(0.337, abs=0.002)


# --- head counts -----------------------------------------------------------------------------


def test_headcount_hand_example():
    # 8.361 per 10,000 × 100,352,192 people / 10,000 = 83,904.47 researchers
    assert r.headcount(8.361, 100_352_192) == pytest.approx(83_904.47, abs=0.01)


def test_headcount_table_for_vietnam(wdi):
    scenarios = [("latest observation", 2023, 8.361), ("target", 2030, 12.0), ("recent trend", 2030, 9.6)]
    table = r.headcount_table(wdi, "VNM", scenarios).set_index("scenario")
    # identity: researchers = density × population / 10,000 in every row
    assert (table["researchers"] * 10_000 / table["population"]).tolist() == pytest.approx([8.361, 12.0, 9.6])
    assert not table.loc["latest observation", "population_projected"]
    assert table.loc["target", "population_projected"]
    # Viet Nam's population grows under 1 % a year: 2030 lies between 100 and 110 million
    assert 100e6 < table.loc["target", "population"] < 110e6
    # same year, same population: the head counts are in the ratio of the densities
    assert table.loc["recent trend", "researchers"] / table.loc["target", "researchers"] == pytest.approx(9.6 / 12)


def test_rd_personnel_adds_technicians_in_common_years():
    wdi = synthetic_wdi({"AAA": {2013: 700.0, 2015: 710.0}})
    wdi[r.WDI_TECHNICIANS_PER_MILLION] = [70.0, np.nan]
    table = r.rd_personnel(wdi, "AAA")
    assert table["year"].tolist() == [2013]
    assert table["researchers_and_technicians_per_10k"].tolist() == pytest.approx([7.7])


# --- command line -----------------------------------------------------------------------------


def test_cli_latest_per_country(capsys):
    assert main(["researchers", "--countries", "VNM,SGP,MYS,THA", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.columns.tolist() == ["country", "year", "researchers_per_10k"]
    assert table["country"].tolist() == ["VNM", "SGP", "MYS", "THA"]
    vnm = table.iloc[0]
    # WDI: 836.1 researchers per million in 2023 → 8.361 per 10,000
    assert vnm["year"] == 2023 and vnm["researchers_per_10k"] == pytest.approx(8.361, abs=0.001)


def test_cli_json_and_md(capsys):
    assert main(["researchers", "--countries", "VNM", "--format", "json"]) == 0
    assert '"researchers_per_10k"' in capsys.readouterr().out
    assert main(["researchers", "--countries", "VNM", "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("| country")


def test_cli_rejects_bad_countries(capsys):
    assert main(["researchers", "--countries", "VNM,XYZ"]) == 2
    err = capsys.readouterr().err
    assert "XYZ" in err and "Available:" in err
    assert main(["researchers", "--countries", "ABW"]) == 2
    assert "No researchers in R&D" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_as_subprocess():
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "researchers", "--countries", "VNM,THA", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "country,year,researchers_per_10k"
    assert done.stdout.splitlines()[1].startswith("VNM,2023,")


# --- the chapter's sentences, tables, figures and records -----------------------------------------


def tracker_row(**changes) -> pd.Series:
    """A hand-made tracker row: 8.4 in 2023, target 12 by 2030, 2 % a year since 2013."""
    row = {
        "claim_id": report.TARGET_CLAIM,
        "latest_value": 8.4,
        "latest_year": 2023,
        "target_value": 12.0,
        "target_year": 2030,
        "required_growth_pct": 5.2,
        "recent_growth_pct": 2.0,
        "window": "2013–2023 log-linear",
        "alternatives": "",
        "projected_value": 9.6,
        "reach_year": 2041.0,
        "verdict": "off-track",
    }
    return pd.Series(row | changes)


def test_target_sentence_gives_the_interval_first():
    banded = tracker_row(projected_low=8.5, projected_high=10.9, reach_year_low=2034.0, reach_year_high=2058.0)
    assert report.target_sentence(banded, "Viet Nam", " per 10,000").endswith(
        "which leads to 8.5–10.9 per 10,000 in 2030 (95% prediction interval; 9.6 per 10,000 on the trend line) "
        "and to the target between 2034 and 2058 (2041 on the trend line)."
    )
    never = report.target_sentence(banded.copy().replace({2058.0: float("nan")}), "Viet Nam", "")
    assert never.endswith(
        "to the target as early as 2034 or never within the growth interval (2041 on the trend line)."
    )


def test_target_sentence_cases():
    assert report.target_sentence(tracker_row(), "Viet Nam", " per 10,000") == (
        "Viet Nam stood at 8.4 per 10,000 in 2023; to reach 12 per 10,000 by 2030 it must grow 5.2% a year; its "
        "recent trend (2013–2023 log-linear) is 2.0% a year, which leads to 9.6 per 10,000 in 2030 and to the "
        "target in 2041."
    )
    never = report.target_sentence(tracker_row(recent_growth_pct=-0.1, reach_year=float("inf")), "X", "%")
    assert never.endswith("is -0.1% a year, a pace at which it never gets there.")
    met = report.target_sentence(tracker_row(latest_value=12.5), "X", "%")
    assert met == "X stood at 12.5% in 2023, already at or above the target of 12%."


def test_target_table_shows_the_row_without_ids():
    table = report.target_table(tracker_row(reach_year=float("inf")), "per 10,000").set_index("quantity")["value"]
    assert table["latest observation (per 10,000)"] == "8.4 (2023)"
    assert table["year the target is reached at the recent trend"] == "never at this trend"
    assert table["verdict of the target tracker"] == "off-track"
    assert not table.str.contains(r"r57\.|nan").any()
    with pytest.raises(InputError, match="no row for 'x'"):
        report.target_row(pd.DataFrame([tracker_row()]), "x")


def test_small_sentences():
    assert report.listing(["a"]) == "a" and report.listing(["a", "b", "c"]) == "a, b and c"
    jumps = pd.DataFrame(
        {
            "country": ["AAA", "BBB", "BBB"],
            "from_year": [2002, 2016, 2018],
            "to_year": [2013, 2018, 2020],
            "gap_years": [11, 2, 2],
            "from_value": [1.0, 10.0, 21.1],
            "to_value": [5.75, 21.1, 7.1],
            "ratio": [5.75, 2.11, 0.3365],
        }
    )
    assert report.breaks_sentence(jumps, "AAA") == "2002→2013 (×5.75 across 11 years)"
    assert report.breaks_sentence(jumps, "CCC") == "no break"
    assert (
        report.largest_fall_sentence(jumps, {"BBB": "Bee"}) == "Bee: from 21.1 in 2018 to 7.1 in 2020, a ratio of 0.34"
    )
    assert report.largest_fall_sentence(jumps[jumps["ratio"] > 1], {}).startswith("none")
    row = pd.Series({"claimed": 69.2, "value": 75.03, "basis_used": 2020, "search_year": 2017, "search_value": 69.5})
    assert (
        report.claim_sentence(row, "Singapore")
        == "Singapore's 69.2 against 75.0 in 2020 (the closest year is 2017, at 69.5)"
    )
    same = row.copy()
    same["search_year"] = 2020
    assert report.claim_sentence(same, "S").endswith("which is also the closest year")
    personnel = pd.DataFrame(
        {
            "year": [2017],
            r.RESEARCHERS_PER_10K: [7.1],
            "technicians_per_10k": [0.7],
            "researchers_and_technicians_per_10k": [7.8],
        }
    )
    assert report.personnel_sentence(personnel, "X").startswith("in 2017, X had 7.1 researchers and 0.7 technicians")
    assert report.personnel_sentence(personnel.iloc[0:0], "X").startswith("WDI has no year")


def test_target_figure_draws_only_the_rows_numbers():
    series = pd.Series({2013: 7.0, 2017: 7.5, 2023: 8.4})
    fig = figures.plot_target_row(series, tracker_row(), "VNM", "Viet Nam", ylabel="y", title="t")
    labels = [t.get_text() for t in fig.legends[0].get_texts()]  # the legend sits below the axes
    assert "required: +5.2% a year" in labels and "recent trend (2013–2023 log-linear): +2.0% a year" in labels
    # the trend path ends at 8.4 × 1.02^(2041 − 2023) = 11.97 ≈ the target in the reach year
    trend = next(line for line in fig.axes[0].lines if line.get_linestyle() == ":" and len(line.get_xdata()) > 2)
    assert trend.get_xdata()[-1] == 2041 and trend.get_ydata()[-1] == pytest.approx(8.4 * 1.02**18)
    plt.close(fig)
    fig = figures.plot_target_row(series, tracker_row(latest_value=13.0), "VNM", "Viet Nam", ylabel="y", title="t")
    assert not any("required" in t.get_text() for t in fig.legends[0].get_texts())
    plt.close(fig)


def test_target_figure_draws_the_rows_band():
    series = pd.Series({2013: 7.0, 2017: 7.5, 2023: 8.4})
    row = tracker_row(recent_growth_low_pct=1.0, recent_growth_high_pct=3.0, projected_low=8.9, projected_high=10.4)
    fig = figures.plot_target_row(series, row, "VNM", "Viet Nam", ylabel="y", title="t")
    ax = fig.axes[0]
    # the shaded band runs from the path at 1 % to the path at 3 % a year: in 2030, 8.4 × 1.01^7 to 8.4 × 1.03^7
    band = ax.collections[0].get_paths()[0].vertices
    at_2030 = band[np.isclose(band[:, 0], 2030), 1]
    assert min(at_2030) == pytest.approx(8.4 * 1.01**7) and max(at_2030) == pytest.approx(8.4 * 1.03**7)
    # the bar at the target year spans the prediction interval
    bar = next(c for c in ax.collections[1:] if len(c.get_segments()))
    assert sorted(bar.get_segments()[0][:, 1]) == pytest.approx([8.9, 10.4])
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("95% prediction interval: 8.9 to 10.4" in label for label in labels)
    plt.close(fig)
    fig = figures.plot_target_row(series, tracker_row(), "VNM", "Viet Nam", ylabel="y", title="t")
    assert not fig.axes[0].collections  # a row without a band draws none
    plt.close(fig)


@pytest.fixture(scope="module")
def chapter(wdi):
    rpt = report.report("VNM", ["SGP", "MYS", "THA"], wdi=wdi, tracker=pd.DataFrame([tracker_row()]))
    yield rpt
    for fig in rpt.figures.values():
        plt.close(fig)


def test_records_link_claims_only_in_the_paper_run(chapter):
    linked = [x for x in chapter.records(link_claims=True) if x.get("claim_id")]
    assert sorted(x["claim_id"] for x in linked) == sorted(report.PAPER_CLAIMS)
    by_claim = {x["claim_id"]: x for x in linked}
    assert by_claim["paper.researchers.sgp"]["basis_used"] == "2020"
    assert by_claim["paper.researchers.sgp"]["search_basis"] == "closest year 2017"
    assert by_claim["paper.researchers.vnm"]["basis_used"] == "2019"
    assert not any(x.get("claim_id") for x in chapter.records(link_claims=False))
    ids = [x["result_id"] for x in chapter.records(link_claims=True)]
    assert len(ids) == len(set(ids))


def test_head_counts_follow_the_tracker_row(chapter):
    heads = chapter.headcount.set_index("scenario")
    assert heads[r.RESEARCHERS_PER_10K].tolist() == [8.4, 12.0, 9.6]
    assert heads["year"].tolist() == [2023, 2030, 2030]
    assert chapter.basis_cap == "2020"
    assert (
        chapter.page_line
        == "This page: Viet Nam, compared with Singapore, Malaysia and Thailand; WDI observations up to 2023."
    )


def test_claim_sentence_names_the_world_in_lower_case():
    row = pd.Series({"claimed": 2.23, "value": 2.571, "basis_used": 2022, "search_year": 2018, "search_value": 2.218})
    assert report.claim_sentence(row, "World", 3) == (
        "the world's 2.23 against 2.571 in 2022 (the closest year is 2018, at 2.218)"
    )


def test_plot_observed_dashes_across_missing_years():
    wdi = synthetic_wdi({"VNM": {2013: 700.0, 2014: 720.0, 2017: 760.0}})
    table = r.researcher_density(wdi, ["VNM"])
    fig = figures.plot_observed(table, r.RESEARCHERS_PER_10K, "VNM", ylabel="per 10,000", title="t")
    segments = [line for line in fig.axes[0].lines if len(line.get_xdata()) == 2]
    styles = {tuple(line.get_xdata()): line.get_linestyle() for line in segments}
    assert styles == {(2013, 2014): "-", (2014, 2017): "--"}
    plt.close(fig)


def test_claims_figure_has_one_panel_per_claim(wdi):
    claims = load_claims()
    table = r.researcher_density(wdi, ["VNM", "MYS"])
    at_basis = r.claims_at_basis(
        table,
        r.RESEARCHERS_PER_10K,
        {"paper.researchers.vnm": "VNM", "paper.researchers.mys": "MYS"},
        claims,
        load_rules(claims),
        bands(claims),
    )
    fig = figures.plot_claims_at_basis(table, r.RESEARCHERS_PER_10K, at_basis, {"MYS": "Malaysia"}, ylabel="y")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 2 and "Malaysia: claimed 23.6" in {
        visible[1].get_title(loc) for loc in ("left", "center")
    }  # the house style titles left
    # the square sits at the basis (Malaysia 2018, 21.1: 2020 is a break), the ring at the closest year
    square = next(line for line in visible[1].lines if line.get_marker() == "s")
    assert (square.get_xdata()[0], square.get_ydata()[0]) == (2018, pytest.approx(21.10, abs=1e-2))
    plt.close(fig)


def test_target_figure_says_when_the_trend_arrives_beyond_the_horizon():
    series = pd.Series({2013: 0.3, 2023: 0.41})
    row = tracker_row(latest_value=0.41, target_value=2.0, recent_growth_pct=3.1, reach_year=2075.0)
    fig = figures.plot_target_row(series, row, "VNM", "Viet Nam", ylabel="y", title="t")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["target reached at trend: 2075"]  # drawn to 2030 + 25 = 2055 only
    plt.close(fig)
    fig = figures.plot_target_row(series, row.copy().replace({2075.0: float("inf")}), "VNM", "V", ylabel="y", title="t")
    assert [t.get_text() for t in fig.axes[0].texts] == ["trend never reaches the target"]
    plt.close(fig)
