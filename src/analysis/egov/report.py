"""What the targets chapter shows of the E-Government Survey: the rank path and the sentences around it."""

from __future__ import annotations

import pandas as pd

from analysis.claims.ledger import load_claims
from analysis.countries import SOUTHEAST_ASIA
from analysis.egov import compute

WORLD_TARGET_ID = "r57.egov_index.world_rank.2030"
REGION_TARGET_ID = "r57.egov_index.sea_rank.2030"


def target_ranks(rows: pd.DataFrame) -> dict[str, int]:
    """The two target ranks from the tracker's rows (never retyped): ``world_bar`` and ``region_bar``."""
    tracked = rows.set_index("claim_id")["target_value"]
    return {"world_bar": int(tracked[WORLD_TARGET_ID]), "region_bar": int(tracked[REGION_TARGET_ID])}


def path_table(egov: pd.DataFrame, world_bar: int, region_bar: int, country: str = "VNM") -> pd.DataFrame:
    """Survey by survey: the index, the world rank (published or computed), the regional rank and both bars."""
    path = compute.rank_path(egov, country)
    world = compute.bar_path(egov, world_bar)
    region = compute.bar_path(egov, region_bar, region=SOUTHEAST_ASIA)
    return pd.DataFrame(
        {
            "Survey": path["survey_year"].astype(str),
            "EGDI": path["egdi"].round(4),
            "World rank": path["world_rank"],
            "Rank": path["rank_published"].map({True: "published", False: "computed from the index"}),
            "Rank in Southeast Asia": path["regional_rank"],
            f"EGDI of the state ranked {world_bar}": path["survey_year"].map(world).round(4),
            f"EGDI of the state ranked {region_bar} in Southeast Asia": path["survey_year"].map(region).round(4),
        }
    )


def prose_values(egov: pd.DataFrame, rows: pd.DataFrame, country: str = "VNM") -> dict[str, str]:
    """Glue values for the section: the latest ranks and index, the bars, the published-rank check and verdicts."""
    tracked = rows.set_index("claim_id")
    world, region = tracked.loc[WORLD_TARGET_ID], tracked.loc[REGION_TARGET_ID]
    path = compute.rank_path(egov, country)
    first = path.iloc[0]
    published_years = sorted(int(y) for y in egov.loc[egov["rank"].notna(), "survey_year"].unique())
    agree = all(
        compute.computed_ranks(egov, year).eq(egov[egov["survey_year"] == year].set_index("iso3")["rank"]).all()
        for year in published_years
    )
    return {
        "egov_quote": load_claims().set_index("claim_id").loc[WORLD_TARGET_ID, "quote"],
        "egov_year": str(int(world["latest_year"])),
        "egov_rank": f"{world['latest_value']:.0f}",
        "egov_states": str(int((egov["survey_year"] == int(world["latest_year"])).sum())),
        "egov_index": f"{world['bound_value']:.5f}",
        "egov_target_rank": f"{world['target_value']:.0f}",
        "egov_bar": f"{world['threshold_today']:.5f}",
        "egov_sea_rank": f"{region['latest_value']:.0f}",
        "egov_sea_target": f"{region['target_value']:.0f}",
        "egov_sea_bar": f"{region['threshold_today']:.5f}",
        "egov_sea_states": str(len(SOUTHEAST_ASIA)),
        "egov_first_year": str(int(first["survey_year"])),
        "egov_first_rank": str(int(first["world_rank"])),
        "egov_published_years": " and ".join(str(y) for y in published_years),
        "egov_check": "equal the published ranks in every state" if agree else "differ from the published ranks",
        "egov_needed": f"{world['required_growth_pct']:.1f}",
        "egov_trend": f"{world['recent_growth_pct']:.1f}",
        "egov_sea_needed": f"{region['required_growth_pct']:.1f}",
        "egov_sea_trend": f"{region['recent_growth_pct']:.1f}",
        "egov_verdict": str(world["verdict"]),
        "egov_sea_verdict": str(region["verdict"]),
    }
