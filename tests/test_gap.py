"""Time distance, generations, the chapter report and the gap command, checked against hand-worked examples."""

import math
import subprocess
import sys

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import gap as tech
from analysis.cli import main
from analysis.errors import InputError
from analysis.gap import figures, generation, report, tables


def series(points: dict[int, float], name: str = "REF") -> pd.Series:
    return pd.Series(points, name=name, dtype=float)


@pytest.fixture(scope="module")
def panels(wdi, pwt, countries):
    return tech.Panels(wdi=wdi, pwt=pwt, countries=countries)


# ---------------------------------------------------------------- interpolation, by hand


def test_log_linear_interpolation_hand_worked():
    # 100 → 121 over 2000-2002 is 10 % a year; 110 = 100 × 1.1 is reached after one year:
    # ln(110/100) / ln(121/100) = 0.09531 / 0.19062 = 0.5 of the two-year span → 2001.0
    assert tech.interpolate_year(2000, 100.0, 2002, 121.0, 110.0, tech.LOG_LINEAR) == pytest.approx(2001.0, abs=1e-12)


def test_linear_interpolation_hand_worked_and_differs_from_log_linear():
    # share 10 → 20 over 2000-2004: 12.5 is a quarter of the way → 2001.0; 15 is half way → 2002.0
    assert tech.interpolate_year(2000, 10.0, 2004, 20.0, 12.5, tech.LINEAR) == pytest.approx(2001.0)
    assert tech.interpolate_year(2000, 10.0, 2004, 20.0, 15.0, tech.LINEAR) == pytest.approx(2002.0)
    # log-linear: 2000 + 4 × ln 1.5 / ln 2 = 2000 + 4 × 0.5849625 = 2002.33985
    assert tech.interpolate_year(2000, 10.0, 2004, 20.0, 15.0, tech.LOG_LINEAR) == pytest.approx(2002.33985, abs=1e-5)


def test_log_linear_segment_from_zero_falls_back_to_linear():
    # ln 0 is undefined: 0 → 10 over 2000-2002, level 5 is half way → 2001.0
    assert tech.interpolate_year(2000, 0.0, 2002, 10.0, 5.0, tech.LOG_LINEAR) == pytest.approx(2001.0)


def test_unknown_interpolation_is_explained():
    with pytest.raises(InputError, match="log-linear, linear|linear, log-linear"):
        tech.interpolate_year(2000, 1.0, 2001, 2.0, 1.5, "cubic")


# ---------------------------------------------------------------- time distance


def test_missing_years_are_bridged_by_the_neighbouring_observations():
    # 2001 is missing: the crossing of 110 lies between 2000 (100) and 2002 (121) → 2001.0 (as above);
    # the country's level 110 is for 2020, so it is 2020 - 2001 = 19 years behind.
    reference = series({2000: 100.0, 2002: 121.0, 2010: 200.0})
    distance = tech.time_distance(reference, 110.0, 2020)
    assert distance == tech.TimeDistance(pytest.approx(2001.0), pytest.approx(19.0), tech.NOT_CENSORED)


def test_non_monotone_reference_uses_the_first_crossing():
    # The reference reaches 10 between 2000 (5) and 2001 (12), falls back to 8, then crosses
    # 10 again between 2003 (9) and 2004 (15). The FIRST crossing counts ("first reached"):
    # linear: 2000 + (10 - 5) / (12 - 5) = 2000.714286, not 2003 + 1/6 = 2003.1667.
    reference = series({2000: 5.0, 2001: 12.0, 2002: 8.0, 2003: 9.0, 2004: 15.0})
    distance = tech.time_distance(reference, 10.0, 2010, tech.LINEAR)
    assert distance.reference_year_at_level == pytest.approx(2000.714286, abs=1e-6)
    assert distance.years_behind == pytest.approx(9.285714, abs=1e-6)


def test_censored_when_reference_already_above_in_its_first_year():
    # Reference first observed in 1991 at 30, above the level 20: it reached 20 before 1991,
    # so from 2024 the distance is MORE than 2024 - 1991 = 33 years; no year is given.
    distance = tech.time_distance(series({1991: 30.0, 1992: 31.0}), 20.0, 2024)
    assert distance.censored == tech.MORE_THAN
    assert distance.years_behind == 33
    assert math.isnan(distance.reference_year_at_level)


