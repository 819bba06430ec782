"""The built book: it exists, and it works with no network (no CDN scripts, styles or fonts)."""

from __future__ import annotations

import re

import pytest

from .conftest import REPO_ROOT
from .test_readme import CITED_SOFTWARE, locked_versions

HTML = REPO_ROOT / "book" / "_build" / "html"
EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.IGNORECASE)
CSS_IMPORT = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def pages():
    if not (HTML / "index.html").exists():
        pytest.fail("book/_build/html is missing: `make test` builds it first (make html).")
    return sorted(HTML.rglob("*.html"))


def test_book_has_the_main_pages(pages):
    names = {p.relative_to(HTML).as_posix() for p in pages}
    assert {"intro.html", "chapters/00_coverage.html", "claims_ledger.html", "bibliography.html"} <= names


def test_no_page_loads_anything_from_the_network(pages):
    offenders = [
        f"{p.relative_to(HTML)}: {m.group(0)}" for p in pages for m in EXTERNAL.finditer(p.read_text(errors="ignore"))
    ]
    assert offenders == []


def test_no_stylesheet_imports_from_the_network():
    offenders = [
        f"{css.relative_to(HTML)}: {m.group(0)}"
        for css in (HTML / "_static").rglob("*.css")
        for m in CSS_IMPORT.finditer(css.read_text(errors="ignore"))
    ]
    assert offenders == []


def test_mathjax_is_served_from_the_build(pages):
    intro = (HTML / "intro.html").read_text()
    assert 'src="_static/mathjax/tex-chtml.js' in intro
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").exists()
    # The CommonHTML fonts the bundle loads, relative to itself.
    assert list((HTML / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))


def test_every_page_loads_one_mathjax_bundle(pages):
    # Jupyter Book adds every *.js under book/_static to every page: MathJax must not be there.
    # Sphinx adds MathJax only to pages with math, so a page has one bundle or none.
    assert not (REPO_ROOT / "book" / "_static" / "mathjax").exists()
    counts = {
        p.relative_to(HTML).as_posix(): len(re.findall(r"<script[^>]+src=\"[^\"]*mathjax/", p.read_text()))
        for p in pages
        if not p.relative_to(HTML).as_posix().startswith("_")
    }
    assert counts["chapters/01_growth.html"] == 1  # a page with display equations
    assert set(counts.values()) <= {0, 1}, {k: v for k, v in counts.items() if v > 1}


def test_footer_states_the_licences_and_options_are_merged(pages):
    # html_theme_options in _config.yml must add to Jupyter Book's options, not replace them.
    intro = (HTML / "intro.html").read_text()
    footer = re.search(r'<p class="book-licence">(.*?)</p>', intro, re.DOTALL)
    assert footer, "the licence footer (html.extra_footer) is not on the page"
    assert re.search(r"code MIT", footer.group(1)) and re.search(r"text and figures CC BY 4\.0", footer.group(1))
    assert "fullscreen" not in intro  # use_fullscreen_button: false
    assert "btn-download-source-button" in (HTML / "chapters" / "00_coverage.html").read_text()


def test_chapters_are_numbered_in_file_order(pages):
    intro = (HTML / "intro.html").read_text()
    numbered = re.findall(r'href="chapters/(\d\d)_\w+\.html">(\d+)\. ', intro)
    assert numbered, "no numbered chapter in the navigation"
    assert [file for file, _ in numbered] == sorted(file for file, _ in numbered)
    assert [int(n) for _, n in numbered] == list(range(1, len(numbered) + 1))


def test_glued_numbers_are_rendered(pages):
    # A missing glue key renders as nothing (and fails the -W build); check one value arrived.
    text = (HTML / "chapters" / "00_coverage.html").read_text()
    assert re.search(r'PWT covers <span class="pasted-text">185</span> economies', text)


def test_markdown_table_outputs_render_as_tables(pages):
    # show_table emits Markdown; it must reach the page as an HTML table, not as pipe text.
    text = (HTML / "chapters" / "00_coverage.html").read_text()
    assert "<table" in text
    assert "|:--" not in text and "| dataset" not in text


def test_no_unresolved_roles_on_any_page(pages):
    # A role that MyST could not parse (e.g. nested backticks) would show as literal text.
    offenders = [
        p.relative_to(HTML).as_posix()
        for p in pages
        if re.search(r"\{glue(?::text)?\}|\{cite\}", p.read_text(errors="ignore"))
    ]
    assert offenders == []


def test_every_page_has_the_favicon(pages):
    for page in pages:
        if "<html" not in page.read_text(errors="ignore"):
            continue  # the theme's template fragments (sbt-webpack-macros.html) are not pages
        icon = re.search(r'<link rel="icon" href="([^"]+)"', page.read_text(errors="ignore"))
        assert icon, f"{page.name} has no favicon link"
        assert (page.parent / icon.group(1)).is_file(), f"{page.name}: {icon.group(1)} is missing"


def test_country_pages_are_named_after_their_country(pages):
    # Each country page is the same notebook run with another parameter; runs.toml gives it a title.
    intro = (HTML / "intro.html").read_text()
    for title in ("Korea: growth accounting", "Thailand: technology gap"):
        assert title in intro


def test_every_notebook_page_offers_its_executed_notebook(pages):
    # sphinx-book-theme's download button (use_download_button) links the page's source; for a
    # notebook page that is the executed .ipynb, which the build must serve byte for byte.
    book = REPO_ROOT / "book"
    notebooks = sorted(p for p in book.rglob("*.ipynb") if not {"_build", ".ipynb_checkpoints"} & set(p.parts))
    assert len(notebooks) >= 10
    missing = []
    for notebook in notebooks:
        relative = notebook.relative_to(book).with_suffix("")
        page = HTML / relative.with_suffix(".html")
        if not page.exists():  # not in the table of contents (only_build_toc_files)
            continue
        prefix = "../" * (len(relative.parts) - 1)
        link = re.search(
            rf'<a href="{re.escape(prefix)}_sources/{re.escape(relative.as_posix())}\.ipynb"[^>]*'
            r'class="[^"]*btn-download-source-button[^"]*"[^>]*>.*?\.ipynb</span>',
            page.read_text(),
            re.DOTALL,
        )
        served = HTML / "_sources" / relative.with_suffix(".ipynb")
        if not (link and served.exists() and served.read_bytes() == notebook.read_bytes()):
            missing.append(relative.as_posix())
    assert missing == []


def test_references_page_lists_the_software_in_its_own_section(pages):
    page = (HTML / "bibliography.html").read_text()
    sections = dict(re.findall(r'<section id="([\w-]+)">(.*?)</section>', page, re.S))
    works, software = (re.sub(r"<[^>]+>", "", sections[name]) for name in ("works-and-data", "software"))
    titles = ("Data structures for statistical computing", "Array programming with NumPy", "PyFixest", "Jupyter Book")
    for title in titles:
        assert title in software and title not in works, title
    lock = locked_versions((REPO_ROOT / "requirements.lock").read_text(encoding="utf-8"))
    assert [name for name in sorted(CITED_SOFTWARE) if f"Version {lock[name]}." not in software] == []
    assert "Penn World Table" in works and "Penn World Table" not in software
