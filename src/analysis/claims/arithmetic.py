"""The sources' own arithmetic: totals against their parts, ratios of their own numbers, dates
against the source's own reference list and chronology.

These checks need only the claims table (and, for the decade share of TFP, the GDP growth of the
two periods it averages): a claim whose rule is ``arithmetic`` is ``arithmetic-consistent`` when
the value computed here from the source's other numbers lies within the claim's tolerance band
(:func:`analysis.claims.verdicts.tolerance`; dates, calendar years and ordinals are judged exactly).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.claims.results import COLUMNS
from analysis.errors import DataError

PAPER_DATA_YEAR = 2023  # the paper appeared in 2023 (code 23091401); "until now" means 2023


def _values(claims: pd.DataFrame, pattern: str) -> pd.Series:
    parts = claims[claims["claim_id"].str.fullmatch(pattern)]
    if parts.empty:
        raise DataError(f"No claims match {pattern!r}: the arithmetic check has nothing to add up.")
    return parts.set_index("claim_id")["value"].astype(float)


def _start_year(period: str) -> int:
    found = re.search(r"\b(1[89]\d\d|20\d\d)\b", period)
    if not found:
        raise DataError(f"No start year in {period!r}.")
    return int(found.group(1))


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# The paper's dated documents: the text's date and its reference list's date are two claims each.
DATED_DOCUMENTS = ("circular17", "circular03", "decision569")
TFP_DECADE = "paper.tfp_share.vnm.decade_as_weighted_mean"
# The year or period a check is computed for, where its rule fixes one (results' ``basis_period``).
BASIS_PERIODS = {"paper.industrialization.duration_years": str(PAPER_DATA_YEAR), TFP_DECADE: "2011-2020"}


def numeral(value: int) -> str:
    """``11`` → ``"XI"`` (up to 89), as the paper numbers its congresses."""
    out, rest = "", value
    for size, letters in ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while rest >= size:
            out, rest = out + letters, rest - size
    return out


def roman(numeral: str) -> int:
    """The value of a Roman numeral up to L (``"XIII"`` → 13, ``"IX"`` → 9)."""
    values = [ROMAN[c] for c in numeral.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def date_in(quote: str) -> int:
    """The first English date of ``quote`` as ``YYYYMMDD`` (``"May 15th, 2018"`` → 20180515)."""
    found = re.search(rf"\b({'|'.join(_MONTHS)})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", quote, re.IGNORECASE)
    if not found:
        raise DataError(f"No date (Month Day, Year) in {quote!r}.")
    month = _MONTHS.index(found.group(1).lower()) + 1
    return int(found.group(3)) * 10000 + month * 100 + int(found.group(2))


def congress_years(quote: str) -> dict[int, int]:
    """The congresses a quote lists with their years, by ordinal (``"XI (2011)"`` → ``{11: 2011}``)."""
    return {roman(n): int(y) for n, y in re.findall(r"\b([IVXL]+) \((\d{4})\)", quote)}


def weighted_decade_share(first: float, second: float, growth_first: float, growth_second: float) -> float:
    """A decade's TFP share of growth from its two halves': their mean weighted by each half's GDP growth.

    The share of TFP in growth over a span is the sum of TFP growth over the sum of output growth,
    so the decade's share is ``(s1 g1 + s2 g2) / (g1 + g2)``, with ``g`` each half's summed growth.
    """
    return (first * growth_first + second * growth_second) / (growth_first + growth_second)


def _party_checks(claims: pd.DataFrame) -> list[tuple[str, float, str, str]]:
    quote = claims.set_index("claim_id")["quote"]
    years = congress_years(quote["paper.party.congress_1996_ordinal"])
    later = {n: y for n, y in years.items() if y > 1996}
    cadence = (max(later.values()) - min(later.values())) / (max(later) - min(later))
    first_later = min(later)
    implied = first_later - (later[first_later] - 1996) / cadence
    dated = re.search(r"\((?:\w+ )?(\d{4})\)", quote["paper.party.plenum8_term"])
    if not dated:
        raise DataError(f"No year in brackets in {quote['paper.party.plenum8_term']!r}.")
    plenum_year = int(dated.group(1))
    term = max(n for n, y in years.items() if y <= plenum_year)
    return [
        (
            "paper.party.congress_1996_ordinal",
            implied,
            "the congresses the paper lists after 1996",
            f"one congress every {cadence:g} years: {first_later} − ({later[first_later]} − 1996) ÷ {cadence:g}",
        ),
        (
            "paper.party.plenum8_term",
            float(term),
            "the congress years the paper lists",
            f"the last congress before {plenum_year} is the {numeral(term)} ({years[term]})",
        ),
    ]


def checks(claims: pd.DataFrame, gdp_growth: pd.Series | None = None) -> list[tuple[str, float, str, str]]:
    """``(claim_id, computed value, basis, how)`` for every arithmetic claim of the claims table.

    ``gdp_growth`` (annual real GDP growth of Viet Nam in percent, indexed by year) weights the
    paper's two five-year TFP shares; without it that one check is left out.
    """
    value = claims.set_index("claim_id")["value"].astype(float)
    period = claims.set_index("claim_id")["year_or_period"]
    quote = claims.set_index("claim_id")["quote"]
    out = []
    for circular, total, groups in (
        ("circular17", "criteria", "criteria_groups"),
        ("circular03", "indicators", "indicator_groups"),
    ):
        parts = _values(claims, rf"paper\.{circular}\.group\w+")
        out.append(
            (f"paper.{circular}.{total}", float(parts.sum()), "sum of the groups", " + ".join(f"{v:g}" for v in parts))
        )
        out.append((f"paper.{circular}.{groups}", float(len(parts)), "groups listed", f"{len(parts)} groups listed"))
    start = _start_year(period["paper.industrialization.duration_years"])
    out.append(
        (
            "paper.industrialization.duration_years",
            float(PAPER_DATA_YEAR - start),
            str(PAPER_DATA_YEAR),
            f"{PAPER_DATA_YEAR} − {start}",
        )
    )
    vnm, world = value["paper.rd.vnm_pct_gdp"], value["paper.rd.world_pct_gdp"]
    out.append(
        ("paper.rd.vnm_to_world_ratio", 100 * vnm / world, "the paper's own figures", f"100 × {vnm:g} ÷ {world:g}")
    )
    total, equitised = value["moit.research_institutes.ministry_total"], value["moit.research_institutes.equitised"]
    out.append(
        (
            "moit.research_institutes.under_ministry",
            total - equitised,
            "the interview's own figures",
            f"{total:g} − {equitised:g}",
        )
    )
    groups = value["paper.gii.index_groups"]
    for side, other in (("input", "output"), ("output", "input")):
        listed = len(re.findall(r"\(\d\)", quote[f"paper.gii.{other}_groups"]))
        out.append((f"paper.gii.{side}_groups", groups - listed, "the paper's 7 groups", f"{groups:g} − {listed}"))
    for document in DATED_DOCUMENTS:
        text, listed = f"paper.{document}.date", f"paper.{document}.date.references"
        out.append((text, float(date_in(quote[listed])), "the paper's reference list", quote[listed]))
        out.append((listed, float(date_in(quote[text])), "the paper's text", quote[text]))
    out.extend(_party_checks(claims))
    if gdp_growth is not None:
        first, second = (float(gdp_growth.loc[a:b].sum()) for a, b in ((2011, 2015), (2016, 2020)))
        low, high = value["paper.tfp_share.vnm.2011_2015"], value["paper.tfp_share.vnm.2016_2020"]
        needed = 100 * (high - value[TFP_DECADE]) / (high - low)  # the first half's weight 39.0 implies
        out.append(
            (
                TFP_DECADE,
                weighted_decade_share(low, high, first, second),
                "2011-2020, weights from WDI GDP growth",
                f"({low:g} × {first:.1f} + {high:g} × {second:.1f}) ÷ ({first:.1f} + {second:.1f}); "
                f"{value[TFP_DECADE]:.1f} needs {needed:.1f} % of the decade's growth in "
                f"2011–2015, the data give {100 * first / (first + second):.1f} %",
            )
        )
    return out


def results(claims: pd.DataFrame, gdp_growth: pd.Series | None = None) -> pd.DataFrame:
    """The arithmetic checks as rows of a results table (notebook ``arithmetic``)."""
    unit = claims.set_index("claim_id")["unit"]
    rows = [
        {
            "result_id": f"arithmetic.{claim_id}",
            "value": computed,
            "unit": unit[claim_id],
            "notebook": "arithmetic",
            "parameters": "{}",
            "claim_id": claim_id,
            "basis_used": basis,
            "basis_period": BASIS_PERIODS.get(claim_id, ""),
            "search_value": float("nan"),
            "search_basis": "",
            "note": how,
        }
        for claim_id, computed, basis, how in checks(claims, gdp_growth)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)
