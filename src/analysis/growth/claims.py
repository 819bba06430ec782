"""The paper's TFP claims computed at their pre-registered basis (``data/raw/verdict_rules.csv``).

Every claim whose id starts with ``paper.tfp_share.`` is computed under :data:`BASELINE`, the
specification declared before the data were seen, for the period its rule names; what a search
over specifications finds for the same period is returned beside it, never instead of it.
Verdicts are the ledger's (:mod:`analysis.book.ledger`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.errors import DataError, InputError
from analysis.growth.compute import decompose
from analysis.growth.specification import BASELINE, Specification, parse_periods

PREFIX = "paper.tfp_share."


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


def baseline_share(pwt: pd.DataFrame, country: str, period: str, spec: Specification = BASELINE) -> float:
    """The TFP share of output growth (percent) of one country and period."""
    return 100 * float(decompose(pwt, country, [period], spec)["tfp_share"].iloc[0])


def closest_specification(
    pwt: pd.DataFrame, country: str, period: str, claimed: float, candidates: dict[str, Specification]
) -> tuple[float, str]:
    """Among ``candidates`` (label → specification), the share (percent) closest to ``claimed``, with its label.

    A candidate the data cannot support for the country (e.g. PWT's method without ``labsh``) is
    skipped; ``(nan, "")`` when none can.
    """
    found = []
    for label, spec in candidates.items():
        try:
            found.append((baseline_share(pwt, country, period, spec), f"{label}: {spec.describe()}"))
        except InputError:
            continue
    return min(found, key=lambda item: abs(item[0] - claimed)) if found else (math.nan, "")


def share_change(earlier: float, later: float) -> float:
    """The signed change of a share, later minus earlier (positive: it increased)."""
    return later - earlier


def gap_to_median(subject: float, comparators: list[float]) -> float:
    """``subject`` minus the median of ``comparators`` (negative: the subject is lower)."""
    if not comparators:
        raise InputError("Give at least one comparator to compare with.")
    return subject - float(pd.Series(comparators, dtype=float).median())


def region_peers(claims: pd.DataFrame, rules: pd.DataFrame) -> list[str]:
    """The economies the paper names beside Viet Nam: its TFP ``measure`` claims for other countries."""
    rule = rules.set_index("claim_id")["rule"]
    rows = claims[claims["claim_id"].str.startswith(PREFIX) & (claims["country"] != "VNM")]
    return [r.country for r in rows.itertuples() if rule.get(r.claim_id) == "measure"]


def claim_values(
    pwt: pd.DataFrame, claims: pd.DataFrame, rules: pd.DataFrame, search: dict[str, Specification]
) -> list[ClaimValue]:
    """Every ``paper.tfp_share.*`` claim at its rule's basis under :data:`BASELINE`.

    ``measure``: the share in the rule's period (percent), with the closest of the ``search``
    specifications for the same period as ``search_value``. ``direction``: the share in the second
    period of the rule minus the first (points). ``lower``: Viet Nam's share minus the median of
    :func:`region_peers` (points).
    """
    table = claims.merge(rules, on="claim_id")
    table = table[table["claim_id"].str.startswith(PREFIX)]
    peers = region_peers(claims, rules)
    baseline = BASELINE.describe()
    values = []
    for row in table.itertuples():
        periods = [p.label for p in parse_periods(row.basis_year)]
        if row.rule == "measure":
            (period,) = periods
            share = baseline_share(pwt, row.country, period)
            found, label = closest_specification(pwt, row.country, period, row.value, search)
            values.append(
                ClaimValue(
                    row.claim_id,
                    f"tfp_share.{row.country}.{period}.baseline",
                    share,
                    row.unit,
                    f"{period}, baseline ({baseline})",
                    found,
                    f"{period}, {label}" if label else "",
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
                )
            )
        elif row.rule == "lower":
            (period,) = periods
            subject = baseline_share(pwt, row.country, period)
            others = {p: baseline_share(pwt, p, period) for p in peers}
            detail = ", ".join(f"{p} {v:.1f}%" for p, v in others.items())
            values.append(
                ClaimValue(
                    row.claim_id,
                    f"tfp_share_gap_to_peer_median.{row.country}.{period}.baseline",
                    gap_to_median(subject, list(others.values())),
                    row.unit,
                    f"{period}, baseline ({baseline}); median of {', '.join(peers)}",
                    note=f"{row.country} {subject:.1f}% against {detail} (percentage points)",
                )
            )
        else:
            raise DataError(f"Claim {row.claim_id} has rule {row.rule!r}, which the growth chapter cannot compute.")
    return values
