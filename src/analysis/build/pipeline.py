"""Execute the book's notebooks with papermill, only those whose inputs changed.

``book/runs.toml`` lists the runs in order: each names a source notebook in ``notebooks/``,
its parameters and the executed notebook it writes under ``book/``. What a run depends on,
and the lock file ``book/runs.lock`` that records it, are described in
:mod:`analysis.build.cache`. A run is

- *unchanged* when its inputs and the files it wrote match the lock file: nothing to do;
- *stale, page only* when only its Markdown (or title) changed: the new text is merged into
  the executed notebook, nothing is executed;
- *stale* otherwise: it is executed, in a worker that writes nothing; the executed notebook is
  cleaned and checked, and only then are its results table, notebook and lock entry written.

Executed notebooks carry deterministic cell ids and no volatile metadata, so a re-run with
the same inputs leaves no ``git diff``.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import paths
from analysis.build import cache
from analysis.build.execute import read_source
from analysis.build.publish import (
    PipelineError,
    clean_notebook,
    merge_page,
    semicolon_silenced_cells,
    unpublishable_outputs,
)
from analysis.errors import InputError, available, inside
from analysis.io import build_lock  # one lock for run, book, fetch and build (re-exported here)
from analysis.io import atomic_path, write_text_atomic

if TYPE_CHECKING:
    # nbformat is imported only when a notebook is read or written: its import (jsonschema with
    # format checkers) costs seconds, and an unchanged book must be checked in well under that.
    import nbformat

PAGE_ONLY = "page only"


@dataclass(frozen=True)
class Run:
    name: str
    notebook: Path
    output: Path
    parameters: dict = field(default_factory=dict)
    reads_results: bool = False
    title: str = ""  # replaces the notebook's own title on the published page (country pages)


def runs_path() -> Path:
    return paths.book_dir() / "runs.toml"


def lock_path() -> Path:
    return paths.book_dir() / "runs.lock"


def load_runs(path: Path | None = None) -> list[Run]:
    """The run list, checked: valid TOML, required keys, unique names, notebooks exist, outputs in ``book/``."""
    path = path or runs_path()
    where = paths.relative(path)
    try:
        with open(path, "rb") as handle:
            entries = tomllib.load(handle).get("run", [])
    except FileNotFoundError:
        raise InputError(f"{where} does not exist: it lists the notebook runs of the book.") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{where} is not valid TOML ({exc}).") from None
    root = paths.repo_root()
    book = paths.book_dir().resolve()
    runs = []
    for number, entry in enumerate(entries, start=1):
        missing = [k for k in ("name", "notebook", "output") if not isinstance(entry.get(k), str) or not entry.get(k)]
        if missing:
            label = repr(entry["name"]) if isinstance(entry.get("name"), str) else f"number {number}"
            raise InputError(
                f"{where}: run {label} has no {', '.join(missing)}; every run needs name, notebook and output."
            )
        output = root / entry["output"]
        if not output.resolve().is_relative_to(book) or output.suffix != ".ipynb":
            raise InputError(
                f"{where}: run {entry['name']!r} writes {entry['output']!r}; an output must be an .ipynb under book/."
            )
        if not isinstance(entry.get("parameters", {}), dict):
            raise InputError(f"{where}: run {entry['name']!r}: parameters must be a table, e.g. {{ country = 'KOR' }}.")
        runs.append(
            Run(
                name=entry["name"],
                notebook=inside(
                    root / "notebooks", entry["notebook"], f"{where}: run {entry['name']!r} reads the notebook", root
                ),
                output=output,
                parameters=dict(entry.get("parameters", {})),
                reads_results=bool(entry.get("reads_results", False)),
                title=str(entry.get("title", "")),
            )
        )
    names = [r.name for r in runs]
    if len(set(names)) != len(names):
        raise InputError(f"{where} repeats run names: {sorted({n for n in names if names.count(n) > 1})}.")
    outputs = [r.output for r in runs]
    if len(set(outputs)) != len(outputs):
        raise InputError(f"{where}: two runs write the same output.")
    for run in runs:
        if not run.notebook.exists():
            raise InputError(f"Run {run.name!r}: source notebook {paths.relative(run.notebook)} does not exist.")
    return runs


def upstream_runs(runs: list[Run], name: str) -> list[str]:
    """The runs whose results the dependent run ``name`` reads: every independent run, and the
    dependent runs listed before it (never itself or later ones, so keys cannot feed back)."""
    dependent = [r.name for r in runs if r.reads_results]
    return [r.name for r in runs if not r.reads_results] + dependent[: dependent.index(name)]


def results_path(name: str) -> Path:
    return paths.results_dir() / f"{name}.csv"


# --- status ----------------------------------------------------------------------------------


@dataclass
class Plan:
    run: Run
    state: str  # "unchanged", "stale" or PAGE_ONLY
    reason: str
    inputs: dict[str, str]
    page: str
    source_id: str
    _source: nbformat.NotebookNode | None = None

    @property
    def source(self) -> nbformat.NotebookNode:
        """The source notebook, read only when needed (an unchanged run is decided without it)."""
        if self._source is None:
            self._source = read_source(self.run.notebook)
        return self._source


def _source_id(run: Run) -> str:
    return cache.sha256_bytes(run.notebook.read_bytes() + b"\0" + run.title.encode())


def _outputs_intact(run: Run, entry: cache.Entry) -> str:
    """Why the files a run wrote no longer match the lock file ("" when they do)."""
    if not run.output.exists():
        return f"{paths.relative(run.output)} is missing"
    if cache.file_hash(run.output) != entry.output:
        return f"{paths.relative(run.output)} was changed or damaged on disk"
    result = results_path(run.name)
    if entry.results and (not result.exists() or cache.file_hash(result) != entry.results):
        return f"{paths.relative(result)} was changed or removed on disk"
    return ""


def plan_run(run: Run, entry: cache.Entry | None, upstream: list[str] = (), upstream_failed=()) -> Plan:
    """Whether ``run`` must execute, re-render or nothing, and why."""
    upstream = list(upstream) if run.reads_results else None
    output = paths.relative(run.output)
    source_id = _source_id(run)
    if entry is not None and entry.key and not entry.failed and entry.source == source_id:
        # Fast path: the source file is byte-identical, so re-hashing the recorded inputs decides.
        now = cache.recorded_inputs_now(entry.inputs, run.name, run.parameters, output, upstream)
        if now is not None and cache.key_of(now) == entry.key and not _outputs_intact(run, entry):
            failed = [n for n in upstream or [] if n in upstream_failed]
            if not failed:
                return Plan(run, "unchanged", "inputs and outputs match runs.lock", now, entry.page, source_id)
    source = read_source(run.notebook)
    inputs = cache.run_inputs(source.cells, run.name, run.parameters, output, upstream)
    page = cache.page_hash(source.cells, run.title)

    def plan(state: str, reason: str) -> Plan:
        return Plan(run, state, reason, inputs, page, source_id, source)

    if entry is not None and entry.failed:
        return plan("stale", f"failed last time: {entry.failed.splitlines()[0][:160]}")
    if entry is None or not entry.key:
        return plan("stale", "never executed")
    damaged = _outputs_intact(run, entry)
    if damaged:
        return plan("stale", damaged)
    failed = [n for n in upstream or [] if n in upstream_failed]
    if failed:
        return plan("stale", f"reads results of failed runs: {', '.join(failed)}")
    if cache.key_of(inputs) != entry.key:
        return plan("stale", cache.changed_inputs(entry.inputs, inputs))
    if page != entry.page:
        return plan(PAGE_ONLY, "only Markdown or title changed: the page is re-rendered, nothing executed")
    return plan("unchanged", "inputs and outputs match runs.lock")


def status(names: list[str] | None = None) -> list[tuple[str, str, str]]:
    """``(name, state, reason)`` for every run (or ``names``), executing nothing.

    The state is ``unchanged``, ``stale`` (to execute) or :data:`PAGE_ONLY` (to re-render from the
    existing outputs). A dependent run is stale when a run it reads is stale: its results will change.
    """
    runs = _select(load_runs(), names)
    all_runs = load_runs()
    lock = cache.read_lock(lock_path())
    failed = {n for n, e in lock.items() if e.failed}
    rows, stale = [], set()
    for run in [r for r in runs if not r.reads_results] + [r for r in runs if r.reads_results]:
        upstream = upstream_runs(all_runs, run.name) if run.reads_results else []
        plan = plan_run(run, lock.get(run.name), upstream, failed)
        state, reason = plan.state, plan.reason
        pending = [n for n in upstream if n in stale]
        if state == "unchanged" and pending:
            state, reason = "stale", f"reads results of stale runs: {', '.join(pending)}"
        if state == "stale":
            stale.add(run.name)
        rows.append((run.name, state, reason))
    return rows


# --- running -------------------------------------------------------------------------------




def _select(runs: list[Run], names: list[str] | None) -> list[Run]:
    if not names:
        return runs
    unknown = sorted(set(names) - {r.name for r in runs})
    if unknown:
        raise InputError(
            f"Unknown runs {unknown}. Runs in {paths.relative(runs_path())}: {available(r.name for r in runs)}."
        )
    return [r for r in runs if r.name in names]


def task_for(plan: Plan) -> dict:
    import nbformat

    return {
        "name": plan.run.name,
        "label": paths.relative(plan.run.notebook),
        "source": nbformat.writes(plan.source),
        "parameters": plan.run.parameters,
        "root": str(paths.repo_root()),
    }


def check_source(run: Run, source: nbformat.NotebookNode) -> None:
    silenced = semicolon_silenced_cells(source)
    if silenced:
        raise PipelineError(
            f"{paths.relative(run.notebook)}: cells {silenced} end with an expression silenced by ';', which nbval "
            "does not honour. Assign the value (`_ = ...`) or call a function that returns None."
        )


def publishable(run: Run, outcome: dict) -> nbformat.NotebookNode:
    """The cleaned executed notebook, or :class:`PipelineError` saying why it cannot be published."""
    import nbformat

    if not outcome["ok"]:
        raise PipelineError(outcome["error"])
    cleaned = clean_notebook(nbformat.reads(outcome["notebook"], as_version=4), run)
    problems = unpublishable_outputs(cleaned)
    if problems:
        raise PipelineError(
            f"{paths.relative(run.notebook)} (run {run.name!r}) produced output that cannot be published "
            f"(memory addresses, machine paths or warnings): {'; '.join(problems)}. Fix it at the source."
        )
    return cleaned


class _Book:
    """The parent's view of the book while running: it alone writes notebooks, results and the lock."""

    def __init__(self):
        self.lock = cache.read_lock(lock_path())

    def commit(self, plan: Plan, notebook: nbformat.NotebookNode, results: str | None, executed: bool) -> None:
        """Notebook and results table together, then the lock entry; an interruption leaves the run stale.

        The notebook is written to its temporary file first: if it cannot be written, the results
        table is left as it was (both or neither); it is moved in place only after the table.
        """
        import nbformat

        entry = self.lock.get(plan.run.name, cache.Entry())
        text = nbformat.writes(notebook) + "\n"
        with atomic_path(plan.run.output) as page:
            page.write_text(text, encoding="utf-8")
            if executed:
                table = results_path(plan.run.name)
                if results is not None:
                    write_text_atomic(table, results)
                    entry.results = cache.sha256_bytes(results.encode())
                else:
                    table.unlink(missing_ok=True)  # the page no longer saves results: old ones would mislead
                    entry.results = ""
        entry.output = cache.sha256_bytes(text.encode())
        entry.key, entry.page, entry.inputs, entry.failed = cache.key_of(plan.inputs), plan.page, plan.inputs, ""
        entry.source = plan.source_id
        self.lock[plan.run.name] = entry
        cache.write_lock(lock_path(), self.lock)

    def fail(self, run: Run, message: str) -> None:
        entry = self.lock.get(run.name, cache.Entry())
        entry.failed = message
        self.lock[run.name] = entry
        cache.write_lock(lock_path(), self.lock)


