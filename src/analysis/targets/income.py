"""Income groups: the World Bank's thresholds, inferred from its own classification and GNI per capita.

The WDI country table gives each economy's income group (the July classification); WDI gives GNI
per capita, Atlas method. The threshold between two adjacent groups lies between the highest GNI
of the economies below it and the lowest GNI of those above it, in the year the classification
uses (:data:`CLASSIFICATION_GNI_YEAR`). No threshold is typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.countries import check_code
from analysis.errors import InputError, available

GROUPS = ("Low income", "Lower middle income", "Upper middle income", "High income")
GNI_COLUMN = "gni_per_capita_atlas_usd"
# The World Bank's July classification of year Y (fiscal year Y + 1) uses GNI per capita of Y − 1: the
# WDI country table holds the July 2026 classification (FY2027, data/raw/sources.toml), so 2025 GNI.
CLASSIFICATION_FISCAL_YEAR = 2027
CLASSIFICATION_GNI_YEAR = CLASSIFICATION_FISCAL_YEAR - 2


@dataclass(frozen=True)
class Threshold:
    """The GNI per capita (Atlas, current US$) at which ``group`` starts, in ``year``."""

    group: str
    year: int
    below_max: float  # highest GNI of an economy classified below the group
    above_min: float  # lowest GNI of an economy classified in the group or above
    misclassified: int  # economies whose GNI falls on the wrong side of the midpoint (revisions, timing)

    @property
    def value(self) -> float:
        return (self.below_max + self.above_min) / 2


def classification_year(wdi: pd.DataFrame, countries: pd.DataFrame) -> int:
    """The GNI year of the classification (:data:`CLASSIFICATION_GNI_YEAR`), checked to have GNI for most economies."""
    classified = set(countries.loc[countries["income_group"].isin(GROUPS), "iso3"])
    rows = wdi[(wdi["year"] == CLASSIFICATION_GNI_YEAR) & wdi["iso3"].isin(classified) & wdi[GNI_COLUMN].notna()]
    if rows["iso3"].nunique() < 0.8 * len(classified):
        raise InputError(
            f"WDI has GNI per capita for too few classified economies in {CLASSIFICATION_GNI_YEAR}, the year the "
            "classification uses; cannot infer thresholds."
        )
    return CLASSIFICATION_GNI_YEAR


def threshold(wdi: pd.DataFrame, countries: pd.DataFrame, group: str) -> Threshold:
    """Where ``group`` starts, inferred as the module docstring says."""
    if group not in GROUPS[1:]:
        raise InputError(f"No threshold for {group!r}; groups with a lower bound: {available(GROUPS[1:])}.")
    year = classification_year(wdi, countries)
    gni = (
        wdi.loc[wdi["year"] == year, ["iso3", GNI_COLUMN]]
        .dropna()
        .merge(countries[["iso3", "income_group"]], on="iso3")
    )
    gni = gni[gni["income_group"].isin(GROUPS)]
    above = gni["income_group"].map(GROUPS.index) >= GROUPS.index(group)
    below_max, above_min = float(gni.loc[~above, GNI_COLUMN].max()), float(gni.loc[above, GNI_COLUMN].min())
    # Revisions can put a few economies on the wrong side; use the cut that misclassifies fewest.
    candidates = sorted(gni[GNI_COLUMN])
    cut = min(candidates, key=lambda c: ((gni[GNI_COLUMN] >= c) != above).sum())
    below_max = float(gni.loc[gni[GNI_COLUMN] < cut, GNI_COLUMN].max())
    above_min = float(cut)
    wrong = int(((gni[GNI_COLUMN] >= cut) != above).sum())
    return Threshold(group, year, below_max, above_min, wrong)


def income_group_of(countries: pd.DataFrame, iso3: str) -> str:
    iso3 = check_code(iso3, countries["iso3"], "the WDI country table")
    return str(countries.loc[countries["iso3"] == iso3, "income_group"].iloc[0])


def status_results(wdi: pd.DataFrame, countries: pd.DataFrame, basis_year: str) -> pd.DataFrame:
    """The income-status claims judged by rule ``lower`` as results rows (GNI per capita minus the
    upper-middle threshold in the basis year: below zero means still lower-middle income)."""
    from analysis.claims.results import COLUMNS
    from analysis.trends.sparse import at_basis

    level = threshold(wdi, countries, "Upper middle income")
    gni = wdi.loc[wdi["iso3"] == "VNM"].set_index("year")[GNI_COLUMN]
    year, value = at_basis(gni, basis_year)
    row = {
        "result_id": "income.gni_minus_upper_middle_threshold.VNM",
        "value": value - level.value,
        "unit": "income_group",
        "notebook": "targets",
        "parameters": "{}",
        "claim_id": "paper.income.lower_middle",
        "basis_used": str(year),
        "basis_period": str(year),
        "search_value": float("nan"),
        "search_basis": "",
        "note": f"GNI per capita {value:,.0f} US$ in {year}; upper-middle threshold {level.value:,.0f} US$.",
    }
    return pd.DataFrame([row], columns=COLUMNS)
