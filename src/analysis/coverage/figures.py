"""Figures of the data-overview chapter: which years each economy reports, and industry's share of GDP."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from analysis.coverage.compute import presence_matrix
from analysis.style import plots

WDI_SOURCE = "Source: World Development Indicators (World Bank)."


def plot_presence(
    wdi: pd.DataFrame, series: Mapping[str, str], focus: list[str], first_year: int, last_year: int
) -> plt.Figure:
    """One heat-map row block per series: dark where a country has a value in a year."""
    fig, axes = plt.subplots(
        len(series),
        1,
        figsize=(plots.PHONE_WIDTH_IN, 1.0 + 0.34 * len(series) * (len(focus) + 2)),
        sharex=True,
        squeeze=False,
    )
    for ax, (column, label) in zip(axes.flat, series.items(), strict=True):
        matrix = presence_matrix(wdi, column, focus, first_year, last_year)
        sns.heatmap(
            matrix,
            ax=ax,
            cmap=["#f0f0f0", "#33507a"],
            vmin=0,
            vmax=1,
            cbar=False,
            linewidths=0.5,
            linecolor="white",
            yticklabels=True,
            xticklabels=5,
        )
        ax.set_title(label, fontsize=plots.SMALL_TEXT_PT)
        ax.set_ylabel("")
        ax.set_xlabel("")
        ax.tick_params(axis="y", rotation=0)
        for tick in ax.get_yticklabels():
            tick.set_color(plots.VIETNAM_COLOUR if tick.get_text() == plots.VIETNAM else "black")
    fig.tight_layout()
    plots.add_source(fig, WDI_SOURCE + " Dark cells: a value is published for that year.")
    return fig


def plot_industry_share(shares: pd.DataFrame, focus: str, names: Mapping[str, str]) -> plt.Figure:
    """Industry value added, % of GDP, by year: ``shares`` has ``iso3, year, industry_value_added_pct_gdp``."""
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH_IN, 5.0))
    for code, rows in shares.groupby("iso3", sort=False):
        is_focus = code == focus
        ax.plot(
            rows["year"],
            rows["industry_value_added_pct_gdp"],
            color=plots.country_colour(code),
            lw=2.6 if is_focus else 1.3,
            zorder=5 if is_focus else 2,
            label=names.get(code, code),
        )
    ax.set_ylabel("industry value added, % of GDP")
    ax.set_title("Industry (including construction), share of GDP")
    handles, labels = ax.get_legend_handles_labels()
    plots.legend_below(fig, handles, labels, ncol=3)
    plots.add_source(fig, WDI_SOURCE + " Series NV.IND.TOTL.ZS.")
    return fig
