"""What notebooks show: glued numbers, sentences, tables and figures, all written in the house style.

Every string goes through :mod:`analysis.style.format` (names, years, counts, percentages,
plurals), so a page cannot print ``VNM``, ``2014.2``, ``7.00 count``, ``1.8e-07`` or ``nan``.

In the Markdown of a chapter:

- a single number or name glued here goes in with ``{glue:text}`key``` (MyST-NB prints glued
  text in bold, so only that number is bold);
- a glued sentence or paragraph goes in with ``{glue:md}`key``` (never bold as a whole; numbers
  glued with :func:`glue_sentence` are bold in it, nothing else is);
- figures and tables are glued with :func:`glue_figure` / :func:`glue_table` and show nothing
  where they are made. A figure is placed with ``{glue:figure}`` (number via ``:name:``, alt text via
  ``:alt:``, caption as its content); a table with a ``{table}`` directive around ``{glue:md}``
  (numbered "Table N", caption as its argument)::

      ```{glue:figure} fig_years_behind
      :name: fig-years-behind
      :alt: Heat map of the years Viet Nam is behind each reference economy

      Years behind, by indicator and reference.
      ```

      ````{table} Years behind, by indicator and reference.
      :name: tbl-years-behind
      ```{glue:md} tbl_years_behind
      :format: myst
      ```
      ````

nbval re-executes the published notebooks and compares their text outputs, so every output is
rounded for display and free of object reprs and memory addresses.
"""

from __future__ import annotations

import base64
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from myst_nb import glue

from analysis.errors import InputError
from analysis.style import format as f
from analysis.style import plots

__all__ = [
    "GluedFigure",
    "GluedTable",
    "Text",
    "fmt",
    "glue_claims",
    "glue_count",
    "glue_countries",
    "glue_country",
    "glue_figure",
    "glue_number",
    "glue_percent",
    "glue_sentence",
    "glue_table",
    "glue_text",
    "glue_year",
    "markdown_escape",
    "sentence",
    "show_figure",
    "show_table",
    "table_markdown",
]

# CommonMark lets a backslash escape any ASCII punctuation; these are the ones that could start
# emphasis, code, links, HTML or (under MyST) math in a glued sentence.
_MARKDOWN_SPECIAL = set("\\`*_[]<>$|&#~")


def markdown_escape(text: str) -> str:
    """``text`` as literal Markdown: ``"R&D *costs* $5"`` → ``"R\\&D \\*costs\\* \\$5"``."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))


@dataclass(frozen=True)
class Text:
    """Glued text with two faces: plain (for ``{glue:text}``) and Markdown (for ``{glue:md}``)."""

    plain: str
    markdown: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        # text/plain is a Python literal: MyST-NB literal-evals it, so "1,234" must stay quoted.
        return {"text/plain": repr(self.plain), "text/markdown": self.markdown}

    def __str__(self) -> str:
        return self.plain


def _as_text(field: str, value: object) -> str:
    """A field of a sentence: strings as they are; a field named ``*year`` as a year; whole numbers as
    counts; other numbers to one decimal."""
    if isinstance(value, str):
        return value
    if f.is_missing(value):
        return f.MISSING
    if field.endswith("year"):
        return f.year(value)
    if isinstance(value, int) or (isinstance(value, float) and value == round(value) and abs(value) >= 1):
        return f.count(value)
    return f.number(value, 1)


def sentence(template: str, **values: object) -> Text:
    """A sentence with its values filled in; in the Markdown face only the values are bold.

    ``sentence("{n} of {total} targets are on track.", n=3, total="7")`` →
    plain ``"3 of 7 targets are on track."``, Markdown ``"**3** of **7** targets are on track."``.
    Format the values first with :mod:`analysis.style.format` when a number needs decimals or a unit
    (``percent(x)``); a value given as a string is shown exactly as given; a field whose name ends in
    ``year`` (``{year}``, ``{start_year}``) is written as a year, never ``2,019``.
    """
    plain, markdown = [], []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        plain.append(literal)
        markdown.append(markdown_escape(literal))
        if field is None:
            continue
        if spec or conversion:
            raise InputError(f"Format {field!r} before passing it to sentence(); give no format spec in {template!r}.")
        if field not in values:
            raise InputError(f"sentence() got no value for {{{field}}} in {template!r}.")
        shown = _as_text(field, values[field])
        plain.append(shown)
        markdown.append(f"**{markdown_escape(shown)}**" if shown else "")
    return Text("".join(plain), "".join(markdown))


# ---------------------------------------------------------------------------------------------
# Glue: numbers and words


def fmt(value: float, digits: int = 1, suffix: str = "") -> str:
    """A number for prose: fixed decimals, thousands separators, ``n/a`` for missing.

    A percent suffix is written in the house style whatever spacing is passed (``" %"`` → ``"%"``).
    """
    if f.is_missing(value):
        return f.MISSING
    if suffix.strip() == "%":
        return f.percent(value, digits)
    return f.number(value, digits) + suffix


def glue_text(name: str, text: str | Text) -> None:
    """Glue a string computed by code (a country list, a year range, a sentence).

    Use ``{glue:md}`name``` for sentences (not bold) and ``{glue:text}`name``` for a short value.
    Numbers followed by a spaced percent sign are written ``0.41%``.
    """
    if isinstance(text, Text):
        glue(name, text, display=False)
        return
    plain = f.tidy(str(text))
    glue(name, Text(plain, markdown_escape(plain)), display=False)


def glue_number(name: str, value: float, digits: int = 1, suffix: str = "") -> None:
    """Glue a number as formatted text (use ``{glue:text}`name``` in prose); see :func:`fmt`.

    Returns nothing, so a cell may end with this call and show no output.
    """
    glue_text(name, fmt(value, digits, suffix))


def glue_count(name: str, value: float | int, noun: str = "", plural_form: str | None = None) -> None:
    """Glue a whole number (``"7"``), or with its noun in agreement (``"1 target"``, ``"2 targets"``)."""
    glue_text(name, f.counted(value, noun, plural_form) if noun else f.count(value))


def glue_year(name: str, value: float | int | str) -> None:
    """Glue a year as a whole number (``2019``); a fractional year raises instead of printing ``2014.2``."""
    glue_text(name, f.year(value))


def glue_percent(name: str, value: float, digits: int = 1, *, share: bool = False) -> None:
    """Glue a percentage as ``0.41%`` (``share=True`` when ``value`` is a fraction such as 0.0041)."""
    glue_text(name, f.percent(value, digits, share=share))


def glue_country(name: str, iso3: str, names: Mapping[str, str] | None = None) -> None:
    """Glue one economy's readable name (``VNM`` → ``Viet Nam``, ``KOR`` → ``Korea``)."""
    glue_text(name, f.country(iso3, names))


