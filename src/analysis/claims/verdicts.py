"""The verdict rules of the claims ledger: the vocabulary, the one tolerance rule and the judging.

Every claim has a row in ``data/raw/verdict_rules.csv`` that fixes, from the claim's own words,
*how* it is judged: the rule (what kind of check), the basis (which year, series and
specification is compared) and, for claims the data here cannot settle, the source that would.
The rules were written on 2026-12-01, after a first full pass over the data (2026-11-24); every
later change is a dated row of ``data/raw/verdict_rules_history.csv`` with the verdict before and
after (:mod:`analysis.claims.rule_history`). The notebooks compute each claim's value **at its
basis** and record it; they may also record what a search over :data:`SEARCH_SPACE` finds, which
the ledger reports but never uses to reach ``reproduced``. One tolerance rule (:func:`tolerance`)
serves the whole ledger.

The vocabulary (:data:`MEANINGS`) is fixed and defined here once; the ledger page and
``python -m analysis claims --help`` print it from here.
"""

from __future__ import annotations

import math
import re

MEANINGS: dict[str, str] = {
    "reproduced": "The value at the claim's ruled basis is within the tolerance of the claim.",
    "matches-only-when-chosen": (
        "The value at the ruled basis is outside the tolerance, but another year or specification of the "
        "declared search space, chosen after seeing the data, comes within it (shown beside the verdict)."
    ),
    "differs": "The value at the ruled basis, and every searched alternative, is outside the tolerance.",
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
    "on-track": "Target: under every declared trend window and method, the target is reached in time.",
    "borderline": (
        "Target: the declared trend windows, methods or assumptions (e.g. how fast a threshold rises) "
        "disagree on whether it is reached."
    ),
    "off-track": "Target: under every declared trend window and method, the target is missed.",
    "missed": "Target: its year is already observed and the target was not met.",
    "no-data": (
        "Target: the sources here have no (or too few) observations of the target's series for the economy "
        "asked for (the tracker run for another economy than Viet Nam)."
    ),
    "below-target": (
        "Target without a trend (a share of growth over a period, not a level that grows): the latest "
        "periods' values are below the target under every declared specification; nothing is projected."
    ),
}
VERDICTS: tuple[str, ...] = tuple(MEANINGS)
TARGET_VERDICTS = ("achieved", "on-track", "borderline", "off-track", "below-target", "missed", "no-data")

# What kind of check a claim gets (column `rule` of verdict_rules.csv) and the verdicts it can give.
RULES: dict[str, tuple[str, ...]] = {
    "measure": ("reproduced", "matches-only-when-chosen", "differs"),
    "direction": ("reproduced", "contradicted"),  # value recorded: the signed change; the claim says it rose
    "lower": ("reproduced", "contradicted"),  # value recorded: claim's subject minus comparator (< 0 = lower)
    "all-of": ("reproduced", "contradicted"),  # a statement that holds only if each of its parts does
    "arithmetic": ("arithmetic-consistent", "arithmetic-inconsistent"),
    "target": ("not-in-these-sources", "no-open-data", "proxy-only", *TARGET_VERDICTS),
    "proxy": ("proxy-only",),
    "not-in-these-sources": ("not-in-these-sources",),
    "no-open-data": ("no-open-data",),
}

# The one search space of the book: what a chapter may search beside a claim's basis. A search is
# reported, never the verdict, and never crosses to a concept the claim's words exclude (a claim
# "according to actual GDP" is never searched in PPP dollars).
SEARCH_SPACE: dict[str, str] = {
    "years": "every observed year of the claim's own series that its words leave open (a stated year is not searched)",
    "specifications": (
        "the declared growth-accounting grid: fixed labour shares 2/3, 0.6 and 0.5 × labour inputs persons, "
        "persons × human capital and persons × hours × human capital (capital stock rnna); "
        "never for figures the chapter fits the method to "
        "(the official Viet Nam TFP shares)"
    ),
}

# Relative bounds of the one tolerance rule (see `tolerance`).
REVISION_ALLOWANCE = 0.01
CEILING = 0.10
# Qualifiers in the words just before a number, and the band each gives (see `tolerance`).
# Order matters: "not less than" must be read before "less than", "at least" before "least".
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("at-least", r"\b(?:at least|not less than|no less than|more than|over|above|exceed(?:s|ing)?)\s+$"),
    ("at-most", r"\b(?:less than|under|below|no more than|not more than|at most|top)\s+$"),
    ("below", r"\b(?:nearly|almost|close to)\s+$"),
    ("both", r"\b(?:about|around|approximately|roughly|some)\s+$"),
)
# The upper end of a range ("about 20 - 30%", "2-3 generations") takes the qualifier of its lower end.
_RANGE_START = r"(\d[\d.,]*)\s*%?\s*[-–]\s*$"

