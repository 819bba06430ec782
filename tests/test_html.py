"""The HTML build: skipped when no page source changed, refused while pages are stale."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from analysis.build import html, mathjax
from analysis.errors import DataError


@pytest.fixture
def book(tmp_repo, monkeypatch):
    folder = tmp_repo / "book"
    folder.mkdir()
    (folder / "intro.md").write_text("# Intro\n")
    (folder / "runs.toml").write_text("")
    monkeypatch.setattr(mathjax, "ensure_mathjax", lambda: None)
    return folder


def write_book(folder, page: str, images: tuple[str, ...] = ()) -> None:
    """A minimal built book: index.html, a complete search index and the given images."""
    (folder / "_images").mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(page)
    (folder / "searchindex.js").write_text('Search.setIndex({"docnames": ["index"]})')
    for name in images:
        (folder / "_images" / name).write_bytes(b"png")


def test_unchanged_sources_skip_the_build(book, monkeypatch, capsys):
    calls = []

    def fake_build(command):
        calls.append(command)
        write_book(html.staging_root() / "_build" / "html", "<html></html>")
        if outcome and outcome.pop():
            raise DataError("jupyter-book build failed (see the warnings above); the book was not updated.")

    outcome = []
    monkeypatch.setattr(html, "_run_build", fake_build)
    html.build_html()
    html.build_html()
    assert len(calls) == 1
    assert "unchanged  book/_build/html/index.html (no page source changed)" in capsys.readouterr().out
    (book / "intro.md").write_text("# Intro, edited\n")
    html.build_html()
    assert len(calls) == 2
    # A failed build leaves no stamp: the next call builds again.
    (book / "intro.md").write_text("# Intro, edited again\n")
    outcome.append(1)
    with pytest.raises(DataError, match="jupyter-book build failed"):
        html.build_html()
    html.build_html()
    assert len(calls) == 4
    html.build_html(force=True)
    assert len(calls) == 5


def test_stale_pages_are_refused_by_name(book, monkeypatch):
    from analysis.build import pipeline

    rows = [("a", "unchanged", "ok"), ("b", "stale", "changed: analysis/growth.py"), ("c", "page only", "Markdown")]
    monkeypatch.setattr(pipeline, "status", lambda names=None: rows)
    monkeypatch.setattr(html, "_run_build", lambda *a, **k: pytest.fail("built a stale book"))
    with pytest.raises(
        DataError, match=r"2 pages are stale or failed: b \(changed: analysis/growth\.py\); c \(Markdown\)"
    ):
        html.build_html()


def test_a_second_build_waits_for_the_first(tmp_repo, capsys):
    # Two `make book` at once: the second waits on the build lock instead of mixing its output in.
    import fcntl
    import threading

    from analysis.build import pipeline

    lock = tmp_repo / ".build" / "book.lock"
    lock.parent.mkdir()
    entered = threading.Event()

    def second_build():
        with pipeline.build_lock():
            entered.set()

    with open(lock, "w") as first:
        fcntl.flock(first, fcntl.LOCK_EX)  # the first build holds the lock
        thread = threading.Thread(target=second_build)
        thread.start()
        assert not entered.wait(1.0)
        fcntl.flock(first, fcntl.LOCK_UN)
    thread.join(10)
    assert entered.is_set()
    assert "waiting for another build of the book to finish" in capsys.readouterr().out


# Issue 26, items 1, 3 and 11: nothing incomplete is published. The previous book has a figure page;
# each fault below must leave it byte for byte as it was, with the stamp that names it.
OLD_PAGE = '<html><img src="_images/fig.png"></html>'


@pytest.fixture
def published(book):
    target = book / "_build" / "html"
    write_book(target, OLD_PAGE, images=("fig.png",))
    html.stamp_path().write_text("old\n")
    return target


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_interrupted_build_leaves_the_previous_book(published, monkeypatch):
    before = snapshot(published)

    def interrupted(command):
        staged = html.staging_root() / "_build" / "html"
        assert snapshot(staged) == before  # seeded with the current book: only changed pages are rebuilt
        (staged / "index.html").write_text("<html>half</html>")
        (staged / "_images" / "fig.png").unlink()
        (staged / "searchindex.js").write_text('Search.setIndex({"docn')
        raise KeyboardInterrupt

    monkeypatch.setattr(html, "_run_build", interrupted)
    with pytest.raises(KeyboardInterrupt):
        html.build_html()
    assert snapshot(published) == before
    assert html.stamp_path().read_text() == "old\n"
    # The next build starts again from the published book, not from the half-written one.
    monkeypatch.setattr(html, "_run_build", lambda command: None)
    html.build_html()
    assert snapshot(published) == before
    assert html.stamp_path().read_text().strip() == html.sources_hash()


def test_a_failed_strict_build_leaves_the_previous_book(published, monkeypatch):
    before = snapshot(published)

    def failed(command):
        assert "-W" in command
        write_book(html.staging_root() / "_build" / "html", "<html>new</html>")
        raise DataError("jupyter-book build failed (see the warnings above); the book was not updated.")

    monkeypatch.setattr(html, "_run_build", failed)
    with pytest.raises(DataError, match="the book was not updated"):
        html.build_html()
    assert snapshot(published) == before


@pytest.mark.parametrize(
    "damage, named",
    [
        (lambda staged: (staged / "_images" / "fig.png").unlink(), r"_images/fig\.png \(linked from index\.html\)"),
        (lambda staged: (staged / "searchindex.js").write_text('Search.setIndex({"doc'), "searchindex.js"),
        (lambda staged: (staged / "searchindex.js").unlink(), "searchindex.js"),
    ],
)
def test_a_build_missing_a_figure_or_its_search_index_is_not_published(published, monkeypatch, damage, named):
    before = snapshot(published)

    def incomplete(command):
        staged = html.staging_root() / "_build" / "html"
        (staged / "index.html").write_text(OLD_PAGE.replace("</html>", "new</html>"))
        damage(staged)

    monkeypatch.setattr(html, "_run_build", incomplete)
    with pytest.raises(DataError, match=f"The HTML build is incomplete \\({named}.*the book was not updated"):
        html.build_html()
    assert snapshot(published) == before


def test_a_complete_build_replaces_the_book(published, monkeypatch, capsys):
    def complete(command):
        staged = html.staging_root() / "_build" / "html"
        (staged / "index.html").write_text('<html><img src="_images/new%20fig.png"></html>')
        (staged / "_images" / "new fig.png").write_bytes(b"png")
        (staged / "_images" / "fig.png").unlink()

    monkeypatch.setattr(html, "_run_build", complete)
    html.build_html()
    assert sorted(snapshot(published)) == ["_images/new fig.png", "index.html", "searchindex.js"]
    assert not (html.staging_root() / "_build" / "html").exists()
    assert "book: book/_build/html/index.html" in capsys.readouterr().out


def test_a_full_disk_is_one_line_without_jupyter_books_traceback(published, monkeypatch, capsys):
    before = snapshot(published)
    script = (
        "print('Running Sphinx');"
        "print('Traceback (most recent call last):');"
        "print('  File \"sphinx/builders/html.py\", line 1');"
        "print(\"OSError: [Errno 28] No space left on device: '_images/fig.png'\");"
        "raise SystemExit(1)"
    )
    monkeypatch.setattr(html, "_jupyter_book", lambda output, strict: [sys.executable, "-c", script])
    with pytest.raises(DataError, match=r"^The disk is full: the HTML book could not be written; the book was not"):
        html.build_html()
    out = capsys.readouterr().out
    assert "Running Sphinx" in out and "Traceback" not in out and "Errno" not in out
    assert snapshot(published) == before


def test_a_failing_build_keeps_its_traceback(book, monkeypatch, capsys):
    script = "print('Traceback (most recent call last):'); print('KeyError: x'); raise SystemExit(1)"
    monkeypatch.setattr(html, "_jupyter_book", lambda output, strict: [sys.executable, "-c", script])
    with pytest.raises(DataError, match="jupyter-book build failed"):
        html.build_html()
    assert "KeyError: x" in capsys.readouterr().out


@pytest.mark.slow
def test_ctrl_c_during_the_build_leaves_the_previous_book(published, tmp_path):
    # A real SIGINT to the whole process group (as Ctrl-C sends it) while "jupyter-book" is writing.
    before = snapshot(published)
    started = tmp_path / "started"
    fake_jupyter_book = textwrap.dedent(f"""
        import pathlib, sys, time
        staged = pathlib.Path(sys.argv[1]) / "_build" / "html"
        (staged / "index.html").write_text("<html>half</html>")
        (staged / "_images" / "fig.png").unlink()
        pathlib.Path({str(started)!r}).write_text("")
        time.sleep(60)
    """)
    driver = textwrap.dedent(f"""
        import sys
        from analysis.build import html, mathjax
        mathjax.ensure_mathjax = lambda: None
        html._jupyter_book = lambda output, strict: [sys.executable, "-c", {fake_jupyter_book!r}, str(output)]
        html.build_html()
    """)
    process = subprocess.Popen([sys.executable, "-c", driver], env=os.environ.copy(), start_new_session=True)
    try:
        for _ in range(300):
            if started.exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        assert started.exists(), "the fake build never started"
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(20) != 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert snapshot(published) == before
    assert html.stamp_path().read_text() == "old\n"
