"""Read the built book the way a student does: in a real headless Chromium, at desktop and phone widths.

The book (book/_build/html) is served by a loopback HTTP server that the tests start and stop; every
page is opened in a fresh browser context (empty cache, so the bytes counted are what a first visit
downloads). One visit collects everything the tests check, so each page is loaded once per width.

Chromium is Debian's ``chromium`` package driven by Playwright for Python through ``executable_path``:
Playwright cannot download its own browsers without a network.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CHROMIUM_PACKAGE = "chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000  # generous: a busy 2-core machine can take 10 s for a long chapter
SCREENSHOT_MAX_HEIGHT = 8_000


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool


DESKTOP = Viewport("desktop", 1280, 800, mobile=False)
PHONE = Viewport("phone", 390, 844, mobile=True)
VIEWPORTS = (DESKTOP, PHONE)


def find_chromium() -> str:
    """The system Chromium, or an error naming the package that provides it."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError(
        f"no Chromium on PATH: install Debian's `{CHROMIUM_PACKAGE}` package "
        "(`make browser`, or as root `apt-get install -y chromium fonts-liberation`)"
    )


def toc_pages(book: Path) -> list[str]:
    """The HTML page of every entry in book/_toc.yml, in reading order (root first)."""
    toc = yaml.safe_load((book / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return [f"{name}.html" for name in files]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would bury the test report


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) for the duration; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="book-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Visit:
    """What one page showed at one width."""

    page: str
    viewport: Viewport
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)  # console.error lines (a fresh profile)
    bad_responses: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    bytes: int = 0
    requests: int = 0
    dom: dict = field(default_factory=dict)
    navigation: list[str] = field(default_factory=list)


# Everything measured inside the page, in one round trip. The article is the text column.
_DOM_PROBE = """
() => {
  const article = document.querySelector("article.bd-article") || document.querySelector("main") || document.body;
  const name = (el) => {
    const id = el.id || (el.closest("[id]") || {}).id || "";
    const text = (el.innerText || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 60);
    return `${el.tagName.toLowerCase()}${id ? "#" + id : ""} "${text}"`;
  };
  const captionOf = (holder, selector) => {
    const caption = holder && holder.querySelector(selector);
    if (!caption) return { numbered: false, text: "" };
    const number = caption.querySelector(".caption-number");
    const text = (caption.innerText || "").replace(number ? number.innerText : "", "").trim();
    return { numbered: Boolean(number && number.innerText.trim()), text };
  };

  const brokenImages = Array.from(document.images)
    .filter((img) => !img.complete || img.naturalWidth === 0)
    .map((img) => img.getAttribute("src"));

  const images = Array.from(article.querySelectorAll("img")).map((img) => {
    const figure = img.closest("figure");
    return {
      src: (img.getAttribute("src") || "").split("/").pop(),
      alt: img.getAttribute("alt") || "",
      figure: Boolean(figure),
      caption: captionOf(figure, "figcaption"),
      url: img.currentSrc || img.src,
      naturalWidth: img.naturalWidth,
      shownWidth: img.getBoundingClientRect().width,
      link: img.closest("a") ? img.closest("a").href : "",
    };
  });

  const tables = Array.from(article.querySelectorAll("table")).map((table) => ({
    name: name(table),
    caption: captionOf(table, ":scope > caption"),
  }));

  // A table or display equation may be wider than the column only inside a box that scrolls
  // and shows that it does (a scrollbar that takes space), never cut off or spilling out.
  const column = article.getBoundingClientRect();
  const left = Math.max(column.left, 0);
  const right = Math.min(column.right, document.documentElement.clientWidth);
  const clipper = (el) => {
    for (let node = el.parentElement; node && node !== article; node = node.parentElement) {
      if (getComputedStyle(node).overflowX !== "visible") return node;
    }
    return null;
  };
  const overflow = [];
  const wide = [
    ...Array.from(article.querySelectorAll("table")).map((el) => [el, el]),
    ...Array.from(article.querySelectorAll('mjx-container[display="true"]')).map((el) => [
      el,
      el.querySelector("mjx-math") || el,
    ]),
  ];
  for (const [el, content] of wide) {
    const label = el.tagName === "TABLE" ? name(el) : `equation ${name(el.closest(".math") || el)}`;
    const box = clipper(content);
    const r = content.getBoundingClientRect();
    if (!box) {
      if (r.right > right + 1 || r.left < left - 1) {
        const width = Math.round(right - left);
        overflow.push(`${label}: ${Math.round(r.width)} px wide in a ${width} px column, no scroll box`);
      }
      continue;
    }
    const b = box.getBoundingClientRect();
    if (b.right > right + 1 || b.left < left - 1) {
      overflow.push(`${label}: its scroll box spills out of the ${Math.round(right - left)} px column`);
      continue;
    }
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    const style = getComputedStyle(box);
    const borders = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
    const bar = box.offsetHeight - box.clientHeight - borders;
    if (!["auto", "scroll"].includes(style.overflowX)) {
      overflow.push(`${label}: cut off at ${box.clientWidth} of ${box.scrollWidth} px (overflow ${style.overflowX})`);
    } else if (bar < 4) {
      overflow.push(`${label}: scrolls ${box.clientWidth} of ${box.scrollWidth} px with no visible scrollbar`);
    }
  }

  // Columns headed "Verdict" that start off-screen (to the right of the visible part of their table).
  const hiddenVerdicts = [];
  for (const table of article.querySelectorAll("table")) {
    const box = clipper(table);
    const visibleRight = Math.min(box ? box.getBoundingClientRect().right : right, right);
    for (const cell of table.querySelectorAll("th")) {
      if (/^\\s*verdict\\s*$/i.test(cell.innerText) && cell.getBoundingClientRect().right > visibleRight + 1) {
        hiddenVerdicts.push(name(table));
      }
    }
  }

  return { text: article.innerText, brokenImages, images, tables, overflow, hiddenVerdicts };
}
"""

