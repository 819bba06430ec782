"""Worker processes die with their parent, and nothing is written to the book after it is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SLOW = """
import time
from analysis.claims.results import ResultsRecorder
time.sleep(20)
results = ResultsRecorder(notebook="slow", parameters={})
_ = results.record("done", 1, "count")
results.save()
print("finished")
"""


def _processes() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, command line) for every process, from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), fields[0], command)
    return table


def _descendants(pid: int) -> dict[int, str]:
    table = _processes()
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, _, command) in table.items():
            if ppid == parent and child not in found:
                found[child] = command
                frontier.append(child)
    return found


def _alive(pid: int) -> bool:
    entry = _processes().get(pid)
    return entry is not None and entry[1] != "Z"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.notebooks
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_sigkill_of_run_jobs_2_leaves_no_worker_and_no_write(tmp_repo):
    import pandas as pd

    pd.DataFrame({"iso3": ["AAA"]}).to_parquet(tmp_repo / "data" / "processed" / "pwt.parquet")
    (tmp_repo / "notebooks").mkdir()
    (tmp_repo / "book").mkdir()
    nb = new_notebook(cells=[new_markdown_cell("# Slow"), new_code_cell("x = 1", metadata={"tags": ["parameters"]})])
    nb.cells.append(new_code_cell(SLOW.strip()))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_repo / "notebooks" / "slow.ipynb")
    (tmp_repo / "book" / "runs.toml").write_text(
        "".join(
            f'[[run]]\nname = "slow{i}"\nnotebook = "notebooks/slow.ipynb"\noutput = "book/slow{i}.ipynb"\n'
            f"parameters = {{ x = {i} }}\n"
            for i in range(3)
        )
    )
    env = os.environ | {"ANALYSIS_ROOT": str(tmp_repo)}
    parent = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", "--jobs", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # Wait until two kernels are busy in their 20-second cell.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            kernels = [c for c in _descendants(parent.pid).values() if "ipykernel" in c]
            if len(kernels) >= 2:
                break
            time.sleep(0.5)
        assert len(kernels) >= 2, "the kernels did not start"
        time.sleep(3)
        workers = _descendants(parent.pid)
        before = _snapshot(tmp_repo / "book")
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    finally:
        if parent.poll() is None:
            parent.kill()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    survivors = {p: c for p, c in workers.items() if _alive(p)}
    for pid in survivors:  # do not leave them running if the test fails
        os.kill(pid, signal.SIGKILL)
    assert survivors == {}
    time.sleep(25)  # longer than the notebooks' sleeping cell: an orphan would have written by now
    assert _snapshot(tmp_repo / "book") == before
