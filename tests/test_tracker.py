"""The target tracker on the real data, checked against independent calculations from the raw files."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import paths
from analysis.claims import ledger
from analysis.claims.verdicts import VERDICTS
from analysis.cli import main
from analysis.data import load
from analysis.errors import InputError
from analysis.targets import income, tracker
from analysis.targets.measures import load_measures


@pytest.fixture(scope="module")
def rows():
    return tracker().set_index("claim_id")


def test_every_target_with_a_target_rule_has_a_row(rows):
    claims = ledger.load_claims()
    rules = ledger.load_rules(claims)
    assert set(rows.index) == set(rules.loc[rules["rule"] == "target", "claim_id"])
    assert set(rows["verdict"]) <= set(VERDICTS)
    assert set(load_measures()["claim_id"]) == set(rows.index)


def _raw_wdi(indicator: str, iso3: str) -> dict[int, float]:
    out = {}
    for name in ("wdi_extract.csv", "wdi_extract_supplement.csv"):
        with open(paths.raw_dir() / "wdi" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["indicator"] == indicator and row["iso3"] == iso3 and row["value"]:
                    out[int(row["year"])] = float(row["value"])
    return out


def test_high_tech_share_of_total_exports_from_the_raw_files(rows):
    tech, merchandise = _raw_wdi("TX.VAL.TECH.CD", "VNM"), _raw_wdi("TX.VAL.MRCH.CD.WT", "VNM")
    year = max(set(tech) & set(merchandise))
    row = rows.loc["r57.high_tech_exports.2030"]
    assert row["latest_year"] == year
    assert row["latest_value"] == pytest.approx(100 * tech[year] / merchandise[year], rel=1e-9)
    # The share of manufactured exports (the bound) can only be higher.
    assert row["bound_value"] > row["latest_value"]


def test_researchers_row_hand_checked(rows):
    per_million = _raw_wdi("SP.POP.SCIE.RD.P6", "VNM")
    year = max(per_million)
    row = rows.loc["r57.researchers.2030"]
    assert (row["latest_year"], row["latest_value"]) == (year, pytest.approx(per_million[year] / 100))
    assert row["required_growth_pct"] == pytest.approx(100 * ((12 / row["latest_value"]) ** (1 / (2030 - year)) - 1))


def test_hdi_row_reads_the_hdr_file(rows):
    with open(paths.raw_dir() / "hdr" / "HDR23-24_Composite_indices_complete_time_series.csv", encoding="latin-1") as f:
        vnm = next(r for r in csv.DictReader(f) if r["iso3"] == "VNM")
    row = rows.loc["r57.hdi.2030"]
    assert row["latest_value"] == pytest.approx(float(vnm[f"hdi_{int(row['latest_year'])}"]))
    assert row["verdict"] == ("achieved" if row["latest_value"] >= 0.7 else row["verdict"])


def test_income_threshold_separates_the_groups():
    wdi, countries = load("wdi"), load("countries")
    level = income.threshold(wdi, countries, "Upper middle income")
    gni = wdi[wdi["year"] == level.year].merge(countries, on="iso3").dropna(subset=[income.GNI_COLUMN])
    upper = gni["income_group"].isin(["Upper middle income", "High income"])
    lower = gni["income_group"].isin(["Lower middle income", "Low income"])
    wrong = ((gni[income.GNI_COLUMN] >= level.value) & lower) | ((gni[income.GNI_COLUMN] < level.value) & upper)
    assert int(wrong.sum()) == level.misclassified <= 3
    assert level.below_max < level.value < level.above_min
    with pytest.raises(InputError, match="No threshold for 'Low income'"):
        income.threshold(wdi, countries, "Low income")


def test_targets_command_prints_the_issue_columns(capsys):
    assert main(["targets", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    for column in (
        "claim_id",
        "indicator",
        "latest_value",
        "latest_year",
        "target_value",
        "target_year",
        "required_growth_pct",
        "recent_growth_pct",
        "window",
        "projected_value",
        "reach_year",
        "verdict",
    ):
        assert column in header
    assert main(["targets", "--country", "XXX"]) == 2
    assert "Unknown country code(s) XXX" in capsys.readouterr().err


def test_measures_table_is_validated(tmp_path):
    from analysis.errors import DataError

    bad = pd.read_csv(paths.raw_dir() / "target_measures.csv", dtype=str, keep_default_na=False)
    bad.loc[0, "kind"] = "stock"
    bad.to_csv(tmp_path / "m.csv", index=False)
    with pytest.raises(DataError, match="target_measures|m.csv is malformed"):
        load_measures(tmp_path / "m.csv")


def test_income_figure_draws_the_outlook_band_and_rising_thresholds():
    import matplotlib.pyplot as plt
    import numpy as np

    from analysis.targets import figures

    row = pd.Series(
        {
            "latest_year": 2025, "latest_value": 5000.0, "target_year": 2045, "window": "w",
            "recent_growth_pct": 7.0, "recent_growth_low_pct": 6.0, "recent_growth_high_pct": 8.0,
            "projected_value": 19000.0, "projected_low": 17000.0, "projected_high": 22000.0,
            "threshold_basis_year": 2025, "threshold_today": 15000.0,
        }
    )  # fmt: skip
    fig = figures.plot_income_path(load("wdi"), load("countries"), "VNM", row, index_rates=(0.0, 0.025))
    ax = fig.axes[0]
    ends = {round(line.get_ydata()[-1]) for line in ax.lines if len(line.get_xdata()) and line.get_xdata()[-1] == 2045}
    # the trend 5,000 × 1.07^20 and the threshold held (15,000) and indexed at 2.5 % (15,000 × 1.025^20)
    assert {round(5000 * 1.07**20), 15000, round(15000 * 1.025**20)} <= ends
    band = ax.collections[0].get_paths()[0].vertices
    at_end = band[np.isclose(band[:, 0], 2045), 1]
    assert min(at_end) == pytest.approx(5000 * 1.06**20) and max(at_end) == pytest.approx(5000 * 1.08**20)
    plt.close(fig)


def test_aggregates_get_no_data_rows_not_an_error():
    # PWT has no World aggregate and the HDR file none of WDI's regions: those rows say so, the rest is judged.
    rows = tracker("WLD").set_index("claim_id")
    assert rows.loc["r57.tfp_share.2030", "verdict"] == "no-data"
    assert "PWT 11.0 has no real GDP for WLD" in rows.loc["r57.tfp_share.2030", "note"]
    assert rows.loc["r57.hdi.2030", "verdict"] == "no-data"
    assert rows.loc["r57.researchers.2030", "verdict"] in VERDICTS and rows["verdict"].ne("no-data").sum() >= 8


def test_a_passed_unmet_target_is_missed():
    # Lower-middle-income economies as a group: GNI in 2025 below the upper-middle threshold of 2025.
    row = tracker("LMC").set_index("claim_id").loc["paper.income.upper_middle.2025"]
    assert row["verdict"] == "missed" and row["latest_year"] >= row["target_year"]
    assert row["latest_value"] < row["target_value"]


def test_outlook_of_a_passed_target_by_hand():
    from analysis.trends import outlook

    series = pd.Series({2020: 10.0, 2022: 11.0, 2025: 12.0})
    result = outlook.outlook(series, 15.0, 2025, "level")
    assert result.verdict == "missed" and pd.isna(result.required_growth)
    assert outlook.outlook(series, 12.0, 2025, "level").verdict == "achieved"


def test_unknown_economy_is_still_an_error(capsys):
    assert main(["targets", "--country", "XXX"]) == 2
    assert "Unknown country code(s) XXX" in capsys.readouterr().err


def test_growth_figure_whiskers_are_the_trend_intervals():
    import matplotlib.pyplot as plt

    from analysis.targets import figures

    rows = pd.DataFrame(
        {
            "target_group": ["a", "b", "c"], "indicator": ["A", "B", "C"], "target_year": [2030, 2030, 2030],
            "verdict": ["off-track", "borderline", "achieved"], "required_growth_pct": [5.0, 3.0, 0.0],
            "recent_growth_pct": [2.0, 3.1, 1.0], "recent_growth_low_pct": [1.0, float("nan"), 0.5],
            "recent_growth_high_pct": [3.5, float("nan"), 1.5],
        }
    )  # fmt: skip
    fig = figures.plot_growth_needed(rows)
    from matplotlib.container import ErrorbarContainer

    whiskers = next(c for c in fig.axes[0].containers if isinstance(c, ErrorbarContainer))
    segments = whiskers.lines[2][0].get_segments()
    # target A: 1.0 to 3.5 around 2.0; target B has no regression interval (a zero-length whisker); C is achieved
    assert len(segments) == 2
    assert sorted(segments[0][:, 0]) == pytest.approx([1.0, 3.5])
    assert sorted(segments[1][:, 0]) == pytest.approx([3.1, 3.1])
    plt.close(fig)
