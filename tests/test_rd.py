"""R&D: intensity at the basis, the paper's ratio, budget shares, the target in money, the chapter, the command."""

from __future__ import annotations

import io
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.claims.ledger import bands, load_claims, load_rules
from analysis.cli import main
from analysis.errors import InputError
from analysis.rd import compute as f
from analysis.rd import figures, report
from analysis.researchers.compute import claims_at_basis
from analysis.trends import sparse as s


def synthetic_wdi(rd: dict[int, float], gdp: dict[int, float], country: str = "AAA") -> pd.DataFrame:
    """A WDI-shaped table for one country with R&D % of GDP and PPP GDP in the given years."""
    years = sorted(set(rd) | set(gdp))
    return pd.DataFrame(
        {
            "iso3": country,
            "country": f"Country {country}",
            "year": years,
            f.WDI_RD_PCT_GDP: [rd.get(y, np.nan) for y in years],
            f.GDP_PPP_2021: [gdp.get(y, np.nan) for y in years],
        }
    )


# GDP doubles in ten years (100 in 2013 → 200 in 2023); R&D is 0.5 % of GDP in 2023.
DOUBLING_GDP = {y: 100.0 * 2 ** ((y - 2013) / 10) for y in range(2013, 2024)}


# --- R&D intensity ------------------------------------------------------------------------


def test_rd_intensity_is_percent_of_gdp_as_published(wdi):
    table = f.rd_intensity(wdi, ["VNM", "WLD"])
    assert table.columns.tolist() == ["country", "country_name", "year", "rd_pct_gdp"]
    wld = s.series_of(table, "WLD", f.RD_PCT_GDP)
    # WDI world R&D expenditure, 2018: 2.218 % of GDP (percent, not a fraction)
    assert wld[2018] == pytest.approx(2.218, abs=0.001)


def test_paper_shares_at_their_basis(wdi):
    claims = load_claims()
    table = f.rd_intensity(wdi, ["VNM", "WLD"])
    out = claims_at_basis(table, f.RD_PCT_GDP, report.PAPER_CLAIMS, claims, load_rules(claims), bands(claims))
    out = out.set_index("country")
    # basis "<=2022": the world's 2022 value, 2.571 % (not 2018's 2.218 %, the closest to the paper's 2.23)
    assert out.loc["WLD", "basis_used"] == 2022 and out.loc["WLD", "value"] == pytest.approx(2.571, abs=0.001)
    assert out.loc["WLD", "search_year"] == 2018 and out.loc["WLD", "search_value"] == pytest.approx(2.218, abs=0.001)
    # Viet Nam: no 2022 value; 2021 is the latest up to 2022, 0.425 %
    assert out.loc["VNM", "basis_used"] == 2021 and out.loc["VNM", "value"] == pytest.approx(0.425, abs=0.001)


def test_latest_rd_skips_missing_years():
    wdi = synthetic_wdi({2019: 0.4, 2021: 0.45, 2023: np.nan}, {2023: 1.0})
    assert f.latest_rd(wdi, ["AAA"]).values.tolist() == [["AAA", 2021, 0.45]]


# --- the paper's 44.6 % -------------------------------------------------------------------


def test_inverse_ratio_hand_example():
    # 0.5 / 2.23 = 22.422 % → 100 / 22.422 = 4.46 times (= 2.23 / 0.5)
    assert f.inverse_ratio(100 * 0.5 / 2.23) == pytest.approx(4.46)
    with pytest.raises(InputError, match="positive percentage"):
        f.inverse_ratio(0.0)


def test_ratio_sentence():
    assert report.ratio_sentence(22.42, 44.6, 4.46) == (
        "the paper's own two numbers give 22.4%, against the printed 44.6%; the printed digits are those of the "
        "inverse ratio, 4.46 times"
    )
    assert report.ratio_sentence(25.0, 25.0, 4.0) == "the paper's own two numbers give 25.0%, against the printed 25%"


# --- budget shares ------------------------------------------------------------------------


def test_budget_share_gaps_hand_example():
    table = f.budget_share_gaps(0.8, {"legal minimum": 2.0, "Resolution 57": 3.0}).set_index("benchmark")
    # 2 - 0.8 = 1.2 pp; 0.8 / 2 = 40 %; 2 / 0.8 = 2.5 times
    assert table.loc[
        "legal minimum", ["gap_pp", "reported_as_pct_of_benchmark", "multiple_needed"]
    ].tolist() == pytest.approx([1.2, 40.0, 2.5])
    # 3 - 0.8 = 2.2 pp; 0.8 / 3 = 26.67 %; 3 / 0.8 = 3.75 times
    assert table.loc[
        "Resolution 57", ["gap_pp", "reported_as_pct_of_benchmark", "multiple_needed"]
    ].tolist() == pytest.approx([2.2, 26.6667, 3.75], abs=1e-4)
    with pytest.raises(InputError, match="positive percentage"):
        f.budget_share_gaps(0.0, {"x": 2.0})


# --- the target in money ------------------------------------------------------------------


