"""Rebuild timings against what a user would otherwise do (``make bench`` runs this).

In a temporary copy of the project (source, notebooks, book, processed data), it times:

- *forced*: ``python -m analysis run --force --jobs 2`` then ``python -m analysis book``;
- *no change*: the same without ``--force`` (nothing to execute, HTML build skipped), median of rounds;
- *one module*: after a comment is added to one topic module, the runs that import it re-execute;
- *make book, nothing changed*: in this checkout, when nothing in it is stale (median of rounds);
- *naive*: ``jupyter-book build`` with ``execute_notebooks: force`` on the same executed notebooks,
  the way a book without this pipeline is rebuilt, once per bench (it takes minutes).

and prints each against the naive build as a ratio. Timings are reported, never asserted.
``python benchmarks/rebuild.py --rounds 3 --module gap/compute.py``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def copy_project(target: Path) -> None:
    """The files a rebuild reads, copied; the package too, so that one module can be edited."""
    shutil.copytree(ROOT / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "notebooks", target / "notebooks")
    shutil.copytree(
        ROOT / "book", target / "book", ignore=shutil.ignore_patterns("_build", "node_modules"), symlinks=True
    )
    (target / "data" / "raw").mkdir(parents=True)
    for authored in (ROOT / "data" / "raw").glob("*.*"):  # the registry and the authored tables
        shutil.copy(authored, target / "data" / "raw" / authored.name)
    shutil.copytree(ROOT / "data" / "processed", target / "data" / "processed")
    shutil.copy(ROOT / "requirements.lock", target / "requirements.lock")


def environment(project: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ANALYSIS_ROOT=str(project),
        PYTHONPATH=str(project / "src"),  # the copy's package comes first, in kernels too
        PYTHONHASHSEED="0",
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    return env


def timed(commands: list[list[str]], project: Path, env: dict[str, str] | None = None) -> tuple[float, str]:
    """Seconds for the commands in sequence, and the last lines of their output."""
    seconds, _, tail = timed_output(commands, project, env)
    return seconds, tail


def timed_output(commands: list[list[str]], project: Path, env: dict[str, str] | None = None) -> tuple[float, str, str]:
    """Seconds for the commands in sequence, their whole standard output, and the last lines of each's output."""
    start = time.perf_counter()
    tail, stdout = [], []
    for command in commands:
        completed = subprocess.run(
            command, cwd=project, env=env or environment(project), capture_output=True, text=True, check=False
        )
        stdout.append(completed.stdout)
        tail += (completed.stdout + completed.stderr).strip().splitlines()[-3:]
        if completed.returncode != 0:
            tail.append(f"(exit status {completed.returncode}: {' '.join(command[-3:])})")
    return time.perf_counter() - start, "".join(stdout), "\n".join(tail)


_RUN_TIME = re.compile(r"  (\S+) +(\d+(?:\.\d+)?) s")


def run_times(output: str) -> dict[str, float]:
    """Each executed run's wall time from the report ``python -m analysis run`` prints at its end.

    Reads the lines after ``wall time of the N executed runs``, ``  NAME  12.3 s`` (the total line
    is not one of them).
    """
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("wall time of the ")), None)
    if start is None:
        return {}
    times = {}
    for line in lines[start + 1 :]:
        match = _RUN_TIME.fullmatch(line)
        if not match:
            break
        times[match.group(1)] = float(match.group(2))
    return times


