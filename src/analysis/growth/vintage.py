"""Two releases of the Penn World Table side by side: the same accounting on PWT 11.0 and PWT 10.01.

PWT 11.0 (2021 PPPs, to 2023) is the compendium's source; PWT 10.01 (2017 PPPs, to 2019) is kept
only to show how far a published TFP share depends on the vintage of the national accounts
behind it. :func:`vintage_comparison` runs one or more specifications on both; a period a
release does not cover is left missing, never cut short.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.countries import check_code
from analysis.errors import InputError, available
from analysis.growth import compute
from analysis.growth.specification import DECLARED_GRID, Specification, parse_periods

# Release → processed table (analysis.data.load). The first is the compendium's source.
PWT_VERSIONS: dict[str, str] = {"11.0": "pwt", "10.01": "pwt1001"}
DEFAULT_PWT_VERSION = "11.0"
GRID_LOW, GRID_HIGH = "Declared grid, lowest", "Declared grid, highest"


def parse_pwt_version(value: str) -> str:
    """``"11.0"`` or ``"10.01"`` (as written, spaces ignored); anything else is an :class:`InputError`."""
    version = str(value).strip()
    if version not in PWT_VERSIONS:
        raise InputError(f"Unknown PWT version {value!r}. Allowed: {available(PWT_VERSIONS)}.")
    return version


def load_pwt(version: str = DEFAULT_PWT_VERSION) -> pd.DataFrame:
    """The processed PWT table of one release (see :data:`PWT_VERSIONS`)."""
    from analysis.data import load

    return load(PWT_VERSIONS[parse_pwt_version(version)])


def period_shares(pwt: pd.DataFrame, iso3: str, periods, spec: Specification) -> pd.Series:
    """TFP share of output growth by period label; a period (or an economy) the data do not cover is NaN."""
    labels = [p.label for p in parse_periods(periods)]
    if iso3.strip().upper() not in set(pwt["iso3"]):  # e.g. Somalia and South Sudan are new in PWT 11.0
        return pd.Series(float("nan"), index=labels, dtype=float)
    table = compute.compare(pwt, [iso3], periods, spec)
    shares = table.set_index("period")["tfp_share"] if "tfp_share" in table else pd.Series(dtype=float)
    return shares.reindex(labels).astype(float)


def vintage_comparison(
    releases: Mapping[str, pd.DataFrame],
    iso3: str,
    periods,
    specs: Mapping[str, Specification],
    grid: tuple[Specification, ...] = DECLARED_GRID,
) -> pd.DataFrame:
    """TFP share (fraction) of each period under every release, for each named specification.

    ``releases`` maps a release label (e.g. ``"11.0"``) to its PWT table; the first is the
    reference. With a non-empty ``grid``, two more rows per period give the lowest and highest
    share over the grid. Long table: ``specification, period, release, tfp_share``; a period
    (or an economy) a release does not cover is NaN; a code in no release is an :class:`InputError`.
    """
    rows = []
    iso3 = check_code(iso3, pd.concat([pwt["iso3"] for pwt in releases.values()]).unique(), "PWT")
    for release, pwt in releases.items():
        for label, spec in specs.items():
            for period, share in period_shares(pwt, iso3, periods, spec).items():
                rows.append({"specification": label, "period": period, "release": release, "tfp_share": share})
        if grid:
            shares = pd.concat([period_shares(pwt, iso3, periods, s) for s in grid], axis=1)
            for period in shares.index:
                values = shares.loc[period]
                low, high = (values.min(), values.max()) if values.notna().all() else (np.nan, np.nan)
                rows.append({"specification": GRID_LOW, "period": period, "release": release, "tfp_share": low})
                rows.append({"specification": GRID_HIGH, "period": period, "release": release, "tfp_share": high})
    return pd.DataFrame(rows, columns=["specification", "period", "release", "tfp_share"])


def vintage_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """:func:`vintage_comparison` for reading: one row per specification and period, shares in percent.

    One column per release (first = reference) and ``Move (points)``: the other release minus the
    reference (PWT 10.01 minus PWT 11.0 for the default pair), missing where either is missing.
    """
    releases = list(dict.fromkeys(comparison["release"]))
    if len(releases) != 2:
        raise InputError(f"A vintage table compares two releases; got {len(releases)}: {', '.join(releases)}.")
    wide = comparison.pivot_table(
        index=["specification", "period"], columns="release", values="tfp_share", sort=False, dropna=False
    )
    wide = wide.reindex(
        pd.MultiIndex.from_frame(comparison[["specification", "period"]].drop_duplicates())
    ).reset_index()
    reference, other = releases
    out = pd.DataFrame(
        {
            "Specification": wide["specification"],
            "Period": wide["period"].str.replace("-", "–"),
            f"PWT {reference} (%)": (100 * wide[reference]).round(1),
            f"PWT {other} (%)": (100 * wide[other]).round(1),
            "Move (points)": (100 * (wide[other] - wide[reference])).round(1),
        }
    )
    return compute.blank_missing(out)


def largest_move(comparison: pd.DataFrame, specification: str) -> tuple[str, float]:
    """The period where ``specification``'s share moves most between the two releases, and the move (points)."""
    part = comparison[comparison["specification"] == specification]
    wide = part.pivot(index="period", columns="release", values="tfp_share")
    reference, other = list(dict.fromkeys(part["release"]))
    moves = (100 * (wide[other] - wide[reference])).dropna()
    if moves.empty:
        raise InputError(f"No period is covered by both releases for {specification!r}.")
    period = str(moves.abs().idxmax())
    return period, float(moves[period])


def labsh_years(releases: Mapping[str, pd.DataFrame], iso3: str) -> dict[str, tuple[int, int]]:
    """Per release: (years with a published labour share ``labsh``, years in the release) for ``iso3``."""
    out = {}
    for release, pwt in releases.items():
        rows = pwt[pwt["iso3"] == iso3]
        out[release] = (int(rows["labsh"].notna().sum()), len(rows))
    return out


def hours_years(pwt: pd.DataFrame, codes: list[str]) -> dict[str, tuple[int, int] | None]:
    """Per economy: the first and last year with published hours ``avh`` (``None`` when there are none)."""
    out: dict[str, tuple[int, int] | None] = {}
    for iso3 in codes:
        years = pwt.loc[(pwt["iso3"] == iso3) & pwt["avh"].notna(), "year"]
        out[iso3] = (int(years.min()), int(years.max())) if not years.empty else None
    return out
