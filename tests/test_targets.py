"""The 2030 target tracker: hand-worked growth arithmetic, verdict rules, the TFP hand-over and real data."""

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import targets
from analysis.book.ledger import load_claims
from analysis.book.results import ResultsRecorder
from analysis.book.verdicts import VERDICTS
from analysis.errors import InputError


def claim(claim_id, value, unit, year="2030", kind="target"):
    return {
        "claim_id": claim_id,
        "value": value,
        "unit": unit,
        "year_or_period": year,
        "kind": kind,
        "source_seed": "002",
        "country": "VNM",
        "quote": "",
        "section": "",
        "cited_source": "",
    }


@pytest.fixture
def toy_claims():
    return pd.DataFrame(
        [
            claim("r57.rd_pct_gdp.2030", 2.0, "percent_of_gdp"),
            claim("r57.publications_growth.2030", 10.0, "percent_per_year"),
            claim("r57.tfp_share.2030", 55.0, "percent"),
            claim("r57.hdi.2030", 0.7, "index"),
            claim("r57.budget_strategic_share.2030", 15.0, "percent_of_st_budget", year=""),  # undated, 2030 in its id
            claim("some.new_target.2030", 1.0, "count"),  # in no table: generic reason
            claim("r57.digital_economy_pct_gdp.2045", 50.0, "percent_of_gdp", year="2045"),
            claim("paper.rd.vnm_pct_gdp", 0.5, "percent_of_gdp", year="2030", kind="measurement"),
        ]
    )


@pytest.fixture
def toy_wdi():
    # AAA: R&D 0.40 (2018) -> 0.41 (2023); articles grow exactly 20% a year 2013-2023.
    years = list(range(2013, 2024))
    return pd.DataFrame(
        {
            "iso3": ["AAA"] * len(years),
            "country": ["A"] * len(years),
            "year": years,
            "rd_expenditure_pct_gdp": [0.40 if y == 2018 else 0.41 if y == 2023 else math.nan for y in years],
            "journal_articles": [1000 * 1.2 ** (y - 2013) for y in years],
        }
    )


def series(values: dict) -> pd.Series:
    return pd.Series(list(values.values()), index=list(values.keys()), dtype=float)


def test_window_growth_hand_worked():
    s = series({2013: 100.0, 2015: 121.0, 2018: 150.0, 2020: 200.0})
    # 5 years before 2020: earliest observation in [2015, 2020) is 2015 -> (200 / 121) ** (1/5) - 1 = 0.10573
    rate, start = targets.window_growth(s, 5)
    assert start == 2015 and rate == pytest.approx(0.105729, abs=1e-6)
    # 10 years: earliest in [2010, 2020) is 2013 -> 2 ** (1/7) - 1 = 0.104090
    rate, start = targets.window_growth(s, 10)
    assert start == 2013 and rate == pytest.approx(0.104090, abs=1e-6)
    # 1 year: nothing in [2019, 2020)
    rate, start = targets.window_growth(s, 1)
    assert math.isnan(rate) and start is None


def test_window_growth_skips_non_positive_and_checks_window():
    s = series({2015: 0.0, 2016: 100.0, 2020: 146.41})
    # the zero in 2015 is skipped: 2016 -> 2020, 1.4641 ** (1/4) - 1 = 0.10
    assert targets.window_growth(s, 5) == (pytest.approx(0.10), 2016)
    with pytest.raises(InputError, match="at least one year"):
        targets.window_growth(s, 0)


def test_assess_level_target_hand_worked():
    s = series({2018: 0.40, 2023: 0.41})
    out = targets.assess(s, "level", 2.0, 2030)
    # required: (2 / 0.41) ** (1/7) - 1; ln(4.87805) = 1.58475, / 7 = 0.226392, e^x - 1 = 0.25407
    assert out["required_pct"] == pytest.approx(25.407, abs=1e-3)
    # recent: (0.41 / 0.40) ** (1/5) - 1 = 0.4951 % a year
    assert out["growth_short_pct"] == pytest.approx(0.4951, abs=1e-4) and out["short_from"] == 2018
    assert (out["latest_value"], out["latest_year"], out["on_track"]) == (0.41, 2023, False)


