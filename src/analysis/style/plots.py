"""One house style for every figure: ``house.mplstyle``, one palette, Viet Nam always in the same colour.

The style file sets fonts, sizes and a fixed resolution; :func:`png_bytes` saves a figure without
the metadata matplotlib writes by default (its version), so the same figure is the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.transforms as transforms

STYLE_FILE = Path(__file__).with_name("house.mplstyle")
# PNG metadata: matplotlib writes "Software: Matplotlib version ..." unless told not to.
PNG_METADATA: dict[str, str | None] = {"Software": None}

VIETNAM = "VNM"
VIETNAM_COLOUR = "#C8102E"
# Fixed colours for the usual comparators, so a country looks the same on every page.
COUNTRY_COLOURS: dict[str, str] = {
    VIETNAM: VIETNAM_COLOUR,
    "KOR": "#1f77b4",
    "CHN": "#ff7f0e",
    "THA": "#2ca02c",
    "SGP": "#9467bd",
    "MYS": "#8c564b",
    "IDN": "#e377c2",
    "PHL": "#17becf",
    "IND": "#bcbd22",
    "WLD": "#4d4d4d",
}
OTHER_COLOUR = "#9e9e9e"


def apply_style() -> None:
    """Use the house style (``house.mplstyle``) for every figure drawn after this call."""
    mpl.rcdefaults()  # start from matplotlib's defaults, so earlier tweaks cannot leak into a page
    mpl.style.use(STYLE_FILE)


def png_bytes(fig: plt.Figure) -> bytes:
    """The figure as PNG bytes: the style's fixed resolution, a tight box, no version or time stamp."""
    buffer = io.BytesIO()
    fig.savefig(
        buffer,
        format="png",
        dpi=mpl.rcParams["savefig.dpi"] if mpl.rcParams["savefig.dpi"] != "figure" else fig.dpi,
        bbox_inches="tight",
        metadata=PNG_METADATA,
    )
    return buffer.getvalue()


def save_png(fig: plt.Figure, path: Path) -> None:
    """Write :func:`png_bytes` to ``path`` atomically."""
    from analysis.io import write_atomic

    data = png_bytes(fig)
    write_atomic(Path(path), lambda tmp: tmp.write_bytes(data))


def country_colour(iso3: str) -> str:
    """The fixed colour of a country (grey for any country without one)."""
    return COUNTRY_COLOURS.get(iso3, OTHER_COLOUR)


def palette(countries: list[str]) -> dict[str, str]:
    """Colours for a list of countries, Viet Nam highlighted."""
    return {c: country_colour(c) for c in countries}


def add_source(fig: plt.Figure, text: str) -> None:
    """The source line under every figure, e.g. ``Source: Penn World Table 11.0``.

    It sits a fixed distance below the figure's bottom edge (not a fraction of its height),
    so it never overlaps the x-axis label of a short figure; inline figures are saved with
    a tight bounding box, which takes it in.
    """
    below_edge = transforms.ScaledTranslation(0, -0.12, fig.dpi_scale_trans)  # inches
    fig.text(0.01, 0.0, text, ha="left", va="top", fontsize=8, color="#555555", transform=fig.transFigure + below_edge)
