"""The built book in a real browser: every page of the table of contents, at desktop and phone widths.

Each page must load cleanly (no script errors, no failed or foreign requests, at most 5 MB), show its
images, number and caption its figures and tables, keep wide tables and equations inside the text
column with a visible scrollbar, show no backend text (nan, internal ids, LaTeX escapes, glue keys,
machine paths), and let a phone reader open and close the menus. Offline search must work.

A failing page's full-page screenshot is saved under book/_build/browser-failures/.
Run only these with ``pytest -m browser``; leave them out with ``-m "not browser"``.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pandas as pd
import pytest

from .browser import (
    DESKTOP,
    PHONE,
    VIEWPORTS,
    BookBrowser,
    Viewport,
    Visit,
    displayed_px,
    launch_chromium,
    png_smallest_text_px,
    serve,
    toc_pages,
)
from .conftest import REPO_ROOT

pytestmark = pytest.mark.browser

BOOK = REPO_ROOT / "book"
HTML = BOOK / "_build" / "html"
FAILURES = BOOK / "_build" / "browser-failures"
PAGES = toc_pages(BOOK)
MAX_PAGE_BYTES = 5_000_000
SEARCH_QUERY = "labour share"
MIN_FIGURE_TEXT_PX = 9.0  # CSS px: the smallest figure text a phone reader must be able to read
# Pages whose figures still show text below that on a phone (a tight bounding box wider than 6.3 in:
# labels that spill out of the panel): known, open, and strict — the test fails once one of them
# passes, so that the page is taken off this list. Smallest today: 04_rd 8.7, 05_gap and gap_THA 8.5,
# 06_kpf 7.0 (the specification curve's wrapped labels).
KNOWN_SMALL_FIGURE_TEXT = {
    "chapters/04_rd.html",
    "chapters/05_gap.html",
    "chapters/06_kpf.html",
    "countries/gap_THA.html",
}


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the whole module (pages are visited one after another)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def book(chromium) -> BookBrowser:
    """The built book (book/_build/html) served on a loopback port that lives as long as the module."""
    if not (HTML / "index.html").exists():
        pytest.fail("book/_build/html is missing: `make test` builds it first (make html).")
    shutil.rmtree(FAILURES, ignore_errors=True)  # screenshots from an earlier run would mislead
    with serve(HTML) as base_url:
        yield BookBrowser(chromium, base_url, FAILURES)


def _fail_with_screenshot(book: BookBrowser, visit: Visit, problems: list[str]) -> None:
    shot = book.screenshot(visit.page, visit.viewport)
    listed = "\n  ".join(problems)
    pytest.fail(f"{visit.page} at {visit.viewport.width} px:\n  {listed}\n(screenshot: {shot.relative_to(REPO_ROOT)})")


def _check(book: BookBrowser, visit: Visit, problems: list[str]) -> None:
    if problems:
        _fail_with_screenshot(book, visit, problems)


both_widths = pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
every_page = pytest.mark.parametrize("page", PAGES)


# -- Loading -------------------------------------------------------------------------------------


@both_widths
@every_page
def test_page_loads_without_errors(book, page: str, viewport: Viewport):
    visit = book.visit(page, viewport)
    problems = [f"uncaught error: {e}" for e in visit.page_errors]
    problems += [f"console error: {e}" for e in visit.console_errors]  # e.g. the theme's "invalid theme mode"
    problems += [f"request failed: {r}" for r in visit.bad_responses]
    _check(book, visit, problems)


@both_widths
@every_page
def test_page_requests_nothing_outside_the_book(book, page: str, viewport: Viewport):
    visit = book.visit(page, viewport)
    _check(book, visit, [f"request to another host (refused): {url}" for url in visit.foreign_requests])


@both_widths
@every_page
def test_page_weighs_at_most_5_mb(book, page: str, viewport: Viewport):
    visit = book.visit(page, viewport)
    assert visit.requests > 0, "no request was counted: the weight would be meaningless"
    if visit.bytes > MAX_PAGE_BYTES:
        _fail_with_screenshot(book, visit, [f"{visit.bytes / 1e6:.2f} MB transferred in {visit.requests} requests"])


def test_report_page_weights(book, capsys):
    """Print every page's weight (the largest first), so a change in weight shows in the test log."""
    visits = [book.visit(page, viewport) for page in PAGES for viewport in VIEWPORTS]
    visits.sort(key=lambda v: v.bytes, reverse=True)
    largest = visits[0]
    with capsys.disabled():
        print(f"\nlargest page: {largest.page} at {largest.viewport.width} px, {largest.bytes / 1e6:.2f} MB")
        for v in visits:
            print(f"  {v.bytes / 1e6:5.2f} MB  {v.requests:3d} requests  {v.viewport.name:7s}  {v.page}")
    assert largest.bytes <= MAX_PAGE_BYTES


