"""One house style for every figure: seaborn, one palette, Viet Nam always in the same colour."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.transforms as transforms
import seaborn as sns

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
    """Set the seaborn theme and deterministic figure defaults (size, resolution, fonts)."""
    sns.set_theme(style="whitegrid", context="notebook")
    mpl.rcParams.update(
        {
            "figure.figsize": (8.0, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "svg.hashsalt": "analysis",  # stable ids if figures are ever saved as SVG
        }
    )


def country_colour(iso3: str) -> str:
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
