"""Growth accounting: PWT's own TFP reproduced, identities, a hand-worked example, errors, CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import growth
from analysis.cli import main
from analysis.errors import DataError, InputError
from analysis.growth import claims as growth_claims
from analysis.growth import report as growth_report
from analysis.growth.specification import Specification

# PWT stores rgdpna, rkna, emp, hc, labsh and rtfpna in single precision: each stored value
# is within a relative 2**-24 (≈ 6.0e-8) of the number PWT computed with. One year's TFP
# growth uses two values of each series, so the rounding can move
#   Δln rtfpna (2 values) + Δln rgdpna (2) + (1-s)·Δln rkna (2) + s·(Δln emp + Δln hc) (4)
# by at most 2**-24 · (2 + 2 + 2(1-s) + 4s) ≤ 8 · 2**-24 ≈ 4.8e-7, plus a rounding of s times
# a growth gap below 1 (≤ 2**-24). Tolerance: 1e-6, about twice that worst case (9 · 2**-24).
FLOAT32_TOLERANCE = 1e-6
VALIDATION_VARIABLES = ["rgdpna", "rkna", "emp", "hc", "labsh", "rtfpna"]


# --- PWT's rtfpna, reproduced for every country-year -----------------------------------------


@pytest.fixture(scope="module")
def rtfpna_check(pwt):
    return growth.rtfpna_check(pwt)


def test_validation_inputs_are_stored_in_single_precision(pwt):
    # The premise of FLOAT32_TOLERANCE: these columns round-trip through float32 exactly.
    for column in VALIDATION_VARIABLES:
        values = pwt[column].dropna().to_numpy()
        assert np.array_equal(values.astype(np.float32).astype(np.float64), values), column


def test_pwt_method_reproduces_rtfpna_for_every_country_year(pwt, rtfpna_check):
    # Independent count of the year-on-year rtfpna growth rates PWT publishes.
    panel = pwt.sort_values(["iso3", "year"])
    previous = panel.groupby("iso3")["rtfpna"].shift()
    consecutive = panel["year"].diff().eq(1) & panel["iso3"].eq(panel["iso3"].shift())
    published_pairs = int((panel["rtfpna"].notna() & previous.notna() & consecutive).sum())

    assert len(rtfpna_check) == published_pairs == 6868  # PWT 11.0: 6,868 country-years
    assert rtfpna_check["iso3"].nunique() == 120
    assert rtfpna_check["computed"].notna().all()  # no country-year left out for missing inputs
    worst = rtfpna_check["deviation"].abs().max()
    # Found: 1.8e-7 (BRB 2016), inside the float32 bound.
    assert worst <= FLOAT32_TOLERANCE, rtfpna_check.loc[rtfpna_check["deviation"].abs().idxmax()].to_dict()


@pytest.mark.parametrize(
    "specification",
    [
        Specification("pwt", "emp_hc", "rkna"),  # hours left out (the hint to check)
        Specification("pwt", "emp_avh_hc", "rnna"),  # capital stock, not services
        Specification(0.6, "emp_avh_hc", "rkna"),  # a fixed share
    ],
)
def test_other_specifications_miss_rtfpna(pwt, specification):
    # The check can fail: any other specification misses Korea's rtfpna growth by > 0.1 point in some year.
    published = np.log(pwt[pwt["iso3"] == "KOR"].set_index("year")["rtfpna"]).diff()
    computed = growth.yearly(pwt, "KOR", specification)["tfp_contribution"]
    assert (computed - published).abs().max() > 1e-3


# --- identities on synthetic data (hypothesis) -----------------------------------------------


def synthetic_pwt(levels: dict[str, list[float]], first_year: int = 2000, iso3: str = "AAA") -> pd.DataFrame:
    n = len(next(iter(levels.values())))
    frame = pd.DataFrame({"iso3": iso3, "country": f"Country {iso3}", "year": range(first_year, first_year + n)})
    for column in ("rgdpna", "rnna", "rkna", "emp", "avh", "hc", "labsh", "rtfpna"):
        frame[column] = levels.get(column, [np.nan] * n)
    return frame


positive = st.floats(min_value=0.5, max_value=2.0, allow_nan=False)
growth_factor = st.floats(min_value=0.8, max_value=1.25, allow_nan=False)


@st.composite
def economies(draw):
    years = draw(st.integers(min_value=3, max_value=12))

    def path():
        start = draw(positive)
        factors = draw(st.lists(growth_factor, min_size=years - 1, max_size=years - 1))
        return list(start * np.cumprod([1.0, *factors]))

    levels = {c: path() for c in ("rgdpna", "rnna", "rkna", "emp", "avh", "hc")}
    levels["labsh"] = draw(st.lists(st.floats(min_value=0.2, max_value=0.9), min_size=years, max_size=years))
    return synthetic_pwt(levels)


@settings(max_examples=60, deadline=None)
@given(
    economy=economies(),
    labour_share=st.one_of(st.just("pwt"), st.floats(min_value=0.05, max_value=0.95)),
    labour_input=st.sampled_from(list(growth.LABOUR_INPUTS)),
    capital=st.sampled_from(list(growth.CAPITAL_MEASURES)),
)
def test_contributions_sum_to_output_growth(economy, labour_share, labour_input, capital):
    last = int(economy["year"].max())
    spec = Specification(labour_share, labour_input, capital)
    table = growth.decompose(economy, "AAA", [f"2001-{last}", f"{last}-{last}"], spec)
    total = table[growth.CONTRIBUTIONS].sum(axis=1)
    assert np.allclose(total, table["output_growth"], rtol=0, atol=1e-12)
    # and output growth is the average yearly log growth, computed here directly
    output = economy.set_index("year")["rgdpna"]
    assert table["output_growth"].iloc[0] == pytest.approx(
        math.log(output[last] / output[2000]) / (last - 2000), abs=1e-12
    )


@settings(max_examples=40, deadline=None)
@given(economy=economies(), share=st.floats(min_value=0.1, max_value=0.9))
def test_recovers_tfp_of_a_cobb_douglas_economy(economy, share):
    # Build output from known TFP A: Y = A · K^(1-a) · (emp · avh · hc)^a; the residual must be Δln A.
    inputs = economy.set_index("year")
    tfp = inputs["rtfpna"] = inputs["labsh"] + 0.5  # any positive path serves as A
    inputs["rgdpna"] = tfp * inputs["rnna"] ** (1 - share) * (inputs["emp"] * inputs["avh"] * inputs["hc"]) ** share
    economy = inputs.reset_index()
    recovered = growth.yearly(economy, "AAA", Specification(share, "emp_avh_hc", "rnna"))["tfp_contribution"]
    assert np.allclose(recovered.iloc[1:], np.log(tfp).diff().iloc[1:], rtol=0, atol=1e-12)


# --- a hand-worked example -------------------------------------------------------------------


def test_two_year_example_by_hand():
    # Years 2000-2002. Output grows 10 % a year, capital services 5 %, persons 2 %, hc 1 %;
    # hours fall 1 % in 2001 and are flat in 2002; labsh is 0.6, 0.6, 0.7.
    economy = synthetic_pwt(
        {
            "rgdpna": [100.0, 110.0, 121.0],
            "rkna": [200.0, 210.0, 220.5],
            "emp": [50.0, 51.0, 52.02],
            "hc": [2.0, 2.02, 2.0402],
            "avh": [2000.0, 1980.0, 1980.0],
            "labsh": [0.6, 0.6, 0.7],
        }
    )
    # Log growth: ln 1.1 = 0.0953102, ln 1.05 = 0.0487902, ln 1.02 = 0.0198026,
    # ln 1.01 = 0.0099503, ln 0.99 = -0.0100503.
    # Törnqvist labour share: 2001 (0.6 + 0.6)/2 = 0.60; 2002 (0.6 + 0.7)/2 = 0.65.
    # 2001: capital 0.40 × 0.0487902 = 0.0195161; persons 0.6 × 0.0198026 = 0.0118816;
    #       hours 0.6 × -0.0100503 = -0.0060302; quality 0.6 × 0.0099503 = 0.0059702;
    #       TFP 0.0953102 - 0.0195161 - 0.0118816 + 0.0060302 - 0.0059702 = 0.0639725.
    # 2002: capital 0.35 × 0.0487902 = 0.0170766; persons 0.65 × 0.0198026 = 0.0128717;
    #       hours 0; quality 0.65 × 0.0099503 = 0.0064677;
    #       TFP 0.0953102 - 0.0170766 - 0.0128717 - 0.0064677 = 0.0588942.
    # Period 2001-2002: TFP (0.0639725 + 0.0588942)/2 = 0.0614334; share 0.0614334/0.0953102 = 0.644563.
    row = growth.decompose(economy, "AAA", ["2001-2002"], growth.PWT_METHOD).iloc[0]
    assert row["output_growth"] == pytest.approx(0.0953102, abs=1e-7)
    assert row["labour_share"] == pytest.approx(0.625, abs=1e-12)
    assert row["capital_contribution"] == pytest.approx((0.0195161 + 0.0170766) / 2, abs=1e-7)
    assert row["persons_contribution"] == pytest.approx((0.0118816 + 0.0128717) / 2, abs=1e-7)
    assert row["hours_contribution"] == pytest.approx(-0.0060302 / 2, abs=1e-7)
    assert row["quality_contribution"] == pytest.approx((0.0059702 + 0.0064677) / 2, abs=1e-7)
    assert row["tfp_contribution"] == pytest.approx(0.0614334, abs=1e-7)
    assert row["tfp_share"] == pytest.approx(0.644563, abs=1e-6)
    assert row["hours_imputed_years"] == 0
    # With a fixed share of 0.5 and persons only, 2001: 0.0953102 - 0.5 × 0.0487902 - 0.5 × 0.0198026 = 0.0610138.
    fixed = growth.decompose(economy, "AAA", ["2001"], Specification(0.5, "emp", "rkna")).iloc[0]
    assert fixed["tfp_contribution"] == pytest.approx(0.0610138, abs=1e-7)
    assert fixed["quality_contribution"] == 0 and fixed["hours_contribution"] == 0


def test_hours_completed_as_pwt_does():
    # USA hours grow 10 % a year; AAA publishes avh in 2001 (1500) and 2003 (1700) only.
    usa = synthetic_pwt({"avh": [1000.0, 1100.0, 1210.0, 1331.0, 1464.1]}, iso3="USA")
    aaa = synthetic_pwt({"avh": [np.nan, 1500.0, np.nan, 1700.0, np.nan]})
    hours = growth.hours_per_worker(pd.concat([usa, aaa]), "AAA")
    # 2000: back-cast with US growth, 1500 × 1000/1100 = 1363.636; 2002: linear, (1500 + 1700)/2 = 1600;
    # 2004: extended with US growth, 1700 × 1464.1/1331 = 1870.
    assert hours["hours"].to_list() == pytest.approx([1363.6364, 1500.0, 1600.0, 1700.0, 1870.0], abs=1e-4)
    assert hours["observed"].to_list() == [False, True, False, True, False]


# --- fitting the labour share and the target arithmetic --------------------------------------


def test_fitted_labour_share_beats_a_fine_grid(pwt):
    periods, targets = ["2011-2015", "2016-2020", "2011-2020"], [0.336, 0.452, 0.390]
    fit = growth.fit_labour_share(pwt, "VNM", periods, targets, labour_input="emp")
    # Brute force, independent of the closed form: TFP shares on a grid of step 0.005.
    grid = np.linspace(0.30, 0.80, 101)
    errors = [
        growth.rmse(growth.decompose(pwt, "VNM", periods, Specification(a, "emp"))["tfp_share"], targets) for a in grid
    ]
    assert fit.rmse <= min(errors) + 1e-12
    assert fit.labour_share == pytest.approx(grid[int(np.argmin(errors))], abs=0.0025)


def test_claim_check_finds_reference_closest_and_matches():
    table = pd.DataFrame(
        {
            "country": ["KOR"] * 4,
            "method": ["PWT's method", "PWT's method", "Baseline", "Baseline"],
            "period": ["2001-2010", "2011-2020", "2001-2010", "2011-2020"],
            "tfp_share": [0.34, 0.12, 0.508, np.nan],
        }
    )
    row = growth.claim_check(table, {"KOR": 0.515}, reference_method="PWT's method", reference_period="2011-2020").iloc[
        0
    ]
    # reference: PWT's method 2011-2020 = 0.12; closest: 0.508 (gap -0.007); 0.34 is 0.175 away.
    assert row["reference"] == 0.12
    assert (row["closest_period"], row["closest_method"]) == ("2001-2010", "Baseline")
    assert row["gap"] == pytest.approx(-0.007)


def test_compare_leaves_periods_outside_the_data_missing(pwt):
    table = growth.compare(pwt, ["VNM"], ["1950-1955", "2011-2015"])
    assert table["tfp_share"].isna().tolist() == [True, False]
    with pytest.raises(InputError, match="Unknown country code"):
        growth.compare(pwt, ["XXX"], ["2011-2015"])


# --- bad input -------------------------------------------------------------------------------


def test_unknown_country_lists_codes(pwt):
    with pytest.raises(InputError, match=r"Unknown country code\(s\) XXX in PWT 11.0.*Available: ABW"):
        growth.decompose(pwt, "XXX", ["2011-2015"])


def test_period_outside_data_gives_available_range(pwt):
    with pytest.raises(InputError, match=r"2020-2025.*1971–2023.*missing: 2024–2025"):
        growth.decompose(pwt, "VNM", ["2020-2025"])


def test_missing_variables_suggest_alternatives(pwt):
    with pytest.raises(InputError, match=r"no labour share \(labsh\) for Viet Nam.*fixed labour share"):
        growth.decompose(pwt, "VNM", ["2011-2015"], Specification("pwt"))
    with pytest.raises(InputError, match="no rkna for Viet Nam.*rnna"):
        growth.decompose(pwt, "VNM", ["2011-2015"], Specification(capital="rkna"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"labour_share": 1.5}, "between 0 and 1"),
        ({"labour_share": "two thirds"}, "Cannot read the labour share"),
        ({"labour_input": "hours"}, "Unknown labour input.*emp_avh_hc"),
        ({"capital": "ck"}, "Unknown capital measure.*rkna, rnna"),
    ],
)
def test_bad_specification_is_explained(kwargs, message):
    with pytest.raises(InputError, match=message):
        Specification(**kwargs)


def test_period_parsing():
    assert growth.parse_periods("2011-2015, 2020") == [growth.Period(2011, 2015), growth.Period(2020, 2020)]
    assert growth.parse_labour_share("2/3") == pytest.approx(2 / 3)
    with pytest.raises(InputError, match="START-END"):
        growth.parse_period("2011 to 2015")
    with pytest.raises(InputError, match="ends before it starts"):
        growth.parse_period("2015-2011")


# --- command line ----------------------------------------------------------------------------

CLI_EXAMPLE = [
    "growth",
    "--country",
    "VNM",
    "--periods",
    "2011-2015,2016-2020,2011-2020",
    "--labour-share",
    "0.6667",
    "--labour-input",
    "emp",
    "--capital",
    "rnna",
]


def test_cli_matches_direct_calculation(pwt, capsys):
    assert main([*CLI_EXAMPLE, "--format", "csv"]) == 0
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert list(table.columns) == [
        "country",
        "period",
        "output_growth_pct",
        "capital_contribution_pct",
        "labour_contribution_pct",
        "labour_quality_contribution_pct",
        "tfp_contribution_pct",
        "tfp_share_pct",
    ]
    # Independent: the 2011-2015 TFP share straight from PWT's columns.
    vnm = pwt[pwt["iso3"] == "VNM"].set_index("year")
    dy = np.log(vnm["rgdpna"].loc[2015] / vnm["rgdpna"].loc[2010]) / 5
    dk = np.log(vnm["rnna"].loc[2015] / vnm["rnna"].loc[2010]) / 5
    de = np.log(vnm["emp"].loc[2015] / vnm["emp"].loc[2010]) / 5
    first = table.iloc[0]
    assert first["output_growth_pct"] == pytest.approx(100 * dy, abs=1e-4)
    assert first["tfp_share_pct"] == pytest.approx(100 * (dy - 0.3333 * dk - 0.6667 * de) / dy, abs=1e-3)
    parts = table[
        [
            "capital_contribution_pct",
            "labour_contribution_pct",
            "labour_quality_contribution_pct",
            "tfp_contribution_pct",
        ]
    ].sum(axis=1)
    assert np.allclose(parts, table["output_growth_pct"], atol=5e-4)


def test_cli_markdown_and_json(capsys):
    assert main([*CLI_EXAMPLE, "--format", "md"]) == 0
    assert "| VNM" in capsys.readouterr().out
    assert (
        main(
            [
                "growth",
                "--country",
                "kor",
                "--labour-share",
                "pwt",
                "--labour-input",
                "emp_avh_hc",
                "--capital",
                "rkna",
                "--periods",
                "2011-2020",
                "--format",
                "json",
            ]
        )
        == 0
    )
    records = json.loads(capsys.readouterr().out)
    assert [r["period"] for r in records] == ["2011-2020"] and records[0]["country"] == "KOR"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--country", "XXX"], "Unknown country code"),
        (["--country", "VNM", "--periods", "1940-1950"], "growth can be measured for 1971–2023"),
        (["--country", "VNM", "--labour-share", "pwt"], "give a fixed labour share"),
    ],
)
def test_cli_errors_exit_2(capsys, arguments, message):
    assert main(["growth", *arguments]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.slow
def test_cli_as_subprocess():
    completed = subprocess.run(
        [sys.executable, "-m", "analysis", *CLI_EXAMPLE, "--format", "csv"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[1].startswith("VNM,2011-2015,")


def test_baseline_row_gaps_by_hand():
    from analysis import growth

    fits = pd.DataFrame(
        [
            {
                "labour_input": "emp",
                "labour_share": 0.6,
                "2011-2015": 0.30,
                "2016-2020": 0.40,
                "rmse": 0.01,
                "max_abs_gap": 0.02,
            }
        ]
    )
    baseline = pd.DataFrame({"period": ["2011-2015", "2016-2020", "2021-2023"], "tfp_share": [0.20, 0.50, 0.10]})
    table = growth.with_baseline_row(fits, baseline, {"2011-2015": 0.24, "2016-2020": 0.47}, 2 / 3, "emp_hc")
    row = table.iloc[-1]
    # Gaps -0.04 and +0.03: RMSE = sqrt((0.0016 + 0.0009) / 2) = 0.035355..., largest gap 0.04.
    assert row["labour_input"] == "baseline: emp_hc" and row["labour_share"] == pytest.approx(2 / 3)
    assert row["rmse"] == pytest.approx(0.0353553, abs=1e-7)
    assert row["max_abs_gap"] == pytest.approx(0.04)
    assert len(table) == 2 and math.isnan(
        growth.with_baseline_row(fits, baseline, {"2011-2015": 0.24}, "pwt", "emp").iloc[-1]["labour_share"]
    )


# --- the specification object ----------------------------------------------------------------


def test_specification_is_one_frozen_object():
    spec = Specification("2/3", "emp", "rkna")
    assert spec.labour_share == pytest.approx(2 / 3)  # read like the command line reads it
    assert spec.describe() == "fixed labour share 0.667 · labour: persons employed · capital: capital services"
    assert growth.PWT_METHOD.describe() == (
        "PWT's own labour shares (Törnqvist) · labour: persons × hours × human capital · capital: capital services"
    )
    assert spec.replace(labour_input="emp_hc").variables == ["rgdpna", "rkna", "emp", "hc"]
    assert growth.PWT_METHOD.variables == ["rgdpna", "rkna", "emp", "avh", "hc", "labsh"]
    with pytest.raises(AttributeError):
        spec.capital = "rnna"
    with pytest.raises(InputError, match="Unknown capital measure"):
        spec.replace(capital="ck")
    assert Specification(2 / 3, "emp_hc", "rnna") == growth.BASELINE


# --- the paper's claims at their ruled basis ----------------------------------------


def by_hand_share(pwt, iso3, first, last):
    """Baseline TFP share (percent) from PWT's columns: 1 - [(1/3) dK + (2/3)(dE + dh)] / dY over the period."""
    rows = pwt[pwt["iso3"] == iso3].set_index("year")

    def log_change(column):
        return math.log(rows[column].loc[last] / rows[column].loc[first - 1])

    dy, dk = log_change("rgdpna"), log_change("rnna")
    labour = log_change("emp") + log_change("hc")
    return 100 * (1 - (dk / 3 + 2 * labour / 3) / dy)


