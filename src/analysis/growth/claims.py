"""The paper's TFP claims computed at their ruled basis (``data/raw/verdict_rules.csv``).

Every claim whose id starts with ``paper.tfp_share.`` is computed under :data:`BASELINE` (the
textbook benchmark) for the period its rule names; what a search over the declared grid
(:data:`~analysis.growth.specification.DECLARED_GRID`) finds for the same period is returned
beside it, never instead of it. No specification fitted to the official figures is searched: it
would confirm the numbers it was fitted on. Verdicts are the ledger's (:mod:`analysis.claims.ledger`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.errors import DataError, InputError
from analysis.growth.compute import decompose
from analysis.growth.specification import BASELINE, DECLARED_GRID, Specification, parse_periods

PREFIX = "paper.tfp_share."
FITTED_ECONOMY = "VNM"  # the economy whose official figures the chapter fits the method to


@dataclass(frozen=True)
class ClaimValue:
    """One claim's value at its basis, in the claim's unit, ready for ``results.record``."""

    claim_id: str
    result_id: str
    value: float
    unit: str
    basis_used: str
    search_value: float = math.nan
    search_basis: str = ""
    note: str = ""
    period: str = ""  # the period the value is for (the later one of a change)
    search_specification: str = ""  # the searched specification, described (measure claims)
    comparator: str = ""  # the economy a per-comparator claim names
    earlier_period: str = ""  # the first period of a change


def baseline_share(pwt: pd.DataFrame, country: str, period: str, spec: Specification = BASELINE) -> float:
    """The TFP share of output growth (percent) of one country and period."""
    return 100 * float(decompose(pwt, country, [period], spec)["tfp_share"].iloc[0])


def closest_specification(
    pwt: pd.DataFrame, country: str, period: str, claimed: float, candidates: tuple[Specification, ...] = DECLARED_GRID
) -> tuple[float, Specification | None]:
    """Among ``candidates``, the share (percent) closest to ``claimed``, with its specification.

    A candidate the data cannot support for the country (e.g. no ``hc``) is skipped;
    ``(nan, None)`` when none can.
    """
    found = []
    for spec in candidates:
        try:
            found.append((baseline_share(pwt, country, period, spec), spec))
        except InputError:
            continue
    return min(found, key=lambda item: abs(item[0] - claimed)) if found else (math.nan, None)


def share_change(earlier: float, later: float) -> float:
    """The signed change of a share, later minus earlier (positive: it increased)."""
    return later - earlier


def comparator_of(claim_id: str) -> str:
    """The economy a per-comparator claim names by its last id part: ``….low_vs_region.kor`` → ``KOR``."""
    code = claim_id.rsplit(".", 1)[-1].upper()
    if len(code) != 3 or not code.isalpha():
        raise DataError(f"Claim {claim_id} must end in the comparator's ISO3 code (e.g. '.kor').")
    return code


def grid_gaps(pwt: pd.DataFrame, subject: str, comparator: str, period: str) -> list[float]:
    """``subject``'s TFP share minus ``comparator``'s (points) under each declared grid specification."""
    return [baseline_share(pwt, subject, period, s) - baseline_share(pwt, comparator, period, s) for s in DECLARED_GRID]


def claim_values(pwt: pd.DataFrame, claims: pd.DataFrame, rules: pd.DataFrame) -> list[ClaimValue]:
    """Every ``paper.tfp_share.*`` claim at its rule's basis under :data:`BASELINE`.

    ``measure``: the share in the rule's period (percent), with the closest specification of the
    declared grid for the same period as ``search_value``. ``direction``: the share in the second
    period of the rule minus the first (points). ``lower``: Viet Nam's share minus the one comparator
    the claim names (points), with the number of grid specifications in which Viet Nam is lower as
    the search. ``all-of`` claims have no value of their own (the ledger judges their parts); ``arithmetic``
    ones are the paper's own sums (:mod:`analysis.claims.arithmetic`).
    """
    table = claims.merge(rules, on="claim_id")
    table = table[table["claim_id"].str.startswith(PREFIX) & ~table["rule"].isin(["all-of", "arithmetic"])]
    baseline = BASELINE.describe()
    values = []
    for row in table.itertuples():
        periods = [p.label for p in parse_periods(row.basis_year)]
        if row.rule == "measure":
            (period,) = periods
            share = baseline_share(pwt, row.country, period)
            found, spec = closest_specification(pwt, row.country, period, row.value)
            searched = f"{period}, closest of the declared grid: {spec.describe()}" if spec else ""
            # The paper's own Viet Nam figures are what the official method is fitted to (the chapter's
            # fit): a specification chosen to come close to them cannot confirm them, so for these the
            # closest grid value is a note, never a search that could give matches-only-when-chosen.
            fitted_to_them = row.country == FITTED_ECONOMY
            values.append(
                ClaimValue(
                    row.claim_id,
                    f"tfp_share.{row.country}.{period}.baseline",
                    share,
                    row.unit,
                    f"{period}, baseline ({baseline})",
                    math.nan if fitted_to_them else found,
                    "" if fitted_to_them else searched,
                    note=f"{searched}: {found:.1f}% (a fit to these figures, not a search)" if fitted_to_them else "",
                    period=period,
                    search_specification=spec.describe() if spec else "",
                )
            )
        elif row.rule == "direction":
            earlier, later = (baseline_share(pwt, row.country, p) for p in periods)
            values.append(
                ClaimValue(
                    row.claim_id,
                    f"tfp_share_change.{row.country}.{periods[0]}_to_{periods[1]}.baseline",
                    share_change(earlier, later),
                    row.unit,
                    f"{periods[1]} minus {periods[0]}, baseline ({baseline})",
                    note=f"TFP share {earlier:.1f}% in {periods[0]}, {later:.1f}% in {periods[1]} (percentage points)",
                    period=periods[1],
                    earlier_period=periods[0],
                )
            )
        elif row.rule == "lower":
            (period,) = periods
            comparator = comparator_of(row.claim_id)
            subject, other = baseline_share(pwt, row.country, period), baseline_share(pwt, comparator, period)
            gaps = grid_gaps(pwt, row.country, comparator, period)
            values.append(
                ClaimValue(
                    row.claim_id,
                    f"tfp_share_gap.{row.country}_minus_{comparator}.{period}.baseline",
                    subject - other,
                    row.unit,
                    f"{period}, baseline ({baseline}); {comparator}",
                    float(sum(g < 0 for g in gaps)),
                    f"{period}, declared grid: specifications (of {len(gaps)}) in which {row.country} is lower",
                    note=(
                        f"{row.country} {subject:.1f}% against {comparator} {other:.1f}% (percentage points); "
                        f"over the declared grid the gap runs from {min(gaps):+.1f} to {max(gaps):+.1f} points"
                    ),
                    period=period,
                    comparator=comparator,
                )
            )
        else:
            raise DataError(f"Claim {row.claim_id} has rule {row.rule!r}, which the growth chapter cannot compute.")
    return values