def test_level_equal_to_first_observation_is_not_censored():
    distance = tech.time_distance(series({1991: 20.0, 1992: 31.0}), 20.0, 2024)
    assert distance == tech.TimeDistance(1991.0, 33.0, tech.NOT_CENSORED)


def test_censored_the_other_way_when_the_reference_never_reached_the_level():
    # Reference observed 2007-2024, always below 44: it can only reach 44 after 2024, so the
    # distance from 2023 is LESS than 2023 - 2024 = -1: the country is ahead by at least a year.
    distance = tech.time_distance(series({2007: 30.0, 2015: 36.0, 2024: 35.0}), 44.0, 2023, tech.LINEAR)
    assert (distance.censored, distance.years_behind) == (tech.LESS_THAN, -1)
    assert math.isnan(distance.reference_year_at_level)
    assert tech.describe_years(distance.years_behind, distance.censored) == "ahead by at least 1 year"


def test_negative_distance_when_reference_reaches_the_level_later():
    # Linear: 20 → 40 over 2010-2020 reaches 30 in 2015; the country was at 30 in 2012: 3 years ahead.
    distance = tech.time_distance(series({2010: 20.0, 2020: 40.0}), 30.0, 2012, tech.LINEAR)
    assert distance.years_behind == pytest.approx(-3.0)
    assert tech.describe_years(distance.years_behind, distance.censored) == "ahead by 3 years"


@settings(max_examples=60, deadline=None)
@given(
    growth=st.floats(0.005, 0.3),
    start=st.floats(1.0, 1e5),
    gaps=st.lists(st.integers(1, 4), min_size=2, max_size=12),
    position=st.floats(0.0, 1.0),
)
def test_log_linear_recovers_the_exact_year_on_a_constant_growth_path(growth, start, gaps, position):
    # On a path growing at a constant rate, log-linear interpolation is exact whatever the gaps:
    # the level start × (1+g)^s is reached at year 1960 + s.
    years = [1960]
    for step in gaps:
        years.append(years[-1] + step)
    reference = series({y: start * (1 + growth) ** (y - 1960) for y in years})
    s = position * (years[-1] - 1960)
    distance = tech.time_distance(reference, start * (1 + growth) ** s, 2030)
    assert distance.reference_year_at_level == pytest.approx(1960 + s, abs=1e-6)
    assert distance.years_behind == pytest.approx(2030 - 1960 - s, abs=1e-6)


# ---------------------------------------------------------------- references


def test_frontier_is_the_yearly_maximum_over_the_members_observed():
    a = series({2000: 1.0, 2001: 5.0, 2003: 7.0}, "A")
    b = series({2000: 3.0, 2001: 2.0, 2002: 4.0}, "B")
    # 2000: max(1, 3) = 3; 2001: max(5, 2) = 5; 2002: only B = 4; 2003: only A = 7
    assert tech.frontier({"A": a, "B": b}).to_dict() == {2000: 3.0, 2001: 5.0, 2002: 4.0, 2003: 7.0}


def test_world_aggregate_is_a_ratio_of_sums_over_a_balanced_panel():
    table = pd.DataFrame(
        {
            "iso3": ["X"] * 3 + ["Y"] * 3 + ["Z"] * 2,
            "year": [1970, 1971, 1972] * 2 + [1970, 1972],  # Z misses 1971: not in the balanced panel
            "rgdpo": [100.0, 110.0, 120.0, 300.0, 310.0, 330.0, 1e6, 1e6],
            "emp": [10.0, 10.0, 10.0, 20.0, 20.0, 25.0, 1.0, 1.0],
        }
    )
    # 1970: (100 + 300) / (10 + 20) = 13.333; 1971: 420 / 30 = 14.0; 1972: 450 / 35 = 12.857
    world = tech.world_aggregate(table, "rgdpo", "emp", start_year=1970)
    assert world.to_dict() == pytest.approx({1970: 400 / 30, 1971: 14.0, 1972: 450 / 35})
    n, share, year = tech.world_panel_coverage(table, "rgdpo", "emp", 1970)
    assert (n, year) == (2, 1972) and share == pytest.approx(35 / 36)


def test_parse_reference_normalises_and_checks_codes(panels):
    assert tech.parse_reference(" frontier:kor, jpn ,USA", panels) == tech.Reference(
        "frontier:KOR,JPN,USA", ("KOR", "JPN", "USA")
    )
    assert tech.parse_reference("wld", panels).label == "WLD"
    with pytest.raises(InputError, match="Unknown country code\\(s\\) XXX in the countries table.*Available: ABW, AFE"):
        tech.parse_reference("frontier:KOR,XXX", panels)