# -- Images, figures and tables -------------------------------------------------------------------


@both_widths
@every_page
def test_images_load(book, page: str, viewport: Viewport):
    visit = book.visit(page, viewport)
    _check(book, visit, [f"image did not load: {src}" for src in visit.dom["brokenImages"]])


def _caption_problem(kind: str, caption: dict) -> str | None:
    if not caption["text"]:
        return f"{kind} has no caption"
    if not caption["numbered"]:
        return f"{kind} caption has no number"
    return None


@every_page
def test_figures_are_numbered_and_captioned(book, page: str):
    visit = book.visit(page, DESKTOP)
    problems = []
    for image in visit.dom["images"]:
        if not image["figure"]:
            problems.append(f"image {image['src']} is not in a figure (no number, no caption)")
        elif problem := _caption_problem("figure", image["caption"]):
            problems.append(f"{problem}: {image['src']}")
    _check(book, visit, problems)


def _image_file(book: BookBrowser, url: str):
    return HTML / urlsplit(url).path.removeprefix(urlsplit(book.base_url).path)


def _figure_text_sizes(book: BookBrowser, visit: Visit) -> list[tuple[str, float | None]]:
    """(image, its smallest text in CSS px as displayed, or None if the PNG records no size)."""
    sizes = []
    for image in visit.dom["images"]:
        smallest = png_smallest_text_px(_image_file(book, image["url"]))
        shown = None if smallest is None else displayed_px(smallest, image["shownWidth"], image["naturalWidth"])
        sizes.append((image["src"], shown))
    return sizes


@every_page
def test_figure_text_is_legible_on_a_phone(book, page: str):
    # How large does a figure's smallest text show on a 390 px phone? Its size in image pixels is
    # recorded in the PNG (text chunk "smallest-text-px", written by analysis.style.plots.png_bytes
    # from the figure's own text objects: points × dpi / 72, so tick labels, legends, annotations and
    # the source line all count); the browser says how wide the image is drawn against its natural
    # width. Their product is the text's height in CSS px, which must be at least 9.
    visit = book.visit(page, PHONE)
    problems = []
    for src, shown in _figure_text_sizes(book, visit):
        if shown is None:
            problems.append(f"{src}: the PNG records no text size (not saved by plots.png_bytes)")
        elif shown < MIN_FIGURE_TEXT_PX:
            problems.append(f"{src}: smallest text {shown:.1f} CSS px (< {MIN_FIGURE_TEXT_PX:g})")
    if page in KNOWN_SMALL_FIGURE_TEXT:
        assert problems, f"{page} now passes: remove it from KNOWN_SMALL_FIGURE_TEXT"
        pytest.xfail(f"known, open (issue 24): {problems[0]}")
    _check(book, visit, problems)


