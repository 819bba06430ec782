"""Figures of the targets chapter, in the house style."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.style import plots
from analysis.targets import income
from analysis.targets.tracker import THRESHOLD_INDEX_RATES
from analysis.trends.rates import PREDICTION_LEVEL

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
    # about an inch a target: two bars beside a label wrapped to up to three lines
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH_IN, 0.95 * len(shown) + 2.2))
    y = np.arange(len(shown))
    ax.barh(y + 0.2, shown["required_growth_pct"], height=0.38, color="#4d4d4d", label="needed to reach the target")
    trend = shown["recent_growth_pct"]
    # The whisker: the trend growth's confidence interval (none where the trend is not a regression).
    below = (trend - shown["recent_growth_low_pct"]).clip(lower=0).fillna(0)
    above = (shown["recent_growth_high_pct"] - trend).clip(lower=0).fillna(0)
    ax.barh(
        y - 0.2,
        trend,
        height=0.38,
        color=[VERDICT_COLOURS[v] for v in shown["verdict"]],
        xerr=[below.to_numpy(), above.to_numpy()],
        error_kw={"ecolor": "#222222", "capsize": 3, "lw": 1},
        label="recent trend (primary window)",
    )
    labels = [f"{i} (by {t})" for i, t in zip(shown["indicator"], shown["target_year"], strict=True)]
    # two targets on one indicator and year would share a label: name their target group as well
    labels = [
        f"{label}, {group}" if labels.count(label) > 1 else label
        for label, group in zip(labels, shown["target_group"], strict=True)
    ]
    labels = [textwrap.fill(label, 26) for label in labels]  # wrapped, so a long name does not squeeze the bars
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlabel("percent a year")
    from matplotlib.patches import Patch  # the verdict key: one patch per verdict shown

    key = [Patch(color=VERDICT_COLOURS[v], label=f"trend, {v}") for v in dict.fromkeys(shown["verdict"])]
    from matplotlib.lines import Line2D

    whisker = Line2D([], [], color="#222222", lw=1, label=f"trend growth, {PREDICTION_LEVEL:.0%} interval")
    handles = [Patch(color="#4d4d4d", label="needed to reach the target"), *key, whisker]
    # below the axes, in a band of its own, so it covers no bar
    plots.legend_below(fig, handles, [h.get_label() for h in handles], ncol=2)
    plots.add_source(
        fig,
        "Source: World Development Indicators; UNDP HDR 2023/24; UN E-Government Surveys; "
        "the target tracker of this compendium.",
    )
    return fig


def plot_income_path(
    wdi: pd.DataFrame,
    countries: pd.DataFrame,
    country: str = "VNM",
    outlook: pd.Series | None = None,
    index_rates: tuple[float, ...] = THRESHOLD_INDEX_RATES,
) -> plt.Figure:
    """GNI per capita (Atlas) over time against the inferred upper-middle and high-income thresholds.

    With ``outlook`` (the tracker's high-income row), the trend path to the target year is drawn with
    the band of its growth interval and the prediction interval of the target year's value, and the
    high-income threshold is drawn rising at each of ``index_rates`` from its latest value.
    """
    plots.apply_style()
    series = wdi.loc[wdi["iso3"] == country].set_index("year")[income.GNI_COLUMN].dropna()
    colour = plots.country_colour(country)
    fig, ax = plt.subplots()
    ax.plot(series.index, series.to_numpy(), color=colour, lw=2, label="GNI per capita, observed")
    for group, style in (("Upper middle income", "--"), ("High income", ":")):
        level = income.threshold(wdi, countries, group)
        ax.axhline(level.value, color="#4d4d4d", ls=style, lw=1)
        ax.text(
            series.index.min(),
            level.value,
            f" {group} threshold ({level.year})",
            va="bottom",
            fontsize=plots.SMALL_TEXT_PT,
        )
    if outlook is not None:
        _draw_income_outlook(ax, outlook, index_rates, colour)
        ax.legend(loc="lower right", fontsize=plots.SMALL_TEXT_PT, frameon=False)
    ax.set_yscale("log")
    ax.set_ylabel("GNI per capita, Atlas method (current US$, log scale)")
    plots.add_source(fig, "Source: World Development Indicators (GNI per capita, Atlas method; income classification).")
    fig.tight_layout()
    return fig


def _draw_income_outlook(ax: plt.Axes, row: pd.Series, index_rates: tuple[float, ...], colour: str) -> None:
    latest_year, latest = int(row["latest_year"]), float(row["latest_value"])
    target_year = int(row["target_year"])
    years = np.arange(latest_year, target_year + 1)
    level = f"{PREDICTION_LEVEL:.0%}"

    def path(start: float, start_year: int, growth_pct: float) -> np.ndarray:
        return start * (1 + growth_pct / 100) ** (years - start_year)

    ax.plot(
        years,
        path(latest, latest_year, row["recent_growth_pct"]),
        ls=":",
        lw=2,
        color=colour,
        label=f"trend ({row['window']}): {row['recent_growth_pct']:+.1f}% a year",
    )
    ax.fill_between(
        years,
        path(latest, latest_year, row["recent_growth_low_pct"]),
        path(latest, latest_year, row["recent_growth_high_pct"]),
        color=colour,
        alpha=0.15,
        lw=0,
        label=f"trend growth, {level} interval",
    )
    centre = row["projected_value"]
    ax.errorbar(
        [target_year],
        [centre],
        yerr=[[centre - row["projected_low"]], [row["projected_high"] - centre]],
        fmt="o",
        ms=4,
        capsize=4,
        color=colour,
        label=f"{target_year} at trend, {level} prediction interval",
    )
    base_year, today = int(row["threshold_basis_year"]), float(row["threshold_today"])
    for rate in index_rates:
        ax.plot(
            years,
            path(today * (1 + rate) ** (latest_year - base_year), latest_year, 100 * rate),
            color="#4d4d4d",
            lw=0.8,
            ls=(0, (1, 2)),
        )
        ax.annotate(
            f"{100 * rate:g}% a year",
            (target_year, today * (1 + rate) ** (target_year - base_year)),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=plots.SMALL_TEXT_PT,
            va="center",
            color="#4d4d4d",
        )