def test_frontier_on_real_data_matches_the_members(panels):
    indicator = tech.get_indicator("SL.GDP.PCAP.EM.KD")
    ref = tech.parse_reference("frontier:KOR,JPN,USA", panels)
    front = tech.reference_series(indicator, ref, panels)
    members = pd.concat([panels.series(indicator, c) for c in ref.members], axis=1)
    assert (front >= members.max(axis=1) - 1e-9).all()
    assert front.loc[2020] in set(members.loc[2020])


def test_pwt_world_aggregate_covers_most_of_world_employment(pwt):
    # The balanced panel since 1970 should hold the bulk of employment (more than 90 %).
    n, share, year = tech.world_panel_coverage(pwt, "rgdpo", "emp")
    assert n > 100 and share > 0.9 and year == int(pwt["year"].max())


# ---------------------------------------------------------------- real data


def test_viet_nam_behind_china_in_gdp_per_worker_is_bracketed_by_china_observations(panels, wdi):
    row = tech.gap("VNM", "CHN", "SL.GDP.PCAP.EM.KD", 2024, panels)
    vnm = wdi.set_index(["iso3", "year"])["gdp_per_worker_ppp_2021usd"]
    level = vnm.loc[("VNM", 2024)]
    crossing = math.floor(row["reference_year_at_level"])
    # Independent check: China's observations in the years either side straddle Viet Nam's level.
    assert vnm.loc[("CHN", crossing)] < level <= vnm.loc[("CHN", crossing + 1)]
    assert row["years_behind"] == pytest.approx(2024 - row["reference_year_at_level"])
    assert row["censored"] == tech.NOT_CENSORED


def test_gap_table_marks_missing_series_as_no_data(panels):
    table = tech.gap_table("VNM", ["KOR", "WLD"], ["ip_receipts_pct_gdp", "NV.MNF.TECH.ZS.UN"], panels=panels)
    assert list(table.columns) == tech.COLUMNS
    status = table.set_index(["indicator", "reference"])["censored"]
    # Viet Nam reports no IP receipts; WDI has no world aggregate of medium/high-tech value added.
    assert status.loc[("ip_receipts_pct_gdp", "KOR")] == tech.NO_DATA
    assert status.loc[("NV.MNF.TECH.ZS.UN", "WLD")] == tech.NO_DATA
    assert status.loc[("NV.MNF.TECH.ZS.UN", "KOR")] != tech.NO_DATA


def test_indicator_derivations(panels, wdi):
    row = wdi[(wdi["iso3"] == "VNM") & (wdi["year"] == 2020)].iloc[0]
    articles = panels.series(tech.get_indicator("articles_per_million"), "VNM").loc[2020]
    assert articles == pytest.approx(row["journal_articles"] / row["population"] * 1e6)
    researchers = panels.series(tech.get_indicator("sp.pop.scie.rd.p6"), "VNM")  # the raw WDI series, per million
    per_10k = panels.series(tech.get_indicator("researchers_per_10k"), "VNM")
    assert (per_10k * 100).to_dict() == pytest.approx(researchers.to_dict())


def test_unknown_indicator_lists_the_allowed_ones():
    with pytest.raises(InputError, match="Unknown indicator 'GDP'.*SL.GDP.PCAP.EM.KD.*pwt_gdp_per_worker"):
        tech.get_indicator("GDP")


def test_pwt_has_no_aggregates_other_than_the_built_world(panels):
    with pytest.raises(tech.NoDataError, match="no aggregates"):
        tech.gap("VNM", "EAS", "pwt_gdp_per_worker", panels=panels)


def test_structure_snapshot_excludes_aggregates(panels):
    snap = tech.structure_snapshot(["TX.VAL.TECH.MF.ZS"], panels)
    assert "VNM" in set(snap["iso3"]) and "WLD" not in set(snap["iso3"])
    assert (snap["population"] >= 1e6).all()


def test_percentile_rank_by_hand():
    snap = pd.DataFrame({"iso3": ["A", "B", "C", "D", "E"], "x": [1.0, 5.0, 3.0, None, 4.0]})
    # C = 3 is above A = 1 only, among the 3 other economies with data (A, B, E): 1/3 = 33.3 %
    assert tech.percentile_rank(snap, "x", "C") == pytest.approx(100 / 3)
    assert math.isnan(tech.percentile_rank(snap, "x", "D"))


