"""The growth validation computed once per table and code: the same values as computed, never stale."""

from __future__ import annotations

import pytest

from analysis.growth import once
from analysis.growth import report as growth_report


@pytest.fixture
def panel(pwt):
    """A small real panel: three economies with ``rtfpna`` (the validation runs in about a second)."""
    return pwt[pwt["iso3"].isin(["KOR", "USA", "MEX"])].reset_index(drop=True)


def _counting(calls: list):
    def compute(table):
        calls.append(len(table))
        return growth_report.compute_validation(table)

    return compute


def test_cached_validation_is_the_computed_one_to_the_last_bit(panel, tmp_repo):
    calls = []
    computed = growth_report.compute_validation(panel)
    first = once.cached("v", panel, _counting(calls), growth_report.Validation)
    second = once.cached("v", panel, _counting(calls), growth_report.Validation)
    assert calls == [len(panel)]  # computed once, then read
    assert first == computed and second == computed  # dataclass equality: every float bit for bit
    assert [repr(v) for v in vars(second).values()] == [repr(v) for v in vars(computed).values()]
    assert computed.countries == 3 and len(list(once.cache_dir().glob("v-*.json"))) == 1
    # validation() itself goes through the cache: the same result, and a file of its own.
    assert growth_report.validation(panel) == computed
    assert len(list(once.cache_dir().glob("growth-validation-*.json"))) == 1


def test_another_table_or_code_gives_another_key(panel, tmp_repo, monkeypatch):
    calls = []
    base = once.cached("v", panel, _counting(calls), growth_report.Validation)
    changed = panel.copy()
    changed.loc[changed["rtfpna"].notna().idxmax(), "rtfpna"] *= 1.5  # one value of one country-year
    assert once.table_key(changed) != once.table_key(panel)
    assert once.cached("v", changed, _counting(calls), growth_report.Validation) != base
    assert once.table_key(panel.astype({"year": "float64"})) != once.table_key(panel)  # dtypes count
    monkeypatch.setattr(once, "code_key", lambda: "an edited growth package")
    assert once.cached("v", panel, _counting(calls), growth_report.Validation) == base
    assert len(calls) == 3  # every new key computed, none read from another key's file


def test_a_damaged_or_foreign_file_is_computed_again(panel, tmp_repo):
    calls = []
    base = once.cached("v", panel, _counting(calls), growth_report.Validation)
    (path,) = once.cache_dir().glob("v-*.json")
    for damage in ("{trunc", '{"countries": 3}', "[1, 2]"):
        path.write_text(damage)
        assert once.cached("v", panel, _counting(calls), growth_report.Validation) == base
    assert len(calls) == 4