def make_book_unchanged(rounds: int) -> list[float]:
    """``make book`` timings in this checkout, or none when something in it would be rebuilt.

    Measured here rather than in the copy because it includes make's own checks (the venv and
    data stamps); skipped when a run is stale, so that the benchmark never re-executes a page here.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    # The build benchmark rewrites the processed tables (same bytes, new times): settle make's data
    # stamp first, untimed, so that the rounds measure a checkout where nothing changed.
    subprocess.run(["make", "--no-print-directory", "data"], cwd=ROOT, env=env, capture_output=True, check=False)
    dry = subprocess.run(
        [str(BIN / "python"), "-m", "analysis", "run", "--dry-run"], cwd=ROOT, capture_output=True, text=True
    )
    stale = [line.split()[0] for line in dry.stdout.splitlines() if not re.search(r"\sunchanged\s", line)]
    if stale or dry.returncode != 0:
        print(
            f"make book not timed: this checkout would rebuild {', '.join(stale) or '(dry run failed)'}",
            file=sys.stderr,
        )
        return []
    return [timed([["make", "--no-print-directory", "book"]], ROOT, env)[0] for _ in range(rounds)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the no-change rebuild (default: 3)")
    parser.add_argument(
        "--module", default="gap/compute.py", help="module under src/analysis to edit (default: gap/compute.py)"
    )
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not (ROOT / "src" / "analysis" / args.module).is_file():
        parser.error(f"--module {args.module}: no such file under src/analysis")
    python = str(BIN / "python")
    run = [python, "-m", "analysis", "run", "--jobs", str(args.jobs)]
    book = [python, "-m", "analysis", "book"]
    rows: dict[str, float] = {}
    from analysis.build.mathjax import ensure_mathjax

    ensure_mathjax()  # once, in this project (git-ignored), so that the copy builds offline
    with tempfile.TemporaryDirectory(prefix="analysis-bench-") as folder:
        project = Path(folder) / "project"
        copy_project(project)

        rows["forced rebuild (run --force + book)"], output, log = timed_output([[*run, "--force"], book], project)
        print(log, file=sys.stderr)
        per_run = run_times(output)
        no_change = [timed([run, book], project)[0] for _ in range(args.rounds)]
        rows[f"no-change rebuild (run + book), median of {args.rounds}"] = statistics.median(no_change)

        module = project / "src" / "analysis" / args.module
        with open(module, "a", encoding="utf-8") as handle:
            handle.write("\n# a comment added by the benchmark\n")
        dry = subprocess.run(
            [*run[:4], "--dry-run"], cwd=project, env=environment(project), capture_output=True, text=True
        )
        stale = [line.split()[0] for line in dry.stdout.splitlines() if re.search(r"\sstale\s", line)]
        rows[f"one-module change ({args.module}: {len(stale)} runs stale)"], log = timed([run, book], project)
        print(log, file=sys.stderr)

        # The naive way: jupyter-book executes every page itself, every time.
        config = project / "book" / "_config.yml"
        text = config.read_text()
        text = re.sub(r'execute_notebooks:\s*"?off"?', 'execute_notebooks: "force"\n  timeout: -1', text)
        config.write_text(text)
        shutil.rmtree(project / "book" / "_build", ignore_errors=True)
        rows["naive: jupyter-book build, execute_notebooks: force"], log = timed(
            [[str(BIN / "jupyter-book"), "build", "book", "--keep-going"]], project
        )
        print(log, file=sys.stderr)

    make_book = make_book_unchanged(args.rounds)
    if make_book:
        rows[f"make book, nothing changed (this checkout), median of {args.rounds}"] = statistics.median(make_book)

    naive = rows["naive: jupyter-book build, execute_notebooks: force"]
    width = max(len(k) for k in rows)
    print(f"\n{'rebuild':<{width}}  {'seconds':>8}  {'÷ naive':>8}")
    for name, seconds in rows.items():
        print(f"{name:<{width}}  {seconds:8.1f}  {seconds / naive:8.3f}")
    forced = rows["forced rebuild (run --force + book)"]
    if per_run:
        print(f"\nforced rebuild, each run's wall time (the raw data of {forced:.1f} s, {forced / naive:.3f} × naive):")
        name_width = max(len(name) for name in per_run)
        for name, seconds in per_run.items():
            print(f"  {name:<{name_width}}  {seconds:6.1f} s  {seconds / naive:6.3f} × naive")
        print(f"  {'sum':<{name_width}}  {sum(per_run.values()):6.1f} s (runs side by side: more than the wall time)")
    print(f"\nno-change rounds (s): {', '.join(f'{s:.2f}' for s in no_change)}")
    if make_book:
        print(f"make book rounds (s): {', '.join(f'{s:.2f}' for s in make_book)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