def test_assess_level_already_met_and_too_short():
    met = targets.assess(series({2020: 10.0, 2023: 13.0}), "level", 12.0, 2030)
    assert met["on_track"] is True and met["required_pct"] < 0
    single = targets.assess(series({2023: 8.0}), "level", 12.0, 2030)
    assert single["on_track"] is None and single["latest_value"] == 8.0
    # (12 / 8) ** (1/7) - 1 = 5.964 % a year, computable from one observation
    assert single["required_pct"] == pytest.approx(5.964, abs=1e-3)
    with pytest.raises(InputError, match="growth, level"):
        targets.assess(series({2023: 8.0}), "share", 12.0, 2030)


@settings(max_examples=40, deadline=None)
@given(
    rate=st.floats(min_value=-0.3, max_value=0.6),
    target=st.floats(min_value=0.0, max_value=50.0, allow_subnormal=False),
)
def test_assess_growth_target_compares_rates(rate, target):
    # a series growing exactly at `rate` is on track when 100 × rate >= target
    s = series({y: 50.0 * (1 + rate) ** (y - 2010) for y in range(2010, 2022)})
    out = targets.assess(s, "growth", target, 2030)
    assert out["growth_short_pct"] == pytest.approx(100 * rate, abs=1e-9)
    assert out["growth_long_pct"] == pytest.approx(100 * rate, abs=1e-9)
    assert out["required_pct"] == pytest.approx(target, abs=1e-12)
    if abs(100 * rate - target) > 1e-9:
        assert out["on_track"] is (100 * rate > target)


def test_verdict_rules():
    assert targets.verdict_for(True, "same") == "on-track"
    assert targets.verdict_for(False, "same") == "off-track"
    # an upper bound can prove a shortfall, not success
    assert targets.verdict_for(False, "upper-bound") == "off-track"
    assert targets.verdict_for(True, "upper-bound") == "cannot-be-measured"
    for on_track in (True, False):
        assert targets.verdict_for(on_track, "proxy") == "cannot-be-measured"
    assert targets.verdict_for(None, "same") == "cannot-be-measured"
    with pytest.raises(InputError, match="proxy, same, upper-bound"):
        targets.verdict_for(True, "close")


def test_targets_for_year(toy_claims):
    ids = targets.targets_for_year(toy_claims, 2030)["claim_id"].tolist()
    assert ids == [
        "r57.rd_pct_gdp.2030",
        "r57.publications_growth.2030",
        "r57.tfp_share.2030",
        "r57.hdi.2030",
        "r57.budget_strategic_share.2030",
        "some.new_target.2030",
    ]
    assert targets.targets_for_year(toy_claims, 2045)["claim_id"].tolist() == ["r57.digital_economy_pct_gdp.2045"]
    with pytest.raises(InputError, match="No targets for 2040.*2030, 2045"):
        targets.targets_for_year(toy_claims, 2040)


def growth_results(*rows):
    """Results tables as the growth chapter would record them: (country, value, with claim id)."""
    frames = []
    for country, value, linked in rows:
        recorder = ResultsRecorder(notebook="01_growth_accounting", parameters={"country": country})
        recorder.record(
            "tfp_share.latest",
            value,
            "percent",
            claim_id=targets.TFP_CLAIM if linked else "",
            verdict="off-track" if linked else "",
            note="2021-2023",
        )
        recorder.record("output_growth.latest", 6.0, "percent")
        frames.append(recorder.table())
    return pd.concat(frames, ignore_index=True)


def test_tfp_share_found_under_the_country_code():
    # the growth chapter's naming: target.tfp_share_latest.<country>, claim id on Viet Nam's run only
    frames = []
    for country, value, linked in (("VNM", 41.7, True), ("THA", 58.2, False)):
        recorder = ResultsRecorder(notebook="01_growth_accounting", parameters={"country": country})
        recorder.record(f"tfp_share.{country}.2011-2015.baseline", 30.0, "percent")
        recorder.record(
            f"target.tfp_share_latest.{country}",
            value,
            "percent",
            claim_id=targets.TFP_CLAIM if linked else "",
            verdict="off-track" if linked else "",
        )
        frames.append(recorder.table())
    results = pd.concat(frames, ignore_index=True)
    assert targets.tfp_share_from_results(results, "VNM")[0] == 41.7
    assert targets.tfp_share_from_results(results, "THA")[0] == 58.2