# ---------------------------------------------------------------- generations, reading


def test_generations_and_band_by_hand():
    # 28 years: 2.8 generations of 10 years; between 28/15 = 1.867 and 28/7 = 4.0
    assert tech.generations(28.0) == pytest.approx(2.8)
    low, high = tech.generation_range(28.0, (7, 15))
    assert (low, high) == (pytest.approx(1.8667, abs=1e-4), pytest.approx(4.0))
    assert generation.relation((low, high), (2, 3)) == generation.OVERLAPS
    # 50 years: 3.33-7.14 generations, entirely above "2-3"
    assert generation.relation(tech.generation_range(50.0, (15, 7)), (2, 3)) == generation.ABOVE
    # a lower bound of 33 years gives at least 2.2 generations and no upper end
    assert tech.generation_range(33.0, (7, 15), tech.MORE_THAN) == (pytest.approx(2.2), math.inf)
    with pytest.raises(InputError, match="positive"):
        tech.generations(10.0, 0.0)


def test_censored_values_are_never_written_as_plain_numbers():
    assert tech.format_distance(33.0, tech.MORE_THAN) == ">33"
    assert tech.format_distance(-1.0, tech.LESS_THAN) == "<-1"
    assert tech.format_distance(18.7, tech.NOT_CENSORED) == "19"
    assert tech.format_distance(math.nan, tech.NO_DATA) == "–"
    assert tech.describe_years(33.0, tech.MORE_THAN) == "more than 33 years behind"
    assert tech.describe_years(18.7, tech.NOT_CENSORED, 1) == "18.7 years behind"
    # Reached in 2024 - 9.8 = 2014.2, i.e. during 2014 (years are whole numbers on the page);
    # a lower bound of 33 years from 2024 means before 1991.
    assert tech.format_reference_year(2024, 9.8, tech.NOT_CENSORED) == "2014"
    assert tech.format_reference_year(2024, 10.0, tech.NOT_CENSORED) == "2014"
    assert tech.format_reference_year(2024, 33.0, tech.MORE_THAN) == "before 1991"
    assert tech.format_reference_year(2023, -1.0, tech.LESS_THAN) == "after 2024"
    assert tech.format_generation_range(1.8667, 4.0, tech.NOT_CENSORED) == "1.9 to 4.0"
    assert tech.format_generation_range(2.2, math.inf, tech.MORE_THAN) == "at least 2.2"
    assert tech.describe_years(0.0, tech.LESS_THAN).startswith("ahead (the reference has not reached")


def test_forward_view_at_a_constant_growth_trend():
    # Country grows exactly 5 % a year to 100 × 1.05^9 in 2024; the reference's latest level is
    # twice that: ln 2 / ln 1.05 = 14.2067 years → 2038.2067.
    country = series({y: 100 * 1.05 ** (y - 2015) for y in range(2015, 2025)}, "C")
    reference = series({2020: 1.0, 2023: 2 * 100 * 1.05**9}, "R")
    view = tech.forward_view(country, reference, window=10)
    assert view.trend_growth == pytest.approx(0.05)
    assert (view.reference_year, view.years_to_reach) == (2023, pytest.approx(14.2067, abs=1e-4))
    # an exact trend has no residual: its growth interval and the years it gives collapse to the trend's
    assert (view.growth_low, view.growth_high) == (pytest.approx(0.05), pytest.approx(0.05))
    assert view.year_reached_early == pytest.approx(view.year_reached) == view.year_reached_late


def test_forward_view_years_follow_the_ends_of_the_growth_interval():
    # Alternating ±2 % around 5 % growth: the interval brackets 5 %, and the faster end arrives first.
    country = series({y: 100 * 1.05 ** (y - 2015) * (1.02 if y % 2 else 0.98) for y in range(2015, 2025)}, "C")
    reference = series({2023: 400.0}, "R")
    view = tech.forward_view(country, reference, window=10)
    assert view.growth_low < view.trend_growth < view.growth_high
    level = float(country.loc[2024])
    assert view.year_reached_early == pytest.approx(2024 + math.log(400 / level) / math.log1p(view.growth_high))
    assert view.year_reached_late == pytest.approx(2024 + math.log(400 / level) / math.log1p(view.growth_low))
    assert view.year_reached_early < view.year_reached < view.year_reached_late