def test_report_figure_text_sizes(book, capsys):
    """Print the smallest displayed figure text of every figure on the phone (median and minimum)."""
    sizes = [
        (v.page, src, px) for v in (book.visit(p, PHONE) for p in PAGES) for src, px in _figure_text_sizes(book, v)
    ]
    known = sorted(px for _, _, px in sizes if px is not None)
    assert known, "no figure records its text size: the measurement would be empty"
    with capsys.disabled():
        median = known[len(known) // 2] if len(known) % 2 else (known[len(known) // 2 - 1] + known[len(known) // 2]) / 2
        print(f"\nfigure text on the phone: {len(sizes)} figures, median {median:.1f} CSS px, min {known[0]:.1f} px")
        for page, src, px in sorted(sizes, key=lambda s: (s[2] is not None, s[2] or 0)):
            print(f"  {'none' if px is None else f'{px:5.1f}'} px  {page}  {src}")


@both_widths
@every_page
def test_figures_open_full_size_on_a_tap(book, page: str, viewport: Viewport):
    # Tap to enlarge: each figure image is a link to its own PNG (book/_static/enlarge-figures.js).
    visit = book.visit(page, viewport)
    problems = [
        f"{image['src']} is not a link to its full-size image (link: {image['link'] or 'none'})"
        for image in visit.dom["images"]
        if image["link"] != image["url"]
    ]
    _check(book, visit, problems)


@every_page
def test_images_have_alt_text(book, page: str):
    # Alt text is read aloud by screen readers; a file name says nothing about the figure.
    visit = book.visit(page, DESKTOP)
    path_like = re.compile(r"[/\\]|\.(?:png|jpe?g|svg|gif|webp)$", re.IGNORECASE)
    problems = [
        f"image {image['src']} has alt text {image['alt']!r}"
        for image in visit.dom["images"]
        if not image["alt"].strip() or path_like.search(image["alt"])
    ]
    _check(book, visit, problems)


@every_page
def test_tables_are_numbered_and_captioned(book, page: str):
    visit = book.visit(page, DESKTOP)
    problems = [
        f"{problem}: {table['name']}"
        for table in visit.dom["tables"]
        if (problem := _caption_problem("table", table["caption"]))
    ]
    _check(book, visit, problems)


@both_widths
@every_page
def test_wide_tables_and_equations_scroll_visibly(book, page: str, viewport: Viewport):
    visit = book.visit(page, viewport)
    _check(book, visit, visit.dom["overflow"])


@every_page
def test_verdicts_show_without_scrolling_on_desktop(book, page: str):
    # A reader must see each claim's verdict without scrolling the table sideways.
    visit = book.visit(page, DESKTOP)
    _check(book, visit, [f"the verdict column is off-screen: {table}" for table in visit.dom["hiddenVerdicts"]])


# -- Rendered text ---------------------------------------------------------------------------------


def _result_ids() -> set[str]:
    """Every internal id in the results tables (result and claim ids that look like identifiers)."""
    ids: set[str] = set()
    for csv in sorted((BOOK / "results").glob("*.csv")):
        table = pd.read_csv(csv, dtype=str)
        for column in ("result_id", "claim_id"):
            if column in table:
                ids.update(table[column].dropna())
    # A plain word could be prose; every id with "_" or "." is a machine name.
    return {i for i in ids if "_" in i or "." in i}


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


TEXT_CHECKS = {
    "nan": re.compile(r"(?<![\w.])(?:nan|NaN|NAN|<NA>)(?!\w)"),
    "result-ids": re.compile(rf"(?<![\w.])(?:{_alternation(_result_ids())})(?![\w])"),
    "latex-escapes": re.compile(r"\\[_&%]"),
    "glue-keys": re.compile(r"\{glue(?::\w+)?\}|\b[\w.-]+\.ipynb::\w+|\{\{[^}]*\}\}"),
    # The folder names are joined at run time so that this file does not itself contain a machine path.
    "machine-paths": re.compile(
        "(?:"
        + "|".join(f"/{folder}/" for folder in ("home", "Users", "root", "tmp", "work", "var/folders"))
        + r"|[A-Za-z]:\\Users\\|site-packages|\bat 0x[0-9a-fA-F]{6,})"
    ),
}


def test_result_id_pattern_is_not_empty():
    # The ids come from the committed results tables; an empty set would make the check vacuous.
    assert len(_result_ids()) > 50
    assert TEXT_CHECKS["result-ids"].search("the value of kpf_patents_pooled_elasticity_rd is")


@pytest.mark.parametrize("check", TEXT_CHECKS)
@every_page
def test_rendered_text_shows_no_backend(book, page: str, check: str):
    visit = book.visit(page, DESKTOP)
    text = visit.dom["text"]
    hits = []
    for match in TEXT_CHECKS[check].finditer(text):
        context = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
        hits.append(f"{check}: {match.group(0)!r} in “…{context}…”")
    if hits:
        more = [f"... and {len(hits) - 8} more"] if len(hits) > 8 else []
        _fail_with_screenshot(book, visit, hits[:8] + more)


# -- Navigation and search ------------------------------------------------------------------------


@both_widths
@every_page
def test_navigation_opens_and_closes(book, page: str, viewport: Viewport):
    # Phone: the site-navigation and contents buttons open their panels, a tap beside closes them.
    # Desktop: the sidebar toggle hides the site navigation and brings it back.
    visit = book.visit(page, viewport)
    _check(book, visit, visit.navigation)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=lambda v: v.name)
