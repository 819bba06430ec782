"""Figures of the targets chapter, in the house style."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.book import plots
from analysis.targets import income

VERDICT_COLOURS = {
    "achieved": "#1a9850",
    "on-track": "#91cf60",
    "borderline": "#fdae61",
    "off-track": "#d73027",
    "below-target": "#a50026",
}


def plot_growth_needed(rows: pd.DataFrame) -> plt.Figure:
    """Growth needed against the recent trend, one row per target not yet achieved (percent a year)."""
    plots.apply_style()
    shown = rows[rows["verdict"] != "achieved"].drop_duplicates("target_group").dropna(subset=["recent_growth_pct"])
    fig, ax = plt.subplots(figsize=(8.0, 0.55 * len(shown) + 1.2))
    y = np.arange(len(shown))
    ax.barh(y + 0.2, shown["required_growth_pct"], height=0.38, color="#4d4d4d", label="needed to reach the target")
    ax.barh(
        y - 0.2,
        shown["recent_growth_pct"],
        height=0.38,
        color=[VERDICT_COLOURS[v] for v in shown["verdict"]],
        label="recent trend (primary window)",
    )
    labels = [f"{i} (by {t})" for i, t in zip(shown["indicator"], shown["target_year"], strict=True)]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("percent a year")
    from matplotlib.patches import Patch  # the verdict key: one patch per verdict shown

    key = [Patch(color=VERDICT_COLOURS[v], label=f"trend, {v}") for v in dict.fromkeys(shown["verdict"])]
    ax.legend(
        handles=[Patch(color="#4d4d4d", label="needed to reach the target"), *key],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=2,
        frameon=False,
    )
    plots.add_source(
        fig,
        "Source: World Development Indicators; UNDP HDR 2023/24; UN E-Government Surveys; "
        "the target tracker of this compendium.",
    )
    fig.tight_layout()
    return fig


def plot_income_path(wdi: pd.DataFrame, countries: pd.DataFrame, country: str = "VNM") -> plt.Figure:
    """GNI per capita (Atlas) over time against the inferred upper-middle and high-income thresholds."""
    plots.apply_style()
    series = wdi.loc[wdi["iso3"] == country].set_index("year")[income.GNI_COLUMN].dropna()
    fig, ax = plt.subplots()
    ax.plot(series.index, series.to_numpy(), color=plots.country_colour(country), lw=2)
    for group, style in (("Upper middle income", "--"), ("High income", ":")):
        level = income.threshold(wdi, countries, group)
        ax.axhline(level.value, color="#4d4d4d", ls=style, lw=1)
        ax.text(series.index.min(), level.value, f" {group} threshold ({level.year})", va="bottom", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylabel("GNI per capita, Atlas method (current US$, log scale)")
    plots.add_source(fig, "Source: World Development Indicators (GNI per capita, Atlas method; income classification).")
    fig.tight_layout()
    return fig
