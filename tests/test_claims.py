"""The claims table and the ledger's verdict rules."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.book import ledger as claims
from analysis.book.results import ResultsRecorder
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

    missing = [r.claim_id for r in claim_table.itertuples() if not any(form in r.quote for form in spellings(r.value))]
    assert missing == []


def _results(*rows):
    recorder = ResultsRecorder(notebook="nb", parameters={})
    for row in rows:
        recorder.record(**row)
    return recorder.table()


def test_ledger_verdicts_follow_the_tolerance(claim_table):
    results = _results(
        dict(
            result_id="a", value=33.9, unit="percent", claim_id="paper.tfp_share.vnm.2011_2015", tolerance=0.5
        ),  # |0.3| <= 0.5
        dict(
            result_id="b", value=47.0, unit="percent", claim_id="paper.tfp_share.vnm.2016_2020", tolerance=1.0
        ),  # |1.8| > 1
        dict(
            result_id="c",
            value=22.4,
            unit="percent",
            claim_id="paper.rd.vnm_to_world_ratio",
            verdict="arithmetic-inconsistent",
        ),
    )
    table = claims.ledger(claim_table, results).set_index("claim_id")
    assert table.loc["paper.tfp_share.vnm.2011_2015", "verdict"] == "reproduced"
    assert table.loc["paper.tfp_share.vnm.2011_2015", "difference"] == pytest.approx(0.3)
    assert table.loc["paper.tfp_share.vnm.2016_2020", "verdict"] == "differs"
    assert table.loc["paper.rd.vnm_to_world_ratio", "verdict"] == "arithmetic-inconsistent"
    assert table.loc["paper.researchers.vnm", "verdict"] == "not-yet-analysed"
    assert math.isnan(table.loc["paper.researchers.vnm", "reproduced"])
    assert len(table) == len(claim_table)
    counts = claims.verdict_counts(table.reset_index())
    assert counts["reproduced"] == 1 and counts["differs"] == 1 and counts.sum() == len(claim_table)


def test_ledger_refuses_inconsistent_results(claim_table):
    twice = _results(
        dict(result_id="a", value=1, unit="percent", claim_id="paper.tfp_share.kor", tolerance=1),
        dict(result_id="b", value=1, unit="percent", claim_id="paper.tfp_share.kor", tolerance=1),
    )
    with pytest.raises(DataError, match="More than one result reproduces"):
        claims.ledger(claim_table, twice)
    with pytest.raises(DataError, match="not in the claims table"):
        claims.ledger(
            claim_table, _results(dict(result_id="a", value=1, unit="percent", claim_id="paper.nothing", tolerance=1))
        )
    with pytest.raises(DataError, match="claim's unit"):
        claims.ledger(
            claim_table,
            _results(dict(result_id="a", value=0.5, unit="fraction", claim_id="paper.tfp_share.kor", tolerance=1)),
        )


def test_recorder_validates_its_input():
    recorder = ResultsRecorder(notebook="nb")
    with pytest.raises(InputError, match="neither a tolerance nor a verdict"):
        recorder.record("x", 1.0, "percent", claim_id="paper.tfp_share.kor")
    with pytest.raises(InputError, match="Unknown verdict 'fine'"):
        recorder.record("y", 1.0, "percent", verdict="fine")
    recorder.record("z", 1.0, "percent")
    with pytest.raises(InputError, match="recorded twice"):
        recorder.record("z", 2.0, "percent")


def test_claims_table_with_wrong_columns_is_refused(tmp_path):
    path = tmp_path / "claims.csv"
    pd.DataFrame({"claim_id": ["a"], "value": [1]}).to_csv(path, index=False)
    with pytest.raises(DataError, match="must have the columns"):
        claims.load_claims(path)


def test_claims_beyond_open_data_are_classified_by_pattern(claim_table):
    table = claims.beyond_open_data(
        ["paper.gii.indicators", "r57.hdi.2030", "r57.digital_economy_pct_gdp.2045", "paper.tfp_share.kor"]
    )
    verdicts = dict(zip(table["claim_id"], table["verdict"], strict=False))
    # Document structure cannot be measured; 2045 targets are out of scope; measurable claims are left alone.
    assert verdicts == {
        "paper.gii.indicators": "not-reproducible-with-open-data",
        "r57.digital_economy_pct_gdp.2045": "cannot-be-measured",
    }
    # Every pattern matches at least one real claim (no stale rule).
    for pattern, _, _ in claims.BEYOND_OPEN_DATA:
        assert claim_table["claim_id"].str.match(pattern).any(), pattern


def test_printed_value_is_the_sources_spelling(claim_table):
    by_id = claim_table.set_index("claim_id")

    def printed(claim_id):
        return claims.printed_value(by_id.loc[claim_id, "value"], by_id.loc[claim_id, "quote"])

    assert printed("paper.tfp_share.vnm.2011_2020") == "39.0"  # the paper prints the trailing zero
    assert printed("paper.researchers.vnm") == "7.4"
    assert printed("paper.infrastructure.st_organizations") == "1,600"
    assert printed("r57.digital_competitiveness.sea_rank.2030") == "three"
    assert claims.glue_key("paper.tfp_share.vnm.2011_2015") == "claim_paper_tfp_share_vnm_2011_2015"
