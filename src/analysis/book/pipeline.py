"""Execute the book's notebooks with papermill, skip those whose inputs have not changed.

``book/runs.toml`` lists the runs in order: each names a source notebook in
``notebooks/``, its parameters and the executed notebook it writes under ``book/``.
A run's *input key* hashes everything its outputs can depend on: the source notebook,
the parameters, the processed data, the committed raw tables, the code in
``src/analysis`` and (for runs marked ``reads_results``) the other runs' results tables.
The key is stored in the executed notebook's metadata; a run whose stored key equals
the current one is skipped. Executed notebooks are stripped of volatile metadata
(timings, paths), so a re-run with the same inputs leaves no ``git diff``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import tomllib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from analysis import paths
from analysis.book.results import RESULTS_DIR_ENV, RUN_NAME_ENV
from analysis.errors import AnalysisError, DataError, InputError, available
from analysis.io import write_atomic

KERNEL = "python3"
# Text that must never be published in an output: memory addresses and this machine's paths.
_VOLATILE = re.compile(r"0x[0-9a-fA-F]{6,}|/(?:home|root|tmp|work|Users)/[^\s'\"]*")


class PipelineError(AnalysisError):
    """A notebook failed to execute or produced unpublishable output."""


@dataclass(frozen=True)
class Run:
    name: str
    notebook: Path
    output: Path
    parameters: dict = field(default_factory=dict)
    reads_results: bool = False
    title: str = ""  # replaces the notebook's own title on the published page (country pages)


def read_source(path: Path) -> nbformat.NotebookNode:
    """A source notebook: MyST Markdown paired by jupytext (``.md``, reviewable as text) or ``.ipynb``."""
    import jupytext

    return jupytext.read(path) if Path(path).suffix == ".md" else nbformat.read(path, as_version=4)


def runs_path() -> Path:
    return paths.book_dir() / "runs.toml"


def load_runs(path: Path | None = None) -> list[Run]:
    """The run list, with every notebook checked to exist and every name unique."""
    path = path or runs_path()
    with open(path, "rb") as handle:
        entries = tomllib.load(handle).get("run", [])
    root = paths.repo_root()
    runs = [
        Run(
            name=e["name"],
            notebook=root / e["notebook"],
            output=root / e["output"],
            parameters=dict(e.get("parameters", {})),
            reads_results=bool(e.get("reads_results", False)),
            title=str(e.get("title", "")),
        )
        for e in entries
    ]
    names = [r.name for r in runs]
    if len(set(names)) != len(names):
        raise InputError(
            f"{paths.relative(path)} repeats run names: {sorted({n for n in names if names.count(n) > 1})}."
        )
    for run in runs:
        if not run.notebook.exists():
            raise InputError(f"Run {run.name!r}: source notebook {paths.relative(run.notebook)} does not exist.")
    return runs


def _hash_files(digest: hashlib._Hash, files: list[Path]) -> None:
    root = paths.repo_root()
    for file in sorted(files):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())


def input_key(run: Run, upstream: list[str] | None = None) -> str:
    """The content hash that decides whether ``run`` must be executed again.

    ``upstream`` names the runs whose results tables ``run`` reads (only for runs marked
    ``reads_results``); by default :func:`upstream_runs`.
    """
    root = paths.repo_root()
    digest = hashlib.sha256()
    digest.update(run.name.encode())
    digest.update(json.dumps(run.parameters, sort_keys=True).encode())
    digest.update(run.title.encode())
    processed = sorted(paths.processed_dir().glob("*.parquet"))
    if not processed:
        raise DataError("data/processed is empty: run `python -m analysis build` before executing notebooks.")
    code = [p for p in (root / "src" / "analysis").rglob("*.py") if "__pycache__" not in p.parts]
    committed = [paths.raw_dir() / "sources.toml", paths.raw_dir() / "paper_claims.csv"]
    _hash_files(digest, [run.notebook, *processed, *code, *committed])
    if run.reads_results:
        if upstream is None:
            upstream = upstream_runs(load_runs(), run.name)
        _hash_files(digest, [p for p in paths.results_dir().glob("*.csv") if p.stem in set(upstream)])
    return digest.hexdigest()


def upstream_runs(runs: list[Run], name: str) -> list[str]:
    """The runs whose results the dependent run ``name`` reads: every independent run, and the
    dependent runs listed before it (never itself or later ones, so keys cannot feed back)."""
    dependent = [r.name for r in runs if r.reads_results]
    return [r.name for r in runs if not r.reads_results] + dependent[: dependent.index(name)]


def stored_key(output: Path) -> str | None:
    if not output.exists():
        return None
    notebook = nbformat.read(output, as_version=4)
    return notebook.metadata.get("analysis", {}).get("input_key")


def clean_notebook(notebook: nbformat.NotebookNode, run: Run, key: str) -> nbformat.NotebookNode:
    """Drop volatile metadata (timings, paths) and record the run's key and parameters."""
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    notebook.metadata["analysis"] = {"run": run.name, "input_key": key, "parameters": run.parameters}
    if run.title:
        # The page title is the first heading; a country page names its country there.
        first = next(c for c in notebook.cells if c.cell_type == "markdown")
        first.source = re.sub(r"^# .*$", lambda _: f"# {run.title}", first.source, count=1, flags=re.M)
    return notebook


