"""The claims table and the ledger's verdict rules."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.claims import arithmetic, verdicts
from analysis.claims import ledger as claims
from analysis.claims.results import ResultsRecorder
from analysis.errors import DataError, InputError

from .conftest import REPO_ROOT

SEEDS = Path(os.environ.get("ANALYSIS_SEEDS_DIR", REPO_ROOT.parent / "shared" / "seeds"))


@pytest.fixture(scope="module")
def claim_table():
    return claims.load_claims()


def test_claims_table_is_complete(claim_table):
    per_seed = claim_table["source_seed"].value_counts()
    # The paper's current-situation section alone has over 25 numbers; the resolution over 20 targets.
    assert per_seed["000"] >= 50
    assert per_seed["002"] >= 25
    assert per_seed["001"] >= 5
    # The central claims that chapters reproduce are all present, with the values the text gives.
    expected = {
        "paper.tfp_share.vnm.2011_2015": 33.6,
        "paper.tfp_share.vnm.2016_2020": 45.2,
        "paper.tfp_share.vnm.2011_2020": 39.0,
        "paper.researchers.vnm": 7.4,
        "paper.researchers.sgp": 69.2,
        "paper.productivity.ppp.tha": 40.31,
        "paper.rd.world_pct_gdp": 2.23,
        "paper.rd.vnm_to_world_ratio": 44.6,
        "r57.tfp_share.2030": 55,
        "r57.researchers.2030": 12,
        "r57.rd_pct_gdp.2030": 2,
    }
    values = claim_table.set_index("claim_id")["value"]
    assert {k: values[k] for k in expected} == expected


def test_every_quote_occurs_verbatim_in_its_seed(claim_table):
    if not SEEDS.is_dir():
        pytest.skip(f"seed texts not available (set ANALYSIS_SEEDS_DIR); looked in {SEEDS.name}/")
    assert claims.quotes_missing_from_seeds(claim_table, SEEDS) == []


NUMBER_WORDS = {
    1: "one",
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}


def test_every_claimed_number_appears_in_its_quote(claim_table):
    # A typo in `value` would detach it from the words it was typed from: the number must be
    # in the quote as digits (12, 1,600, 0.8, 39.0) or, for small counts, as a word ("top three").
    def spellings(value: float) -> set[str]:
        forms = {f"{value:g}", f"{value:,.0f}" if value == int(value) else f"{value:g}"}
        if value == int(value):
            forms |= {f"{value:.1f}"} | ({NUMBER_WORDS[int(value)]} if int(value) in NUMBER_WORDS else set())
        else:
            forms |= {f"{value:.2f}"}
        return forms

    def in_quote(row) -> bool:
        if row.unit == "date":  # typed as YYYYMMDD, written "May 15th, 2018"
            return arithmetic.date_in(row.quote) == row.value
        if row.unit == "ordinal":  # a congress or term, written as a Roman numeral
            return any(arithmetic.roman(n) == row.value for n in re.findall(r"\b[IVXL]+\b", row.quote))
        enumerated = len(re.findall(r"\(\d\)", row.quote))  # "groups (6) and (7)": 2 groups
        return any(form in row.quote for form in spellings(row.value)) or enumerated == row.value

    numeric = claim_table[claim_table["value"].notna()]
    missing = [r.claim_id for r in numeric.itertuples() if not in_quote(r)]
    # Claims without a number are statements (income status, a direction, a comparison), by their unit.
    without_number = set(claim_table.loc[claim_table["value"].isna(), "unit"])
    assert without_number <= {"income_group", "direction", "comparison", "statement"}
    assert missing == []


def _results(*rows):
    recorder = ResultsRecorder(notebook="nb", parameters={})
    for row in rows:
        recorder.record(**row)
    return recorder.table()


@pytest.fixture(scope="module")
def rules(claim_table):
    return claims.load_rules(claim_table)


def test_ledger_applies_the_rules_hand_worked(claim_table, rules):
    results = _results(
        # 33.6 is stated to one decimal: band ±max(0.05, 1 % of 33.6 = 0.336) = [33.264, 33.936]
        dict(
            result_id="a",
            value=33.9,
            unit="percent",
            claim_id="paper.tfp_share.vnm.2011_2015",
            basis_used="2011-2015",
            basis_period="2011-2015",
        ),
        # 45.2: band [44.748, 45.652]; 47.0 is outside and so is the searched 46.0: differs
        dict(
            result_id="b",
            value=47.0,
            unit="percent",
            claim_id="paper.tfp_share.vnm.2016_2020",
            basis_used="2016-2020",
            basis_period="2016-2020",
            search_value=46.0,
            search_basis="another labour share",
        ),
        # 39.0: band [38.61, 39.39]; 30 outside, but the searched 39.2 inside: matches only when chosen
        dict(
            result_id="c",
            value=30.0,
            unit="percent",
            claim_id="paper.tfp_share.vnm.2011_2020",
            basis_used="2011-2020",
            basis_period="2011-2020",
            search_value=39.2,
            search_basis="best-fitting specification",
        ),
        # one row per named comparator; one of them higher: the all-of statement is contradicted
        dict(
            result_id="d1",
            value=-3.0,
            unit="comparison",
            claim_id="paper.tfp_share.vnm.low_vs_region.kor",
            basis_used="2011-2020",
            basis_period="2011-2020",
        ),
        dict(
            result_id="d2",
            value=-1.0,
            unit="comparison",
            claim_id="paper.tfp_share.vnm.low_vs_region.chn",
            basis_used="2011-2020",
            basis_period="2011-2020",
        ),
        dict(
            result_id="d3",
            value=2.0,
            unit="comparison",
            claim_id="paper.tfp_share.vnm.low_vs_region.tha",
            basis_used="2011-2020",
            basis_period="2011-2020",
        ),
        dict(
            result_id="e",
            value=-1.0,
            unit="direction",
            claim_id="paper.tfp_share.vnm.increased",
            basis_used="2011-2015,2016-2020",
            basis_period="2011-2015,2016-2020",
        ),
    )
    tracked = pd.DataFrame(
        [{"claim_id": "r57.hdi.2030", "latest_value": 0.726, "verdict": "achieved", "window": "2012–2022"}]
    )
    measured = {
        "paper.tfp_share.vnm.2011_2015",
        "paper.tfp_share.vnm.2016_2020",
        "paper.tfp_share.vnm.2011_2020",
        "paper.tfp_share.vnm.low_vs_region",
        "paper.tfp_share.vnm.low_vs_region.kor",
        "paper.tfp_share.vnm.low_vs_region.chn",
        "paper.tfp_share.vnm.low_vs_region.tha",
        "paper.tfp_share.vnm.increased",
        "r57.hdi.2030",
    }
    needed = rules[~rules["rule"].isin(["not-in-these-sources", "no-open-data", "proxy"])]["claim_id"]
    keep = claim_table[~claim_table["claim_id"].isin(set(needed) - measured)]
    full = claims.ledger(keep, rules[rules["claim_id"].isin(keep["claim_id"])], results, tracked)
    assert list(full.columns[:2]) == ["verdict", "claim_id"]  # the verdict comes first
    table = full.set_index("claim_id")
    assert table.loc["paper.tfp_share.vnm.2011_2015", "verdict"] == "reproduced"
    assert table.loc["paper.tfp_share.vnm.2011_2015", ["band_low", "band_high"]].tolist() == pytest.approx(
        [33.264, 33.936]
    )
    assert table.loc["paper.tfp_share.vnm.2016_2020", "verdict"] == "differs"
    assert table.loc["paper.tfp_share.vnm.2011_2020", "verdict"] == "matches-only-when-chosen"
    assert table.loc["paper.tfp_share.vnm.2011_2020", "search"] == "best-fitting specification: 39.2"
    assert table.loc["paper.tfp_share.vnm.low_vs_region.kor", "verdict"] == "reproduced"  # below Korea: as claimed
    assert table.loc["paper.tfp_share.vnm.low_vs_region.tha", "verdict"] == "contradicted"  # above Thailand
    assert table.loc["paper.tfp_share.vnm.low_vs_region", "verdict"] == "contradicted"  # not below all three
    assert table.loc["paper.tfp_share.vnm.increased", "verdict"] == "contradicted"  # it fell
    assert table.loc["r57.hdi.2030", "verdict"] == "achieved"
    assert table.loc["paper.gii.indicators", "verdict"] == "not-in-these-sources"
    assert table.loc["paper.infrastructure.st_organizations", "verdict"] == "no-open-data"
    assert table.loc["paper.technology.generations_behind.low", "verdict"] == "proxy-only"


def test_ledger_refuses_a_missing_value(claim_table, rules):
    with pytest.raises(
        DataError, match=r"paper\.industrialization\.duration_years \(rule arithmetic\) has no recorded"
    ):
        claims.ledger(claim_table, rules, _results())


def test_ledger_refuses_a_basis_other_than_the_registered_one(claim_table, rules):
    # The rule fixes "latest observation up to 2020": a result from 2021 (however close) is refused.
    late = _results(
        dict(
            result_id="a",
            value=7.4,
            unit="per_10k_people",
            claim_id="paper.researchers.vnm",
            basis_used="WDI, 2021",
            basis_period="2021",
        )
    )
    with pytest.raises(
        DataError, match=r"ruled basis: paper\.researchers\.vnm \(rule '<=2020', result's basis_period '2021'\)"
    ):
        claims.ledger(claim_table, rules, late)
    period = _results(
        dict(
            result_id="a",
            value=39,
            unit="percent",
            claim_id="paper.tfp_share.kor",
            basis_used="2016-2020, baseline",
            basis_period="2016-2020",
        )
    )
    with pytest.raises(DataError, match="ruled basis"):
        claims.ledger(claim_table, rules, period)
    # A description that names the right period is not enough: the typed field decides.
    untyped = _results(
        dict(result_id="a", value=39, unit="percent", claim_id="paper.tfp_share.kor", basis_used="2011-2020, baseline")
    )
    with pytest.raises(DataError, match="ruled basis"):
        claims.ledger(claim_table, rules, untyped)
    assert claims.basis_is_ruled("<=2020", "2019") and claims.basis_is_ruled("2011-2020", "2011-2020")
    assert claims.basis_is_ruled("2011-2015,2016-2020", "2011-2015,2016-2020")
    assert not claims.basis_is_ruled("<=2020", "2021") and not claims.basis_is_ruled("2020", "2019")
    assert not claims.basis_is_ruled("2011", "2011-2015") and not claims.basis_is_ruled("2011-2020", "2016-2020")
    assert not claims.basis_is_ruled("2011-2015,2016-2020", "2016-2020")
    assert not claims.basis_is_ruled("<=2020", "2011-2015")  # a period is not a year
    with pytest.raises(InputError, match="basis_period 'latest' must be a year"):
        _results(dict(result_id="b", value=1, unit="x", claim_id="c", basis_used="latest", basis_period="latest"))


def test_ledger_refuses_inconsistent_results(claim_table, rules):
    twice = _results(
        dict(result_id="a", value=1, unit="percent", claim_id="paper.tfp_share.kor", basis_used="2011-2020"),
        dict(result_id="b", value=1, unit="percent", claim_id="paper.tfp_share.kor", basis_used="2011-2020"),
    )
    with pytest.raises(DataError, match="More than one result reproduces"):
        claims.ledger(claim_table, rules, twice)
    unknown = _results(dict(result_id="a", value=1, unit="percent", claim_id="paper.nothing", basis_used="2020"))
    with pytest.raises(DataError, match="not in the claims table"):
        claims.ledger(claim_table, rules, unknown)
    wrong_unit = _results(
        dict(result_id="a", value=0.5, unit="fraction", claim_id="paper.tfp_share.kor", basis_used="2011-2020")
    )
    with pytest.raises(DataError, match="claim's unit"):
        claims.ledger(claim_table, rules, wrong_unit)


def test_recorder_validates_its_input():
    recorder = ResultsRecorder(notebook="nb")
    with pytest.raises(InputError, match="say which basis it used"):
        recorder.record("x", 1.0, "percent", claim_id="paper.tfp_share.kor")
    recorder.record("z", 1.0, "percent")
    with pytest.raises(InputError, match="recorded twice"):
        recorder.record("z", 2.0, "percent")


def test_claims_table_with_wrong_columns_is_refused(tmp_path):
    path = tmp_path / "claims.csv"
    pd.DataFrame({"claim_id": ["a"], "value": [1]}).to_csv(path, index=False)
    with pytest.raises(DataError, match="must have the columns"):
        claims.load_claims(path)


def test_every_claim_has_one_valid_rule(claim_table, rules, tmp_path):
    assert list(rules["claim_id"]) == list(claim_table["claim_id"])
    assert set(rules["rule"]) <= set(verdicts.RULES)
    # not-in-these-sources names the open source that would settle the claim
    assert (rules.loc[rules["rule"] == "not-in-these-sources", "settled_by"] != "").all()
    # measured claims state their basis year machine-readably
    measured = rules[rules["rule"].isin(["measure", "direction", "lower"])]
    assert measured["basis_year"].str.fullmatch(r"(<=)?\d{4}|\d{4}-\d{4}(,\d{4}-\d{4})?").all()
    broken = rules.drop(index=0)
    broken.to_csv(tmp_path / "rules.csv", index=False)
    with pytest.raises(DataError, match="one rule per claim: missing"):
        claims.load_rules(claim_table, tmp_path / "rules.csv")


def test_printed_value_is_the_sources_spelling(claim_table):
    by_id = claim_table.set_index("claim_id")

    def printed(claim_id):
        return claims.printed_value(by_id.loc[claim_id, "value"], by_id.loc[claim_id, "quote"])

    assert printed("paper.tfp_share.vnm.2011_2020") == "39.0"  # the paper prints the trailing zero
    assert printed("paper.researchers.vnm") == "7.4"
    assert printed("paper.infrastructure.st_organizations") == "1,600"
    assert printed("r57.digital_competitiveness.sea_rank.2030") == "three"
    assert claims.glue_key("paper.tfp_share.vnm.2011_2015") == "claim_paper_tfp_share_vnm_2011_2015"


def test_save_outside_the_pipeline_says_where_it_wrote(tmp_path, monkeypatch, capsys):
    # Run by hand (JupyterLab), results go to build/interactive, never to book/results, and it says so.
    from analysis.claims import results as results_module

    monkeypatch.setenv("ANALYSIS_ROOT", str(tmp_path))
    for name in (results_module.RESULTS_DIR_ENV, results_module.RUN_NAME_ENV, results_module.NBVAL_ENV):
        monkeypatch.delenv(name, raising=False)
    recorder = ResultsRecorder(notebook="toy")
    recorder.record("x", 1.5, "percent")
    recorder.save()
    assert "1 results written to build/interactive/toy.csv" in capsys.readouterr().out
    assert pd.read_csv(tmp_path / "build" / "interactive" / "toy.csv")["value"].tolist() == [1.5]
    assert not (tmp_path / "book").exists()
    monkeypatch.setenv(results_module.NBVAL_ENV, "1")  # nbval compares published outputs: nothing written
    (tmp_path / "build" / "interactive" / "toy.csv").unlink()
    recorder.save()
    assert capsys.readouterr().out == "" and not (tmp_path / "build" / "interactive" / "toy.csv").exists()


def test_key_numbers_count_distinct_claims_by_hand():
    from analysis.ledger_page import report as ledger_report

    table = pd.DataFrame(
        {
            "claim_id": ["a.low", "a.high", "b", "c", "d"],
            "group": ["a", "a", "b", "c", "d"],
            "kind": ["measurement", "measurement", "measurement", "document", "measurement"],
            "source": ["Paper (Nguyen Ke Nghia)"] * 5,
            "rule": ["measure", "measure", "lower", "not-in-these-sources", "no-open-data"],
            "verdict": ["reproduced", "differs", "contradicted", "not-in-these-sources", "no-open-data"],
            "quote": ["q1", "q2", "q3", "q4", "q5"],
        }
    )
    numbers = ledger_report.key_numbers(table, "Paper (Nguyen Ke Nghia)")
    # distinct claims checked: groups a, b, d (c is a document fact); from data: a and b → 2 of 3
    assert (numbers["n_checked"], numbers["n_from_data"], numbers["share_from_data"]) == (3, 2, "67 %")
    assert (numbers["n_documents"], numbers["n_claims"]) == (1, 5)
    assert (numbers["n_paper_reproduced"], numbers["n_paper_differs"], numbers["n_paper_chosen"]) == (1, 1, 0)
    assert numbers["n_contradicted_text"] == "The data contradict: “q3”."
    assert numbers["paper_measures_text"] == (
        "Of the paper's own numeric measurements, 1 is reproduced at the ruled basis; 0 match only under a year or "
        "specification chosen after seeing the data, and 1 differs."
    )
    assert ledger_report.paper_measures_text(5, 1, 13).startswith("Of the paper's own numeric measurements, 5 are")