def glue_countries(name: str, codes: Sequence[str] | str, names: Mapping[str, str] | None = None) -> None:
    """Glue several economies' names as prose (``"Korea, China and Thailand"``)."""
    glue_text(name, f.countries(codes, names))


def glue_sentence(name: str, template: str, **values: object) -> None:
    """Glue a data-dependent sentence for ``{glue:md}``; only its values are bold (see :func:`sentence`)."""
    glue(name, sentence(template, **values), display=False)


def glue_claims(claims: pd.DataFrame) -> None:
    """Glue every claim's value, as its source prints it, under ``claim_<claim id>``.

    Prose that quotes the paper or the resolution then takes the number from the claims
    table (e.g. ``{glue:text}`claim_paper_researchers_vnm```) instead of typing it again. Claims
    without a number (qualitative statements) are skipped.
    """
    from analysis.claims.ledger import glue_key, printed_value

    for row in claims.itertuples():
        if f.is_missing(row.value):  # a qualitative claim (e.g. income status) has no number to quote
            continue
        glue_text(glue_key(row.claim_id), printed_value(row.value, row.quote))


# ---------------------------------------------------------------------------------------------
# Tables and figures


def table_markdown(table: pd.DataFrame, floatfmt: str | list[str] = ".2f", index: bool = False) -> str:
    """A table as Markdown; missing cells show ``–`` (never ``nan``); headers in words (``first year``,
    never a column name such as ``first_year``)."""
    # tabulate only treats None as missing, so NaN and pd.NA become None first.
    cleaned = table.astype(object).where(table.notna(), None)
    cleaned = cleaned.rename(columns=lambda c: c.replace("_", " ") if isinstance(c, str) else c)
    return cleaned.to_markdown(index=index, floatfmt=floatfmt, missingval="–")


@dataclass(frozen=True)
class GluedTable:
    """A table stored as Markdown, for ``{glue:md}`` with ``:format: myst`` inside a ``{table}`` directive."""

    markdown: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/markdown": self.markdown, "text/plain": self.markdown}


@dataclass(frozen=True)
class GluedFigure:
    """A figure stored as byte-stable PNG for ``{glue:figure}``; its plain text is the alt text."""

    png: bytes
    alt: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}


def glue_table(name: str, table: pd.DataFrame, floatfmt: str | list[str] = ".2f", index: bool = False) -> None:
    """Store a table under ``name`` without showing it; place it with ``{table}`` + ``{glue:md}`` (module docstring).

    Format the cells first (e.g. ``format.percent``) where the column's unit is not obvious.
    """
    glue(name, GluedTable(table_markdown(table, floatfmt, index)), display=False)


def glue_figure(name: str, fig: plt.Figure, alt: str = "") -> None:
    """Store a figure under ``name`` as byte-stable PNG, show nothing, and close it.

    Place it with ``{glue:figure} name`` and give ``:name:``, ``:alt:`` and a caption there; ``alt``
    here is the figure's text fallback (defaults to its title).
    """
    text = alt or _figure_title(fig) or name.replace("_", " ")
    glued = GluedFigure(plots.png_bytes(fig), text)
    plt.close(fig)
    glue(name, glued, display=False)


def _figure_title(fig: plt.Figure) -> str:
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right") if ax.get_title(loc)]
    if fig._suptitle is not None and fig._suptitle.get_text():
        titles.insert(0, fig._suptitle.get_text())
    return titles[0] if titles else ""


def show_table(table: pd.DataFrame, floatfmt: str | list[str] = ".2f", index: bool = False) -> None:
    """Display a table as Markdown where the cell is (prefer :func:`glue_table`, which can be captioned)."""
    display(Markdown(table_markdown(table, floatfmt, index)))


def show_figure(fig: plt.Figure) -> None:
    """Display a figure once, as byte-stable PNG, and close it (prefer :func:`glue_figure`)."""
    glued = GluedFigure(plots.png_bytes(fig), _figure_title(fig) or "figure")
    plt.close(fig)
    display(glued)