# Wait until the page is what a reader sees: math typeset, its fonts and every image loaded
# (lazy images told to load now). Waiting for "network idle" instead proved flaky on a busy machine.
_SETTLE = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  void document.body.offsetHeight; // lay the typeset math out, so that its fonts start loading
  await document.fonts.ready;
  const images = Array.from(document.images);
  images.forEach((img) => { if (img.loading === "lazy") img.loading = "eager"; });
  await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
  })));
}
"""


def png_smallest_text_px(png: Path, key: str = "smallest-text-px") -> float | None:
    """The size in image pixels of a PNG's smallest text, as recorded in its text chunk ``key`` (None if absent).

    analysis.style.plots.png_bytes writes it from the figure's own text objects (points × dpi / 72).
    """
    from PIL import Image

    with Image.open(png) as image:
        value = image.text.get(key)  # type: ignore[attr-defined]
    return float(value) if value is not None else None


def displayed_px(image_px: float, shown_width: float, natural_width: float) -> float:
    """CSS pixels that ``image_px`` image pixels take when the image is drawn ``shown_width`` wide."""
    if natural_width <= 0:
        raise ValueError("an image of natural width 0 has not loaded")
    return image_px * shown_width / natural_width


def launch_chromium(playwright):
    """The system Chromium, headless, with a fresh temporary profile (Playwright makes and removes it)."""
    return playwright.chromium.launch(
        executable_path=find_chromium(),
        args=CHROMIUM_ARGS,
        # Playwright hides scrollbars in headless mode; a reader's browser draws them, and the
        # overflow check asks whether a wide table shows its scrollbar.
        ignore_default_args=["--hide-scrollbars"],
        headless=True,
    )


class BookBrowser:
    """Pages of one site, served at ``base_url``; each visit gets a fresh context (cache, storage)."""

    def __init__(self, browser, base_url: str, screenshots: Path) -> None:
        self.browser = browser
        self.base_url = base_url
        self.screenshots = screenshots
        self._visits: dict[tuple[str, str], Visit] = {}
        self._screenshots: set[Path] = set()

    @contextmanager
    def _page(self, viewport: Viewport, visit: Visit | None = None):
        context = self.browser.new_context(
            viewport={"width": viewport.width, "height": viewport.height},
            device_scale_factor=1,
            is_mobile=viewport.mobile,
            has_touch=viewport.mobile,
            service_workers="block",
        )
        context.set_default_timeout(TIMEOUT_MS)
        foreign = visit.foreign_requests if visit else []

        def leaves_the_machine(url: str) -> bool:
            return urlsplit(url).scheme in ("http", "https", "ws", "wss") and not url.startswith(self.base_url)

        def refuse(route) -> None:
            foreign.append(route.request.url)
            route.abort()

        # Nothing may leave the machine: such requests are recorded and refused, never sent.
        context.route(leaves_the_machine, refuse)
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()

    def _load(self, page, path: str) -> None:
        page.goto(self.base_url + path, wait_until="load")
        page.evaluate(_SETTLE)

    def visit(self, path: str, viewport: Viewport) -> Visit:
        """Open ``path`` at ``viewport`` (once; later calls return the same record)."""
        key = (path, viewport.name)
        if key not in self._visits:
            self._visits[key] = self._visit(path, viewport)
        return self._visits[key]

    def visits(self) -> list[Visit]:
        return list(self._visits.values())

    def _visit(self, path: str, viewport: Viewport) -> Visit:
        visit = Visit(path, viewport)
        finished = []
        with self._page(viewport, visit) as page:
            page.on("pageerror", lambda error: visit.page_errors.append(str(error).splitlines()[0]))
            page.on("console", lambda m: visit.console_errors.append(m.text[:200]) if m.type == "error" else None)
            page.on(
                "response",
                lambda r: visit.bad_responses.append(f"{r.status} {self._short(r.url)}") if r.status >= 400 else None,
            )
            page.on(
                "requestfailed",
                lambda r: (
                    None
                    if not r.url.startswith(self.base_url)
                    else visit.bad_responses.append(f"failed ({r.failure}) {self._short(r.url)}")
                ),
            )
            page.on("requestfinished", lambda request: finished.append(request))
            self._load(page, path)
            visit.requests = len(finished)
            visit.bytes = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)
            visit.dom = page.evaluate(_DOM_PROBE)
            check = self._phone_navigation if viewport.mobile else self._desktop_sidebar
            visit.navigation = check(page)
        return visit

    def _short(self, url: str) -> str:
        return url.removeprefix(self.base_url)

    @staticmethod
    def _phone_navigation(page) -> list[str]:
        """Problems with the phone menus: each visible toggle must open its sidebar and close again."""
        problems = []
        for kind, dialog_id, required in (
            ("primary", "pst-primary-sidebar-modal", True),
            ("secondary", "pst-secondary-sidebar-modal", False),
        ):
            button = page.locator(f".{kind}-toggle").filter(visible=True)
            if button.count() == 0:
                if required:
                    problems.append(f"no visible {kind} sidebar button")
                continue
            dialog = page.locator(f"#{dialog_id}")
            button.first.click()
            try:
                page.wait_for_function(f"() => document.getElementById('{dialog_id}').open", timeout=3000)
            except Exception:
                problems.append(f"the {kind} sidebar button opens nothing")
                continue
            links = dialog.locator("a").filter(visible=True).count()
            if links == 0:
                problems.append(f"the {kind} sidebar opens empty")
            # Close it as a phone user would: tap the dimmed page beside the panel.
            box = dialog.bounding_box()
            viewport = page.viewport_size
            x = (box["x"] + box["width"] + viewport["width"]) / 2 if box["x"] < 5 else box["x"] / 2
            page.mouse.click(x, viewport["height"] / 2)
            try:
                page.wait_for_function(f"() => !document.getElementById('{dialog_id}').open", timeout=3000)
            except Exception:
                problems.append(f"the {kind} sidebar does not close when the page beside it is tapped")
        return problems

    @staticmethod
    def _desktop_sidebar(page) -> list[str]:
        """Problems with the desktop sidebar toggle: it must hide the navigation and bring it back."""
        button = page.locator(".primary-toggle").filter(visible=True)
        if button.count() == 0:
            return ["no visible sidebar toggle"]
        sidebar = page.locator("#pst-primary-sidebar")
        if not sidebar.is_visible():
            return ["the site navigation is not shown at desktop width"]
        button.first.click()
        problems = []
        try:
            sidebar.wait_for(state="hidden", timeout=3000)
        except Exception:
            problems.append("the sidebar toggle does not hide the site navigation")
        if page.evaluate("() => Boolean(document.querySelector('dialog[open]'))"):
            problems.append("the sidebar toggle opens a dialog instead of collapsing the sidebar")
            page.keyboard.press("Escape")
        button.first.click()
        try:
            sidebar.wait_for(state="visible", timeout=3000)
        except Exception:
            problems.append("the sidebar toggle does not bring the site navigation back")
        return problems

    def search(self, query: str, viewport: Viewport) -> tuple[Visit, list[str]]:
        """Search with the search box as a reader does; return the visit and the result titles."""
        visit = Visit("search.html", viewport)
        with self._page(viewport, visit) as page:
            page.on("pageerror", lambda error: visit.page_errors.append(str(error).splitlines()[0]))
            self._load(page, "intro.html")
            page.locator(".search-button__button").filter(visible=True).first.click()
            box = page.locator("#pst-search-dialog input[name=q]")
            box.fill(query)
            box.press("Enter")
            page.wait_for_url(re.compile(r"search\.html\?q="))
            page.wait_for_selector("#search-results .search-summary", timeout=TIMEOUT_MS)
            titles = page.locator("#search-results ul.search li > a").all_inner_texts()
        return visit, titles

    def screenshot(self, path: str, viewport: Viewport) -> Path:
        """Save a screenshot of ``path`` at ``viewport`` (for a failing check), once per page and width.

        The whole page down to SCREENSHOT_MAX_HEIGHT px, as JPEG: a full chapter is 30,000 px tall,
        and encoding it as PNG takes longer than loading the page.
        """
        self.screenshots.mkdir(parents=True, exist_ok=True)
        target = self.screenshots / f"{path.removesuffix('.html').replace('/', '__')}-{viewport.name}.jpg"
        if target not in self._screenshots:
            with self._page(viewport) as page:
                self._load(page, path)
                height = min(page.evaluate("() => document.documentElement.scrollHeight"), SCREENSHOT_MAX_HEIGHT)
                clip = {"x": 0, "y": 0, "width": viewport.width, "height": height}
                page.screenshot(path=str(target), full_page=True, clip=clip, type="jpeg", quality=70)
            self._screenshots.add(target)
        return target
