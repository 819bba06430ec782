"""Words for time distances: table cells and phrases that never print a bound as a plain number.

Numbers go through :mod:`analysis.style.format` (years as whole numbers, plurals that agree).
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.style import format as f

from .compute import LESS_THAN, MORE_THAN, NO_DATA


def _missing(value: float | None) -> bool:
    return value is None or pd.isna(value)


def format_distance(years_behind: float, censored: str, digits: int = 0) -> str:
    """A table cell: ``12``, ``>32`` (lower bound), ``<-1`` (upper bound) or ``–`` (no data)."""
    if censored == NO_DATA or _missing(years_behind):
        return "–"
    return {MORE_THAN: ">", LESS_THAN: "<"}.get(censored, "") + f.number(years_behind, digits)


def format_generation_range(low: float, high: float, censored: str, digits: int = 1) -> str:
    """A range of generations: ``1.9 to 4.0``, ``at least 2.2`` (more-than), ``at most 0.0`` (less-than)."""
    if censored == NO_DATA or (_missing(low) and _missing(high)):
        return "–"
    if censored == MORE_THAN:
        return f"at least {f.number(low, digits)}"
    if censored == LESS_THAN:
        return f"at most {f.number(high, digits)}"
    return f"{f.number(low, digits)} to {f.number(high, digits)}"


def format_reference_year(year: float, years_behind: float, censored: str) -> str:
    """The calendar year in which the reference reached the level: ``2014`` (crossing at 2014.2),
    ``before 1991`` (more-than), ``after 2024`` (less-than)."""
    if censored == NO_DATA or _missing(years_behind):
        return "–"
    reached = float(year) - float(years_behind)
    if censored == MORE_THAN:
        return f"before {f.year(round(reached))}"
    if censored == LESS_THAN:
        return f"after {f.year(round(reached))}"
    return f.year(math.floor(reached + 1e-9))  # the interpolated crossing falls during this year


def describe_years(years_behind: float, censored: str, digits: int = 0) -> str:
    """Prose: "19 years behind", "more than 33 years behind", "ahead by at least 1 year"…

    Bounds are whole years (differences between observed years), so they are written without decimals.
    """
    if censored == NO_DATA or _missing(years_behind):
        return "not measurable (no data)"
    places = 0 if censored in (MORE_THAN, LESS_THAN) else digits
    years = f.quantity(abs(float(years_behind)), "year", places)
    if censored == MORE_THAN:
        return f"more than {years} behind"
    if censored == LESS_THAN:
        if years_behind == 0:
            return "ahead (the reference has not reached this level in its data)"
        return f"ahead by at least {years}" if years_behind < 0 else f"less than {years} behind"
    return f"{years} behind" if years_behind >= 0 else f"ahead by {years}"


# --------------------------------------------------------------------------- sentences that depend on the data

_RELATION_WORDS = {"within": "lies within", "overlaps": "overlaps", "below": "lies below", "above": "lies above"}


def relation_words(relation: str) -> str:
    """``"lies within"``, ``"overlaps"``, ``"lies below"`` or ``"lies above"`` (see :func:`.generation.relation`)."""
    if relation not in _RELATION_WORDS:
        raise ValueError(f"Unknown relation {relation!r}; allowed: {', '.join(_RELATION_WORDS)}.")
    return _RELATION_WORDS[relation]


def same_order(relation: str) -> bool:
    """Whether a range of generations is "the same order of magnitude" as the claim: it meets it."""
    return relation in ("within", "overlaps")


def conclusion_comparison(
    country_name: str,
    is_paper_country: bool,
    claimed: str,
    band_range: str,
    band_relation: str,
    implied_range: str,
    implied_lengths: str,
    implied_relation: str,
    paper_distance: str,
    paper_generations: str,
) -> str:
    """The conclusion's comparison with the paper's "2–3 generations", true for the page's own economy.

    On Viet Nam's page: how the proxy's range over the band and over the lengths the paper implies
    stands to the claim, and "the same order of magnitude" only when the band's range meets it. On
    another economy's page: the claim is Viet Nam's, so it is not compared; Viet Nam's own proxy is given.
    """
    if not is_paper_country:
        return (
            f"The paper's {claimed} generations are a claim about Viet Nam's firms, not {country_name}'s, so this "
            f"page does not compare {country_name} with it; on the same measure Viet Nam is {paper_distance} the "
            f"world average ({paper_generations} generations)."
        )
    order = (
        "the same order of magnitude as the paper's"
        if same_order(band_relation)
        else f"not the same order of magnitude: it {relation_words(band_relation)} the paper's"
    )
    return (
        f"Over the band of generation lengths that is {band_range} generations, {order} {claimed} generations; "
        f"at the {implied_lengths} years a generation that the paper's own statements imply it is "
        f"{implied_range} generations, which {relation_words(implied_relation)} the paper's range."
    )


def finding_scope(country_name: str, is_paper_country: bool, claimed: str, paper_generations: str) -> str:
    """The key finding's caveat: a proxy cannot settle a firm-level claim, and the claim is Viet Nam's."""
    if is_paper_country:
        return (
            "This is an economy-wide proxy: it can neither confirm nor refute the paper's claim that most firms "
            f"use technology {claimed} generations behind the world, which is a claim about firms' equipment."
        )
    return (
        f"The paper's claim that most firms use technology {claimed} generations behind the world is about "
        f"Viet Nam, not {country_name}; on the same measure Viet Nam is {paper_generations} generations behind."
    )


def _ranks_text(rank_patents: str, rank_rd: str) -> str:
    return f"resident patenting exceeds that of {rank_patents} of economies and R&D spending that of {rank_rd}"


def finding_paradox(share: str, rank_ht: str, rank_patents: str, rank_rd: str, matched: bool | None) -> str:
    """Key finding on export structure: "only" and "not matched" only when the ranks say so."""
    if matched is None:
        return "The structure of exports cannot be set against domestic invention: a rank is missing."
    start = f"High-technology products are {share} of its manufactured exports, more than in {rank_ht} of economies"
    if matched:
        return f"{start}; its {_ranks_text(rank_patents, rank_rd)}: a similar standing."
    return (
        f"{start}; yet its residents' patent applications per million people exceed those of only {rank_patents} "
        f"of economies, and its R&D spending that of only {rank_rd}."
    )


def conclusion_structure(country_name: str, rank_ht: str, matched: bool | None) -> str:
    """The conclusion's sentence on the export share and domestic invention, true for the page's economy."""
    if matched is None:
        return f"Data are missing to set {country_name}'s high-technology exports against its domestic invention."
    if matched:
        return (
            f"{country_name}'s share of high-technology exports (more than in {rank_ht} of economies) is in line "
            "with its domestic invention and R&D."
        )
    return (
        f"{country_name}'s high share of high-technology exports (more than in {rank_ht} of economies) is not "
        "matched by domestic invention or R&D."
    )


def structure_lead(country_name: str, leader: bool) -> str:
    """The opening of the structure section: a "technology leader" only if the export share ranks high."""
    where = "On one indicator, the share of high-technology products in manufactured exports,"
    if leader:
        return f"{where} {country_name} looks like a technology leader."
    return f"{where} some economies look like technology leaders; {country_name}'s share is not among the highest."


def structure_detail(
    country_name: str, patents_pm: str, rank_patents: str, rd_share: str, rank_rd: str, matched: bool | None
) -> str:
    """Patents and R&D beside the export share; "yet … only" when they do not match it."""
    only, yet = ("only ", "Yet its") if matched is False else ("", "Its")
    return (
        f"{yet} residents filed {patents_pm} patent applications per million people, more than {only}"
        f"{rank_patents} of economies, and {country_name} spent {rd_share} of GDP on R&D, more than {only}{rank_rd}."
    )


def cli_commands(country: str, reference: str, year: int) -> list[str]:
    """The command lines that reproduce the page's cells, for the page's own ``country``."""
    return [
        f"python -m analysis gap --country {country} --reference {reference} --indicator SL.GDP.PCAP.EM.KD "
        f"--year {year} --format csv",
        f"python -m analysis gap --country {country} --reference WLD --reference median "
        "--reference frontier:KOR,JPN,USA --indicator pwt_gdp_per_worker",
        "python -m analysis gap --help   # the indicator ids and the meaning of each censoring flag",
    ]


def claim_reading(country_name: str, is_paper_country: bool, claimed: str, band_relation: str, scope: str) -> str:
    """After the headline range: how it stands to the paper's claim (Viet Nam's page) or whose claim it is."""
    if is_paper_country:
        return f"That range {relation_words(band_relation)} the paper's {claimed} generations."
    return scope


def finding_implied(
    country_name: str, is_paper_country: bool, paper_range: str, relation: str, claimed: str, own_range: str
) -> str:
    """Key finding: Viet Nam's proxy at the generation length the paper implies, and this economy's beside it."""
    start = (
        f"Viet Nam's distance to the world is {paper_range} generations, which {relation_words(relation)} "
        f"the paper's {claimed}"
    )
    if is_paper_country:
        return start + "."
    return f"{start}; {country_name}'s is {own_range} generations, not compared with a claim about Viet Nam."
