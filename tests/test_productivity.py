"""Labour productivity on three bases: hand-worked examples, identities, real data and the CLI."""

import io
import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import paths, productivity
from analysis.cli import main
from analysis.errors import InputError


@pytest.fixture
def toy_sources():
    """Two economies in PWT and WDI, a third (CCC) in WDI only."""
    pwt = pd.DataFrame(
        {
            "iso3": ["AAA", "AAA", "BBB", "BBB"],
            "year": [2020, 2021, 2020, 2021],
            "rgdpo": [1000.0, 1100.0, 6000.0, 6000.0],  # million 2021 US$
            "rgdpe": [900.0, 1000.0, 6600.0, 6600.0],
            "emp": [2.0, 2.0, 3.0, 3.0],  # million persons
            "avh": [2000.0, 2000.0, 1500.0, 1500.0],  # hours per person a year
        }
    )
    wdi = pd.DataFrame(
        {
            "iso3": ["AAA", "AAA", "BBB", "BBB", "CCC"],
            "year": [2020, 2021, 2020, 2021, 2020],
            "gdp_current_usd": [4e9, 4.4e9, 3e10, 3.3e10, 1e9],
            "gdp_per_worker_ppp_2021usd": [2000.0, 2100.0, 8000.0, 8400.0, 500.0],
        }
    )
    return pwt, wdi


@pytest.fixture
def toy_levels(toy_sources):
    return productivity.productivity_levels(*toy_sources)


@pytest.fixture(scope="module")
def real_levels():
    from analysis.data import load

    return productivity.productivity_levels(load("pwt"), load("wdi"))


def test_levels_hand_worked(toy_levels):
    aaa = toy_levels[(toy_levels["iso3"] == "AAA") & (toy_levels["year"] == 2020)].iloc[0]
    # 4e9 US$ / (2 million persons) = 2,000 US$ per worker
    assert aaa["usd_per_worker"] == pytest.approx(2000.0)
    # 1,000 million $ / (2 million persons × 2,000 hours) = 0.25 $ per hour
    assert aaa["ppp_per_hour"] == pytest.approx(0.25)
    # 4e9 US$ / 4e9 hours = 1 US$ per hour
    assert aaa["usd_per_hour"] == pytest.approx(1.0)
    assert aaa["ppp_per_worker"] == 2000.0
    ccc = toy_levels[toy_levels["iso3"] == "CCC"].iloc[0]
    assert ccc["ppp_per_worker"] == 500.0 and math.isnan(ccc["ppp_per_hour"]) and math.isnan(ccc["usd_per_worker"])


def test_rgdpe_variant(toy_sources):
    levels = productivity.productivity_levels(*toy_sources, pwt_output="rgdpe")
    bbb = levels[(levels["iso3"] == "BBB") & (levels["year"] == 2020)].iloc[0]
    # 6,600 million $ / (3 million × 1,500 hours) = 1.4667 $ per hour
    assert bbb["ppp_per_hour"] == pytest.approx(6600 / 4500)


def test_ratios_hand_worked(toy_levels):
    ratio = {
        basis: productivity.productivity_ratios(toy_levels, "AAA", ["BBB"], [2020], basis)["ratio"].iloc[0]
        for basis in productivity.BASES
    }
    # current US$: 2,000 / (3e10 / 3e6 = 10,000) = 0.2
    assert ratio["usd_per_worker"] == pytest.approx(0.2)
    # PPP per worker: 2,000 / 8,000 = 0.25
    assert ratio["ppp_per_worker"] == pytest.approx(0.25)
    # PPP per hour: 0.25 / (6,000 / 4,500 = 1.3333) = 0.1875
    assert ratio["ppp_per_hour"] == pytest.approx(0.1875)


def test_ratio_table_columns(toy_levels):
    table = productivity.productivity_ratios(toy_levels, "AAA", ["BBB"], [2020, 2021], "ppp_per_worker")
    assert list(table.columns) == ["country", "peer", "year", "basis", "ratio"]
    # 2021: 2,100 / 8,400 = 0.25
    assert table["ratio"].tolist() == pytest.approx([0.25, 0.25])


positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=50, deadline=None)
@given(a=positive, b=positive, c=positive)
def test_ratios_chain(a, b, c):
    # (A / B) × (B / C) = A / C, whatever the levels
    levels = pd.DataFrame({"iso3": ["A", "B", "C"], "year": [2000] * 3, "ppp_per_worker": [a, b, c]})
    for column in ("usd_per_worker", "ppp_per_hour", "usd_per_hour"):
        levels[column] = float("nan")

    def ratio(x, y):
        return productivity.productivity_ratios(levels, x, [y], [2000], "ppp_per_worker")["ratio"].iloc[0]

    assert ratio("A", "B") * ratio("B", "C") == pytest.approx(ratio("A", "C"), rel=1e-9)


@settings(max_examples=50, deadline=None)
@given(ratio=st.floats(min_value=1e-4, max_value=1e4, allow_nan=False))
def test_claim_forms_invert(ratio):
    # "N times lower" and "P% of" are two spellings of the same ratio: N × P = 100
    assert productivity.as_claimed(ratio, "ratio") * productivity.as_claimed(ratio, "percent") == pytest.approx(100.0)
    for unit in ("ratio", "percent"):
        assert productivity.as_ratio(productivity.as_claimed(ratio, unit), unit) == pytest.approx(ratio)


def test_claim_forms_hand_worked():
    # a quarter of the peer: "4 times lower", "25%"
    assert productivity.as_claimed(0.25, "ratio") == 4.0
    assert productivity.as_claimed(0.25, "percent") == 25.0
    with pytest.raises(InputError, match="percent, ratio"):
        productivity.as_claimed(0.25, "usd_per_hour")


def test_match_claims_finds_the_basis(toy_levels):
    claims = pd.DataFrame(
        {
            "claim_id": ["paper.productivity.usd.sgp", "paper.productivity.ppp.sgp", "unrelated"],
            "country": ["BBB", "BBB", "BBB"],
            "year_or_period": ["2020", "2020", "2020"],
            "value": [5.0, 19.0, 1.0],
            "unit": ["ratio", "percent", "ratio"],
        }
    )
    rules = pd.DataFrame({"claim_id": claims["claim_id"], "basis_year": ["2020", "2020", "2020"]})
    match = productivity.match_claims(toy_levels, claims, rules, "AAA").set_index("claim_id")
    assert list(match.index) == ["paper.productivity.usd.sgp", "paper.productivity.ppp.sgp"]
    # "5 times lower" at current US$: BBB / AAA = 10,000 / 2,000 = 5 exactly
    usd = match.loc["paper.productivity.usd.sgp"]
    assert usd["as_stated"] == pytest.approx(5.0)
    assert (usd["closest_basis"], usd["closest_value"]) == ("usd_per_worker", pytest.approx(5.0))
    # "19%" labelled PPP per worker in 2020: that basis gives 25%; the search covers only what the
    # claim leaves open, the PPP bases in 2020 (never current US$, never 2021): ppp_per_worker 25%,
    # ppp_per_hour 18.75%: the closest is PPP per hour. Current US$ (20%) is nearer than 25% but
    # another price concept.
    ppp = match.loc["paper.productivity.ppp.sgp"]
    assert ppp["as_stated"] == pytest.approx(25.0)
    assert (ppp["closest_basis"], ppp["closest_year"]) == ("ppp_per_hour", 2020)
    assert ppp["closest_value"] == pytest.approx(18.75)
    assert ppp["closest_basis_in_claim_year"] == "ppp_per_hour"


