"""Figures of sparse series (researchers and R&D chapters): observed points, claims at their basis, a target row.

House style from :mod:`analysis.style.plots`. Only observed points are drawn, and gaps stay visible:
solid lines join adjacent years, dashed lines span missing years (:func:`draw_observed`).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd

from analysis.style import plots
from analysis.trends import rates
from analysis.trends.sparse import DEFAULT_JUMP_FACTOR, WDI_SOURCE, detect_jumps, series_of

# Years drawn beyond the target year when the trend reaches the target later.
MAX_YEARS_AFTER_TARGET = 25


def draw_observed(
    ax: plt.Axes,
    series: pd.Series,
    colour: str,
    width: float = 1.3,
    zorder: int = 2,
    marker_size: float = 4,
    label: str | None = None,
) -> None:
    """Observed points as markers; a solid line joins adjacent years, a thinner dashed line spans missing years."""
    clean = series.dropna().sort_index()
    years, values = list(clean.index), list(clean.to_numpy())
    for (y0, v0), (y1, v1) in zip(
        zip(years, values, strict=False), zip(years[1:], values[1:], strict=False), strict=False
    ):
        adjacent = y1 - y0 == 1
        ax.plot(
            [y0, y1],
            [v0, v1],
            color=colour,
            lw=width if adjacent else width * 0.7,
            ls="-" if adjacent else "--",
            zorder=zorder,
        )
    ax.plot(years, values, ls="none", marker="o", ms=marker_size, color=colour, zorder=zorder + 1, label=label)


def plot_observed(
    table: pd.DataFrame,
    value_column: str,
    focus: str,
    *,
    ylabel: str,
    title: str,
    jump_factor: float = DEFAULT_JUMP_FACTOR,
    annotate: Sequence[tuple[str, int]] = (),
    source: str = WDI_SOURCE,
    logy: bool = False,
) -> plt.Figure:
    """Observed points as markers; solid lines join adjacent years, dashed lines span missing years.

    Breaks (:func:`detect_jumps`) are ringed in black; those listed in ``annotate`` as
    ``(country, year the break ends)`` are labelled with their ratio. The ``focus`` country is
    drawn thicker and on top.
    """
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH_IN, 5.4))
    countries = list(dict.fromkeys(table["country"]))
    colours = plots.palette(countries)
    for country in countries:
        series = series_of(table, country, value_column)
        is_focus = country == focus
        width, z = (2.6, 5) if is_focus else (1.3, 2)
        colour = colours[country]
        draw_observed(ax, series, colour, width, z, 6 if is_focus else 4, label=country)
        for jump in detect_jumps(series, jump_factor).itertuples():
            ax.plot(
                jump.to_year,
                jump.to_value,
                ls="none",
                marker="o",
                ms=10,
                mfc="none",
                mec="black",
                mew=1.0,
                zorder=z + 2,
            )
            if (country, jump.to_year) in set(annotate):
                falls = jump.ratio < 1
                ax.annotate(
                    f"{country} ×{jump.ratio:.2f} ({jump.from_year}→{jump.to_year})",
                    (jump.to_year, jump.to_value),
                    xytext=(6, -14) if falls else (-8, 8),
                    textcoords="offset points",
                    ha="left" if falls else "right",
                    fontsize=plots.SMALL_TEXT_PT,
                    color=colour,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
                    zorder=z + 3,
                )
    ax.plot(
        [],
        [],
        ls="none",
        marker="o",
        ms=10,
        mfc="none",
        mec="black",
        label=f"break (×{jump_factor:g} or ×1/{jump_factor:g})",
    )
    ax.plot([], [], ls="--", color="#555555", label="years missing between")
    if logy:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.set_xlabel("")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    plots.legend_below(fig, handles, labels, ncol=2)
    plots.add_source(fig, source)
    return fig


def plot_claims_at_basis(
    table: pd.DataFrame,
    value_column: str,
    at_basis: pd.DataFrame,
    names: dict[str, str],
    *,
    ylabel: str,
    source: str = WDI_SOURCE,
) -> plt.Figure:
    """Small multiples, one per claim (rows of :func:`analysis.researchers.compute.claims_at_basis`).

    Each panel: the observed series, the claimed value (black line) and the ledger's tolerance band
    (grey), the value at their ruled basis (filled square) and the closest year a search
    finds (open ring, reported only).
    """
    n = len(at_basis)
    ncols = 1  # one panel per row: side by side, each would be half a phone's column
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(plots.PHONE_WIDTH_IN, 3.2 * nrows), squeeze=False)
    for ax, row in zip(axes.flat, at_basis.itertuples(), strict=False):
        colour = plots.country_colour(row.country)
        draw_observed(ax, series_of(table, row.country, value_column), colour, width=1.0)
        ax.axhspan(row.band_low, row.band_high, color="#cccccc", alpha=0.6, lw=0)
        ax.axhline(row.claimed, color="black", lw=0.8)
        ax.plot(row.basis_used, row.value, ls="none", marker="s", ms=8, color="black", label="at the basis")
        ax.plot(
            row.search_year,
            row.search_value,
            ls="none",
            marker="o",
            ms=12,
            mfc="none",
            mec="#555555",
            mew=1.2,
            label="closest year (search)",
        )
        ax.set_title(f"{names.get(row.country, row.country)}: claimed {row.claimed:g}", fontsize=plots.SMALL_TEXT_PT)
        ax.set_ylabel(ylabel, fontsize=plots.SMALL_TEXT_PT)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    axes.flat[0].legend(loc="best", fontsize=plots.SMALL_TEXT_PT, frameon=False)
    plots.add_source(fig, source)
    fig.tight_layout()
    return fig


def draw_trend_band(ax: plt.Axes, row: pd.Series, years: Sequence[int], colour: str) -> None:
    """The uncertainty of a tracker row's trend: the paths at the ends of its growth interval (shaded)
    and the prediction interval of the value in the target year (a bar). Both are the tracker's numbers."""
    low, high = (float(row.get(f"recent_growth_{end}_pct", math.nan)) / 100 for end in ("low", "high"))
    latest_year, latest_value = int(row["latest_year"]), float(row["latest_value"])
    level = f"{rates.PREDICTION_LEVEL:.0%}"
    if math.isfinite(low) and math.isfinite(high):
        ax.fill_between(
            years,
            [rates.value_at(latest_value, latest_year, low, y) for y in years],
            [rates.value_at(latest_value, latest_year, high, y) for y in years],
            color=colour,
            alpha=0.15,
            lw=0,
            label=f"trend growth, {level} interval: {100 * low:+.1f}% to {100 * high:+.1f}% a year",
        )
    bottom, top = (float(row.get(f"projected_{end}", math.nan)) for end in ("low", "high"))
    if math.isfinite(bottom) and math.isfinite(top):
        target_year = int(row["target_year"])
        ax.errorbar(
            [target_year],
            [float(row["projected_value"])],
            yerr=[[float(row["projected_value"]) - bottom], [top - float(row["projected_value"])]],
            fmt="o",
            ms=4,
            color=colour,
            capsize=4,
            label=f"{target_year} at trend, {level} prediction interval: {bottom:,.3g} to {top:,.3g}",
        )