def timing_report(seconds: dict[str, float], elapsed: float) -> list[str]:
    """The lines ``run`` prints at the end: each executed run's wall time, the slowest first, then the total.

    ``seconds`` maps run names to their wall time; ``elapsed`` is the wall time of the whole
    command (less than the sum when runs execute side by side). No line when nothing was executed.
    """
    if not seconds:
        return []
    ordered = sorted(seconds.items(), key=lambda item: (-item[1], item[0]))
    width = max(len(name) for name in seconds)
    lines = [f"wall time of the {len(seconds)} executed runs, the slowest first:"]
    lines += [f"  {name:<{width}}  {value:6.1f} s" for name, value in ordered]
    lines.append(f"  {'total':<{width}}  {sum(seconds.values()):6.1f} s of execution, {elapsed:.1f} s elapsed")
    return lines


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_all(
    names: list[str] | None = None,
    jobs: int = 1,
    force: bool = False,
    report: Callable[[str], None] = print,
    executor=None,
) -> dict[str, str]:
    """Execute the stale runs (or all with ``force``); ``names`` restricts to some runs.

    Independent runs go first, up to ``jobs`` at a time (never more than the runs to execute or
    the CPUs); runs that read other runs' results go afterwards, one by one in list order. Every
    failure is reported; the failed runs' pages, results and cache entries are left as they were,
    and :class:`PipelineError` lists them all at the end.
    """
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1 (got {jobs}).")
    all_runs = load_runs()
    runs = _select(all_runs, names)
    outcome: dict[str, str] = {}
    errors: dict[str, str] = {}
    seconds: dict[str, float] = {}  # wall time of each executed run
    started = time.perf_counter()
    with build_lock():
        book = _Book()

        def finish(plan: Plan, result: dict) -> None:
            if "seconds" in result:
                seconds[plan.run.name] = float(result["seconds"])
            try:
                notebook = publishable(plan.run, result)
            except PipelineError as exc:
                errors[plan.run.name] = str(exc)
                book.fail(plan.run, str(exc))
                outcome[plan.run.name] = "failed"
                report(f"{'failed':>11}  {plan.run.name}: {exc}")
                return
            book.commit(plan, notebook, result.get("results"), executed=True)
            outcome[plan.run.name] = "executed"
            report(f"{'executed':>11}  {plan.run.name}")

        def settle(plan: Plan) -> bool:
            """Handle an unchanged or page-only run; True when it must be executed."""
            if force or plan.state == "stale":
                try:
                    check_source(plan.run, plan.source)
                except PipelineError as exc:
                    finish(plan, {"ok": False, "error": str(exc)})
                    return False
                return True
            if plan.state == PAGE_ONLY:
                import nbformat

                executed = nbformat.read(plan.run.output, as_version=4)
                book.commit(plan, merge_page(executed, plan.source, plan.run), None, executed=False)
                outcome[plan.run.name] = "re-rendered"
            else:
                outcome[plan.run.name] = "unchanged"
            report(f"{outcome[plan.run.name]:>11}  {plan.run.name}")
            return False

        independent = [plan_run(r, book.lock.get(r.name)) for r in runs if not r.reads_results]
        to_execute = [p for p in independent if settle(p)]
        workers = min(jobs, len(to_execute), cpu_count())
        if executor is None:
            from analysis.build.execute import LocalWorkers, in_process

            executor = LocalWorkers(workers).map if workers > 1 else in_process
        by_name = {p.run.name: p for p in to_execute}
        for task, result in executor([task_for(p) for p in to_execute]):
            finish(by_name[task["name"]], result)

        from analysis.build.execute import in_process

        failed = {n for n, e in book.lock.items() if e.failed}
        for run in [r for r in runs if r.reads_results]:
            upstream = upstream_runs(all_runs, run.name)
            broken = [n for n in upstream if n in failed]
            if broken:
                outcome[run.name] = "skipped"
                report(f"{'skipped':>11}  {run.name}: reads results of failed runs: {', '.join(broken)}")
                continue
            plan = plan_run(run, book.lock.get(run.name), upstream, failed)
            if settle(plan):
                for _, result in in_process([task_for(plan)]):
                    finish(plan, result)
            failed = {n for n, e in book.lock.items() if e.failed}
    for line in timing_report(seconds, time.perf_counter() - started):
        report(line)
    if errors:
        listing = "\n".join(f"  {name}: {message}" for name, message in errors.items())
        raise PipelineError(
            f"{len(errors)} of {len(outcome)} runs failed; their pages were left as they were:\n{listing}"
        )
    return outcome