def test_bad_input_is_explained(toy_levels, toy_sources):
    with pytest.raises(
        InputError, match="Unknown productivity basis 'gdp'.*ppp_per_hour, ppp_per_worker, usd_per_worker"
    ):
        productivity.productivity_ratios(toy_levels, "AAA", ["BBB"], [2020], "gdp")
    with pytest.raises(InputError, match=r"Unknown country code\(s\) ZZZ.*AAA, BBB, CCC"):
        productivity.productivity_ratios(toy_levels, "AAA", ["ZZZ"], [2020], "ppp_per_worker")
    with pytest.raises(InputError, match=r"No ppp_per_worker for AAA in \[1990\]. Years with data: 2020–2021"):
        productivity.productivity_ratios(toy_levels, "AAA", ["BBB"], [1990], "ppp_per_worker")
    with pytest.raises(InputError, match="No ppp_per_hour for CCC.*none"):
        productivity.productivity_ratios(toy_levels, "AAA", ["CCC"], [2020], "ppp_per_hour")
    with pytest.raises(InputError, match="at least one peer"):
        productivity.productivity_ratios(toy_levels, "AAA", [], [2020], "ppp_per_worker")
    with pytest.raises(InputError, match="rgdpe, rgdpo"):
        productivity.productivity_levels(*toy_sources, pwt_output="rgdpna")


def test_real_data_against_published_values(real_levels):
    # WDI SL.GDP.PCAP.EM.KD, 2026 vintage, 2020: VNM 21,529.55, SGP 200,255.48 -> 0.10751
    ratio = productivity.productivity_ratios(real_levels, "VNM", ["SGP"], [2020], "ppp_per_worker")["ratio"].iloc[0]
    assert ratio == pytest.approx(21529.55 / 200255.48, abs=1e-5)
    # PWT 11.0, VNM 2021: rgdpo 1,218,281 million $, emp 53.404 million, avh 2,036.99 h -> 11.20 $ per hour
    vnm = real_levels[(real_levels["iso3"] == "VNM") & (real_levels["year"] == 2021)].iloc[0]
    assert vnm["ppp_per_hour"] == pytest.approx(1218281 / (53.404457 * 2036.99), abs=0.01)


def test_real_data_market_rates_widen_the_gap(real_levels):
    # Price levels are lower in poorer economies, so at market exchange rates Viet Nam's
    # output looks smaller relative to Singapore's than at PPP, year after year.
    years = list(range(2000, 2024))
    usd = productivity.productivity_ratios(real_levels, "VNM", ["SGP", "MYS"], years, "usd_per_worker")["ratio"]
    ppp = productivity.productivity_ratios(real_levels, "VNM", ["SGP", "MYS"], years, "ppp_per_worker")["ratio"]
    assert (usd.to_numpy() < ppp.to_numpy()).all()


def test_per_hour_levels_identities(real_levels):
    from analysis.data import load

    pwt, wdi = load("pwt"), load("wdi")
    table = productivity.per_hour_levels(pwt, wdi, ["SGP", "VNM"], 2021).set_index("iso3")
    row = pwt[(pwt["iso3"] == "SGP") & (pwt["year"] == 2021)].iloc[0]
    # per hour × hours per worker = per worker (PWT output side)
    assert table.loc["SGP", "ppp_rgdpo"] * row["avh"] == pytest.approx(row["rgdpo"] / row["emp"])
    usd_worker = real_levels[(real_levels["iso3"] == "SGP") & (real_levels["year"] == 2021)]["usd_per_worker"].iloc[0]
    assert table.loc["SGP", "usd_current"] * row["avh"] == pytest.approx(usd_worker)