TOLERANCE_RULE = (
    "A numeric claim is reproduced when the value at its ruled basis lies within half a unit of the "
    "last digit the claim states (its own rounding: 7.4 is judged at ±0.05), widened to "
    f"{REVISION_ALLOWANCE:.0%} of the claim to allow for routine data revisions, and never wider than "
    f"{CEILING:.0%} of the claim (so '3 times' is judged at ±0.3, not ±0.5). Qualifiers are read literally: "
    f"'about X' is judged at ±{CEILING:.0%} (both ends of 'about X – Y'); 'nearly X' at [X − {CEILING:.0%}, X]; "
    "'at least', 'more than', 'over', 'above' and 'exceed' X at X or more; 'less than', 'under', 'below' "
    "and 'top' X at X or less. A date, a calendar year or an ordinal (a congress's number) is judged exactly."
)
# Units whose values are labels, not measurements: no rounding or revision allowance applies.
EXACT_UNITS = ("date", "year", "ordinal")


def agreement(verdicts: list[str] | tuple[str, ...]) -> str:
    """One verdict from the verdicts of several declared assumptions (trend windows, methods, rates,
    specifications): the one they all give, or ``borderline`` where they disagree."""
    if not verdicts:
        raise ValueError("agreement() needs at least one verdict.")
    return verdicts[0] if len(set(verdicts)) == 1 else "borderline"


def decimals(printed: str) -> int:
    """Digits after the decimal point of a number as printed in the source (``"7.4"`` → 1, ``"1,600"`` → 0)."""
    text = printed.replace(",", "").strip()
    return len(text.split(".")[1]) if "." in text else 0


def qualifier(quote: str, printed: str) -> str:
    """How the words just before ``printed`` in ``quote`` qualify it, or ``""`` when they do not.

    ``"at-least"`` (X or more), ``"at-most"`` (X or less), ``"below"`` (nearly X), ``"both"``
    (about X). The upper end of a range inherits its lower end's qualifier: in "about 20 - 30%" both
    numbers are "about".
    """
    position = quote.find(printed)
    if position < 0:
        return ""
    before = quote[:position]
    range_start = re.search(_RANGE_START, before)
    if range_start:
        before = before[: range_start.start()]
    return next((side for side, pattern in _QUALIFIERS if re.search(pattern, before, re.IGNORECASE)), "")


def tolerance(claimed: float, printed: str, quote: str = "") -> tuple[float, float]:
    """The band ``(low, high)`` within which a value reproduces ``claimed``, by :data:`TOLERANCE_RULE`.

    One-sided qualifiers give an infinite end (``"more than 55%"`` → ``(55, inf)``).
    """
    size = abs(claimed)
    side = qualifier(quote, printed) if quote else ""
    if side == "at-least":
        return claimed, math.inf
    if side == "at-most":
        return -math.inf, claimed
    if side:
        width = CEILING * size
        return claimed - width, claimed + (0.0 if side == "below" else width)
    half_unit = 0.5 * 10 ** (-decimals(printed))
    width = min(max(half_unit, REVISION_ALLOWANCE * size), CEILING * size)
    return claimed - width, claimed + width


def exact(claimed: float) -> tuple[float, float]:
    """The band of a date (``YYYYMMDD``), calendar year or ordinal: the value itself (±0.5 of a unit)."""
    return claimed - 0.5, claimed + 0.5


def within(value: float, band: tuple[float, float]) -> bool:
    return not math.isnan(value) and band[0] - 1e-12 <= value <= band[1] + 1e-12


def judge(
    rule: str,
    band: tuple[float, float],
    value: float = math.nan,
    search_value: float = math.nan,
    target_verdict: str = "",
    parts: tuple[str, ...] = (),
) -> str:
    """The verdict that ``rule`` gives for a recorded ``value`` (and searched alternative, reported only).

    ``parts`` are the verdicts of an ``all-of`` claim's components. ``""`` when the rule needs a
    value that no notebook has recorded yet.
    """
    if rule not in RULES:
        raise ValueError(f"Unknown rule {rule!r}; allowed: {', '.join(RULES)}.")
    if rule in ("proxy", "not-in-these-sources", "no-open-data"):
        return rule if rule != "proxy" else "proxy-only"
    if rule == "target":
        return target_verdict
    if rule == "all-of":
        if not parts or "" in parts:
            return ""
        return "reproduced" if all(p == "reproduced" for p in parts) else "contradicted"
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
