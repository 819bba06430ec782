"""The productivity chapter's figure, in the house style of :mod:`analysis.style.plots`."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.productivity.compute import BASES, BASIS_TITLES, as_ratio
from analysis.style import plots


def plot_ratios(panel: pd.DataFrame, names: dict[str, str], claims: pd.DataFrame | None = None) -> plt.Figure:
    """One panel per basis: the country's productivity as a percentage of each peer's over time.

    ``claims`` (from :func:`match_claims`) adds the paper's figures, converted to the same
    form (percent of the peer), as open markers at their year on every panel, so the eye can
    see which basis they sit on.
    """
    bases = list(BASES)
    fig, axes = plots.stacked_panels(len(bases), 2.6, sharey=True, sharex=True)
    country = panel["country"].iloc[0]
    for ax, basis in zip(axes, bases, strict=True):
        subset = panel[panel["basis"] == basis]
        for peer, rows in subset.groupby("peer", sort=False):
            ax.plot(
                rows["year"],
                100 * rows["ratio"],
                color=plots.country_colour(peer),
                label=names.get(peer, peer),
                linewidth=2,
            )
        if claims is not None:
            for claim in claims.itertuples():
                percent = 100 * as_ratio(claim.claimed, claim.unit)
                ax.scatter(
                    [claim.claim_year],
                    [percent],
                    s=55,
                    facecolors="white",
                    edgecolors=plots.country_colour(claim.peer),
                    linewidths=1.8,
                    zorder=3,
                )
        ax.set_title(BASIS_TITLES[basis], fontsize=plots.SMALL_TEXT_PT)
        ax.set_xlabel("")
        ax.set_ylabel(f"{names.get(country, country)}, % of peer")
    handles, labels = axes[0].get_legend_handles_labels()
    if claims is not None:
        handles.append(plt.Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#333333"))
        labels.append("paper's figure")
    plots.legend_below(fig, handles, labels, ncol=3)
    plots.add_source(
        fig,
        "Source: Penn World Table 11.0 (emp, avh, rgdpo); World Development Indicators (GDP current US$, "
        "GDP per person employed).",
    )
    return fig
