"""Researcher density: hand-worked examples, identities, real-data facts, the command line.

The general helpers for sparse series it builds on are tested in ``test_series.py``.
"""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import researchers as r
from analysis.trends import sparse as s
from analysis.cli import main
from analysis.errors import InputError


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
    with pytest.raises(InputError, match=r"Unknown country code\(s\): XYZ.*available: AAA, BBB"):
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


# --- matching a published figure --------------------------------------------------------------


def test_paper_figures_lie_close_to_wdi_years_up_to_2020(wdi):
    # Published figures (MOST 2020) against the real data, within 0.5 per 10,000 as the chapter states.
    table = r.researcher_density(wdi, ["VNM", "SGP", "MYS", "THA"])
    matches = s.match_published(
        table, r.RESEARCHERS_PER_10K, {"VNM": 7.4, "SGP": 69.2, "MYS": 23.6, "THA": 12.1}, 0.5, 2020
    ).set_index("country")
    assert (matches["difference"].abs() <= 0.5).all()
    assert matches["best_year"].between(2015, 2020).all()


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


# --- target arithmetic and head counts --------------------------------------------------------


def test_vietnam_needs_faster_growth_than_its_trend(wdi):
    series = s.series_of(r.researcher_density(wdi, ["VNM"]), "VNM", r.RESEARCHERS_PER_10K)
    a = s.target_arithmetic(series, 12.0, 2030)
    # 2002 → 2013 is a break (×5.8), so the trend runs from 2013.
    assert a.trend_first_year == 2013
    # 8.361 in 2023 → 12 in 2030: (12 / 8.361)^(1/7) - 1 = 0.05297 (same example as test_trends)
    assert a.latest_year == 2023 and a.required_growth == pytest.approx(0.05297, abs=5e-4)
    assert 0.0 < a.trend_growth < a.required_growth and a.verdict == "off-track"


def test_headcount_hand_example():
    # 8.361 per 10,000 × 100,352,192 people / 10,000 = 83,904.47 researchers
    assert r.headcount(8.361, 100_352_192) == pytest.approx(83_904.47, abs=0.01)


def test_headcount_table_for_vietnam(wdi):
    series = s.series_of(r.researcher_density(wdi, ["VNM"]), "VNM", r.RESEARCHERS_PER_10K)
    table = r.headcount_table(wdi, "VNM", s.target_arithmetic(series, 12.0, 2030)).set_index("scenario")
    # identity: researchers = density × population / 10,000 in every row
    assert (table["researchers"] * 10_000 / table["population"]).tolist() == pytest.approx(
        table[r.RESEARCHERS_PER_10K].tolist()
    )
    assert not table.loc["latest observation", "population_projected"]
    assert table.loc["target", "population_projected"]
    # Viet Nam's population grows under 1 % a year: 2030 lies between 100 and 110 million
    assert 100e6 < table.loc["target", "population"] < 110e6
    assert (
        table.loc["latest observation", "researchers"]
        < table.loc["historical trend", "researchers"]
        < table.loc["target", "researchers"]
    )


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
    assert "XYZ" in err and "available:" in err
    assert main(["researchers", "--countries", "ABW"]) == 2
    assert "No researchers in R&D" in capsys.readouterr().err


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
