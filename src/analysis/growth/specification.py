"""What a growth-accounting calculation assumes: the periods and the one specification object.

A :class:`Specification` fixes the three choices that nobody can observe directly: the labour
share (a fixed number, or PWT's ``labsh`` averaged over adjacent years), what counts as labour
input and which capital series is used. Every function of :mod:`analysis.growth` takes one.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from fractions import Fraction

from analysis.errors import InputError, available

PWT_LABOUR_SHARE = "pwt"
LABOUR_INPUTS: dict[str, str] = {
    "emp": "persons employed (emp)",
    "emp_hc": "persons × human capital (emp × hc)",
    "emp_avh_hc": "persons × hours × human capital (emp × avh × hc)",
}
CAPITAL_MEASURES: dict[str, str] = {
    "rnna": "capital stock at constant national prices (rnna)",
    "rkna": "capital services at constant national prices (rkna)",
}
# PWT variables behind each labour input (avh is completed by hours_per_worker, never required).
LABOUR_VARIABLES: dict[str, list[str]] = {"emp": ["emp"], "emp_hc": ["emp", "hc"], "emp_avh_hc": ["emp", "avh", "hc"]}


@dataclass(frozen=True)
class Period:
    """Years ``start`` to ``end`` inclusive; each year's growth is measured over the year before."""

    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))


def parse_period(text: str | Period) -> Period:
    """``"2011-2015"`` → ``Period(2011, 2015)``; a single year ``"2020"`` is ``2020-2020``."""
    if isinstance(text, Period):
        return text
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", str(text))
    if not match:
        raise InputError(
            f"Cannot read the period {text!r}: write it as START-END, e.g. 2011-2015 (or one year, e.g. 2020)."
        )
    start, end = int(match.group(1)), int(match.group(2) or match.group(1))
    if end < start:
        raise InputError(f"The period {text!r} ends before it starts; write it as START-END, e.g. 2011-2015.")
    return Period(start, end)


def parse_periods(periods: str | list[str | Period]) -> list[Period]:
    """A comma-separated string or a list of periods, each read by :func:`parse_period`."""
    items = [p for p in periods.split(",") if p.strip()] if isinstance(periods, str) else list(periods)
    if not items:
        raise InputError("Give at least one period, e.g. 2011-2015,2016-2020.")
    return [parse_period(p) for p in items]


def parse_labour_share(value: str | float) -> float | str:
    """``"pwt"`` (PWT's labsh, Törnqvist-averaged) or a fixed share in (0, 1), e.g. ``0.6667`` or ``2/3``."""
    if isinstance(value, str) and value.strip().lower() == PWT_LABOUR_SHARE:
        return PWT_LABOUR_SHARE
    try:
        share = float(Fraction(str(value).strip())) if isinstance(value, str) else float(value)
    except (ValueError, ZeroDivisionError):
        raise InputError(
            f"Cannot read the labour share {value!r}: give a number between 0 and 1 (e.g. 0.6667 or 2/3) or 'pwt'."
        ) from None
    if not 0 < share < 1:
        raise InputError(
            f"The labour share must be between 0 and 1 (exclusive); got {share:g}. Or give 'pwt' for PWT's labsh."
        )
    return share


@dataclass(frozen=True)
class Specification:
    """One growth-accounting specification: labour share, labour input and capital measure.

    The labour share is read by :func:`parse_labour_share` (``"2/3"``, ``0.6``, ``"pwt"``); an
    unknown labour input or capital measure is an :class:`InputError` listing the allowed ones.
    """

    labour_share: float | str = 2 / 3
    labour_input: str = "emp_hc"
    capital: str = "rnna"

    def __post_init__(self) -> None:
        object.__setattr__(self, "labour_share", parse_labour_share(self.labour_share))
        if self.labour_input not in LABOUR_INPUTS:
            raise InputError(f"Unknown labour input {self.labour_input!r}. Allowed: {available(LABOUR_INPUTS)}.")
        if self.capital not in CAPITAL_MEASURES:
            raise InputError(f"Unknown capital measure {self.capital!r}. Allowed: {available(CAPITAL_MEASURES)}.")

    @property
    def uses_pwt_share(self) -> bool:
        """Whether the weight is PWT's ``labsh``, averaged over adjacent years (Törnqvist)."""
        return self.labour_share == PWT_LABOUR_SHARE

    @property
    def variables(self) -> list[str]:
        """The PWT variables the specification reads."""
        return [
            "rgdpna",
            self.capital,
            *LABOUR_VARIABLES[self.labour_input],
            *(["labsh"] if self.uses_pwt_share else []),
        ]

    def describe(self) -> str:
        """In a reader's words, e.g. ``fixed labour share 0.667 · labour: persons × human capital ·
        capital: capital stock`` (the PWT variable names are in :data:`LABOUR_INPUTS` and the method text)."""
        share = (
            "PWT's own labour shares (Törnqvist)"
            if self.uses_pwt_share
            else f"fixed labour share {self.labour_share:.3g}"
        )
        labour = LABOUR_INPUTS[self.labour_input].split(" (")[0]
        capital = CAPITAL_MEASURES[self.capital].split(" at ")[0]
        return f"{share} · labour: {labour} · capital: {capital}"

    def replace(self, **changes) -> Specification:
        """A copy with some choices changed (checked like a new one)."""
        return dataclasses.replace(self, **changes)


# The textbook benchmark of Hall and Jones (1999): capital share 1/3, labour adjusted for hc.
BASELINE = Specification(2 / 3, "emp_hc", "rnna")
# The specification that reproduces PWT's rtfpna (see tests/test_growth.py).
PWT_METHOD = Specification(PWT_LABOUR_SHARE, "emp_avh_hc", "rkna")


# The declared specification grid of the whole book: the search space beside every TFP claim
# (analysis.claims.verdicts.SEARCH_SPACE) and the range a headline is shown with. Three labour
# shares a referee would call plausible for an economy like Viet Nam's, times the three labour inputs.
GRID_LABOUR_SHARES = (2 / 3, 0.6, 0.5)
DECLARED_GRID: tuple[Specification, ...] = tuple(
    Specification(share, labour_input, "rnna") for share in GRID_LABOUR_SHARES for labour_input in LABOUR_INPUTS
)