def test_share_change_and_comparator_by_hand():
    assert growth_claims.share_change(21.1, 38.1) == pytest.approx(17.0)
    assert growth_claims.comparator_of("paper.tfp_share.vnm.low_vs_region.kor") == "KOR"
    with pytest.raises(DataError, match="comparator's ISO3 code"):
        growth_claims.comparator_of("paper.tfp_share.vnm.low_vs_region")


def test_claims_computed_at_their_basis_under_the_baseline(pwt):
    from analysis.claims.ledger import load_claims, load_rules

    claims = load_claims()
    rules = load_rules(claims)
    values = {v.claim_id: v for v in growth_claims.claim_values(pwt, claims, rules)}
    vnm = values["paper.tfp_share.vnm.2011_2015"]
    assert (vnm.unit, vnm.result_id) == ("percent", "tfp_share.VNM.2011-2015.baseline")
    assert vnm.value == pytest.approx(by_hand_share(pwt, "VNM", 2011, 2015), abs=1e-9)
    assert vnm.basis_used.startswith("2011-2015, baseline") and vnm.period == "2011-2015"
    # Viet Nam's own figures are what the method is fitted to: no search value, a note instead
    assert math.isnan(vnm.search_value) and "not a search" in vnm.note
    kor = values["paper.tfp_share.kor"]
    assert kor.value == pytest.approx(by_hand_share(pwt, "KOR", 2011, 2020), abs=1e-9)
    # Korea's search: the closest of the nine grid shares, each computed by the decomposition
    grid = [growth_claims.baseline_share(pwt, "KOR", "2011-2020", spec) for spec in growth.DECLARED_GRID]
    assert kor.search_value == pytest.approx(min(grid, key=lambda v: abs(v - 51.5)), abs=1e-9)
    rise = values["paper.tfp_share.vnm.increased"]
    assert rise.unit == "direction" and (rise.earlier_period, rise.period) == ("2011-2015", "2016-2020")
    expected = by_hand_share(pwt, "VNM", 2016, 2020) - by_hand_share(pwt, "VNM", 2011, 2015)
    assert rise.value == pytest.approx(expected, abs=1e-9)
    # one row per named comparator: Viet Nam minus that economy, by hand
    for code in ("KOR", "CHN", "THA"):
        gap = values[f"paper.tfp_share.vnm.low_vs_region.{code.lower()}"]
        by_hand = by_hand_share(pwt, "VNM", 2011, 2020) - by_hand_share(pwt, code, 2011, 2020)
        assert gap.unit == "comparison" and gap.comparator == code
        assert gap.value == pytest.approx(by_hand, abs=1e-9)
        assert 0 <= gap.search_value <= len(growth.DECLARED_GRID)
    assert "paper.tfp_share.vnm.low_vs_region" not in values  # all-of: judged from its parts by the ledger
    assert "r57.tfp_share.2030" not in values  # the target is the tracker's


