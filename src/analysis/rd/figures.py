"""Figures of the R&D chapter: R&D spending now and on the path to the target, in money.

The figures of observed points, claims at their basis and target rows are shared with the
researchers chapter (:mod:`analysis.researchers.figures`).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from analysis.rd.compute import SOURCE, RdMoney
from analysis.researchers.figures import draw_observed
from analysis.style import plots


def plot_rd_money(
    paths: pd.DataFrame,
    money: RdMoney,
    *,
    name: str = "",
    scale: float = 1e9,
    scale_label: str = "billion",
    source: str = SOURCE,
) -> plt.Figure:
    """R&D spending observed, on the path to the target, and at constant intensity.

    The target year's bar is split into its private and public parts.
    """
    m = money
    name = name or m.country
    colour = plots.country_colour(m.country)
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH_IN, 4.8))
    observed_spending = paths.set_index("year")["observed"] / scale
    draw_observed(
        ax,
        observed_spending,
        colour,
        marker_size=6,
        label=f"{name}, observed ({m.rd_pct:.2f}% of GDP in {m.rd_year})",
    )
    future = paths.dropna(subset=["required_path"])
    ax.plot(
        future["year"],
        future["required_path"] / scale,
        ls="--",
        color="black",
        label=f"path to {m.target_pct:g}% of GDP: {m.rd_spending_growth:+.0%} a year",
    )
    ax.plot(
        future["year"],
        future["constant_intensity"] / scale,
        ls="-.",
        color=colour,
        label=f"R&D share kept at {m.rd_pct:.2f}%, GDP {m.gdp_growth:+.1%} a year",
    )
    private, public = m.private_target / scale, m.public_target / scale
    ax.bar([m.target_year + 0.9], [private], width=0.8, color="#555555", label=f"private ≥ {m.private_share:.0%}")
    ax.bar(
        [m.target_year + 0.9],
        [public],
        width=0.8,
        bottom=[private],
        color="#bbbbbb",
        label=f"public ≤ {1 - m.private_share:.0%}",
    )
    ax.set_ylabel(f"R&D spending, {scale_label} {m.unit}")
    ax.set_title(f"{name}: R&D spending now and at {m.target_pct:g}% of GDP in {m.target_year}")
    ax.legend(loc="upper left", fontsize=plots.SMALL_TEXT_PT, frameon=False)
    plots.add_source(fig, source)
    fig.tight_layout()
    return fig