def test_tfp_share_from_results():
    results = growth_results(("VNM", 41.7, True), ("THA", 58.2, False))
    value, source = targets.tfp_share_from_results(results, "VNM")
    assert value == 41.7 and "tfp_share.latest" in source and "2021-2023" in source
    assert targets.tfp_share_from_results(results, "THA")[0] == 58.2
    assert targets.tfp_share_from_results(results, "MYS") is None
    assert targets.tfp_share_from_results(results.iloc[0:0], "VNM") is None
    assert targets.tfp_share_from_results(None, "VNM") is None
    # without the claim row, a single result id starting with tfp_share is still found
    assert targets.tfp_share_from_results(growth_results(("VNM", 40.0, False)), "VNM")[0] == 40.0
    # two candidates and no claim row to choose between them: not guessed
    extra = ResultsRecorder(notebook="01_growth_accounting", parameters={"country": "VNM"})
    extra.record("tfp_share.2011_2020", 39.0, "percent")
    ambiguous = pd.concat([growth_results(("VNM", 40.0, False)), extra.table()], ignore_index=True)
    assert targets.tfp_share_from_results(ambiguous, "VNM") is None


def test_track_targets_lists_every_target(toy_claims, toy_wdi):
    table = targets.track_targets(toy_claims, toy_wdi, "AAA").set_index("claim_id")
    assert len(table) == 6  # every 2030 target, measurable or not; never dropped
    rd = table.loc["r57.rd_pct_gdp.2030"]
    assert (
        rd["current"] == 0.41 and rd["verdict"] == "off-track" and rd["required_pct"] == pytest.approx(25.407, abs=1e-3)
    )
    # articles grow 20% a year against a 10% target
    articles = table.loc["r57.publications_growth.2030"]
    assert (
        articles["current"] == pytest.approx(20.0)
        and articles["verdict"] == "on-track"
        and articles["short_from"] == 2018
    )
    assert table.loc["r57.hdi.2030", "verdict"] == "cannot-be-measured" and "UNDP" in table.loc["r57.hdi.2030", "note"]
    assert table.loc["some.new_target.2030", "verdict"] == "cannot-be-measured"
    tfp = table.loc["r57.tfp_share.2030"]
    assert tfp["verdict"] == "cannot-be-measured" and "not recorded" in tfp["note"]


def test_track_targets_reads_the_tfp_share(toy_claims, toy_wdi):
    low = targets.track_targets(toy_claims, toy_wdi, "AAA", results=growth_results(("AAA", 41.7, True))).set_index(
        "claim_id"
    )
    assert (low.loc["r57.tfp_share.2030", "current"], low.loc["r57.tfp_share.2030", "verdict"]) == (41.7, "off-track")
    high = targets.track_targets(toy_claims, toy_wdi, "AAA", results=growth_results(("AAA", 56.0, True))).set_index(
        "claim_id"
    )
    assert high.loc["r57.tfp_share.2030", "verdict"] == "on-track"
    # "above 55%": exactly 55 is not enough
    equal = targets.track_targets(toy_claims, toy_wdi, "AAA", results=growth_results(("AAA", 55.0, True))).set_index(
        "claim_id"
    )
    assert equal.loc["r57.tfp_share.2030", "verdict"] == "off-track"


def test_track_targets_unknown_country(toy_claims, toy_wdi):
    with pytest.raises(InputError, match="Unknown country code 'ZZZ'.*AAA"):
        targets.track_targets(toy_claims, toy_wdi, "ZZZ")


