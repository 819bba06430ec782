"""The formatting layer (analysis.style.format), the glue helpers (analysis.style.display) and the figure style.

Every expected string is written out by hand from the house style in format.py's docstring.
"""

from __future__ import annotations

import base64
import io
import math
import struct
import zlib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from IPython.core.formatters import format_display_data

from analysis.errors import InputError
from analysis.style import display, plots
from analysis.style import format as f

# A small countries table in the processed table's shape, with the World Bank's own spellings.
COUNTRIES = pd.DataFrame(
    {
        "iso3": ["VNM", "KOR", "CHN", "THA", "EGY", "LAO", "WLD"],
        "country": ["Viet Nam", "Korea, Rep.", "China", "Thailand", "Egypt, Arab Rep.", "Lao PDR", "World"],
    }
)
NAMES = f.names_table(COUNTRIES)


# ---------------------------------------------------------------------------------------------
# Numbers


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (1234.56, 1, "1,234.6"),
        (0.405, 2, "0.41"),  # 0.405 is stored as 0.40500000000000003, so it rounds up
        (7, 0, "7"),
        (-0.04, 1, "0.0"),  # no "-0.0"
        (-1.25, 1, "-1.2"),  # round-half-even on the binary value -1.25 → -1.2
        (1.8e-07, 2, "0.00"),  # never "1.8e-07"
        (12_345_678.9, 0, "12,345,679"),
        (float("nan"), 1, "n/a"),
        (None, 1, "n/a"),
    ],
)
def test_number(value, digits, expected):
    assert f.number(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "figures", "expected"),
    [(1.8e-07, 2, "0.00000018"), (123456.0, 2, "120,000"), (0.0412, 1, "0.04"), (-0.00555, 2, "-0.0056"), (0, 2, "0")],
)
def test_significant_never_uses_scientific_notation(value, figures, expected):
    assert f.significant(value, figures) == expected
    assert "e" not in f.significant(value, figures)


def test_counts_have_no_decimals():
    assert f.count(7.0) == "7"
    assert f.count(1234) == "1,234"
    assert f.count(np.int64(12)) == "12"
    assert f.count(float("nan")) == "n/a"
    with pytest.raises(InputError, match="whole number"):
        f.count(7.5)


def test_percentages_have_one_style():
    assert f.percent(0.41, 2) == "0.41%"
    assert f.percent(0.0041, 2, share=True) == "0.41%"
    assert f.percent(12.345) == "12.3%"
    assert f.percent(None) == "n/a"
    assert f.tidy("0.41 % of GDP, up from 0.3\u00a0%; 100 = equal") == "0.41% of GDP, up from 0.3%; 100 = equal"
    # fmt keeps its signature and closes up a spaced percent suffix.
    assert display.fmt(0.413, 2, " %") == "0.41%"
    assert display.fmt(2.0, 1, " years") == "2.0 years"


def test_signed():
    assert f.signed(1.23) == "+1.2"
    assert f.signed(-0.44) == "-0.4"
    assert f.signed(0.01) == "0.0"


# ---------------------------------------------------------------------------------------------
# Years


def test_years_are_integers():
    assert f.year(2019.0) == "2019"
    assert f.year(np.int64(2023)) == "2023"
    assert f.year("2015") == "2015"
    assert f.year(float("nan")) == "n/a"
    with pytest.raises(InputError, match="whole number"):
        f.year(2014.2)
    with pytest.raises(InputError, match="whole number"):
        f.year("latest")


def test_year_ranges_and_lists():
    assert f.year_range(2011, 2015.0) == "2011–2015"
    assert f.year_range(2020, 2020) == "2020"
    assert f.years_list([2018, 2016, 2017, 2020, 2022, 2023]) == "2016–2018, 2020 and 2022–2023"
    assert f.years_list([2019]) == "2019"


# ---------------------------------------------------------------------------------------------
# Words


