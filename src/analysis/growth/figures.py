"""The growth chapter's figures, in the house style of :mod:`analysis.style.plots`."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.growth.compute import CONTRIBUTION_LABELS, CONTRIBUTIONS
from analysis.growth.specification import LABOUR_INPUTS
from analysis.style import plots

CONTRIBUTION_COLOURS = {
    "capital_contribution": "#4c72b0",
    "persons_contribution": "#8fb0d8",
    "hours_contribution": "#c9d7ea",
    "quality_contribution": "#55a868",
    "tfp_contribution": "#dd8452",
}


def _wrap(title: str, width: int = 52) -> str:
    """Wrap each line of a panel title so that neighbouring panels' titles do not collide."""
    return "\n".join(textwrap.fill(line, width) for line in title.split("\n"))


def plot_contributions(table: pd.DataFrame, title: str, group: str = "method") -> plt.Figure:
    """Stacked bars of the contributions (percentage points a year) per period and ``group``.

    ``table`` is a stack of :func:`decompose` outputs with a ``group`` column naming the
    specification; a black dot marks output growth (the sum of the bars).
    """
    groups = list(dict.fromkeys(table[group]))
    periods = list(dict.fromkeys(table["period"]))
    fig, axes = plots.stacked_panels(len(groups), 3.4, sharey=True)
    for ax, name in zip(axes, groups, strict=False):
        part = table[table[group] == name].set_index("period").loc[periods]
        x = np.arange(len(periods))
        positive_base, negative_base = np.zeros(len(x)), np.zeros(len(x))
        for column in [c for c in CONTRIBUTIONS if table[c].abs().sum() > 0]:
            values = 100 * part[column].to_numpy()
            base = np.where(values >= 0, positive_base, negative_base)
            ax.bar(
                x,
                values,
                bottom=base,
                color=CONTRIBUTION_COLOURS[column],
                label=CONTRIBUTION_LABELS[column],
                width=0.65,
            )
            positive_base += np.clip(values, 0, None)
            negative_base += np.clip(values, None, 0)
        ax.plot(x, 100 * part["output_growth"], "o", color="black", label="Output growth (rgdpna)")
        ax.axhline(0, color="#333333", linewidth=0.8)
        ax.set_xticks(x, periods)
        ax.set_title(_wrap(name, 44), fontsize=plots.SMALL_TEXT_PT, loc="left")
        ax.set_ylabel("Points a year (log)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    plots.legend_below(fig, handles, labels)
    return fig


def plot_sensitivity(
    grid: pd.DataFrame, title: str, claimed: dict[str, float] | None = None, marks: dict[str, float] | None = None
) -> plt.Figure:
    """TFP share (percent) against the labour share, one panel per period, one line per labour input.

    ``claimed`` maps period → a published TFP share (fraction) drawn as a dashed line;
    ``marks`` maps a label → a labour share drawn as a vertical dotted line.
    """
    periods = list(dict.fromkeys(grid["period"]))
    fig, axes = plots.stacked_panels(len(periods), 2.6, sharey=True, sharex=True)
    line_colours = dict(zip(LABOUR_INPUTS, ["#4c72b0", "#55a868", "#8172b3"], strict=False))
    for ax, period in zip(axes, periods, strict=False):
        part = grid[grid["period"] == period]
        for labour_input, lines in part.groupby("labour_input", sort=False):
            ax.plot(
                lines["labour_share"],
                100 * lines["tfp_share"],
                color=line_colours[labour_input],
                label=labour_input.replace("_", " × "),
            )
        if claimed and period in claimed:
            ax.axhline(
                100 * claimed[period], color="black", linestyle="--", linewidth=1, label="Official figure (paper)"
            )
        for i, (label, share) in enumerate((marks or {}).items()):
            ax.axvline(share, color="#555555", linestyle=[":", "-."][i % 2], linewidth=1, label=label)
        ax.axhline(0, color="#333333", linewidth=0.6)
        ax.set_title(period, fontsize=plots.SMALL_TEXT_PT)
        ax.set_ylabel("TFP share (%)")
    axes[-1].set_xlabel("Labour share")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    plots.legend_below(fig, handles, labels)
    return fig


def plot_peers(
    table: pd.DataFrame,
    title: str,
    colours: dict[str, str],
    claimed: dict[str, float] | None = None,
    highlight: str = "",
) -> plt.Figure:
    """TFP share (percent) per window, one marker per country, one panel per ``method``.

    ``claimed`` maps a country → a published TFP share (fraction) without a period, drawn as a
    star in a first column "Paper"; ``highlight`` is drawn larger.
    """
    methods = list(dict.fromkeys(table["method"]))
    windows = list(dict.fromkeys(table["period"]))
    countries = list(dict.fromkeys(table["country"]))
    columns = (["Paper"] if claimed else []) + windows
    fig, axes = plots.stacked_panels(len(methods), 3.2, sharey=True)
    offsets = np.linspace(-0.3, 0.3, len(countries)) if len(countries) > 1 else np.zeros(1)
    start = 1 if claimed else 0
    for ax, method in zip(axes, methods, strict=False):
        part = table[table["method"] == method]
        for offset, iso3 in zip(offsets, countries, strict=False):
            rows = part[part["country"] == iso3].set_index("period").reindex(windows)
            size = 90 if iso3 == highlight else 45
            ax.scatter(
                np.arange(start, start + len(windows)) + offset,
                100 * rows["tfp_share"],
                s=size,
                color=colours[iso3],
                label=iso3,
                zorder=3,
                edgecolor="white",
                linewidth=0.5,
            )
            if claimed and iso3 in claimed:
                ax.scatter(
                    [offset],
                    [100 * claimed[iso3]],
                    marker="*",
                    s=140,
                    color=colours[iso3],
                    zorder=3,
                    edgecolor="black",
                    linewidth=0.5,
                )
        if claimed:
            ax.axvline(0.5, color="#999999", linewidth=0.8)
        ax.axhline(0, color="#333333", linewidth=0.6)
        # turned, so that neighbouring windows' labels do not overprint in a phone-wide panel
        ax.set_xticks(np.arange(len(columns)), columns, fontsize=plots.SMALL_TEXT_PT, rotation=30, ha="right")
        ax.set_title(_wrap(method, 44), fontsize=plots.SMALL_TEXT_PT, loc="left")
        ax.set_ylabel("TFP share (%)")
    handles, labels = axes[0].get_legend_handles_labels()
    if claimed:
        handles.append(
            plt.Line2D([], [], marker="*", linestyle="none", color="#777777", markeredgecolor="black", markersize=11)
        )
        labels.append("Paper (no period)")
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    plots.legend_below(fig, handles, labels, ncol=3)
    return fig
