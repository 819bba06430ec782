"""One house style for every figure: ``house.mplstyle``, one palette, Viet Nam always in the same colour.

The style file sets fonts, sizes and a fixed resolution; :func:`png_bytes` saves a figure without
the metadata matplotlib writes by default (its version), so the same figure is the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.transforms as transforms
from matplotlib.text import Text

STYLE_FILE = Path(__file__).with_name("house.mplstyle")
# PNG metadata: matplotlib writes "Software: Matplotlib version ..." unless told not to.
PNG_METADATA: dict[str, str | None] = {"Software": None}
# PNG text chunk holding the height in image pixels of the smallest text drawn (see :func:`smallest_text_px`);
# the browser tests read it to know how large that text shows on a screen.
SMALLEST_TEXT_KEY = "smallest-text-px"

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
# The smallest type any figure uses (source lines, annotations, dense legends), in points, and the widest
# figure, in inches: 12 pt at 100 dpi is 16.7 image px, and a 6.3 in (630 px) image drawn in a phone's
# 342 px column shows it at 9 CSS px; 5.4 in leaves room for what a tight box adds (labels, source line).
SMALL_TEXT_PT = 12.0
PHONE_WIDTH_IN = 5.4


def apply_style() -> None:
    """Use the house style (``house.mplstyle``) for every figure drawn after this call."""
    mpl.rcdefaults()  # start from matplotlib's defaults, so earlier tweaks cannot leak into a page
    mpl.style.use(STYLE_FILE)
    _show_figures_with_png_bytes()


def _show_figures_with_png_bytes() -> None:
    """In a notebook, display (and glue) every Figure through :func:`png_bytes`, not the inline backend.

    So a figure a page shows directly is byte-stable and records its smallest text like a glued one.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the notebooks only
        return
    shell = get_ipython()
    if shell is not None:
        # matplotlib picks its backend at the first figure, and the inline backend then registers its own
        # PNG formatter: pick it now, so that the formatter registered next stays
        plt.close(plt.figure())
        shell.display_formatter.formatters["image/png"].for_type(plt.Figure, png_bytes)


def _save_dpi(fig: plt.Figure) -> float:
    return float(mpl.rcParams["savefig.dpi"] if mpl.rcParams["savefig.dpi"] != "figure" else fig.dpi)


def smallest_text_px(fig: plt.Figure, dpi: float) -> float:
    """Font size, in pixels of a PNG saved at ``dpi``, of the smallest visible non-empty text in ``fig``.

    Every text matplotlib draws (titles, labels, tick labels, legend entries, annotations) is a
    :class:`~matplotlib.text.Text`; its size in points times ``dpi / 72`` is its size in image pixels.
    """
    fig.canvas.draw_idle()  # tick labels exist only once the figure has been laid out
    fig.canvas.draw()
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    ]
    if not sizes:
        return 0.0
    return min(sizes) * dpi / 72


def png_bytes(fig: plt.Figure) -> bytes:
    """The figure as PNG bytes: the style's fixed resolution, a tight box, no version or time stamp.

    A text chunk (:data:`SMALLEST_TEXT_KEY`) records :func:`smallest_text_px`, so a reader of the
    PNG knows the size of its smallest text without measuring glyphs.
    """
    dpi = _save_dpi(fig)
    metadata = {**PNG_METADATA, SMALLEST_TEXT_KEY: f"{smallest_text_px(fig, dpi):.2f}"}
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata=metadata)
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
    # wrapped to the figure's width (about 11 characters an inch at 12 pt), so it does not widen the image
    text = "\n".join(textwrap.fill(line, max(40, int(11 * fig.get_figwidth()))) for line in text.split("\n"))
    fig.text(
        0.01,
        0.0,
        text,
        ha="left",
        va="top",
        fontsize=SMALL_TEXT_PT,
        color="#555555",
        transform=fig.transFigure + below_edge,
    )


def stacked_panels(n: int, panel_height: float, **kwargs) -> tuple[plt.Figure, list[plt.Axes]]:
    """``n`` panels one above the other, :data:`PHONE_WIDTH_IN` wide, each ``panel_height`` inches tall.

    Panels side by side would each be a fraction of a phone's column; stacked, each keeps the full width.
    """
    if n < 1:
        raise ValueError(f"a figure needs at least one panel, not {n}")
    fig, axes = plt.subplots(n, 1, figsize=(PHONE_WIDTH_IN, panel_height * n + 0.8), squeeze=False, **kwargs)
    return fig, list(axes[:, 0])


def legend_below(fig: plt.Figure, handles: list, labels: list[str], ncol: int = 2) -> None:
    """A figure legend in a band at the bottom of ``fig`` (inside it, above the source line), then lay out.

    A legend to the right of the panels would widen the image and so shrink all its text on a phone.
    """
    ncol = 1 if any(len(label) > 28 for label in labels) else max(1, min(ncol, len(labels)))
    rows = -(-len(labels) // ncol)
    band = (0.3 * rows + 0.15) / fig.get_figheight()  # each row of 12 pt text needs about 0.3 in
    fig.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.0, 0.0), ncol=ncol, frameon=False)
    fig.tight_layout(rect=(0.0, band, 1.0, 1.0))
