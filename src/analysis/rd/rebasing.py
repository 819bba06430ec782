"""R&D intensity before and after Viet Nam's GDP rebasing: an estimate from two PWT releases.

In 2019–2020 Viet Nam's statistics office rebased GDP, raising its level by about a quarter. PWT
11.0 carries the rebased national accounts, PWT 10.01 those of before. The ratio of the two
releases' GDP in the same year measures the rebasing, and R&D spending over the old, smaller
GDP is the WDI share times that ratio:

    GERD / GDP_old = (GERD / GDP_new) × (GDP_new / GDP_old).

GDP is compared in current local currency, ``cgdpo × pl_gdpo × xr``: PWT's output-side GDP at
current PPPs times its price level (PPP / exchange rate) is GDP in current US dollars at market
rates (for PWT 11.0 it equals WDI's ``NY.GDP.MKTP.CD``), and times the exchange rate ``xr`` it is
GDP in national currency. The PPPs cancel, so the ratio holds no change of PPP benchmark (2017
against 2021), unlike ``rgdpna``, whose two releases are in the prices of different base years.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import InputError

GDP_LCU = "gdp_current_lcu_millions"


def nominal_gdp_lcu(pwt: pd.DataFrame, iso3: str) -> pd.Series:
    """GDP in current national currency (millions), ``cgdpo × pl_gdpo × xr``, by year (missing years dropped)."""
    rows = pwt[pwt["iso3"] == iso3].set_index("year").sort_index()
    if rows.empty:
        raise InputError(f"The PWT table has no rows for {iso3!r}.")
    return (rows["cgdpo"] * rows["pl_gdpo"] * rows["xr"]).dropna().rename(GDP_LCU)


def rebasing_ratio(new: pd.DataFrame, old: pd.DataFrame, iso3: str) -> pd.Series:
    """GDP in the newer release over GDP in the older one (current national currency), in the years both have."""
    ratio = (nominal_gdp_lcu(new, iso3) / nominal_gdp_lcu(old, iso3)).dropna()
    if ratio.empty:
        raise InputError(f"The two PWT releases have no year of GDP for {iso3} in common.")
    return ratio.rename("gdp_ratio")


def pre_rebasing_shares(rd_pct_gdp: pd.Series, ratio: pd.Series) -> pd.DataFrame:
    """R&D in % of the rebased GDP (by year) and in % of GDP before rebasing, in the years both exist.

    Columns ``year, rd_pct_gdp, gdp_ratio, rd_pct_gdp_before_rebasing`` (= ``rd_pct_gdp × gdp_ratio``).
    """
    table = pd.concat({"rd_pct_gdp": rd_pct_gdp, "gdp_ratio": ratio}, axis=1).dropna()
    if table.empty:
        raise InputError("No year has both an R&D share and a GDP ratio of the two releases.")
    table["rd_pct_gdp_before_rebasing"] = table["rd_pct_gdp"] * table["gdp_ratio"]
    return table.rename_axis("year").reset_index()


def rebasing_sentence(table: pd.DataFrame, name: str, paper_pct: float, new: str, old: str) -> str:
    """The estimate in words, for the latest year of ``table`` (:func:`pre_rebasing_shares`)."""
    row = table.iloc[-1]
    year = int(row["year"])
    before = row["rd_pct_gdp_before_rebasing"]
    closer = "before" if abs(before - paper_pct) < abs(row["rd_pct_gdp"] - paper_pct) else "after"
    return (
        f"In {year}, PWT {new} puts {name}'s GDP in current national currency at {row['gdp_ratio']:.3f} times "
        f"PWT {old}'s: the revision between the two releases, {100 * abs(row['gdp_ratio'] - 1):.1f}% "
        f"{'higher' if row['gdp_ratio'] >= 1 else 'lower'}. "
        f"WDI's R&D share for {year}, "
        f"{row['rd_pct_gdp']:.2f}% of the rebased GDP, would be {before:.2f}% of GDP as measured before rebasing. "
        f"The paper's {paper_pct:g}% is closer to the share {closer} rebasing: an estimate, which assumes that "
        "WDI's share is measured on the rebased GDP and that R&D spending itself was not revised."
    )


def display_table(table: pd.DataFrame, new: str, old: str) -> pd.DataFrame:
    """:func:`pre_rebasing_shares` for reading (shares in % of GDP, the ratio to three decimals)."""
    return pd.DataFrame(
        {
            "Year": table["year"].astype(int).astype(str),
            "R&D, WDI (% of GDP)": table["rd_pct_gdp"].round(3),
            f"GDP, PWT {new} / PWT {old}": table["gdp_ratio"].round(3),
            "R&D (% of GDP before rebasing, estimate)": table["rd_pct_gdp_before_rebasing"].round(3),
        }
    )