def test_offline_search_finds_labour_share(book, viewport: Viewport):
    visit, titles = book.search(SEARCH_QUERY, viewport)
    assert visit.page_errors == []
    assert visit.foreign_requests == []
    assert titles, f"searching {SEARCH_QUERY!r} found nothing"
    assert any("growth accounting" in t.lower() for t in titles), titles


# -- The checks themselves, on hand-made pages with known defects ------------------------------------

_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{head}</head>
<body style="margin:0"><main><article class="bd-article" style="max-width:600px;margin:0 auto">{body}</article></main>
</body></html>"""
_WIDE_TABLE = '<table style="width:1500px"><caption>wide</caption><tr><td>a</td></tr></table>'


@pytest.fixture(scope="module")
def hand_made(chromium, tmp_path_factory) -> BookBrowser:
    site = tmp_path_factory.mktemp("site")
    shutil.copy(BOOK / "_static" / "overflow.css", site / "overflow.css")
    shutil.copy(BOOK / "_static" / "sidebar-toggles.js", site / "sidebar-toggles.js")
    shutil.copy(BOOK / "_static" / "fit-equations.js", site / "fit-equations.js")
    shutil.copy(BOOK / "_static" / "enlarge-figures.js", site / "enlarge-figures.js")
    _hand_made_figure(site / "figure.png")
    pages = {
        "clean.html": ("", "<p>Nothing wrong here.</p>"),
        "defects.html": (
            "<script>throw new Error('boom')</script>",
            '<img src="missing.png" alt="x"><img src="http://example.org/x.png" alt="y">'
            f"<div>{_WIDE_TABLE}</div>"
            f'<div style="overflow-x:hidden">{_WIDE_TABLE}</div>',
        ),
        "scrolls.html": ("", f'<div style="overflow-x:auto">{_WIDE_TABLE}</div>'),
        "styled.html": (
            '<link rel="stylesheet" href="overflow.css">',
            f'<div class="pst-scrollable-table-container">{_WIDE_TABLE}</div>',
        ),
        "verdict.html": (
            "",
            '<div style="overflow-x:auto"><table><tr><th style="min-width:900px">claim</th><th>verdict</th></tr>'
            "</table></div>"
            "<table><tr><th>verdict</th><th>claim</th></tr></table>",
        ),
        "equations.html": (
            # MathJax stand-in: typesetting already done. Widths in em scale with the math's font size.
            "<script>window.MathJax = {startup: {promise: Promise.resolve()}};</script>"
            '<script src="fit-equations.js"></script><link rel="stylesheet" href="overflow.css">',
            "".join(
                f'<mjx-container jax="CHTML" display="true" style="display:block;font-size:20px"><mjx-math>'
                f'<span style="display:inline-block;width:{em}em">x</span></mjx-math></mjx-container>'
                for em in (32, 75)  # 640 px and 1500 px in a 600 px column
            ),
        ),
        "figure.html": (
            '<script src="enlarge-figures.js"></script>',
            '<figure><img src="figure.png" alt="a figure" style="width:300px"><figcaption>f</figcaption></figure>',
        ),
        "toggles.html": (
            "",
            # The theme's situation: its handler sits on the first (hidden) button only.
            '<button class="primary-toggle" style="display:none">hidden</button>'
            '<button class="primary-toggle" id="visible">menu</button>'
            '<dialog id="pst-primary-sidebar-modal"><a href="clean.html">home</a></dialog>'
            "<script>document.querySelector('.primary-toggle').addEventListener('click',"
            " () => document.getElementById('pst-primary-sidebar-modal').showModal());</script>"
            '<script src="sidebar-toggles.js"></script>',
        ),
    }
    for name, (head, body) in pages.items():
        (site / name).write_text(_PAGE.format(head=head, body=body), encoding="utf-8")
    with serve(site) as base_url:
        yield BookBrowser(chromium, base_url, site / "shots")


def _hand_made_figure(path) -> None:
    """A PNG saved by png_bytes whose smallest (only) text is 12.96 pt: 12.96 × 100 dpi / 72 = 18 image px."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.style import plots

    plots.apply_style()
    fig = plt.figure(figsize=(6, 2))
    fig.text(0, 0, "x" * 80, fontsize=12.96)
    path.write_bytes(plots.png_bytes(fig))
    plt.close(fig)