@pytest.mark.parametrize(
    ("n", "noun", "expected"),
    [
        (1, "target", "1 target"),
        (2, "target", "2 targets"),
        (0, "target", "0 targets"),
        (1.0, "economy", "1 economy"),
        (3, "economy", "3 economies"),
        (2, "index", "2 indexes"),
        (2, "day", "2 days"),  # vowel before y: regular plural
        (1500, "country-year", "1,500 country-years"),
    ],
)
def test_counted_nouns_agree(n, noun, expected):
    assert f.counted(n, noun) == expected


def test_verbs_agree():
    assert f"1 {f.agree(1, 'is', 'are')} on track" == "1 is on track"
    assert f"2 {f.agree(2, 'is', 'are')} on track" == "2 are on track"
    assert f.counted(2, "person", "people") == "2 people"


def test_quantities():
    assert f.quantity(50.0, "year") == "50 years"
    assert f.quantity(1, "year") == "1 year"
    assert f.quantity(0.96, "year", 1) == "1.0 years"  # singular only for a printed "1"
    assert f.quantity(2.46, "generation", 1) == "2.5 generations"


def test_join():
    assert f.join([]) == ""
    assert f.join(["a"]) == "a"
    assert f.join(["a", "b"]) == "a and b"
    assert f.join(["a", "b", "c"], "or") == "a, b or c"


# ---------------------------------------------------------------------------------------------
# Names


def test_country_names_are_readable():
    assert f.country("VNM", NAMES) == "Viet Nam"
    assert f.country("kor", NAMES) == "Korea"  # the one form for the Republic of Korea
    assert f.country("EGY", NAMES) == "Egypt"
    assert f.country("LAO", NAMES) == "Lao PDR"  # a WDI name that is not inverted stays as it is
    assert f.countries("KOR,CHN,THA", NAMES) == "Korea, China and Thailand"
    assert f.countries(["VNM", "WLD"], NAMES) == "Viet Nam and World"
    with pytest.raises(InputError, match=r"Unknown country code\(s\) XYZ"):
        f.country("XYZ", NAMES)


def test_names_table_needs_its_columns():
    with pytest.raises(InputError, match="missing: country"):
        f.names_table(pd.DataFrame({"iso3": ["VNM"]}))


def test_processed_countries_table_gives_readable_names(countries):
    names = f.names_table(countries)
    assert names["VNM"] == "Viet Nam"
    assert names["KOR"] == "Korea"
    # no inverted World Bank form ("Korea, Rep.", "Egypt, Arab Rep.") survives for an economy
    inverted = [n for n in names.values() if n.endswith((" Rep.", ", The"))]
    assert inverted == []


# ---------------------------------------------------------------------------------------------
# Values by unit (results tables)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (7.0, "count", "7"),
        (0.41, "percent", "0.41%"),
        (2.23, "% of GDP", "2.2% of GDP"),
        (50.0, "years", "50 years"),
        (12.34, "years", "12.3 years"),
        (2014.0, "year", "2014"),
        (0.5, "share", "50.0%"),
        (float("nan"), "count", "n/a"),
        (3.456, "per 10,000 people", "3.5 per 10,000 people"),
    ],
)
def test_with_unit(value, unit, expected):
    assert f.with_unit(value, unit) == expected


# ---------------------------------------------------------------------------------------------
# Glue objects


def _bundle(obj):
    data, _ = format_display_data(obj)
    return data


def test_sentence_bolds_only_the_values():
    text = display.sentence("{n} of {total} targets are on track in {year}.", n=3, total=7, year=2023)
    assert text.plain == "3 of 7 targets are on track in 2023."
    assert text.markdown == "**3** of **7** targets are on track in **2023**."
    with pytest.raises(InputError, match="no value for"):
        display.sentence("{n} and {m}", n=1)
    with pytest.raises(InputError, match="format spec"):
        display.sentence("{n:.2f}", n=1)


def test_sentence_escapes_markdown_in_text():
    text = display.sentence("R&D *spending* of US$ {x}", x=f.number(1.5))
    assert text.markdown == "R\\&D \\*spending\\* of US\\$ **1.5**"