def test_direction_and_region_sentences_follow_the_sign():
    assert "holds" in growth_report.increased_sentence(3.2, "2011-2015", "2016-2020")
    assert "fell by 3.2 points" in growth_report.increased_sentence(-3.2, "2011-2015", "2016-2020")
    assert "contradicted" in growth_report.increased_sentence(-3.2, "2011-2015", "2016-2020")
    from analysis.growth.claims import ClaimValue

    def gap(code, value):
        return ClaimValue("x." + code.lower(), "r", value, "comparison", "", 3.0, period="2011-2020", comparator=code)

    report = SimpleNamespace(claim_values=[gap("KOR", 4.0), gap("CHN", -2.5)], names={"KOR": "Korea", "CHN": "China"})
    text = growth_report.region_sentence(report)
    assert "4.0 points above Korea's and 2.5 points below China's" in text
    assert "holds for China and is contradicted for Korea" in text


def test_hours_note_and_sensitivity_sentence():
    assert growth_report.hours_note(0, "Viet Nam") == ""
    assert growth_report.hours_note(1, "Korea").startswith("In 1 of the period-year shown")
    grid = pd.DataFrame(
        {"labour_share": [0.3, 0.4, 0.7, 0.8], "period": ["2011-2020"] * 4, "tfp_share": [0.9, 0.25, 0.10, -0.5]}
    )
    # only shares 0.40 and 0.70 are in the band: 10.0% to 25.0%, 15 points apart
    assert "from 10.0% to 25.0%" in growth_report.sensitivity_sentence(grid, "2011-2020")
    assert "by 15 points" in growth_report.sensitivity_sentence(grid, "2011-2020")


def test_baseline_story_by_hand():
    table = pd.DataFrame(
        {
            "period": ["2011-2015", "2016-2020"],
            "output_growth": [0.06, 0.05],
            "capital_contribution": [0.03, 0.02],
            "persons_contribution": [0.01, 0.01],
            "hours_contribution": [0.005, 0.0],
            "quality_contribution": [0.005, 0.01],
            "tfp_contribution": [0.01, 0.01],
            "tfp_share": [1 / 6, 0.2],
        }
    )
    story = growth_report.baseline_story(table, "2011-2015", with_hours=True)
    # labour = persons + hours = 0.015 → 1.50 points; TFP share 1/6 → 16.7%
    assert "output grew 6.00 points a year" in story and "their hours 1.50" in story
    assert "a TFP share of 16.7%" in story and "20.0% in 2016–2020" in story
    assert growth_report.join(["Korea", "China", "Thailand"]) == "Korea, China and Thailand"