def unpublishable_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Descriptions of outputs that carry memory addresses or machine paths."""
    problems = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            texts = [output.get("text", "")] + [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else str(text)
                match = _VOLATILE.search(text)
                if match:
                    problems.append(f"cell {index}: {match.group(0)!r}")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                problems.append(
                    f"cell {index}: writes to stderr (a warning?): {''.join(output.get('text', ''))[:200]!r}"
                )
    return problems


def semicolon_silenced_cells(notebook: nbformat.NotebookNode) -> list[int]:
    """Code cells whose last statement is an expression silenced only by a trailing ``;``.

    nbval executes cells without storing history, and IPython then ignores the ``;``
    (nbval issue 194), so such a cell shows an output in the test that the published
    notebook does not have. Assign the value (``_ = f()``) or return ``None`` instead.
    """
    flagged = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        try:
            body = ast.parse(cell.source).body
        except SyntaxError:
            continue  # IPython magics; the kernel reports real syntax errors
        if body and isinstance(body[-1], ast.Expr) and cell.source.rstrip().endswith(";"):
            flagged.append(index)
    return flagged


def _source_cell_index(notebook_path: Path, source: str) -> int | str:
    """The failing cell's index in the source notebook (papermill counts its injected cell too)."""
    cells = read_source(notebook_path).cells
    return next((i for i, cell in enumerate(cells) if cell.source == source), "?")


def execute(run: Run, key: str) -> None:
    """Execute one run with papermill and write the cleaned notebook atomically."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    os.environ[RESULTS_DIR_ENV] = str(paths.results_dir())
    os.environ[RUN_NAME_ENV] = run.name
    source = read_source(run.notebook)
    silenced = semicolon_silenced_cells(source)
    if silenced:
        raise PipelineError(
            f"{paths.relative(run.notebook)}: cells {silenced} end with an expression silenced by ';', which nbval "
            "does not honour. Assign the value (`_ = ...`) or call a function that returns None."
        )
    run.output.parent.mkdir(parents=True, exist_ok=True)
    try:
        executed = papermill.execute_notebook(
            source,
            None,  # keep the executed notebook in memory; it is written only once clean
            parameters=run.parameters,
            kernel_name=KERNEL,
            cwd=str(run.output.parent),
            progress_bar=False,
            log_output=False,
        )
    except PapermillExecutionError as exc:
        raise PipelineError(
            f"{paths.relative(run.notebook)} (run {run.name!r}) failed in cell {_source_cell_index(run.notebook, exc.source)} "
            f"(numbered from 0 in the source notebook): {exc.ename}: {exc.evalue}"
        ) from None
    finally:
        os.environ.pop(RUN_NAME_ENV, None)
    cleaned = clean_notebook(executed, run, key)
    problems = unpublishable_outputs(cleaned)
    if problems:
        raise PipelineError(
            f"{paths.relative(run.notebook)} (run {run.name!r}) produced output that cannot be published "
            f"(memory addresses, machine paths or warnings): {'; '.join(problems)}. Fix it at the source."
        )
    write_atomic(run.output, lambda tmp: nbformat.write(cleaned, str(tmp)))


def _execute_if_stale(run: Run, force: bool, upstream: list[str] | None = None) -> tuple[str, str]:
    key = input_key(run, upstream)
    if not force and stored_key(run.output) == key:
        return run.name, "unchanged"
    execute(run, key)
    return run.name, "executed"


def run_all(names: list[str] | None = None, jobs: int = 1, force: bool = False, report=print) -> dict[str, str]:
    """Execute the stale runs (or all with ``force``); ``names`` restricts to some runs.

    Independent runs go first, ``jobs`` at a time; runs that read other runs' results
    go afterwards, one by one in list order, so they see fresh results. A dependent run
    reads the results of the independent runs and of the dependent runs listed before it.
    """
    runs = load_runs()
    all_runs = list(runs)
    if names:
        unknown = sorted(set(names) - {r.name for r in runs})
        if unknown:
            raise InputError(
                f"Unknown runs {unknown}. Runs in {paths.relative(runs_path())}: {available(r.name for r in runs)}."
            )
        runs = [r for r in runs if r.name in names]
    independent = [r for r in runs if not r.reads_results]
    dependent = [r for r in runs if r.reads_results]
    status: dict[str, str] = {}
    if jobs > 1 and len(independent) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for name, outcome in pool.map(_execute_if_stale, independent, [force] * len(independent)):
                status[name] = outcome
                report(f"{outcome:>9}  {name}")
    else:
        for run in independent:
            name, outcome = _execute_if_stale(run, force)
            status[name] = outcome
            report(f"{outcome:>9}  {name}")
    for run in dependent:
        name, outcome = _execute_if_stale(run, force, upstream_runs(all_runs, run.name))
        status[name] = outcome
        report(f"{outcome:>9}  {name}")
    return status