def test_glued_text_has_plain_and_markdown_faces():
    data = _bundle(display.Text("1,234 economies", "**1,234** economies"))
    # MyST-NB literal-evals text/plain: it must be a quoted literal, or "1,234" becomes a tuple
    assert data["text/plain"] == "'1,234 economies'"
    assert data["text/markdown"] == "**1,234** economies"


def test_glue_helpers_store_house_style_text(monkeypatch):
    stored = {}
    monkeypatch.setattr(display, "glue", lambda name, value, display=True: stored.setdefault(name, (value, display)))
    display.glue_count("n", 1, "target")
    display.glue_count("m", 12.0)
    display.glue_year("y", 2019.0)
    display.glue_percent("p", 0.0041, 2, share=True)
    display.glue_number("x", 0.4131, 2, " %")
    display.glue_text("t", "grew 2.5 % a year")
    display.glue_country("c", "KOR", NAMES)
    display.glue_countries("cs", ["VNM", "KOR"], NAMES)
    display.glue_sentence("s", "{k} {verb} behind", k="1 economy", verb=f.agree(1, "is", "are"))
    plain = {k: str(v[0]) for k, v in stored.items()}
    assert plain == {
        "n": "1 target",
        "m": "12",
        "y": "2019",
        "p": "0.41%",
        "x": "0.41%",
        "t": "grew 2.5% a year",
        "c": "Korea",
        "cs": "Viet Nam and Korea",
        "s": "1 economy is behind",
    }
    assert all(shown is False for _, shown in stored.values())  # nothing shown in place
    assert stored["s"][0].markdown == "**1 economy** **is** behind"
    assert stored["t"][0].markdown == "grew 2.5% a year"  # no bold in a plain glued sentence


def test_glue_table_stores_markdown_without_nan(monkeypatch):
    stored = {}
    monkeypatch.setattr(display, "glue", lambda name, value, display=True: stored.setdefault(name, (value, display)))
    display.glue_table("tbl", pd.DataFrame({"Economy": ["Viet Nam", "Korea"], "Years": [12.345, math.nan]}))
    table, shown = stored["tbl"]
    assert shown is False
    data = _bundle(table)
    assert [cell.strip() for cell in data["text/markdown"].splitlines()[2].split("|")[1:3]] == ["Viet Nam", "12.35"]
    assert "nan" not in data["text/markdown"] and "–" in data["text/markdown"]


# ---------------------------------------------------------------------------------------------
# Figures: house style and byte-stable PNG


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, i = [], 8
    while i < len(png):
        (length,) = struct.unpack(">I", png[i : i + 4])
        kind = png[i + 4 : i + 8]
        chunks.append((kind, png[i + 8 : i + 8 + length]))
        assert zlib.crc32(png[i + 4 : i + 8 + length]) == struct.unpack(">I", png[i + 8 + length : i + 12 + length])[0]
        i += 12 + length
    return chunks


def _draw() -> plt.Figure:
    plots.apply_style()
    fig, ax = plt.subplots()
    ax.plot([2000, 2010, 2020], [1.0, 2.5, 2.0], color=plots.country_colour("VNM"), label="Viet Nam")
    ax.set_title("Output per worker")
    ax.legend()
    plots.add_source(fig, "Source: test")
    return fig


def test_style_file_is_loaded():
    plots.apply_style()
    assert plt.rcParams["axes.titleweight"] == "bold"
    assert plt.rcParams["axes.titlelocation"] == "left"
    assert plt.rcParams["savefig.dpi"] == 100
    assert plt.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    assert plt.rcParams["axes.grid"] is True


def test_png_is_byte_stable_and_carries_no_metadata():
    first, second = _draw(), _draw()
    a, b = plots.png_bytes(first), plots.png_bytes(second)
    plt.close("all")
    assert a == b
    kinds = [kind for kind, _ in _chunks(a)]
    assert not {b"iTXt", b"zTXt", b"tIME"} & set(kinds)  # no time
    # one text chunk only: the smallest text size, no software version
    assert [data.split(b"\0")[0] for kind, data in _chunks(a) if kind == b"tEXt"] == [plots.SMALLEST_TEXT_KEY.encode()]
    (phys,) = [data for kind, data in _chunks(a) if kind == b"pHYs"]
    pixels_per_metre = struct.unpack(">I", phys[:4])[0]
    assert round(pixels_per_metre * 0.0254) == 100  # the style's fixed 100 dpi


