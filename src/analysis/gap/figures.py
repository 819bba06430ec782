"""The chapter's figures, in the house style of :mod:`analysis.style.plots`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from analysis.style import plots

from .compute import LESS_THAN, MORE_THAN, NO_DATA
from .indicators import indicator_catalogue
from .text import format_distance


def plot_years_behind(table: pd.DataFrame, country_name: str) -> plt.Figure:
    """Heat map indicators × references; colour = years behind, hatched = censored, '–' = no data."""
    shorts = {i.id: i.short for i in indicator_catalogue().values()}
    rows = list(dict.fromkeys(table["indicator"]))
    cols = list(dict.fromkeys(table["reference"]))
    values = table.pivot(index="indicator", columns="reference", values="years_behind").loc[rows, cols].astype(float)
    labels = table.assign(
        cell=[format_distance(y, c) for y, c in zip(table["years_behind"], table["censored"], strict=False)]
    )
    labels = labels.pivot(index="indicator", columns="reference", values="cell").loc[rows, cols]
    censored = table.pivot(index="indicator", columns="reference", values="censored").loc[rows, cols]
    limit = max(10.0, float(np.nanmax(np.abs(values.to_numpy()))) if values.notna().any().any() else 10.0)
    fig, ax = plt.subplots(figsize=(4.6, 0.6 * len(rows) + 1.8))
    sns.heatmap(
        values,
        annot=labels.to_numpy(),
        fmt="",
        cmap="vlag",
        vmin=-limit,
        vmax=limit,
        linewidths=0.5,
        linecolor="white",
        cbar_kws={"label": f"years {country_name} is behind", "shrink": 0.6},
        ax=ax,
    )
    for i, row in enumerate(rows):
        for j, col in enumerate(cols):
            if censored.loc[row, col] in (MORE_THAN, LESS_THAN):
                ax.add_patch(plt.Rectangle((j, i), 1, 1, fill=False, hatch="//", edgecolor=(0.2, 0.2, 0.2, 0.3), lw=0))
            elif censored.loc[row, col] == NO_DATA:  # seaborn leaves empty cells blank: say why
                ax.add_patch(plt.Rectangle((j, i), 1, 1, color="#eeeeee", lw=0))
                ax.text(j + 0.5, i + 0.5, "–", ha="center", va="center", color="#777777")
    ax.set_yticklabels([shorts.get(r, r) for r in rows], rotation=0)
    ax.set_xlabel("reference")
    ax.set_ylabel("")
    ax.set_title(f"Time distance: years {country_name}\nis behind each reference")
    return fig


def plot_generation_ranges(
    table: pd.DataFrame, claimed: Sequence[float], country: str, country_name: str, claim_owner: str = ""
) -> plt.Figure:
    """Implied generations per reference: band as a bar, default as a dot; an arrow where censored.

    ``table`` has columns label, low, central, high, censored (one row per bar, top to bottom).
    ``claim_owner`` names the economy the paper's range is about when it is not ``country_name``.
    """
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH_IN, 0.5 * len(table) + 1.8))
    ax.axvspan(
        claimed[0],
        claimed[1],
        color="#f2c14e",
        alpha=0.35,
        lw=0,
        label=f"paper{f' (about {claim_owner})' if claim_owner else ''}: {claimed[0]:g}–{claimed[1]:g} generations",
    )
    finite = pd.concat([table["low"], table["central"], table["high"]]).replace([math.inf, -math.inf], np.nan).dropna()
    right = max(float(finite.max()) if len(finite) else 0.0, claimed[1]) * 1.15 + 0.5
    left = min(float(finite.min()) if len(finite) else 0.0, 0.0) - 0.5
    colour = plots.country_colour(country)
    for position, row in enumerate(table.itertuples(index=False)):
        y = len(table) - 1 - position
        if row.censored == NO_DATA:
            ax.text(0.05, y, "no data", va="center", fontsize=plots.SMALL_TEXT_PT, color="#555555")
            continue
        low, high = max(row.low, left), min(row.high, right)
        ax.plot([low, high], [y, y], color=colour, lw=5, alpha=0.45, solid_capstyle="butt")
        if row.censored == MORE_THAN:  # only a lower bound: the range runs off to the right
            ax.annotate("", xy=(right, y), xytext=(low, y), arrowprops={"arrowstyle": "->", "color": colour})
            ax.plot(row.central, y, marker=">", color=colour, ms=8)
        elif row.censored == LESS_THAN:  # only an upper bound: off to the left
            ax.annotate("", xy=(left, y), xytext=(high, y), arrowprops={"arrowstyle": "->", "color": colour})
            ax.plot(row.central, y, marker="<", color=colour, ms=8)
        else:
            ax.plot(row.central, y, marker="o", color=colour, ms=7)
    ax.set_yticks(range(len(table)), list(table["label"])[::-1])
    ax.set_xlim(left, right)
    ax.set_xlabel(f"technology generations {country_name} is behind")
    ax.set_title("Years behind in GDP per worker,\nread as generations")
    plots.legend_below(fig, *ax.get_legend_handles_labels())  # inside the axes it covered a bar
    return fig


def plot_structure(
    snapshot: pd.DataFrame,
    country: str,
    y: str,
    xs: Sequence[str],
    labelled: Sequence[str],
    names: Mapping[str, str] | None = None,
) -> plt.Figure:
    """Scatter of export sophistication (``y``) against domestic innovation inputs (``xs``, log scale).

    ``country`` is drawn large in its colour; ``labelled`` economies (Viet Nam among them when
    another country is measured) are named in theirs (``names``: ISO3 → readable name).
    """
    names = names or {}
    catalogue = indicator_catalogue()
    fig, axes = plots.stacked_panels(len(xs), 4.0, sharey=True, layout="constrained")
    for ax, x in zip(axes, xs, strict=False):
        data = snapshot.dropna(subset=[x, y])
        data = data[data[x] > 0]  # log scale: economies reporting zero are left out
        others = data[~data["iso3"].isin([country, *labelled])]
        ax.scatter(others[x], others[y], s=14, color=plots.OTHER_COLOUR, alpha=0.6, lw=0)
        for code in [c for c in labelled if c != country] + [country]:
            point = data[data["iso3"] == code]
            if point.empty:
                continue
            size, colour = (70 if code == country else 40), plots.country_colour(code)
            ax.scatter(point[x], point[y], s=size, color=colour, edgecolor="white", zorder=3)
            # right of the dot in the left half of the (log) axis, left of it in the right half: inside the panel
            middle = np.sqrt(data[x].min() * data[x].max())
            right = point[x].iloc[0] <= middle
            ax.annotate(
                names.get(code, code),
                (point[x].iloc[0], point[y].iloc[0]),
                xytext=(4 if right else -4, 4),
                ha="left" if right else "right",
                textcoords="offset points",
                fontsize=plots.SMALL_TEXT_PT,
                color=colour,
                fontweight="bold" if code == country else "normal",
            )
        ax.set_xscale("log")
        ax.set_xlabel(catalogue[x].short + " (log scale)")
        ax.set_ylabel(catalogue[y].short)
    fig.suptitle("Export sophistication against domestic innovation", x=0.01, ha="left", fontweight="bold")
    return fig