def test_rd_money_hand_example():
    wdi = synthetic_wdi({2023: 0.5}, DOUBLING_GDP)
    m = f.rd_money(wdi, "AAA", 2023, 0.5, target_pct=2.0, target_year=2030, private_share=0.6)
    # GDP growth 2013–2023 from levels: 2^(1/10) - 1 = 0.0717735
    assert (m.gdp_growth, m.gdp_growth_from_data, m.gdp_growth_period) == (
        pytest.approx(0.0717735, abs=1e-7),
        True,
        "2013–2023",
    )
    # R&D now: 0.5 % × 200 = 1.0
    assert m.rd_spending == pytest.approx(1.0)
    # GDP 2030: 200 × 2^(7/10) = 324.901; at 2 %: 6.49802; at 0.5 %: 1.62450
    assert m.gdp_target == pytest.approx(324.901, abs=1e-3)
    assert m.rd_spending_target == pytest.approx(6.49802, abs=1e-5)
    assert m.constant_intensity_target == pytest.approx(1.62450, abs=1e-5)
    # R&D spending must grow 6.49802^(1/7) - 1 = 0.306506 a year; 60 % private = 3.89881, public 2.59921
    assert m.rd_spending_growth == pytest.approx(0.306506, abs=1e-6)
    assert m.private_target == pytest.approx(3.89881, abs=1e-5) and m.public_target == pytest.approx(2.59921, abs=1e-5)
    assert m.multiple == pytest.approx(6.49802, abs=1e-5)


def test_rd_money_with_a_growth_parameter():
    wdi = synthetic_wdi({2023: 0.5}, DOUBLING_GDP)
    m = f.rd_money(wdi, "AAA", 2023, 0.5, 2.0, 2030, 0.6, gdp_growth=0.05)
    # 200 × 1.05^7 = 281.420 → 2 % of it = 5.62840
    assert (m.gdp_growth_from_data, m.gdp_growth_period) == (False, "parameter")
    assert m.rd_spending_target == pytest.approx(5.62840, abs=1e-5)


@settings(max_examples=30, deadline=None)
@given(rd_pct=st.floats(min_value=0.05, max_value=5.0), growth=st.floats(min_value=-0.05, max_value=0.15))
def test_constant_intensity_means_rd_grows_with_gdp(rd_pct, growth):
    # Identity: if the target share equals today's share and GDP is observed up to the R&D year,
    # R&D spending must grow exactly as fast as GDP.
    wdi = synthetic_wdi({2023: rd_pct}, DOUBLING_GDP)
    m = f.rd_money(wdi, "AAA", 2023, rd_pct, target_pct=rd_pct, target_year=2030, private_share=0.6, gdp_growth=growth)
    assert m.rd_spending_growth == pytest.approx(growth, abs=1e-9)
    assert m.rd_spending_target == pytest.approx(m.constant_intensity_target, rel=1e-12)


def test_rd_money_paths_join_now_and_target():
    wdi = synthetic_wdi({2019: 0.4, 2023: 0.5}, DOUBLING_GDP)
    m = f.rd_money(wdi, "AAA", 2023, 0.5, 2.0, 2030, 0.6)
    table = f.rd_money_paths(wdi, m)
    paths = table.set_index("year")
    # observed spending only in observed R&D years: 0.4 % × 100 × 2^0.6 = 0.606287 in 2019
    assert paths["observed"].dropna().index.tolist() == [2019, 2023]
    assert paths.loc[2019, "observed"] == pytest.approx(0.606287, abs=1e-6)
    assert paths.loc[2023, "required_path"] == pytest.approx(m.rd_spending)
    assert paths.loc[2030, "required_path"] == pytest.approx(m.rd_spending_target)
    assert paths.loc[2030, "constant_intensity"] == pytest.approx(m.constant_intensity_target)
    fig = figures.plot_rd_money(table, m, scale=1.0, scale_label="")
    assert len(fig.axes[0].patches) == 2  # the private and public parts of the target year
    plt.close(fig)


def test_rd_money_rejects_bad_input():
    wdi = synthetic_wdi({2023: 0.5}, DOUBLING_GDP)
    with pytest.raises(InputError, match="fraction between 0 and 1"):
        f.rd_money(wdi, "AAA", 2023, 0.5, 2.0, 2030, private_share=60)
    with pytest.raises(InputError, match="must come after the latest data"):
        f.rd_money(wdi, "AAA", 2023, 0.5, 2.0, 2023, 0.6)
    with pytest.raises(InputError, match="no gdp_ppp_const_2021usd for that year"):
        f.rd_money(synthetic_wdi({2023: 0.5}, {2010: 1.0, 2020: 2.0}), "AAA", 2023, 0.5, 2.0, 2030, 0.6)
    with pytest.raises(InputError, match="needs an observation in 2013"):
        f.rd_money(synthetic_wdi({2023: 0.5}, {2020: 1.0, 2023: 2.0}), "AAA", 2023, 0.5, 2.0, 2030, 0.6)


