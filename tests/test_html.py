"""The HTML build: skipped when no page source changed, refused while pages are stale."""

from __future__ import annotations

import subprocess

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


def test_unchanged_sources_skip_the_build(book, monkeypatch, capsys):
    calls = []

    def fake_build(command, cwd):
        calls.append(command)
        (book / "_build" / "html").mkdir(parents=True, exist_ok=True)
        (book / "_build" / "html" / "index.html").write_text("<html></html>")
        return subprocess.CompletedProcess(command, 0 if not outcome else outcome.pop())

    outcome = []
    monkeypatch.setattr(html.subprocess, "run", fake_build)
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
    monkeypatch.setattr(html.subprocess, "run", lambda *a, **k: pytest.fail("built a stale book"))
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
