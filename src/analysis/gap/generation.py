"""How long a technology generation is, by the paper's own words, and how a range of generations compares.

The paper dates Vietnamese firms' equipment ("over 75% of equipment imported from abroad is of
generation in the 1970s") and puts their technology "about 2-3 generations lower than the world
average". Read together, the two statements imply a generation length: the years between the
equipment's decade and the paper's year, divided by the number of generations. The decade spans
ten years and the paper gives two numbers of generations, so the answer is a range:

    shortest = (paper year - last year of the decade) / most generations
    longest  = (paper year - first year of the decade) / fewest generations

With the paper's year 2023, the 1970s and 2-3 generations: 44 / 3 = 14.7 to 53 / 2 = 26.5 years.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.errors import InputError

# The paper's year: article code 23091401 (2023-09), the year of Nghia2023 in book/references.bib.
PAPER_YEAR = 2023
VINTAGE_CLAIM = "paper.technology.imported_1970s_share"

WITHIN, OVERLAPS, BELOW, ABOVE = "within", "overlaps", "below", "above"
RELATIONS = (WITHIN, OVERLAPS, BELOW, ABOVE)


@dataclass(frozen=True)
class ImpliedGeneration:
    """The generation length implied by an equipment decade, the paper's year and a range of generations."""

    paper_year: int
    decade: int  # first year of the decade the equipment dates from (1970 for "the 1970s")
    generations: tuple[float, float]  # fewest, most generations behind

    @property
    def years_since(self) -> tuple[int, int]:
        """Years from the end and from the start of the decade to the paper's year (fewest, most)."""
        return self.paper_year - (self.decade + 9), self.paper_year - self.decade

    @property
    def length(self) -> tuple[float, float]:
        """Shortest and longest generation length in years (module docstring)."""
        return self.years_since[0] / self.generations[1], self.years_since[1] / self.generations[0]


def decade_in(quote: str) -> int:
    """The first year of the decade a quote names: ``"of generation in the 1970s"`` → 1970."""
    found = re.findall(r"\b(1[89]\d0|20\d0)s\b", quote)
    if len(found) != 1:
        raise InputError(f"Expected one decade (e.g. '1970s') in the quote; found {found or 'none'} in {quote!r}.")
    return int(found[0])


def implied_generation(paper_year: int, decade: int, generations: Sequence[float]) -> ImpliedGeneration:
    """Check and build an :class:`ImpliedGeneration` (the decade must end before the paper's year)."""
    if len(generations) != 2 or min(generations) <= 0:
        raise InputError(f"Give two positive numbers of generations (fewest, most); got {list(generations)!r}.")
    if decade % 10 or decade + 9 >= paper_year:
        raise InputError(f"The decade must be a year ending in 0 that ends before {paper_year}; got {decade!r}.")
    low, high = sorted(float(g) for g in generations)
    return ImpliedGeneration(int(paper_year), int(decade), (low, high))


def relation(implied: Sequence[float], claimed: Sequence[float]) -> str:
    """How a range of generations stands to the claimed one: within, overlaps, below or above.

    An open end is ``inf`` (a lower bound) or ``-inf`` (an upper bound); a single value is a range of one.
    """
    low, high = float(implied[0]), float(implied[1])
    if math.isnan(low) or math.isnan(high):
        raise InputError("A range of generations with no data cannot be compared with the claim.")
    if claimed[0] <= low and high <= claimed[1]:
        return WITHIN
    if high < claimed[0]:
        return BELOW
    if low > claimed[1]:
        return ABOVE
    return OVERLAPS
