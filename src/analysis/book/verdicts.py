"""The verdict rules of the claims ledger, written before any data is read.

Every claim has a row in ``data/raw/verdict_rules.csv`` that fixes, from the claim's own words,
*how* it is judged: the rule (what kind of check), the basis (which year, series and
specification is compared) and, for claims the data here cannot settle, the source that would.
The notebooks compute each claim's value **at that basis** and record it; they may also record
what a search over years or specifications finds, which the ledger reports but never uses to
reach ``reproduced``. One tolerance rule (:func:`tolerance`) serves the whole ledger.

The vocabulary (:data:`MEANINGS`) is fixed and defined here once; the ledger page and
``python -m analysis claims --help`` print it from here.
"""

from __future__ import annotations

import math
import re

MEANINGS: dict[str, str] = {
    "reproduced": "The value at the pre-registered basis is within the tolerance of the claim.",
    "matches-only-when-chosen": (
        "The value at the pre-registered basis is outside the tolerance, but a year or specification "
        "chosen after seeing the data comes within it (shown beside the verdict)."
    ),
    "differs": "The value at the pre-registered basis, and every searched alternative, is outside the tolerance.",
    "contradicted": "The data show the opposite direction or ordering to the one the claim states.",
    "arithmetic-consistent": "The source's own numbers add up (e.g. groups that sum to the stated total).",
    "arithmetic-inconsistent": "The source's own numbers do not add up.",
    "proxy-only": (
        "Only an economy-wide proxy for the claim's quantity (e.g. a firm-level one) is open; "
        "the proxy is shown but cannot confirm or refute the claim."
    ),
    "not-in-these-sources": "Open data that would settle the claim exists (named) but is not in this compendium.",
    "no-open-data": "No open, comparable data can settle the claim (administrative counts, rankings, definitions).",
    "achieved": "Target: the latest observation already meets the target.",
    "on-track": "Target: under every pre-registered trend window and method, the target is reached in time.",
    "borderline": "Target: the pre-registered trend windows or methods disagree on whether it is reached.",
    "off-track": "Target: under every pre-registered trend window and method, the target is missed.",
}
VERDICTS: tuple[str, ...] = tuple(MEANINGS)
TARGET_VERDICTS = ("achieved", "on-track", "borderline", "off-track")

# What kind of check a claim gets (column `rule` of verdict_rules.csv) and the verdicts it can give.
RULES: dict[str, tuple[str, ...]] = {
    "measure": ("reproduced", "matches-only-when-chosen", "differs"),
    "direction": ("reproduced", "contradicted"),  # value recorded: the signed change; the claim says it rose
    "lower": ("reproduced", "contradicted"),  # value recorded: claim's subject minus comparators (< 0 = lower)
    "arithmetic": ("arithmetic-consistent", "arithmetic-inconsistent"),
    "target": ("not-in-these-sources", "no-open-data", "proxy-only", *TARGET_VERDICTS),
    "proxy": ("proxy-only",),
    "not-in-these-sources": ("not-in-these-sources",),
    "no-open-data": ("no-open-data",),
}

# Relative bounds of the one tolerance rule (see `tolerance`).
REVISION_ALLOWANCE = 0.01
CEILING = 0.10
# Qualifiers that make a claim approximate, and the side of the number they allow.
_APPROXIMATE = {
    "both": r"\b(?:about|around|approximately|roughly|some)\s+$",
    "below": r"\b(?:nearly|almost|close to)\s+$",
    "above": r"\b(?:over|more than|above|exceeding)\s+$",
}

TOLERANCE_RULE = (
    "A numeric claim is reproduced when the value at its pre-registered basis lies within half a unit of the "
    "last digit the claim states (its own rounding: 7.4 is judged at ±0.05), widened to "
    f"{REVISION_ALLOWANCE:.0%} of the claim to allow for routine data revisions, and never wider than "
    f"{CEILING:.0%} of the claim (so '3 times' is judged at ±0.3, not ±0.5). A claim qualified by 'about' is "
    f"judged at ±{CEILING:.0%}; 'nearly X' at [X − {CEILING:.0%}, X]; 'over X' at [X, X + {CEILING:.0%}]."
)


def decimals(printed: str) -> int:
    """Digits after the decimal point of a number as printed in the source (``"7.4"`` → 1, ``"1,600"`` → 0)."""
    text = printed.replace(",", "").strip()
    return len(text.split(".")[1]) if "." in text else 0


def qualifier(quote: str, printed: str) -> str:
    """``"both"``, ``"below"`` or ``"above"`` when the number is qualified as approximate in its quote, else ``""``."""
    position = quote.find(printed)
    if position < 0:
        return ""
    before = quote[:position]
    return next((side for side, pattern in _APPROXIMATE.items() if re.search(pattern, before, re.IGNORECASE)), "")


def tolerance(claimed: float, printed: str, quote: str = "") -> tuple[float, float]:
    """The band ``(low, high)`` within which a value reproduces ``claimed``, by :data:`TOLERANCE_RULE`."""
    size = abs(claimed)
    side = qualifier(quote, printed) if quote else ""
    if side:
        width = CEILING * size
        return (
            claimed - (0.0 if side == "above" else width),
            claimed + (0.0 if side == "below" else width),
        )
    half_unit = 0.5 * 10 ** (-decimals(printed))
    width = min(max(half_unit, REVISION_ALLOWANCE * size), CEILING * size)
    return claimed - width, claimed + width


def within(value: float, band: tuple[float, float]) -> bool:
    return not math.isnan(value) and band[0] - 1e-12 <= value <= band[1] + 1e-12


def judge(
    rule: str,
    claimed: float,
    band: tuple[float, float],
    value: float = math.nan,
    search_value: float = math.nan,
    target_verdict: str = "",
) -> str:
    """The verdict that ``rule`` gives for a recorded ``value`` (and searched alternative, reported only).

    ``""`` when the rule needs a value that no notebook has recorded yet.
    """
    if rule not in RULES:
        raise ValueError(f"Unknown rule {rule!r}; allowed: {', '.join(RULES)}.")
    if rule in ("proxy", "not-in-these-sources", "no-open-data"):
        return rule if rule != "proxy" else "proxy-only"
    if rule == "target":
        return target_verdict
    if math.isnan(value):
        return ""
    if rule == "measure":
        if within(value, band):
            return "reproduced"
        return "matches-only-when-chosen" if within(search_value, band) else "differs"
    if rule == "arithmetic":
        return "arithmetic-consistent" if within(value, band) else "arithmetic-inconsistent"
    if rule == "direction":
        return "reproduced" if value > 0 else "contradicted"
    return "reproduced" if value < 0 else "contradicted"  # "lower"