def test_vietnam_money_in_2021_ppp(wdi):
    m = f.rd_money(wdi, "VNM", 2023, 0.41456, 2.0, 2030, 0.6)
    # WDI: 0.41456 % of a GDP of 1,359.36 billion 2021 PPP $ in 2023 → 5.635 billion
    assert m.rd_year == 2023 and m.rd_spending / 1e9 == pytest.approx(5.635, abs=0.01)
    # GDP 802.37 billion (2014) → 1,455.76 billion (2024): (1455.76 / 802.37)^(1/10) - 1 = 0.0614
    assert m.gdp_growth_period == "2014–2024" and m.gdp_growth == pytest.approx(0.0614, abs=5e-4)
    assert m.rd_spending_growth > m.gdp_growth


# --- command line -------------------------------------------------------------------------


def test_cli_latest_rd(capsys):
    assert main(["rd", "--countries", "VNM,WLD", "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert table.columns.tolist() == ["country", "year", "rd_pct_gdp"]
    assert table["country"].tolist() == ["VNM", "WLD"]
    # WDI 2023: Viet Nam 0.415 %, world 2.597 %
    assert table["rd_pct_gdp"].tolist() == pytest.approx([0.415, 2.597], abs=0.001)


def test_cli_rd_rejects_bad_countries(capsys):
    assert main(["rd", "--countries", "VNM,ZZZ"]) == 2
    err = capsys.readouterr().err
    assert "ZZZ" in err and "Available:" in err
    assert main(["rd", "--countries", "ABW"]) == 2
    assert "No R&D expenditure" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_rd_as_subprocess():
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "rd", "--countries", "VNM,WLD", "--format", "csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "country,year,rd_pct_gdp" and len(lines) == 3
    assert lines[1].startswith("VNM,2023,") and lines[2].startswith("WLD,2023,")


def test_share_of_reference_uses_latest_common_year():
    wdi = pd.concat(
        [
            synthetic_wdi({2019: 0.5, 2021: 0.45, 2023: 0.4}, {2023: 1.0}),
            synthetic_wdi({2019: 2.0, 2021: 2.25}, {2023: 1.0}, country="WLD"),
        ]
    )
    # latest common year 2021: 0.45 / 2.25 = 20 %
    assert f.share_of_reference(f.rd_intensity(wdi, ["AAA", "WLD"]), "AAA") == (2021, pytest.approx(20.0))


def test_rd_money_table_in_billions():
    wdi = synthetic_wdi({2023: 0.5}, {y: v * 1e9 for y, v in DOUBLING_GDP.items()})
    m = f.rd_money(wdi, "AAA", 2023, 0.5, 2.0, 2030, 0.6)
    table = f.rd_money_table([m]).set_index("quantity")[m.unit]
    # 0.5 % of 200 billion = 1.0 billion; 2 % of 324.901 billion = 6.5 billion; 60 % of it = 3.9
    assert table["R&D spending, latest (billion)"] == "1.0"
    assert table["R&D at 2% of GDP in 2030 (billion)"] == "6.5"
    assert table["private part, at least 60% (billion)"] == "3.9"
    with pytest.raises(InputError, match="at least one"):
        f.rd_money_table([])


# --- the chapter ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chapter(wdi):
    row = {
        "claim_id": report.TARGET_CLAIM,
        "latest_value": 0.41456,
        "latest_year": 2023,
        "target_value": 2.0,
        "target_year": 2030,
        "required_growth_pct": 25.2,
        "recent_growth_pct": 3.1,
        "window": "2013–2023 log-linear",
        "alternatives": "",
        "projected_value": 0.51,
        "reach_year": 2075.0,
        "verdict": "off-track",
    }
    rpt = report.report("VNM", ["WLD"], wdi=wdi, tracker=pd.DataFrame([row]))
    yield rpt
    for fig in rpt.figures.values():
        plt.close(fig)


def test_chapter_shows_the_ledger_arithmetic_and_records_only_the_shares(chapter):
    # the ratio comes from the ledger's arithmetic: 100 × 0.5 / 2.23 = 22.42 %
    assert chapter.ratio["computed"] == pytest.approx(22.422, abs=1e-3)
    linked = {x["claim_id"] for x in chapter.records(link_claims=True) if x.get("claim_id")}
    assert linked == set(report.PAPER_CLAIMS)  # not the ratio, the budget shares or the target
    assert all(not np.isnan(x["value"]) for x in chapter.records(link_claims=True))
    assert not any(x.get("claim_id") for x in chapter.records(link_claims=False))


def test_unsettled_claims_name_their_source(chapter):
    assert len(chapter.unsettled) == len(report.BUDGET_CLAIMS)
    assert (chapter.unsettled["open source that would settle it"].str.len() > 0).all()
    assert not chapter.unsettled.astype(str).apply(lambda c: c.str.contains(r"paper\.|r57\.|\bnan\b")).any().any()


def test_money_starts_from_the_tracker_row(chapter):
    m = chapter.money
    assert (m.rd_year, m.rd_pct, m.target_pct, m.target_year) == (2023, 0.41456, 2.0, 2030)
    # the private share comes from the claims table: "over 60%" → 0.6
    assert m.private_share == pytest.approx(0.6)
    assert chapter.money_usd.unit == "constant 2015 US$"