def test_figure_text_size_and_tap_to_enlarge_on_a_hand_made_page(hand_made):
    # Hand-worked: 18 image px in an image drawn at 300 px of its natural width w show at 18 × 300 / w.
    visit = hand_made.visit("figure.html", PHONE)
    (image,) = visit.dom["images"]
    smallest = png_smallest_text_px(hand_made.screenshots.parent / "figure.png")
    assert smallest == 18.0
    assert displayed_px(smallest, image["shownWidth"], image["naturalWidth"]) == pytest.approx(
        18 * 300 / image["naturalWidth"]
    )
    assert image["shownWidth"] == 300
    assert image["link"] == image["url"]  # enlarge-figures.js made the image a link to itself
    with pytest.raises(ValueError, match="not loaded"):
        displayed_px(18, 300, 0)


def test_checks_pass_a_clean_page(hand_made):
    visit = hand_made.visit("clean.html", PHONE)
    assert (visit.page_errors, visit.bad_responses, visit.foreign_requests) == ([], [], [])
    assert visit.dom["brokenImages"] == [] and visit.dom["overflow"] == []


def test_checks_catch_known_defects(hand_made):
    visit = hand_made.visit("defects.html", DESKTOP)
    assert visit.page_errors == ["boom"]
    assert visit.bad_responses == ["404 missing.png"]
    assert visit.foreign_requests == ["http://example.org/x.png"]  # recorded and refused, never sent
    assert len(visit.dom["brokenImages"]) == 2
    overflow = visit.dom["overflow"]
    assert len(overflow) == 2
    assert "1500 px wide in a 600 px column, no scroll box" in overflow[0]
    assert "cut off at 600 of 1500 px (overflow hidden)" in overflow[1]


def test_an_off_screen_verdict_column_is_found(hand_made):
    visit = hand_made.visit("verdict.html", DESKTOP)
    assert len(visit.dom["hiddenVerdicts"]) == 1


def test_a_scrolling_table_needs_a_visible_scrollbar(hand_made):
    # A desktop draws the scrollbar; a phone overlays it only while scrolling, so nothing shows.
    assert hand_made.visit("scrolls.html", DESKTOP).dom["overflow"] == []
    assert "no visible scrollbar" in " ".join(hand_made.visit("scrolls.html", PHONE).dom["overflow"])
    # The book's stylesheet draws it on phones too.
    assert hand_made.visit("styled.html", PHONE).dom["overflow"] == []


def test_a_slightly_wide_equation_is_scaled_and_a_very_wide_one_scrolls(hand_made):
    with hand_made._page(DESKTOP) as page:
        page.goto(hand_made.base_url + "equations.html")
        math = page.locator("mjx-math")
        page.wait_for_function("() => document.querySelector('mjx-math').style.fontSize !== ''", timeout=3000)
        assert math.nth(0).evaluate("m => m.style.fontSize") == "93.7%"  # 600/640, rounded down
        assert math.nth(0).evaluate("m => m.parentElement.scrollWidth <= m.parentElement.clientWidth")
        assert math.nth(1).evaluate("m => m.style.fontSize") == ""  # 600/1500 would be unreadable
        box = math.nth(1).evaluate("m => [m.parentElement.clientWidth, m.parentElement.scrollWidth]")
        assert box == [600, 1500]  # it scrolls instead


def test_the_visible_menu_button_opens_the_menu(hand_made):
    with hand_made._page(PHONE) as page:
        page.goto(hand_made.base_url + "toggles.html")
        page.click("#visible")
        page.wait_for_function("() => document.getElementById('pst-primary-sidebar-modal').open", timeout=3000)


@pytest.mark.parametrize(
    ("check", "bad", "good"),
    [
        ("nan", "growth of nan % a year", "Nanjing and finance"),
        ("nan", "value <NA>", "NA (not available)"),
        ("result-ids", "id kpf_patents_pooled_elasticity_rd.", "the patents elasticity"),
        ("latex-escapes", r"usd\_per\_worker and R\&D", "USD per worker and R&D"),
        ("glue-keys", "of claims_ledger.ipynb::n_claims claims", "of 101 claims"),
        ("glue-keys", "{glue:text}`n`", "glue"),
        (
            "machine-paths",
            "read " + "/".join(("", "home", "someone", "data", "pwt.dta")),
            "read data/raw/pwt/pwt110.dta",
        ),
        ("machine-paths", "<Figure at 0x7f3a2c1d9e10>", "Figure 3"),
    ],
)
def test_text_checks_on_known_examples(check: str, bad: str, good: str):
    assert TEXT_CHECKS[check].search(bad)
    assert not TEXT_CHECKS[check].search(good)
