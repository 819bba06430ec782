"""The rank path figure of the targets chapter, in the house style."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.countries import SOUTHEAST_ASIA
from analysis.egov import compute
from analysis.style import plots


def plot_rank_path(egov: pd.DataFrame, world_bar: int, region_bar: int, country: str = "VNM") -> plt.Figure:
    """Left: world rank by survey (computed ranks open, published filled) against the target rank.
    Right: the country's index against the index of the state at each target rank."""
    plots.apply_style()
    path = compute.rank_path(egov, country)
    colour = plots.country_colour(country)
    fig, (left, right) = plots.stacked_panels(2, 3.2)
    left.plot(path["survey_year"], path["world_rank"], color=colour, lw=1.5)
    for published, face in ((True, colour), (False, "white")):
        shown = path[path["rank_published"] == published]
        label = "published rank" if published else "computed from the index"
        left.scatter(shown["survey_year"], shown["world_rank"], color=colour, facecolor=face, zorder=3, label=label)
    left.axhline(world_bar, color="#4d4d4d", ls="--", lw=1)
    left.text(
        path["survey_year"].min(), world_bar, f" target: top {world_bar}", va="bottom", fontsize=plots.SMALL_TEXT_PT
    )
    left.invert_yaxis()
    left.set_ylabel("world rank (193 member states)")
    left.legend(frameon=False, fontsize=plots.SMALL_TEXT_PT, loc="center left")
    right.plot(path["survey_year"], path["egdi"], color=colour, lw=2, label=country)
    for bars, style, label in (
        (compute.bar_path(egov, world_bar), "--", f"state ranked {world_bar} in the world"),
        (
            compute.bar_path(egov, region_bar, region=SOUTHEAST_ASIA),
            ":",
            f"state ranked {region_bar} in Southeast Asia",
        ),
    ):
        right.plot(bars.index, bars.to_numpy(), color="#4d4d4d", ls=style, lw=1.2, label=label)
    right.set_ylabel("E-Government Development Index")
    right.legend(frameon=False, fontsize=plots.SMALL_TEXT_PT)
    for ax in (left, right):
        ax.set_xticks(path["survey_year"])
    plots.add_source(fig, "Source: UN DESA, E-Government Surveys 2022 and 2024; EGDI 2016-2024 via World Bank Data360.")
    fig.tight_layout()
    return fig
