"""Issue 26, Low items: a closed pipe is quiet, a huge input is not echoed whole, the private folders
of killed runs and workers are cleared at the next start, deposit and run failures say what they are."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from analysis import cli, paths
from analysis.build import execute

REPO_ROOT = paths.repo_root()


@pytest.mark.slow
def test_a_closed_pipe_ends_the_output_quietly():
    # `python -m analysis claims | head -1`: head exits after one line and closes the pipe.
    reader = subprocess.Popen(["head", "-1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run(
        [sys.executable, "-m", "analysis", "claims"], cwd=REPO_ROOT, stdout=reader.stdin, stderr=subprocess.PIPE
    )
    reader.stdin.close()
    reader.wait(30)
    assert writer.stderr.decode() == ""
    assert writer.returncode == 0


@pytest.mark.parametrize("option", ["--labour-share", "--country"])
def test_a_huge_input_is_not_echoed_whole(capsys, option):
    assert cli.main(["growth", option, "x" * 100_000]) == 2  # 100 KB echoed before the fix
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert len(err) <= cli.ERROR_LIMIT + 100 and "characters in all)" in err


def test_capped_keeps_short_messages_and_cuts_long_ones():
    assert cli.capped("short") == "short"
    assert cli.capped("x" * 30, limit=10) == "x" * 10 + " … (cut: 30 characters in all)"


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_the_folders_of_killed_workers_are_cleared_at_the_next_start(tmp_path, monkeypatch):
    # A real SIGKILL: the process makes its workers' folder, then is killed before it can remove it.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    code = (
        "import os, signal, tempfile\n"
        "from analysis.build import execute\n"
        "print(tempfile.mkdtemp(prefix=f'analysis-workers-{os.getpid()}-', dir=execute.scratch_root()), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy())
    assert killed.returncode == -signal.SIGKILL
    left = Path(killed.stdout.strip())
    assert left.is_dir() and left.parent == tmp_path
    alive = tmp_path / f"analysis-run-{os.getpid()}-live"
    alive.mkdir()
    other = tmp_path / f"analysis-run-{_dead_pid()}-gone"
    other.mkdir()
    unrelated = tmp_path / "analysis-notes-x-y"
    unrelated.mkdir()
    assert execute.scratch_root() == str(tmp_path)
    assert not left.exists() and not other.exists()
    assert alive.is_dir() and unrelated.is_dir()  # a live process's folder and others' folders are kept


def test_deposit_output_that_cannot_be_a_new_folder_is_named_for_what_it_is(tmp_repo, tmp_path, capsys):
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me\n")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    cases = {
        existing: "is a file, not a folder",
        dangling: "is a symbolic link to a missing place",
        Path("/proc") / "analysis-deposit": "Cannot create the deposit folder",  # a kernel folder: never writable
    }
    for output, message in cases.items():
        assert cli.main(["deposit", "--output", str(output)]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert existing.read_text() == "keep me\n" and not (tmp_path / "nowhere").exists()


def test_a_file_size_limit_during_a_deposit_names_the_file_being_written(tmp_path):
    # As the issue found it: a deposit under a 3 MB file-size limit blamed the raw file it was reading.
    import resource

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (3_000_000, 3_000_000))

    env = {k: v for k, v in os.environ.items() if k != "ANALYSIS_ROOT"}
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "deposit", "--output", str(tmp_path / "out")],
        cwd=REPO_ROOT,
        env=env,
        preexec_fn=limit,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: Could not write out/") and "File too large" in done.stderr, done.stderr
    assert "data/raw" not in done.stderr and done.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # nothing half-written is left


@pytest.mark.parametrize("results", ["result_id,value\nnew,2\n", None])
def test_a_run_whose_notebook_cannot_be_written_keeps_its_results_table(tmp_repo, results):
    # Both or neither: book/chapters is a file here, so the executed notebook cannot be written.
    import nbformat.v4

    from analysis.build import pipeline

    (tmp_repo / "book" / "results").mkdir(parents=True)
    table = tmp_repo / "book" / "results" / "toy.csv"
    table.write_bytes(b"result_id,value\nold,1\n")
    (tmp_repo / "book" / "chapters").write_text("not a folder")
    run = pipeline.Run(name="toy", notebook=tmp_repo / "toy.ipynb", output=tmp_repo / "book" / "chapters" / "toy.ipynb")
    plan = pipeline.Plan(run, "stale", "", {}, "", "")
    with pytest.raises(OSError):
        pipeline._Book().commit(plan, nbformat.v4.new_notebook(), results, executed=True)
    assert table.read_bytes() == b"result_id,value\nold,1\n"
    assert sorted(p.name for p in table.parent.iterdir()) == ["toy.csv"]
