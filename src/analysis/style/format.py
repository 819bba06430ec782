"""How numbers, years, names and plurals are written in the book: one place, used by every glue call.

House style (the only one):

- country names: readable English names from the processed ``countries`` table (World Bank names),
  with the inverted official forms turned round: ``"Viet Nam"``, ``"Korea"`` (never "Korea, Rep." or
  "Republic of Korea"), ``"Egypt"``; lists read ``"Korea, China and Thailand"``;
- years are whole numbers (``2019``), periods ``2011–2015`` (en dash); a fractional year is an error;
- counts have no decimals and take thousands separators (``7``, ``1,234``);
- percentages carry the sign without a space: ``0.41%``;
- plurals agree with the number: ``1 target``, ``2 targets``, ``1 is``, ``2 are``;
- never scientific notation, never ``nan`` (missing values read ``n/a``), never ``-0.0``.

These functions return plain strings and import nothing from IPython, so they can be used anywhere
(command-line tables, reports, figure labels). :mod:`analysis.style.display` glues them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache

import pandas as pd

from analysis.countries import check_code
from analysis.errors import InputError

MISSING = "n/a"
PERCENT = "%"  # no space before the sign: "0.41%"
DASH = "–"  # en dash for ranges: 2011–2015

# World Bank names that are inverted ("Korea, Rep.") or that would be ambiguous once shortened.
# Keys are ISO3 codes, so a renamed WDI row cannot silently change a page.
READABLE_NAMES: dict[str, str] = {
    "KOR": "Korea",
    "PRK": "Democratic People's Republic of Korea",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "EGY": "Egypt",
    "IRN": "Iran",
    "YEM": "Yemen",
    "VEN": "Venezuela",
    "GMB": "The Gambia",
    "BHS": "The Bahamas",
    "FSM": "Micronesia",
    "HKG": "Hong Kong SAR, China",
    "MAC": "Macao SAR, China",
    "SOM": "Somalia",
    "VNM": "Viet Nam",
}


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas' missing markers."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# Numbers


def _fixed(value: float, digits: int) -> str:
    """Fixed decimals with thousands separators; a value that rounds to zero loses its minus sign."""
    text = f"{float(value):,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return text


def number(value: float | None, digits: int = 1) -> str:
    """A number for prose: fixed decimals and thousands separators (``1,234.5``); ``n/a`` when missing.

    Never scientific notation: ``number(1.8e-07, 2)`` is ``"0.00"`` (use :func:`significant` for
    values too small for the chosen decimals).
    """
    if is_missing(value):
        return MISSING
    if digits < 0:
        raise InputError(f"digits must be 0 or more, not {digits}.")
    return _fixed(float(value), digits)


def significant(value: float | None, figures: int = 2) -> str:
    """A number to ``figures`` significant figures, written out in full (``1.8e-07`` → ``0.00000018``)."""
    if is_missing(value):
        return MISSING
    if figures < 1:
        raise InputError(f"figures must be 1 or more, not {figures}.")
    value = float(value)
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    places = figures - 1 - exponent  # negative: round to tens, hundreds, ...
    rounded = round(value, places)
    text = format(Decimal(repr(float(rounded))), f",.{max(places, 0)}f")
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


def count(value: float | int | None) -> str:
    """A count: no decimals, thousands separators (``7``, ``1,234``). A fractional count is an error."""
    if is_missing(value):
        return MISSING
    if float(value) != round(float(value)):
        raise InputError(f"A count must be a whole number, not {value!r}.")
    return f"{round(float(value)):,d}"


def percent(value: float | None, digits: int = 1, *, share: bool = False) -> str:
    """A percentage in the house style, ``0.41%``; ``share=True`` when ``value`` is a fraction (0.0041)."""
    if is_missing(value):
        return MISSING
    return number(100 * float(value) if share else float(value), digits) + PERCENT


def signed(value: float | None, digits: int = 1) -> str:
    """A change with its sign always shown (``+1.2``, ``-0.4``, ``0.0``)."""
    if is_missing(value):
        return MISSING
    text = number(value, digits)
    return text if text.startswith("-") or float(text.replace(",", "")) == 0 else "+" + text


def tidy(text: str) -> str:
    """Prose written by code, in the house style: a spaced percent sign after a number is closed up.

    ``"0.41 % and 2 %"`` → ``"0.41% and 2%"``.
    """
    return re.sub(r"(\d)[ \u00a0\u202f]+%", r"\1%", text)


# ---------------------------------------------------------------------------------------------
# Years


def year(value: float | int | str | None) -> str:
    """A year as a whole number (``2019.0`` → ``"2019"``). ``2014.2`` is an error, never printed."""
    if is_missing(value):
        return MISSING
    try:
        number_ = float(value)
    except (TypeError, ValueError):
        raise InputError(f"A year must be a whole number such as 2019, not {value!r}.") from None
    if number_ != round(number_):
        raise InputError(f"A year must be a whole number such as 2019, not {value!r}.")
    return str(round(number_))


def year_range(start: float | int | str, end: float | int | str) -> str:
    """A period, ``2011–2015`` (en dash); a single year when start equals end."""
    first, last = year(start), year(end)
    return first if first == last else f"{first}{DASH}{last}"


def years_list(values: Iterable[float | int], conjunction: str | None = "and", empty: str = "") -> str:
    """Years in prose, runs collapsed: ``[2016, 2017, 2018, 2020]`` → ``"2016–2018 and 2020"`` (any order).

    ``conjunction=None`` lists every run with commas (``"2002, 2011, 2013–2015"``, as in error
    messages and tables); ``empty`` is what no years read as.
    """
    ordered = sorted({int(year(v)) for v in values if not is_missing(v)})
    runs: list[list[int]] = []
    for y in ordered:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    spans = [year_range(r[0], r[-1]) for r in runs]
    if not spans:
        return empty
    return join(spans, conjunction) if conjunction else ", ".join(spans)


def years_span(values: Iterable[float | int]) -> str:
    """The years observed, runs collapsed and comma-separated (``"2002, 2011, 2013–2015"``; ``"none"``)."""
    return years_list(values, conjunction=None, empty="none")


# ---------------------------------------------------------------------------------------------
# Words


def plural(noun: str) -> str:
    """The regular English plural: ``target`` → ``targets``, ``economy`` → ``economies``, ``index`` → ``indexes``."""
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", noun):
        return noun + "es"
    return noun + "s"


def agree(value: float | int, singular: str, plural_form: str | None = None) -> str:
    """The word that agrees with ``value``: ``agree(1, "is", "are")`` → ``"is"``; default plural is regular."""
    return singular if _is_one(value) else (plural_form or plural(singular))


def _is_one(value: float | int) -> bool:
    return not is_missing(value) and float(value) == 1


def counted(value: float | int | None, noun: str, plural_form: str | None = None) -> str:
    """A count with its noun: ``"1 target"``, ``"2 targets"``, ``"1,200 economies"``."""
    return f"{count(value)} {agree(value, noun, plural_form)}"


def quantity(value: float | None, unit: str, digits: int = 0, plural_form: str | None = None) -> str:
    """A measured amount with its unit: ``"50 years"``, ``"1 year"``, ``"2.5 years"``.

    The unit is singular only when the printed number is exactly ``1``.
    """
    if is_missing(value):
        return MISSING
    text = number(value, digits)
    return f"{text} {unit if text == '1' else (plural_form or plural(unit))}"


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """``["a"]`` → ``"a"``; ``["a", "b"]`` → ``"a and b"``; ``["a", "b", "c"]`` → ``"a, b and c"``."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


