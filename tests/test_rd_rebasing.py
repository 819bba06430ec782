"""R&D intensity before Viet Nam's GDP rebasing: the GDP ratio of two PWT releases, checked by hand and against WDI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data import load
from analysis.errors import InputError
from analysis.rd import rebasing


@pytest.fixture(scope="module")
def pwt1001():
    return load("pwt1001")


def _pwt(rows: list[tuple[str, int, float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "year", "cgdpo", "pl_gdpo", "xr"])


def test_hand_worked_example():
    # Old release: GDP 100 (PPP $) × price level 0.5 × 20 per $ = 1,000 in national currency.
    # New release: 400 × 0.25 × 20 = 2,000 with other PPPs (the PPPs cancel) → ratio 2.0 in 2019;
    # 2017: 1,200 / 1,000 = 1.2. R&D 0.4 % of the new GDP is 0.8 % of the old in 2019, 0.3 × 1.2 = 0.36 % in 2017.
    old = _pwt([("VNM", 2017, 100.0, 0.5, 20.0), ("VNM", 2019, 100.0, 0.5, 20.0)])
    new = _pwt([("VNM", 2017, 240.0, 0.25, 20.0), ("VNM", 2019, 400.0, 0.25, 20.0), ("VNM", 2021, 500.0, 0.25, 20.0)])
    assert rebasing.nominal_gdp_lcu(old, "VNM").tolist() == [1000.0, 1000.0]
    ratio = rebasing.rebasing_ratio(new, old, "VNM")
    assert ratio.to_dict() == {2017: pytest.approx(1.2), 2019: pytest.approx(2.0)}  # 2021: only in the new release
    rd = pd.Series({2015: 0.2, 2017: 0.3, 2019: 0.4})
    table = rebasing.pre_rebasing_shares(rd, ratio)
    assert table["year"].tolist() == [2017, 2019]
    assert table["rd_pct_gdp_before_rebasing"].tolist() == [pytest.approx(0.36), pytest.approx(0.8)]
    text = rebasing.rebasing_sentence(table, "Viet Nam", 0.5, "11.0", "10.01")
    assert "In 2019, PWT 11.0 puts Viet Nam's GDP in current national currency at 2.000 times PWT 10.01's" in text
    assert "100.0% higher" in text and "0.40% of the rebased GDP, would be 0.80%" in text
    assert "closer to the share after rebasing" in text  # |0.8 - 0.5| > |0.4 - 0.5|


def test_errors_name_the_problem():
    old = _pwt([("VNM", 2017, 100.0, 0.5, 20.0)])
    with pytest.raises(InputError, match="no rows for 'LAO'"):
        rebasing.nominal_gdp_lcu(old, "LAO")
    with pytest.raises(InputError, match="no year of GDP for VNM in common"):
        rebasing.rebasing_ratio(_pwt([("VNM", 2021, 1.0, 1.0, 1.0)]), old, "VNM")
    with pytest.raises(InputError, match="No year has both"):
        rebasing.pre_rebasing_shares(pd.Series({2010: 0.1}), pd.Series({2017: 1.2}))


def test_pwt110_nominal_gdp_is_wdi_gdp_in_current_dollars(pwt, wdi):
    # The identity the estimate rests on: cgdpo × pl_gdpo is GDP in current US$ at market rates
    # (PWT 11.0 and WDI both carry Viet Nam's rebased accounts), so × xr is GDP in dong. Over 2010-2021
    # (the years the rebased series covers) they agree to float32 precision; WDI's 2022-2023 values
    # are a later revision (found: 0.8 % and 0.9 % apart).
    vnm = pwt[pwt["iso3"] == "VNM"].set_index("year")
    usd = (rebasing.nominal_gdp_lcu(pwt, "VNM") / vnm["xr"]) * 1e6
    published = wdi[wdi["iso3"] == "VNM"].set_index("year")["gdp_current_usd"]
    assert np.allclose(usd.loc[2010:2021], published.loc[2010:2021], rtol=1e-6)
    assert not np.allclose(usd.loc[2022:2023], published.loc[2022:2023], rtol=1e-3)


def test_viet_nam_s_rebasing_shows_between_the_releases(pwt, pwt1001):
    ratio = rebasing.rebasing_ratio(pwt, pwt1001, "VNM")
    assert ratio.index.max() == 2019  # PWT 10.01 ends in 2019
    # GSO's rebasing raised GDP by about a quarter over 2010-2019; found 1.24-1.28.
    assert ratio.loc[2010:2019].between(1.2, 1.3).all()
    # An economy without a rebasing moves far less between the releases (Thailand: within 5 %).
    assert (rebasing.rebasing_ratio(pwt, pwt1001, "THA").loc[2010:2019] - 1).abs().max() < 0.05


def test_a_downward_revision_is_called_lower():
    table = rebasing.pre_rebasing_shares(pd.Series({2019: 0.40}), pd.Series({2019: 0.8}))
    text = rebasing.rebasing_sentence(table, "X", 0.5, "11.0", "10.01")
    assert "20.0% lower" in text and "higher" not in text
    assert "0.32% of GDP as measured before rebasing" in text  # 0.40 × 0.8