def test_png_records_the_smallest_text_in_image_pixels():
    # Hand-worked: the smallest text of _draw() is its source line, SMALL_TEXT_PT (12 pt) at 100 dpi.
    plots.apply_style()
    fig = _draw()
    fig.axes[0].annotate("tiny", (0, 0), fontsize=7.2)  # now 7.2 pt × 100 / 72 = 10 px
    chunks = dict(data.split(b"\0", 1) for kind, data in _chunks(plots.png_bytes(fig)) if kind == b"tEXt")
    plt.close(fig)
    assert float(chunks[plots.SMALLEST_TEXT_KEY.encode()]) == 10.0
    fig = _draw()
    assert plots.smallest_text_px(fig, 100) == pytest.approx(plots.SMALL_TEXT_PT * 100 / 72)
    assert plots.smallest_text_px(fig, 200) == pytest.approx(plots.SMALL_TEXT_PT * 200 / 72)
    plt.close(fig)


def test_stacked_panels_and_legend_below_keep_a_figure_phone_wide():
    plots.apply_style()
    fig, axes = plots.stacked_panels(3, 2.0, sharey=True)
    for ax in axes:
        ax.plot([0, 1], [0, 1], label="a series with a longish label")
        ax.plot([0, 1], [1, 0], label="another")
    plots.legend_below(fig, *axes[0].get_legend_handles_labels())
    plots.add_source(fig, "Source: " + "a long source line that must be wrapped, " * 4)
    from PIL import Image

    width = Image.open(io.BytesIO(plots.png_bytes(fig))).size[0]
    plt.close(fig)
    assert len(axes) == 3 and fig.get_figwidth() == plots.PHONE_WIDTH_IN
    assert width <= plots.PHONE_WIDTH_IN * 100 * 1.06  # tight box: a few px of margin, no legend to the right
    with pytest.raises(ValueError, match="at least one panel"):
        plots.stacked_panels(0, 2.0)


def test_glue_figure_stores_png_and_closes_the_figure(monkeypatch):
    stored = {}
    monkeypatch.setattr(display, "glue", lambda name, value, display=True: stored.setdefault(name, (value, display)))
    fig = _draw()
    expected = plots.png_bytes(fig)
    display.glue_figure("fig_output", fig)
    glued, shown = stored["fig_output"]
    assert shown is False
    assert not plt.fignum_exists(fig.number)
    data = _bundle(glued)
    assert base64.b64decode(data["image/png"]) == expected
    assert data["text/plain"] == "Output per worker"  # the title is the fallback alt text


def test_glue_claims_quotes_numbers_as_printed_and_skips_qualitative_claims(monkeypatch):
    stored = {}
    monkeypatch.setattr(display, "glue", lambda name, value, display=True: stored.setdefault(name, (value, display)))
    claims = pd.DataFrame(
        {
            "claim_id": ["paper.x.count", "paper.x.share", "paper.x.status"],
            "value": [1600.0, 0.5, math.nan],
            "quote": [
                "about 1,600 researchers",
                "less than 0.5% of revenue",
                "has become a lower-middle income country",
            ],
        }
    )
    display.glue_claims(claims)
    assert {k: str(v[0]) for k, v in stored.items()} == {"claim_paper_x_count": "1,600", "claim_paper_x_share": "0.5"}


def test_table_headers_are_words_not_column_names():
    from analysis.style.display import table_markdown

    table = pd.DataFrame({"first_year": [2002], "from_value": [1.19], "WDI code": ["SP.POP.SCIE.RD.P6"]})
    header = table_markdown(table).splitlines()[0]
    assert "first year" in header and "from value" in header and "_" not in header
    assert "SP.POP.SCIE.RD.P6" in table_markdown(table)  # cells are left as they are
