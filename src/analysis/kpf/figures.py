"""Figures of the inputs-outputs chapter (matplotlib is imported when a figure is drawn)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.kpf.panel import OUTPUT_LABELS, KpfPanel
from analysis.kpf.robustness import ROLES

SOURCE = "Source: World Development Indicators (World Bank); own estimates."
AXIS_LABELS: dict[str, str] = {
    "rd_spending": "R&D spending (constant 2021 PPP $, log scale)",
    "researchers": "Researchers (persons, log scale)",
    "patents": "Resident patent applications (log scale)",
    "articles": "Journal articles (log scale)",
}


def coverage(panels: Mapping[str, KpfPanel]):
    """Economies in each output year's sample, one line per output."""
    import matplotlib.pyplot as plt

    from analysis.style import plots

    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH_IN, 3.5))
    for output, panel in panels.items():
        counts = panel.data.groupby("year").size()
        ax.plot(counts.index, counts.to_numpy(), marker="o", ms=3, label=f"{output} (inputs lagged {panel.lag})")
    ax.set(xlabel="output year", ylabel="economies in the sample")
    ax.legend(frameon=False)
    plots.add_source(fig, SOURCE)
    return fig


def scatter(means: pd.DataFrame, country: str, peers: Sequence[str]):
    """Outputs against inputs across economies (log axes); peers labelled, ``country`` highlighted."""

    from analysis.style import plots

    fig, axes = plots.stacked_panels(4, 3.6)
    for row, y in enumerate(("patents", "articles")):
        for col, x in enumerate(("rd_spending", "researchers")):
            ax = axes[2 * row + col]
            data = means.dropna(subset=[f"log_{x}", f"log_{y}"])
            ax.scatter(data[x], data[y], s=14, color=plots.OTHER_COLOUR, alpha=0.6, linewidths=0)
            shown = [iso3 for iso3 in dict.fromkeys([*peers, country]) if not data[data["iso3"] == iso3].empty]
            # labels placed by rank of y, alternately right and left of their dot, so neighbours do not overprint
            shown.sort(key=lambda iso3: float(data.loc[data["iso3"] == iso3, y].iloc[0]))
            for rank, iso3 in enumerate(shown):
                one = data[data["iso3"] == iso3]
                ax.scatter(one[x], one[y], s=60 if iso3 == country else 30, color=plots.country_colour(iso3))
                right = rank % 2 == 0
                ax.annotate(
                    iso3,
                    (one[x].iloc[0], one[y].iloc[0]),
                    xytext=(6 if right else -6, 0),
                    textcoords="offset points",
                    ha="left" if right else "right",
                    va="center",
                    fontsize=plots.SMALL_TEXT_PT,
                    color=plots.country_colour(iso3),
                    fontweight="bold",
                )
            ax.set(xscale="log", yscale="log", xlabel=AXIS_LABELS[x], ylabel=AXIS_LABELS[y])
    fig.tight_layout()
    plots.add_source(fig, SOURCE)
    return fig


def specification_curve(curves: Mapping[str, pd.DataFrame]):
    """Estimate and 95 % CI of each input elasticity in every variant; the primary model in black.

    One column per input role, one row of panels per output; variants grouped as in
    :func:`analysis.kpf.robustness.variants`.
    """

    from analysis.style import plots

    outputs = list(curves)
    n_variants = max(len(c) for c in curves.values()) // len(ROLES)
    fig, axes = plots.stacked_panels(len(outputs) * len(ROLES), 0.3 * n_variants + 1.0)
    for row, output in enumerate(outputs):
        for col, role in enumerate(ROLES):
            ax = axes[row * len(ROLES) + col]
            part = curves[output][curves[output]["role"] == role].reset_index(drop=True)
            positions = np.arange(len(part))
            primary = (part["group"] == "Primary").to_numpy()
            for mask, colour in ((~primary, plots.OTHER_COLOUR), (primary, "black")):
                ax.errorbar(
                    part.loc[mask, "estimate"],
                    positions[mask],
                    xerr=[
                        part.loc[mask, "estimate"] - part.loc[mask, "ci_low"],
                        part.loc[mask, "ci_high"] - part.loc[mask, "estimate"],
                    ],
                    fmt="o",
                    color=colour,
                    capsize=2,
                    ms=4,
                )
            ax.axvline(0, color="#555555", lw=0.8)
            labels = [
                label if g == "Primary" else f"{g}: {label}"
                for g, label in zip(part["group"], part["label"], strict=True)
            ]
            ax.set_yticks(positions, [textwrap.fill(label, 28) for label in labels])
            ax.invert_yaxis()
            ax.set(xlabel=f"elasticity to {ROLES[role]} (95% CI)")
            ax.set_title(f"{OUTPUT_LABELS[output]}: {ROLES[role]}", loc="left")
    fig.tight_layout()
    plots.add_source(fig, SOURCE + " Black: primary model.")
    return fig


def relative_output(rows: Mapping[str, pd.DataFrame], country: str):
    """Actual / predicted output of ``country`` by year, with the 95 % range of all economies (shaded)."""
    from matplotlib.ticker import MaxNLocator

    from analysis.style import plots

    fig, axes = plots.stacked_panels(len(rows), 3.0, sharey=True)
    for ax, (output, table) in zip(axes, rows.items(), strict=True):
        ax.axhspan(table["ratio_low"].iloc[0], table["ratio_high"].iloc[0], color=plots.OTHER_COLOUR, alpha=0.2)
        ax.plot(table["year"], table["ratio"], "o", color=plots.country_colour(country), ms=7)
        ax.axhline(1.0, color="#555555", lw=0.8)
        ax.set(yscale="log", xlabel="output year", title=OUTPUT_LABELS[output])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("actual / predicted (log)")
    fig.tight_layout()
    plots.add_source(fig, SOURCE + " Shaded: 95% of all economy-years.")
    return fig