def test_heatmap_hatches_exactly_the_censored_cells():
    table = pd.DataFrame(
        {
            "country": "VNM",
            "reference": ["A", "B", "A", "B"],
            "indicator": ["x", "x", "y", "y"],
            "year": 2020,
            "level": 1.0,
            "reference_year_at_level": [2000.0, None, None, None],
            "years_behind": [20.0, 33.0, -1.0, None],
            "censored": ["no", "more-than", "less-than", "no-data"],
        }
    )
    fig = figures.plot_years_behind(table, "Viet Nam")
    hatched = [p for p in fig.axes[0].patches if p.get_hatch()]
    assert len(hatched) == 2
    assert sorted(t.get_text() for t in fig.axes[0].texts) == sorted(["20", ">33", "<-1", "–"])
    plt.close(fig)


# ---------------------------------------------------------------- command line


def test_cli_gap_csv_for_korea(capsys, wdi):
    assert (
        main(
            [
                "gap",
                "--country",
                "VNM",
                "--reference",
                "KOR",
                "--indicator",
                "SL.GDP.PCAP.EM.KD",
                "--year",
                "2023",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "country,reference,indicator,year,level,reference_year_at_level,years_behind,censored"
    fields = lines[1].split(",")
    # Korea's WDI series starts in 1991 already above Viet Nam's 2023 level: "more than 2023 - 1991 = 32 years".
    kor = wdi[(wdi["iso3"] == "KOR")].dropna(subset=["gdp_per_worker_ppp_2021usd"]).sort_values("year").iloc[0]
    assert kor["year"] == 1991 and kor["gdp_per_worker_ppp_2021usd"] > float(fields[4])
    assert fields[:4] == ["VNM", "KOR", "SL.GDP.PCAP.EM.KD", "2023"]
    assert fields[5:] == ["", "32", "more-than"]


def test_cli_frontier_and_world_and_several_indicators(capsys):
    argv = [
        "gap",
        "--reference",
        "WLD",
        "--reference",
        "frontier:KOR,JPN,USA",
        "--indicator",
        "pwt_gdp_per_worker",
        "--indicator",
        "TX.VAL.TECH.MF.ZS",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    import json

    rows = json.loads(capsys.readouterr().out)
    assert [(r["reference"], r["indicator"]) for r in rows] == [
        ("WLD", "pwt_gdp_per_worker"),
        ("frontier:KOR,JPN,USA", "pwt_gdp_per_worker"),
        ("WLD", "TX.VAL.TECH.MF.ZS"),
        ("frontier:KOR,JPN,USA", "TX.VAL.TECH.MF.ZS"),
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--reference", "KOR", "--indicator", "patents"], "Unknown indicator 'patents'. Allowed"),
        (["--reference", "WLD", "--indicator", "NV.MNF.TECH.ZS.UN"], "WLD has no observation of NV.MNF.TECH.ZS.UN"),
        (["--reference", "KOR", "--indicator", "ip_receipts_pct_gdp"], "VNM has no observation of ip_receipts_pct_gdp"),
        (["--reference", "ZZZ"], "Unknown country code(s) ZZZ"),
        (["--reference", "frontier:"], "at least one ISO 3166"),
        (
            ["--reference", "frontier:VNM,LAO", "--indicator", "ip_receipts_pct_gdp", "--country", "THA"],
            "No member of frontier:VNM,LAO has an observation of ip_receipts_pct_gdp",
        ),
        (["--reference", "KOR", "--year", "1950"], "no observation of SL.GDP.PCAP.EM.KD in 1950; observed years: 1991"),
    ],
)
def test_cli_bad_input_is_explained(capsys, argv, message):
    assert main(["gap", *argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_cli_as_a_subprocess():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "gap",
            "--reference",
            "THA",
            "--indicator",
            "sl.gdp.pcap.em.kd",
            "--year",
            "2024",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    header, row = result.stdout.strip().splitlines()
    assert row.startswith("VNM,THA,SL.GDP.PCAP.EM.KD,2024,") and row.endswith(",no")
    help_text = subprocess.run(
        [sys.executable, "-m", "analysis", "gap", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "resident_patents_per_million" in help_text and "more-than" in help_text


# ---------------------------------------------------------------- the chapter report


def gap_rows(rows: list[tuple[str, str, float, str]]) -> pd.DataFrame:
    """A small gap table: (reference, indicator, years_behind, censored) per row, country VNM in 2023."""
    return pd.DataFrame(
        [
            {
                "country": "VNM",
                "reference": ref,
                "indicator": ind,
                "year": 2023,
                "level": 1.0,
                "reference_year_at_level": math.nan,
                "years_behind": years,
                "censored": censored,
            }
            for ref, ind, years, censored in rows
        ],
        columns=tech.COLUMNS,
    )


def test_cell_counts_and_ahead_indicators_by_hand():
    gaps = gap_rows(
        [
            ("KOR", "SL.GDP.PCAP.EM.KD", 33.0, tech.MORE_THAN),  # behind, a bound
            ("CHN", "SL.GDP.PCAP.EM.KD", 9.8, tech.NOT_CENSORED),  # behind
            ("KOR", "TX.VAL.TECH.MF.ZS", -1.0, tech.LESS_THAN),  # ahead by at least a year
            ("CHN", "TX.VAL.TECH.MF.ZS", -3.0, tech.NOT_CENSORED),  # ahead by 3 years
            ("CHN", "GB.XPD.RSDV.GD.ZS", 2.0, tech.LESS_THAN),  # less than 2 years behind: not ahead
            ("WLD", "ip_receipts_pct_gdp", math.nan, tech.NO_DATA),
        ]
    )
    # 6 comparisons, 5 with data, 1 more-than, 2 ahead (both on high-tech exports)
    assert report.cell_counts(gaps) == {"total": 6, "with_data": 5, "more_than": 1, "ahead": 2}
    assert report.ahead_indicators(gaps) == ["High-tech exports %"]


def test_proxy_is_the_pwt_world_row_in_generations():
    gaps = gap_rows(
        [("WLD", "SL.GDP.PCAP.EM.KD", 33.0, tech.MORE_THAN), ("WLD", "pwt_gdp_per_worker", 28.0, tech.NOT_CENSORED)]
    )
    proxy = report.proxy_from(tech.with_generations(gaps, 10.0, (7.0, 15.0)), 10.0)
    # 28 years / 10 = 2.8 generations; over 7-15 years: 28/15 = 1.867 to 28/7 = 4.0
    assert (proxy.year, proxy.generations) == (2023, pytest.approx(2.8))
    assert proxy.band == (pytest.approx(28 / 15), pytest.approx(4.0))
    assert proxy.basis == (
        "Proxy: time distance of GDP per person employed (PWT rgdpo/emp, 2023) to the world "
        "(balanced panel since 1970), 28.0 years, at 10 years a generation"
    )


def test_only_viet_nam_links_claims():
    assert report.links_claims("VNM") and report.links_claims(" vnm")
    assert not report.links_claims("THA")


def test_sentences_use_readable_names_and_whole_years():
    names = {"KOR": "Korea", "CHN": "China"}
    part = gap_rows([("KOR", "pwt_gdp_per_worker", 33.0, tech.MORE_THAN), ("WLD", "pwt_gdp_per_worker", 9.46, "no")])
    assert report.gdp_sentence(part, names) == "Korea: more than 33 years behind; the world: 9.5 years behind"
    assert report.this_page("VNM", ["KOR", "WLD"], None, 10, [7, 15], {"VNM": "Viet Nam", **names}) == (
        "This page: Viet Nam, compared with Korea and the world; each indicator's latest year; "
        "generations of 10 years (band 7–15 years)."
    )


def test_unmeasured_table_quotes_the_rules_table_basis():
    import csv

    from analysis import paths

    with open(paths.raw_dir() / "verdict_rules.csv", encoding="utf-8", newline="") as handle:
        rules = {row["claim_id"]: row for row in csv.DictReader(handle)}
    table = tables.unmeasured_table()
    assert set(table["Verdict"]) == {"no-open-data"}
    assert rules["paper.technology.imported_1970s_share"]["basis"] in set(table["Why open data cannot settle it"])
    assert len(table) == len(tables.NO_OPEN_DATA_CLAIMS)


def _tiny_report(country: str) -> report.GapReport:
    gaps = gap_rows(
        [("WLD", "pwt_gdp_per_worker", 28.0, tech.NOT_CENSORED), ("WLD", "SL.GDP.PCAP.EM.KD", 33.0, tech.MORE_THAN)]
    ).assign(country=country)
    rows = tech.with_generations(gaps, 10.0, (7.0, 15.0))
    forward = pd.DataFrame({"reference": ["WLD"], "years_to_reach": [12.0]})
    return report.GapReport(
        country=country,
        references=["WLD"],
        gaps=gaps,
        generation_rows=rows,
        forward=forward,
        snapshot=pd.DataFrame(),
        proxy=report.proxy_from(rows, 10.0),
        counts={"total": 2, "with_data": 2, "more_than": 1, "ahead": 0},
        ranks={"ht": 96.0, "patents": 46.0, "rd": 41.0},
        rho=0.57,
    )


def test_viet_nams_run_records_the_proxy_under_both_claims_and_the_ledger_says_proxy_only():
    from analysis.claims import ledger
    from analysis.claims.results import ResultsRecorder

    recorder = ResultsRecorder(notebook="05_gap")
    report.record(_tiny_report("VNM"), recorder)
    recorded = recorder.table()
    linked = recorded[recorded["claim_id"] != ""].set_index("claim_id")
    assert sorted(linked.index) == sorted(report.PROXY_CLAIMS)  # nothing for the no-open-data claims
    assert linked["value"].tolist() == pytest.approx([2.8, 2.8]) and (linked["unit"] == "generations").all()
    assert linked["basis_used"].str.contains("GDP per person employed").all()
    assert linked["basis_used"].str.contains("10 years a generation").all()

    claims = ledger.load_claims()
    rules = ledger.load_rules(claims)
    ours = list(report.PROXY_CLAIMS + tables.NO_OPEN_DATA_CLAIMS)  # the other claims are other chapters' results
    table = ledger.ledger(
        claims[claims["claim_id"].isin(ours)], rules[rules["claim_id"].isin(ours)], recorded
    ).set_index("claim_id")
    for claim_id in report.PROXY_CLAIMS:
        assert table.loc[claim_id, "verdict"] == "proxy-only"
        assert table.loc[claim_id, "reproduced"] == pytest.approx(2.8)
    for claim_id in tables.NO_OPEN_DATA_CLAIMS:
        assert table.loc[claim_id, "verdict"] == "no-open-data"
        assert math.isnan(table.loc[claim_id, "reproduced"])


def test_other_countries_record_without_claim_ids():
    from analysis.claims.results import ResultsRecorder

    recorder = ResultsRecorder(notebook="05_gap")
    report.record(_tiny_report("THA"), recorder)
    recorded = recorder.table().set_index("result_id")
    assert (recorded["claim_id"] == "").all()
    assert recorded.loc["generations_behind.world.10y", "value"] == pytest.approx(2.8)
    assert recorded.loc["years_behind.SL.GDP.PCAP.EM.KD.WLD", "note"] == "lower bound (censored: more than)"


def test_report_on_real_data(panels, pwt):
    rep = report.report("VNM", ["KOR", "VNM", "WLD"], panels=panels)
    assert rep.references == ["KOR", "WLD"]  # a country is not its own reference
    # The proxy is PWT's world row: check the years against an independent crossing search.
    world = tech.world_aggregate(pwt, "rgdpo", "emp")
    vnm = pwt[pwt["iso3"] == "VNM"].dropna(subset=["rgdpo", "emp"]).sort_values("year").iloc[-1]
    level, year = vnm["rgdpo"] / vnm["emp"], int(vnm["year"])
    crossing = int(world[world >= level].index.min())  # the first year the world is at or above the level
    assert crossing - 1 <= year - rep.proxy.years_behind <= crossing
    assert rep.proxy.generations == pytest.approx(rep.proxy.years_behind / 10)
    # Reader-facing text: readable names, no ISO codes, no nan, no fractional years.
    shown = " ".join(str(v) for k, v in rep.text.items() if k != "cli_commands")  # commands use codes
    assert "Viet Nam" in shown and "Korea" in shown
    assert "nan" not in shown and "VNM" not in shown and "KOR" not in shown
    for table in rep.tables.values():
        assert "nan" not in table.to_string()
    assert set(rep.tables["tbl_gap_gdp"]["Year"]) <= {str(y) for y in range(1950, 2030)}
    assert set(rep.figures) == {"fig_gap_years", "fig_gap_generations", "fig_gap_structure"}
    plt.close("all")
