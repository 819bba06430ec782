"""Issue 26, item 4: `fetch` and `build` take the lock of `run` and `book`, so that two of them at
once (two fresh `make book`) wait for each other instead of deleting each other's partial files."""

from __future__ import annotations

import fcntl
import threading

import pytest

from analysis import cli
from analysis.build import pipeline


@pytest.mark.parametrize("argv", [["fetch", "--mirror", "{mirror}"], ["build"]])
def test_fetch_and_build_wait_for_a_build_in_progress(tmp_repo, tmp_path, capsys, argv):
    argv = [a.format(mirror=tmp_path / "no-mirror") for a in argv]
    lock = tmp_repo / ".build" / "book.lock"
    lock.parent.mkdir()
    status = []
    thread = threading.Thread(target=lambda: status.append(cli.main(argv)))
    with open(lock, "w") as first:
        fcntl.flock(first, fcntl.LOCK_EX)  # `run`, `book` or another `fetch` holds the lock
        thread.start()
        thread.join(1.0)
        assert thread.is_alive() and not status, f"{argv[0]} did not wait for the lock"
        fcntl.flock(first, fcntl.LOCK_UN)
    thread.join(20)
    assert status == [2]  # then it ran: no mirror, no raw files
    assert "waiting for another build of the book to finish" in capsys.readouterr().out


def test_deposit_needs_no_lock(tmp_repo, tmp_path):
    lock = tmp_repo / ".build" / "book.lock"
    lock.parent.mkdir()
    status = []
    thread = threading.Thread(target=lambda: status.append(cli.main(["deposit", "--output", str(tmp_path / "x")])))
    with open(lock, "w") as first:
        fcntl.flock(first, fcntl.LOCK_EX)
        thread.start()
        thread.join(20)
        assert status == [2]  # it ran while the lock was held (and refused: no raw files)


def test_the_lock_is_re_entrant_within_a_command(tmp_repo):
    done = threading.Event()

    def nested():
        with pipeline.build_lock(), pipeline.build_lock():
            done.set()

    thread = threading.Thread(target=nested)
    thread.start()
    thread.join(5)
    assert done.is_set()