def test_cli_prints_ratios(capsys):
    assert (
        main(
            [
                "productivity",
                "--country",
                "VNM",
                "--peers",
                "SGP,MYS,THA",
                "--year",
                "2020",
                "--basis",
                "ppp_per_worker",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(table.columns) == ["country", "peer", "year", "basis", "ratio"]
    assert table["peer"].tolist() == ["SGP", "MYS", "THA"]
    # WDI GDP per person employed 2020 (2021 PPP $): VNM 21,529.55; SGP 200,255.48
    assert table["ratio"].iloc[0] == pytest.approx(21529.55 / 200255.48, rel=1e-4)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--basis", "per_capita"],
            "Unknown productivity basis 'per_capita'. Allowed: ppp_per_hour, ppp_per_worker, usd_per_worker",
        ),
        (["--year", "1900"], "No ppp_per_worker for VNM in [1900]. Years with data:"),
        (["--peers", "SGP,XXX"], "Unknown country code(s) XXX"),
        (["--country", "QQQ"], "Unknown country code(s) QQQ"),
        (["--peers", "VNM,THA"], "VNM is the country compared and cannot also be its own peer"),
        (["--country", "tha", "--peers", "THA"], "THA is the country compared and cannot also be its own peer"),
    ],
)
def test_cli_rejects_bad_input(capsys, argv, message):
    assert main(["productivity", *argv]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_cli_as_a_subprocess():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis",
            "productivity",
            "--peers",
            "SGP",
            "--year",
            "2021",
            "--basis",
            "ppp_per_hour",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=paths.repo_root(),
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    rows = json.loads(completed.stdout)
    assert rows[0]["peer"] == "SGP" and rows[0]["basis"] == "ppp_per_hour"
    # PWT 11.0, 2021: VNM 11.20, SGP 65.18 $ per hour (rgdpo / (emp × avh))
    assert rows[0]["ratio"] == pytest.approx(11.20 / 65.18, abs=1e-3)


def test_repeated_peers_are_dropped(toy_levels):
    once = productivity.productivity_ratios(toy_levels, "AAA", ["BBB"], [2020], "ppp_per_worker")
    twice = productivity.productivity_ratios(toy_levels, "AAA", ["BBB", "bbb ", "BBB"], [2020], "ppp_per_worker")
    pd.testing.assert_frame_equal(once, twice)
    assert twice["ratio"].tolist() == [pytest.approx(0.25)]  # 2,000 / 8,000, a number and not a Series


def test_cli_repeated_peer_prints_one_number_per_cell(capsys):
    assert main(["productivity", "--peers", "THA,THA", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table["peer"].tolist() == ["THA"]
    assert pd.api.types.is_float_dtype(table["ratio"]) and 0 < table["ratio"].iloc[0] < 1


def test_peer_equal_to_country_is_refused(toy_levels):
    with pytest.raises(InputError, match="AAA is the country compared and cannot also be its own peer"):
        productivity.productivity_ratios(toy_levels, "aaa", ["BBB", "AAA"], [2020], "ppp_per_worker")


# --- the chapter's report ------------------------------------------------------------------------


def test_position_of_a_per_hour_figure():
    from analysis.productivity import report

    # 10 is 1 from the nearer PPP value (11) and 6 from current US$ (4): close to PPP
    assert report.position(10.0, (11.0, 13.0), 4.0) == "close to the PPP measures"
    assert report.position(4.5, (11.0, 13.0), 4.0) == "close to the current-US$ measure"
    assert report.position(7.0, (10.0, 13.0), 4.0) == "about as far from one measure as from the other"


def test_report_takes_claims_at_their_rule_basis():
    from analysis.claims.ledger import load_claims, load_rules
    from analysis.data import load
    from analysis.productivity import report

    claims = load_claims()
    r = report.report(
        load("pwt"),
        load("wdi"),
        load("countries"),
        claims,
        load_rules(claims),
        "THA",
        ["THA", "SGP", "SGP"],
        [2021],
        2015,
    )
    assert r.peers == ["SGP"]  # the country itself and the repeat are left out
    ppp = r.matches.set_index("claim_id").loc["paper.productivity.ppp.sgp"]
    # basis 2020 from the rules (WDI 2020: VNM 21,529.55, SGP 200,255.48), in percent
    assert ppp["claim_year"] == 2020
    assert ppp["as_stated"] == pytest.approx(100 * 21529.55 / 200255.48, abs=1e-3)
    values = report.prose_values(r, claims)
    assert values["sgp_ppp_as_times"] == "11.1"  # 100 / 8.99
    # PWT 11.0, 2021: 65.18 / 11.20 $ per hour
    assert float(values["pwt_hour_ratio"]) == pytest.approx(65.18 / 11.20, abs=0.05)
