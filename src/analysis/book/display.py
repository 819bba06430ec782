"""What notebooks show: glued numbers, tables and figures with deterministic text output.

nbval re-executes the published notebooks and compares their text outputs, so
everything shown here is rounded for display and free of object reprs.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from myst_nb import glue


def fmt(value: float, digits: int = 1, suffix: str = "") -> str:
    """A number for prose: fixed decimals, thousands separators, 'n/a' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:,.{digits}f}{suffix}"


def glue_number(name: str, value: float, digits: int = 1, suffix: str = "") -> None:
    """Glue a number as formatted text (use ``{glue:text}`name``` in prose).

    Returns nothing, so a cell may end with this call and show no output (see
    :func:`fmt` for the text itself).
    """
    glue(name, fmt(value, digits, suffix), display=False)


def glue_text(name: str, text: str) -> None:
    """Glue a string computed by code (a country list, a year range, a verdict)."""
    glue(name, str(text), display=False)


def glue_claims(claims: pd.DataFrame) -> None:
    """Glue every claim's value, as its source prints it, under ``claim_<claim id>``.

    Prose that quotes the paper or the resolution then takes the number from the claims
    table (e.g. ``{glue:text}`claim_paper_researchers_vnm```) instead of typing it again.
    """
    from analysis.book.ledger import glue_key, printed_value

    for row in claims.itertuples():
        glue(glue_key(row.claim_id), printed_value(row.value, row.quote), display=False)


def show_table(table: pd.DataFrame, floatfmt: str | list[str] = ".2f", index: bool = False) -> None:
    """Display a table as Markdown (renders natively in the book and compares as text in nbval)."""
    display(Markdown(table.to_markdown(index=index, floatfmt=floatfmt, missingval="–")))


def show_figure(fig: plt.Figure) -> None:
    """Display a figure once and close it, so it is not shown twice."""
    display(fig)
    plt.close(fig)
