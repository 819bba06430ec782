"""The book never contradicts itself: one quantity, one value, wherever it is shown."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from analysis import paths
from analysis.claims.results import read_all
from analysis.targets import tracker
from analysis.targets.report import RECORDED_FIELDS as TRACKER_FIELDS


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    table = read_all(paths.results_dir())
    table["country"] = [json.loads(p or "{}").get("country", "VNM") for p in table["parameters"]]
    return table


def conflicts(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows whose keys repeat with values that differ by more than rounding."""
    spread = table.groupby(keys)["value"].agg(lambda v: float(v.max() - v.min()) if v.notna().all() else 0.0)
    return spread[spread > 1e-9].reset_index()


def test_conflicts_finds_a_planted_contradiction():
    toy = pd.DataFrame(
        {"result_id": ["a", "a", "b"], "unit": ["%"] * 3, "country": ["VNM"] * 3, "value": [1.0, 2.0, 3.0]}
    )
    assert conflicts(toy, ["result_id", "unit", "country"])["result_id"].tolist() == ["a"]


def test_one_quantity_has_one_value_across_results_tables(results):
    # The same result (id, unit, country) recorded by two runs must carry the same value.
    assert conflicts(results, ["result_id", "unit", "country"]).empty


def test_chapters_show_the_trackers_target_numbers(results):
    # A chapter that records a target quantity records it as target.<claim id>.<tracker column>,
    # and it must equal the tracker's row.
    rows = tracker().set_index("claim_id")
    recorded = results[results["result_id"].str.startswith("target.")]
    checked = 0
    for row in recorded.itertuples():
        for field in TRACKER_FIELDS:
            suffix = f".{field}"
            if row.result_id.endswith(suffix):
                claim_id = row.result_id[len("target.") : -len(suffix)]
                if claim_id in rows.index and not math.isnan(rows.loc[claim_id, field]):
                    assert row.value == pytest.approx(rows.loc[claim_id, field]), row.result_id
                    checked += 1
    # The targets chapter records every tracker number, so at least one check per tracked target ran.
    assert checked >= len(rows)
