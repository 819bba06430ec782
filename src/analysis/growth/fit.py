"""Which specification comes closest to published TFP shares: least-squares labour shares and window searches.

These are *searches* over specifications and windows chosen after seeing the published figures;
the book reports them beside the ruled baseline and never uses them as its verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.errors import InputError, available
from analysis.growth.compute import decompose
from analysis.growth.specification import LABOUR_INPUTS, Specification, parse_periods


@dataclass(frozen=True)
class Fit:
    """The fixed labour share that brings TFP shares closest to target shares (least squares)."""

    labour_input: str
    labour_share: float
    tfp_shares: tuple[float, ...]
    rmse: float
    max_abs_gap: float
    capital: str = "rnna"

    @property
    def specification(self) -> Specification:
        return Specification(self.labour_share, self.labour_input, self.capital)


def fit_labour_share(
    pwt: pd.DataFrame,
    iso3: str,
    periods,
    targets: list[float],
    *,
    labour_input: str,
    capital: str = "rnna",
    bounds: tuple[float, float] = (0.30, 0.80),
) -> Fit:
    """Least-squares fixed labour share for target TFP shares (fractions), within ``bounds``.

    With a fixed share ``a`` the period TFP share is linear in ``a``:
    ``share(a) = 1 - [a·L + (1-a)·K] / Y`` (period means of labour, capital and output growth),
    so the squared error is a parabola and the constrained optimum is the unconstrained one
    clipped to ``bounds``.
    """
    periods = parse_periods(periods)
    if len(targets) != len(periods):
        raise InputError(f"Give one target per period: {len(periods)} periods but {len(targets)} targets.")
    targets_array = np.asarray(targets, dtype=float)

    def shares(a: float) -> np.ndarray:
        return decompose(pwt, iso3, periods, Specification(a, labour_input, capital))["tfp_share"].to_numpy()

    # Evaluate the line at two interior points (shares must lie strictly inside (0, 1)).
    low, high = 0.25, 0.75
    at_low, at_high = shares(low), shares(high)
    slope = (at_high - at_low) / (high - low)
    intercept = at_low - slope * low
    best = float(np.sum(slope * (targets_array - intercept)) / np.sum(slope**2))
    best = min(max(best, bounds[0]), bounds[1])
    fitted = shares(best)
    gaps = fitted - targets_array
    return Fit(
        labour_input, best, tuple(fitted), float(np.sqrt(np.mean(gaps**2))), float(np.max(np.abs(gaps))), capital
    )


def specification_fits(
    pwt: pd.DataFrame,
    iso3: str,
    periods,
    targets: list[float],
    *,
    capital: str = "rnna",
    bounds=(0.30, 0.80),
) -> pd.DataFrame:
    """:func:`fit_labour_share` for every labour input, best first."""
    fits = [
        fit_labour_share(pwt, iso3, periods, targets, labour_input=li, capital=capital, bounds=bounds)
        for li in LABOUR_INPUTS
    ]
    labels = [p.label for p in parse_periods(periods)]
    table = pd.DataFrame(
        [
            {
                "labour_input": f.labour_input,
                "labour_share": f.labour_share,
                **dict(zip(labels, f.tfp_shares, strict=False)),
                "rmse": f.rmse,
                "max_abs_gap": f.max_abs_gap,
            }
            for f in fits
        ]
    )
    return table.sort_values("rmse", ignore_index=True)


def with_baseline_row(
    fits: pd.DataFrame, baseline: pd.DataFrame, targets: dict[str, float], labour_share: float | str, labour_input: str
) -> pd.DataFrame:
    """:func:`specification_fits` with one more row: the baseline's TFP shares and its gaps to ``targets``.

    ``baseline`` is a :func:`decompose` table; ``targets`` maps period labels to the official shares.
    """
    shares = baseline.set_index("period").loc[list(targets), "tfp_share"]
    gaps = shares.to_numpy(dtype=float) - np.asarray(list(targets.values()), dtype=float)
    row = {
        "labour_input": f"baseline: {labour_input}",
        "labour_share": np.nan if isinstance(labour_share, str) else float(labour_share),
        **shares.to_dict(),
        "rmse": rmse(shares, list(targets.values())),
        "max_abs_gap": float(np.max(np.abs(gaps))),
    }
    return pd.concat([fits, pd.DataFrame([row])], ignore_index=True)


def rmse(values, targets) -> float:
    """Root mean squared difference between two equal-length sequences."""
    gaps = np.asarray(values, dtype=float) - np.asarray(targets, dtype=float)
    return float(np.sqrt(np.mean(gaps**2)))


def closest(table: pd.DataFrame, column: str, target: float) -> pd.Series:
    """The row of ``table`` whose ``column`` is nearest to ``target``."""
    return table.loc[(table[column] - target).abs().idxmin()]


def claim_check(
    table: pd.DataFrame, claimed: dict[str, float], *, reference_method: str, reference_period: str
) -> pd.DataFrame:
    """Published TFP shares without a period beside a ``compare`` stack with a ``method`` column.

    One row per country in ``claimed`` (shares as fractions): ``claimed``, ``reference`` (the
    share under ``reference_method`` in ``reference_period``) and the window and method whose
    share is closest to the claim (``closest_period``, ``closest_method``, ``closest``, ``gap``).
    """
    rows = []
    for iso3, value in claimed.items():
        candidates = table[table["country"] == iso3].dropna(subset=["tfp_share"])
        if candidates.empty:
            raise InputError(
                f"No TFP shares for {iso3} in the comparison table; countries there: {available(table['country'])}."
            )
        nearest = closest(candidates, "tfp_share", value)
        reference = candidates[(candidates["method"] == reference_method) & (candidates["period"] == reference_period)][
            "tfp_share"
        ]
        rows.append(
            {
                "country": iso3,
                "claimed": value,
                "reference": reference.iloc[0] if len(reference) else math.nan,
                "closest_period": nearest["period"],
                "closest_method": nearest["method"],
                "closest": nearest["tfp_share"],
                "gap": nearest["tfp_share"] - value,
            }
        )
    return pd.DataFrame(rows)
