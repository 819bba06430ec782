"""PWT 10.01 beside PWT 11.0: the processed table, ``growth --pwt-version``, the vintage table and its sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import growth
from analysis.cli import main
from analysis.data import build, load, registry
from analysis.errors import InputError
from analysis.growth import report as growth_report
from analysis.growth import vintage

PERIODS = ["2011-2015", "2016-2020", "2016-2019"]


@pytest.fixture(scope="module")
def pwt1001():
    return load("pwt1001")


@pytest.fixture(scope="module")
def releases(pwt, pwt1001):
    return {"11.0": pwt, "10.01": pwt1001}


# --- the processed table ------------------------------------------------------------------------


def test_pwt1001_has_the_layout_of_pwt_and_the_release_coverage(pwt, pwt1001):
    assert list(pwt1001.columns) == list(pwt.columns)
    assert (pwt1001.dtypes == pwt.dtypes).all()
    # PWT 10.01 as its release notes describe it: 183 economies, 1950-2019, one row each.
    assert pwt1001["iso3"].nunique() == 183
    assert (pwt1001["year"].min(), pwt1001["year"].max()) == (1950, 2019)
    assert len(pwt1001) == 183 * 70
    # The third-party re-save's short names are PWT's own again.
    names = pwt1001.drop_duplicates("iso3").set_index("iso3")["country"]
    assert names["VNM"] == "Viet Nam" and names["KOR"] == "Republic of Korea"
    assert not set(names) & set(build.PWT1001_NAMES)


def test_pwt1001_values_are_the_raw_file_s(pwt1001):
    # Independent read of the raw Stata file: every value of a few variables kept as stored.
    raw = pd.read_stata(registry.source("pwt1001").path, convert_categoricals=False)
    raw = raw.sort_values(["countrycode", "year"]).reset_index(drop=True)
    for column in ("rgdpna", "rnna", "emp", "hc", "avh", "cgdpo", "pl_gdpo", "xr", "labsh"):
        assert np.array_equal(raw[column].astype("float64").to_numpy(), pwt1001[column].to_numpy(), equal_nan=True)
    assert "gdpcapita" in raw.columns and "gdpcapita" not in pwt1001.columns


def test_tidy_pwt1001_refuses_another_file():
    with pytest.raises(Exception, match="is it PWT 10.01"):
        build.tidy_pwt1001(pd.DataFrame({"countrycode": ["VNM"], "year": [2019]}))


# --- the command line -----------------------------------------------------------------------------


def _cli_share(capsys, version: str, period: str = "2011-2015") -> float:
    arguments = ["growth", "--country", "VNM", "--periods", period, "--format", "csv", "--pwt-version", version]
    assert main(arguments) == 0
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    return float(table["tfp_share_pct"].iloc[0])


def test_cli_pwt_version_changes_the_answer(capsys, pwt1001):
    old, new = _cli_share(capsys, "10.01"), _cli_share(capsys, "11.0")
    assert abs(old - new) > 1  # found: 18.6 against 21.1
    # Independent: the 10.01 share straight from its columns (baseline: 1/3 capital, emp × hc).
    vnm = pwt1001[pwt1001["iso3"] == "VNM"].set_index("year")
    dy, dk, de, dh = (np.log(vnm[v].loc[2015] / vnm[v].loc[2010]) / 5 for v in ("rgdpna", "rnna", "emp", "hc"))
    assert old == pytest.approx(100 * (dy - dk / 3 - 2 / 3 * (de + dh)) / dy, abs=1e-3)


@pytest.mark.parametrize("version", ["10", "9.1", "11", "latest"])
def test_cli_unknown_pwt_version_is_one_line(capsys, version):
    assert main(["growth", "--pwt-version", version]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"Unknown PWT version {version!r}" in err and "10.01" in err and "11.0" in err


def test_cli_period_beyond_pwt1001_names_its_years(capsys):
    assert main(["growth", "--pwt-version", "10.01", "--periods", "2016-2020"]) == 2
    assert "growth can be measured for 1971–2019" in capsys.readouterr().err


# --- the vintage comparison -------------------------------------------------------------------------


def _share_by_hand(
    table: pd.DataFrame, start: int, end: int, labour_share: float, hours: bool, hc: bool = True
) -> float:
    """TFP share of Viet Nam over start..end, from the raw columns (fixed share, capital stock)."""
    vnm = table[table["iso3"] == "VNM"].set_index("year")
    labour = vnm["emp"] * (vnm["hc"] if hc else 1.0) * (vnm["avh"] if hours else 1.0)
    dy = np.log(vnm["rgdpna"]).diff().loc[start:end].mean()
    dk = np.log(vnm["rnna"]).diff().loc[start:end].mean()
    dl = np.log(labour).diff().loc[start:end].mean()
    return (dy - (1 - labour_share) * dk - labour_share * dl) / dy


def test_vintage_comparison_matches_a_direct_calculation(releases):
    specs = {"Baseline": growth.BASELINE, "With hours": growth.BASELINE.replace(labour_input="emp_avh_hc")}
    table = vintage.vintage_comparison(releases, "VNM", PERIODS, specs)
    value = table.set_index(["specification", "period", "release"])["tfp_share"]
    for release, data in releases.items():
        for label, hours in (("Baseline", False), ("With hours", True)):
            for period in ("2011-2015", "2016-2019"):
                start, end = map(int, period.split("-"))
                expected = _share_by_hand(data, start, end, 2 / 3, hours)  # VNM avh is published every year
                assert value[label, period, release] == pytest.approx(expected, abs=1e-12)
    # PWT 10.01 ends in 2019: no share for 2016-2020, never a shortened period.
    assert np.isnan(value["Baseline", "2016-2020", "10.01"])
    assert value["Baseline", "2016-2020", "11.0"] == pytest.approx(
        _share_by_hand(releases["11.0"], 2016, 2020, 2 / 3, False)
    )
    # The grid rows are the lowest and highest of the nine declared specifications.
    grid = [
        _share_by_hand(
            releases["10.01"], 2011, 2015, s.labour_share, s.labour_input == "emp_avh_hc", s.labour_input != "emp"
        )
        for s in growth.DECLARED_GRID
    ]
    assert len(grid) == 9
    assert value[vintage.GRID_LOW, "2011-2015", "10.01"] == pytest.approx(min(grid), abs=1e-12)
    assert value[vintage.GRID_HIGH, "2011-2015", "10.01"] == pytest.approx(max(grid), abs=1e-12)


def test_an_economy_new_in_pwt110_is_missing_not_an_error(releases):
    table = vintage.vintage_comparison(releases, "ssd", ["2011-2015"], {"Baseline": growth.BASELINE}, grid=())
    shares = table.set_index("release")["tfp_share"]
    assert np.isnan(shares["10.01"])  # South Sudan is not in PWT 10.01
    assert np.isnan(shares["11.0"])  # and PWT 11.0 has no capital stock for it: missing as well, as compare() says
    assert "tfp_share" not in growth.compare(releases["11.0"], ["SSD"], ["2011-2015"])
    with pytest.raises(InputError, match="Unknown country code"):
        vintage.vintage_comparison(releases, "XXX", ["2011-2015"], {"Baseline": growth.BASELINE})


def test_vintage_table_moves_are_differences():
    comparison = pd.DataFrame(
        {
            "specification": ["Baseline"] * 4,
            "period": ["2011-2015", "2016-2020"] * 2,
            "release": ["11.0", "11.0", "10.01", "10.01"],
            "tfp_share": [0.211, 0.381, 0.186, np.nan],
        }
    )
    table = vintage.vintage_table(comparison)
    assert list(table.columns) == ["Specification", "Period", "PWT 11.0 (%)", "PWT 10.01 (%)", "Move (points)"]
    assert table["Move (points)"].tolist() == [-2.5, None]
    assert table["Period"].tolist() == ["2011–2015", "2016–2020"]
    assert vintage.largest_move(comparison, "Baseline") == ("2011-2015", pytest.approx(-2.5))
    with pytest.raises(InputError, match="two releases"):
        vintage.vintage_table(comparison[comparison["release"] == "11.0"])


def test_parse_pwt_version():
    assert vintage.parse_pwt_version(" 10.01 ") == "10.01"
    with pytest.raises(InputError, match=r"Unknown PWT version '10\.1'\. Allowed: 10\.01, 11\.0"):
        vintage.parse_pwt_version("10.1")


def test_neither_release_has_a_labour_share_for_viet_nam(releases):
    # The mirror's MANIFEST (§1.3) and PWT 11.0's: labsh, rkna and rtfpna are missing for VNM in every year.
    assert vintage.labsh_years(releases, "VNM") == {"11.0": (0, 74), "10.01": (0, 70)}
    assert vintage.labsh_years(releases, "KOR")["10.01"] == (67, 70)  # Korea has one (1953-2019)


def test_hours_years_by_hand(pwt):
    years = vintage.hours_years(pwt, ["VNM", "KOR"])
    vnm = pwt.loc[(pwt["iso3"] == "VNM") & pwt["avh"].notna(), "year"]
    assert years["VNM"] == (vnm.min(), vnm.max())
    without = pwt.groupby("iso3")["avh"].count().pipe(lambda n: n[n == 0].index[0])
    assert vintage.hours_years(pwt, [without]) == {without: None}


# --- sentences ---------------------------------------------------------------------------------------


def test_vintage_sentence_by_hand():
    comparison = pd.DataFrame(
        {
            "specification": ["Baseline"] * 6,
            "period": ["2011-2015", "2016-2019", "2016-2020"] * 2,
            "release": ["11.0"] * 3 + ["10.01"] * 3,
            "tfp_share": [0.211, 0.395, 0.381, 0.186, 0.505, np.nan],
        }
    )
    text = growth_report.vintage_sentence(comparison, "Viet Nam")
    assert "over 2016–2019 is 39.5% on PWT 11.0 and 50.5% on PWT 10.01" in text
    assert "moves it up by 11.0 points" in text
    assert "PWT 10.01 does not cover all of 2016–2020" in text
    # The other way round: the reference release is the one with the gap.
    flipped = growth_report.vintage_sentence(comparison.iloc[[3, 4, 5, 0, 1, 2]], "Viet Nam")
    assert "50.5% on PWT 10.01 and 39.5% on PWT 11.0" in flipped and "moves it down by 11.0 points" in flipped
    assert "PWT 10.01 does not cover all of 2016–2020" in flipped
    none = growth_report.vintage_sentence(comparison.assign(tfp_share=[0.1, 0.2, 0.3, np.nan, np.nan, np.nan]), "X")
    assert none == "No period of the table has a TFP share for X in both PWT 11.0 and PWT 10.01."


def test_labour_share_and_hours_sentences():
    none = growth_report.labour_share_sentence("Viet Nam", {"11.0": (0, 74), "10.01": (0, 70)})
    assert "missing for Viet Nam in all 74 years of PWT 11.0 and all 70 years of PWT 10.01" in none
    some = growth_report.labour_share_sentence("Korea", {"11.0": (71, 74), "10.01": (0, 70)})
    assert some.startswith("PWT publishes a labour share (labsh) for Korea (PWT 11.0: 71 years)")
    hours = growth_report.hours_reason("Viet Nam", (1970, 2023), 185, 130, 11.24)
    assert "only 130 of the 185 PWT economies" in hours and "for the other 55" in hours
    assert "for Viet Nam for 1970–2023" in hours and "up to 11.2 points a year" in hours
    assert "publishes no hours (avh) for Lao PDR" in growth_report.hours_reason("Lao PDR", None, 185, 130, 11.2)


def test_growth_page_shows_the_baseline_with_hours_where_avh_exists(pwt):
    from analysis.claims.ledger import load_claims, load_rules

    claims = load_claims()
    r = growth_report.report(
        pwt, claims, load_rules(claims), "VNM", ["KOR"], ["2011-2015"], growth.BASELINE, (0.5, 0.7), ["2011-2015"]
    )
    methods = r.decomposition.set_index("method")
    assert list(methods.index) == [growth_report.METHOD_BASELINE, growth_report.METHOD_HOURS]
    with_hours = growth.decompose(pwt, "VNM", ["2011-2015"], growth.BASELINE.replace(labour_input="emp_avh_hc"))
    assert methods.loc[growth_report.METHOD_HOURS, "tfp_share"] == pytest.approx(with_hours["tfp_share"].iloc[0])
    assert methods.loc[growth_report.METHOD_HOURS, "tfp_share"] == pytest.approx(
        _share_by_hand(pwt, 2011, 2015, 2 / 3, True)
    )


def test_a_page_on_pwt1001_judges_the_claims_on_pwt110(pwt, pwt1001):
    from analysis.claims.ledger import load_claims, load_rules

    claims = load_claims()
    rules = load_rules(claims)
    periods = ["2011-2015", "2011-2019"]
    args = (claims, rules, "VNM", ["KOR"], periods, growth.BASELINE, (0.5, 0.7), ["2011-2019"])
    on_old = growth_report.report(pwt1001, *args, verdict_pwt=pwt)
    on_new = growth_report.report(pwt, *args)
    # The page's numbers are PWT 10.01's, the claims' values PWT 11.0's (no verdict moves with the parameter).
    assert on_old.baseline["tfp_share"].iloc[0] == pytest.approx(_share_by_hand(pwt1001, 2011, 2015, 2 / 3, False))
    assert [(v.claim_id, v.value) for v in on_old.claim_values] == [(v.claim_id, v.value) for v in on_new.claim_values]
    # Only the official period figures PWT 10.01 covers are fitted (2016-2020 and 2011-2020 end in 2020).
    assert list(on_old.claimed) == ["2011-2015"]
    assert list(on_new.claimed) == ["2011-2015", "2016-2020", "2011-2020"]