# ---------------------------------------------------------------------------------------------
# Country names


def readable(iso3: str, official: str) -> str:
    """The name the book prints for one economy, given its World Bank name."""
    if iso3 in READABLE_NAMES:
        return READABLE_NAMES[iso3]
    return official


@cache
def _names_from_table() -> Mapping[str, str]:
    from analysis.data import load

    table = load("countries")
    return {row.iso3: readable(row.iso3, row.country) for row in table.itertuples()}


def names_table(countries: pd.DataFrame | None = None) -> Mapping[str, str]:
    """ISO3 → readable name, from ``countries`` (columns ``iso3``, ``country``) or the processed table."""
    if countries is None:
        return _names_from_table()
    missing = {"iso3", "country"} - set(countries.columns)
    if missing:
        raise InputError(f"The countries table needs columns iso3 and country; missing: {', '.join(sorted(missing))}.")
    return {row.iso3: readable(row.iso3, row.country) for row in countries.itertuples()}


def country(iso3: str, names: Mapping[str, str] | None = None) -> str:
    """The readable name of one economy: ``country("VNM")`` → ``"Viet Nam"``, ``"KOR"`` → ``"Korea"``."""
    names = names_table() if names is None else names
    return names[check_code(iso3, names, "the countries table")]


def countries(codes: Sequence[str] | str, names: Mapping[str, str] | None = None, conjunction: str = "and") -> str:
    """Readable names joined for prose: ``"KOR,CHN,THA"`` → ``"Korea, China and Thailand"``."""
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    return join([country(c, names) for c in items if str(c).strip()], conjunction)


# ---------------------------------------------------------------------------------------------
# Values with units (the results tables' units)


def with_unit(value: float | None, unit: str, digits: int | None = None) -> str:
    """A recorded value in words, by its unit: ``(7, "count")`` → ``"7"``; ``(0.41, "percent")`` → ``"0.41%"``.

    ``digits`` defaults to 0 for counts and years, 1 otherwise (2 for values below 1 in magnitude,
    so small percentages keep their meaning).
    """
    if is_missing(value):
        return MISSING
    unit_key = unit.strip().lower()
    if unit_key in {"count", "number", "n"}:
        return count(value)
    if unit_key in {"year", "calendar year"}:
        return year(value)
    if unit_key in {"share", "fraction"}:
        value, unit_key = 100 * float(value), "percent"
    if digits is None:
        digits = 2 if abs(float(value)) < 1 else 1
    if unit_key in {"percent", "%", "pct"}:
        return percent(value, digits)
    if unit_key.startswith("% ") or unit_key.startswith("percent "):
        return f"{percent(value, digits)} {unit.split(' ', 1)[1]}"
    if unit_key in {"years", "year(s)"}:
        return quantity(value, "year", digits if float(value) != round(float(value)) else 0)
    return f"{number(value, digits)} {unit}"