def test_level_outlook_hand_worked():
    table = pd.DataFrame(
        [
            {
                "claim_id": "x",
                "label": "x",
                "kind": "level",
                "latest_value": 8.0,
                "latest_year": 2020,
                "target": 12.0,
                "growth_short_pct": 5.0,
            }
        ]
    )
    outlook = targets.level_outlook(table, 2030).iloc[0]
    # 8 × 1.05 ** 10 = 13.031; 12 reached after ln(1.5) / ln(1.05) = 8.3104 years
    assert outlook["projected"] == pytest.approx(13.0312, abs=1e-4)
    assert outlook["year_reaching"] == pytest.approx(2028.3104, abs=1e-4)


def test_record_verdicts_respects_other_chapters(toy_claims, toy_wdi):
    table = targets.track_targets(toy_claims, toy_wdi, "AAA")
    linked = ResultsRecorder(notebook="05_targets")
    targets.record_verdicts(linked, table, with_claim_ids=True)
    recorded = linked.table().set_index("result_id")
    assert recorded.loc["target.r57.publications_growth.2030", "claim_id"] == "r57.publications_growth.2030"
    assert recorded.loc["target.r57.publications_growth.2030", "unit"] == "percent_per_year"
    for claim_id in ("r57.rd_pct_gdp.2030", "r57.tfp_share.2030", "r57.budget_strategic_share.2030"):
        assert recorded.loc[f"target.{claim_id}", "claim_id"] == ""  # recorded by the growth and R&D chapters
    other = ResultsRecorder(notebook="05_targets")
    targets.record_verdicts(other, table, with_claim_ids=False)
    assert (other.table()["claim_id"] == "").all()


def test_target_text():
    assert targets.target_text(2, "percent_of_gdp") == "2% of GDP"
    assert targets.target_text(12, "per_10k_people") == "12 per 10,000 people"
    assert targets.target_text(5, "count") == "5"
    assert targets.target_text(0.7, "index") == "0.7 (index)"


def test_tables_match_the_claims_and_the_data(wdi):
    claims = load_claims()
    target_ids = set(targets.targets_for_year(claims, 2030)["claim_id"])
    # every mapped claim exists (no typos), and every 2030 target has a measure or a stated reason
    assert set(targets.MEASURES) <= target_ids
    assert set(targets.NO_OPEN_DATA) <= target_ids
    assert target_ids == set(targets.MEASURES) | set(targets.NO_OPEN_DATA) | {targets.TFP_CLAIM}
    assert target_ids >= targets.RECORDED_ELSEWHERE
    for measure in targets.MEASURES.values():
        assert measure.column in wdi.columns and measure.kind in targets.KINDS and measure.concept in targets.CONCEPTS


def test_real_data_viet_nam(wdi):
    table = targets.track_targets(load_claims(), wdi, "VNM").set_index("claim_id")
    assert set(table["verdict"]) <= set(VERDICTS)
    rd = table.loc["r57.rd_pct_gdp.2030"]
    # WDI GB.XPD.RSDV.GD.ZS, VNM 2023: 0.41456 % of GDP; (2 / 0.41456) ** (1/7) - 1 = 25.21 % a year
    assert rd["latest_year"] == 2023 and rd["latest_value"] == pytest.approx(0.41456, abs=1e-5)
    assert rd["required_pct"] == pytest.approx(25.21, abs=0.01)
    researchers = table.loc["r57.researchers.2030"]
    # SP.POP.SCIE.RD.P6, VNM 2023: 836.11 per million = 8.36 per 10,000
    assert researchers["latest_value"] == pytest.approx(8.3611, abs=1e-3)
    assert table.loc["r57.high_tech_exports.2030", "concept"] == "upper-bound"


def test_chart_and_matrix_smoke(toy_claims, toy_wdi):
    table = targets.track_targets(toy_claims, toy_wdi, "AAA")
    fig = targets.plot_required_vs_historical(table, "AAA", "A", 2030, 5, 10)
    assert len(fig.axes[0].get_yticklabels()) == 2  # R&D and articles have a required rate
    plt.close(fig)
    matrix = targets.verdict_matrix(toy_claims, toy_wdi, ["AAA"])
    assert matrix.loc["Scientific articles (growth)", "AAA"] == "20.00 · on-track"
