"""The dated rule history: no rule of the claims ledger can change without a dated entry."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.claims import ledger, rule_history
from analysis.errors import DataError


@pytest.fixture(scope="module")
def committed():
    claims = ledger.load_claims()
    return ledger.load_rules(claims), ledger.bands(claims), rule_history.load_history()


def test_every_rule_matches_its_latest_history_entry(committed):
    rules, bands, history = committed
    assert rule_history.unrecorded(rules, bands, history) == []


def test_a_silent_rule_change_is_caught(committed):
    rules, bands, history = committed
    changed = rules.copy()
    changed.loc[changed["claim_id"] == "paper.researchers.vnm", "basis_year"] = "<=2021"
    assert rule_history.unrecorded(changed, bands, history) == [
        "paper.researchers.vnm (history ('measure', '<=2020', '6.66..8.14'), "
        "rules table ('measure', '<=2021', '6.66..8.14'))"
    ]
    wider = bands.copy()
    wider.loc[wider["claim_id"] == "r57.tfp_share.2030", "band_high"] = 60.5
    assert rule_history.unrecorded(rules, wider, history) == [
        "r57.tfp_share.2030 (history ('target', '', '55..inf'), rules table ('target', '', '55..60.5'))"
    ]


def test_first_pass_verdicts_and_dates(committed):
    history = committed[2]
    dated = rule_history.per_claim(history).set_index("claim_id")
    # the first pass of 2026-11-24 (book/claims_ledger.ipynb at that commit) called the region claim reproduced-able
    # only later; its per-comparator parts did not exist then
    assert dated.loc["paper.tfp_share.vnm.low_vs_region.kor", "first_pass_verdict"] == ""
    assert dated.loc["paper.industrialization.duration_years", "first_pass_verdict"] == "reproduced"
    assert dated.loc["paper.researchers.vnm", "rule_fixed_on"] in {"2026-12-01", "2026-12-03"}
    assert set(history["date"]) <= {"2026-12-01", "2026-12-03"}


def test_malformed_history_is_refused(tmp_path, committed):
    history = committed[2]
    bad = history.copy()
    bad.loc[0, "date"] = "3 Dec 2026"
    bad.to_csv(tmp_path / "h.csv", index=False)
    with pytest.raises(DataError, match="dates must be written YYYY-MM-DD"):
        rule_history.load_history(tmp_path / "h.csv")
    twice = pd.concat([history.iloc[[0]], history.iloc[[0]]])
    twice.to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(DataError, match="exactly one 'written' row"):
        rule_history.load_history(tmp_path / "t.csv")


def test_published_verdicts_are_the_history_latest():
    # the ledger's verdict of every claim equals the verdict after its latest history entry
    from analysis.ledger_page.report import current_ledger

    table = current_ledger().set_index("claim_id")
    last = rule_history.latest(rule_history.load_history())
    assert (table["verdict"] != last.loc[table.index, "verdict_after"]).sum() == 0


def test_band_text_tells_two_dates_apart():
    # A date's band is 20191214.5..20191215.5; six significant digits would write 2.01912e+07 for both.
    from analysis.claims.rule_history import band_text

    assert band_text(20191214.5, 20191215.5) == "20191214.5..20191215.5"
    assert band_text(20191214.5, 20191215.5) != band_text(20191209.5, 20191210.5)
    assert band_text(38.61, 39.39) == "38.61..39.39" and band_text(55, float("inf")) == "55..inf"
