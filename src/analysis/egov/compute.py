"""Ranks from the processed ``egov`` table (one row per member state and survey year).

UN DESA publishes a world rank with each survey; the registered files give it for 2022 and 2024.
For earlier surveys the Data360 export has the index only, so a rank is *computed* here: one plus
the number of the 193 member states with a strictly higher EGDI (ties share a rank, as in the
survey). A test checks that the computed ranks equal the published ones for 2022 and 2024. A
regional rank is always computed the same way among the region's states.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.countries import SOUTHEAST_ASIA, check_code
from analysis.errors import InputError, available

RANK_PATH_FROM = 2016  # the rank path starts with the 2016 survey (five surveys to 2024)


def _survey(egov: pd.DataFrame, year: int) -> pd.DataFrame:
    """One survey's rows; an :class:`InputError` listing the survey years when ``year`` is not one."""
    years = sorted(int(y) for y in egov["survey_year"].unique())
    if int(year) not in years:
        raise InputError(f"No E-Government Survey in {year}. Survey years: {available(years)}.")
    return egov[egov["survey_year"] == int(year)]


def _states(survey: pd.DataFrame, region: Sequence[str] | None) -> pd.DataFrame:
    if region is None:
        return survey
    missing = sorted(set(region) - set(survey["iso3"]))
    if missing:
        raise InputError(f"The survey has no index for {', '.join(missing)} of the region.")
    return survey[survey["iso3"].isin(region)]


def computed_ranks(egov: pd.DataFrame, year: int, region: Sequence[str] | None = None) -> pd.Series:
    """Rank by EGDI in ``year`` among all states (or those of ``region``): 1 is the highest index; ties share."""
    states = _states(_survey(egov, year), region).set_index("iso3")["egdi"]
    return states.rank(ascending=False, method="min").astype("int64").rename("rank").sort_values()


def world_rank(egov: pd.DataFrame, country: str, year: int) -> int:
    """``country``'s world rank in ``year``: the published rank where the survey file gives one, else computed."""
    survey = _survey(egov, year)
    country = check_code(country, survey["iso3"], f"the {year} E-Government Survey")
    published = survey.set_index("iso3")["rank"]
    if pd.notna(published[country]):
        return int(published[country])
    return int(computed_ranks(egov, year)[country])


def regional_rank(egov: pd.DataFrame, country: str, year: int, region: Sequence[str] = SOUTHEAST_ASIA) -> int:
    """``country``'s rank by EGDI among the states of ``region`` (Southeast Asia by default) in ``year``."""
    country = check_code(country, region, "the region")
    return int(computed_ranks(egov, year, region)[country])


def index_at_rank(egov: pd.DataFrame, rank: int, year: int, region: Sequence[str] | None = None) -> float:
    """The EGDI of the state ranked ``rank`` in ``year`` (world, or within ``region``): the bar for a top-N target."""
    states = _states(_survey(egov, year), region)["egdi"].sort_values(ascending=False)
    if not 1 <= int(rank) <= len(states):
        raise InputError(f"Rank {rank} is outside 1..{len(states)} for that survey.")
    return float(states.iloc[int(rank) - 1])


def rank_path(
    egov: pd.DataFrame, country: str = "VNM", first_year: int = RANK_PATH_FROM, region: Sequence[str] = SOUTHEAST_ASIA
) -> pd.DataFrame:
    """``country``'s index, world rank (and whether published or computed) and regional rank, survey by survey."""
    years = sorted(int(y) for y in egov["survey_year"].unique() if int(y) >= first_year)
    if not years:
        raise InputError(
            f"No E-Government Survey from {first_year} on. Survey years: {available(egov['survey_year'])}."
        )
    rows = []
    for year in years:
        survey = _survey(egov, year).set_index("iso3")
        country = check_code(country, survey.index, f"the {year} E-Government Survey")
        rows.append(
            {
                "survey_year": year,
                "egdi": float(survey.loc[country, "egdi"]),
                "world_rank": world_rank(egov, country, year),
                "rank_published": bool(pd.notna(survey.loc[country, "rank"])),
                "regional_rank": regional_rank(egov, country, year, region),
            }
        )
    return pd.DataFrame(rows)


REGIONS: dict[str, tuple[str, ...] | None] = {"world": None, "southeast_asia": SOUTHEAST_ASIA}


def region_states(name: str) -> tuple[str, ...] | None:
    """The states of a named ranking: ``"world"`` (None: all 193) or ``"southeast_asia"``."""
    if name not in REGIONS:
        raise InputError(f"Unknown ranking {name!r}. Available: {available(REGIONS)}.")
    return REGIONS[name]


def bar_path(
    egov: pd.DataFrame, rank: int, first_year: int = RANK_PATH_FROM, region: Sequence[str] | None = None
) -> pd.Series:
    """The EGDI of the state at ``rank`` (world, or within ``region``) in each survey from ``first_year``."""
    years = sorted(int(y) for y in egov["survey_year"].unique() if int(y) >= first_year)
    return pd.Series(
        [index_at_rank(egov, rank, year, region) for year in years], index=years, name=f"egdi_at_rank_{rank}"
    )