def plot_target_row(
    series: pd.Series,
    row: pd.Series,
    country: str,
    name: str,
    *,
    ylabel: str,
    title: str,
    source: str = WDI_SOURCE,
) -> plt.Figure:
    """A target tracker row drawn: observed points, the path at the required growth, the path at the
    tracker's recent trend with its band (:func:`draw_trend_band`), and the target. Only the tracker's
    numbers are used (no trend is fitted here)."""
    fig, ax = plt.subplots(figsize=(plots.PHONE_WIDTH_IN, 5.4))
    colour = plots.country_colour(country)
    draw_observed(ax, series, colour, width=1.3, marker_size=6, label=f"{name}, observed")
    latest_year, latest_value = int(row["latest_year"]), float(row["latest_value"])
    target_year, target_value = int(row["target_year"]), float(row["target_value"])
    if latest_value < target_value:
        years = list(range(latest_year, target_year + 1))
        required = float(row["required_growth_pct"]) / 100
        ax.plot(
            years,
            [rates.value_at(latest_value, latest_year, required, y) for y in years],
            ls="--",
            color="black",
            label=f"required: {100 * required:+.1f}% a year",
        )
    recent = float(row["recent_growth_pct"]) / 100
    if math.isfinite(recent):
        reach = float(row["reach_year"])
        end = target_year
        if math.isfinite(reach):
            end = int(min(max(reach, target_year), target_year + MAX_YEARS_AFTER_TARGET))
        years = list(range(latest_year, end + 1))
        ax.plot(
            years,
            [rates.value_at(latest_value, latest_year, recent, y) for y in years],
            ls=":",
            lw=2,
            color=colour,
            label=f"recent trend ({row['window']}): {100 * recent:+.1f}% a year",
        )
        draw_trend_band(ax, row, years, colour)
        if math.isfinite(reach) and reach <= end and reach > latest_year:
            ax.axvline(reach, color=colour, lw=0.8, ls=":")
            ax.annotate(
                f"target reached\nat trend: {int(reach)}",
                (reach, target_value),
                xytext=(4, -30),
                textcoords="offset points",
                fontsize=plots.SMALL_TEXT_PT,
                color=colour,
            )
        elif reach > end:  # beyond the drawn horizon: say when, at the end of the curve
            ax.annotate(
                f"target reached at trend: {int(reach)}" if math.isfinite(reach) else "trend never reaches the target",
                (years[-1], rates.value_at(latest_value, latest_year, recent, years[-1])),
                xytext=(-6, 8),
                textcoords="offset points",
                ha="right",
                fontsize=plots.SMALL_TEXT_PT,
                color=colour,
            )
    ax.axhline(target_value, color="#555555", lw=0.8)
    ax.plot(
        target_year,
        target_value,
        marker="*",
        ms=14,
        color="black",
        ls="none",
        label=f"target {target_value:g} in {target_year}",
    )
    ax.set_ylabel(ylabel)
    ax.set_title(textwrap.fill(title, 50))
    handles, labels = ax.get_legend_handles_labels()
    plots.legend_below(fig, handles, labels)  # below the axes: inside, it covered the trend
    plots.add_source(fig, source)
    return fig
