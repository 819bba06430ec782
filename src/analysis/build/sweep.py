"""Country sweeps: one parameterised page per economy, outside the book, with a summary table.

``python -m analysis sweep notebooks/01_growth.md --countries all`` executes the
notebook once per economy (its ``country`` parameter) into ``build/sweeps/<notebook>/``:
``pages/<ISO3>.ipynb``, ``results/<ISO3>.csv`` and ``summary.csv``, one row per economy and
result (result ids with the economy's code replaced by ``<country>``, so they line up across
economies). An economy whose data cannot support the page gets a one-line reason in the
summary instead of a page. Runs are cached like the book's (``sweep.lock``, same input keys;
a failure is cached too, until an input changes). Tasks run in local worker processes, or on
a Dask distributed cluster with ``--scheduler ADDRESS`` (workers need this project and its
processed data at the same path, or ``ANALYSIS_ROOT`` set).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import nbformat
import pandas as pd

from analysis import paths
from analysis.build import cache, pipeline
from analysis.build.execute import LocalWorkers, in_process, read_source
from analysis.cli import parse_country_list
from analysis.errors import InputError, available, inside, shorten
from analysis.io import write_text_atomic

PARAMETER = "country"
SUMMARY_COLUMNS = ["iso3", "status", "reason", "result_id", "value", "unit"]


def sweeps_dir() -> Path:
    return paths.repo_root() / "build" / "sweeps"


def resolve_notebook(text: str) -> Path:
    """A source notebook given as a path or a name (``01_growth``); only one inside notebooks/."""
    root = paths.repo_root()
    for candidate in (text, f"notebooks/{text}"):
        path = Path(os.path.normpath(root / candidate))
        if Path(candidate).is_absolute() or path.is_file():
            inside(root / "notebooks", candidate, "The notebook", root)
    candidates = [root / text, root / "notebooks" / text, root / "notebooks" / f"{text}.md"]
    candidates.append(root / "notebooks" / f"{text}.ipynb")
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        names = [p.stem for p in (root / "notebooks").glob("*.md")] if (root / "notebooks").is_dir() else []
        raise InputError(f"No source notebook {shorten(text)!r}. Available in notebooks/: {available(names)}.")
    return found


def _parameter_cell(source: nbformat.NotebookNode, path: Path) -> None:
    cell = next((c for c in source.cells if "parameters" in c.metadata.get("tags", [])), None)
    tree = cache.parse_code(cell.source) if cell is not None else None
    names = {t.id for node in (tree.body if tree else []) for t in getattr(node, "targets", []) if hasattr(t, "id")}
    if PARAMETER not in names:
        raise InputError(
            f"{paths.relative(path)} has no `{PARAMETER}` parameter (a cell tagged `parameters` assigning it), "
            "so it cannot be swept over economies."
        )


def economies(source: nbformat.NotebookNode) -> tuple[list[str], set[str]]:
    """(economies in every table the page's own cells load, economies in any table it depends on).

    The page's own ``load(...)`` calls name its subject data (PWT for the growth page); tables
    read only inside the package (WDI for the targets tracker, say) do not narrow ``all``: an
    economy they lack runs, and its summary row says why if the page cannot be made. A page
    whose cells load nothing themselves sweeps the economies of every table it depends on.
    """
    cells = [c.source for c in source.cells if c.cell_type == "code"]
    deps = cache.dependencies(cells)  # its tables include those the cells load
    own = cache.tables_loaded_by_cells(cells)

    def economies_in(names: set[str]) -> list[set[str]]:
        sets = []
        for table in sorted(paths.processed_dir().glob("*.parquet")):
            if cache.ALL_TABLES not in names and table.stem not in names:
                continue
            try:
                sets.append(set(pd.read_parquet(table, columns=["iso3"])["iso3"].dropna()))
            except (KeyError, ValueError):
                continue  # a table without an iso3 column says nothing about economies
        return sets

    subject = economies_in(own or deps.tables)
    if not subject:
        raise InputError("The notebook reads no processed table with economies (iso3); give --countries ISO3,...")
    return sorted(set.intersection(*subject)), set.union(*economies_in(deps.tables))


def _one_line(message: str) -> str:
    """The reason a page could not be made: the exception's own line, without the run preamble."""
    line = message.strip().splitlines()[0] if message.strip() else "failed"
    return line.split("source notebook): ", 1)[-1]


def sweep(
    notebook: str,
    countries: str,
    jobs: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    report=print,
) -> pd.DataFrame:
    """Execute ``notebook`` for each economy; return (and write) the cross-country summary."""
    from tqdm.auto import tqdm

    if jobs < 1:
        raise InputError(f"--jobs must be at least 1 (got {jobs}).")
    if scheduler is not None:
        from analysis.build.execute import scheduler_address

        scheduler_address(scheduler)  # before any work: a typo fails at once, not after a timeout
    path = resolve_notebook(notebook)
    source = read_source(path)
    _parameter_cell(source, path)
    pipeline.check_source(pipeline.Run(name=path.stem, notebook=path, output=path), source)
    common, known = economies(source)
    if countries.strip().lower() == "all":
        codes = common
    else:
        codes = list(dict.fromkeys(parse_country_list(countries)))
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise InputError(f"Unknown economies {unknown}. Available: {available(known)}.")
    folder = sweeps_dir() / path.stem
    lock_file = folder / "sweep.lock"
    lock = cache.read_lock(lock_file)
    plans: dict[str, pipeline.Plan] = {}
    cached = 0
    for code in codes:
        run = pipeline.Run(
            name=f"{path.stem}_{code}",
            notebook=path,
            output=folder / "pages" / f"{code}.ipynb",
            parameters={PARAMETER: code},
        )
        inputs = cache.run_inputs(source.cells, run.name, run.parameters, f"pages/{code}.ipynb")
        entry = lock.get(code)
        fresh = entry is not None and entry.key == cache.key_of(inputs)
        done = fresh and (entry.failed or (run.output.exists() and cache.file_hash(run.output) == entry.output))
        if done and not force:
            cached += 1
            continue
        plans[code] = pipeline.Plan(run, "stale", "", inputs, cache.page_hash(source.cells, ""), "", source)
    report(f"{path.stem}: {len(codes)} economies, {cached} unchanged, {len(plans)} to execute")
    tasks = [pipeline.task_for(p) | {"code": code} for code, p in plans.items()]
    if scheduler:
        from analysis.build.execute import DaskWorkers

        workers = DaskWorkers(scheduler)
        executor = workers.map
    else:
        workers = None
        count = min(jobs, len(tasks), pipeline.cpu_count())
        executor = LocalWorkers(count).map if count > 1 else in_process
    try:
        with tqdm(total=len(tasks), desc=path.stem, unit="page", disable=not tasks) as bar:
            for task, outcome in executor(tasks):
                code = task["code"]
                plan = plans[code]
                entry = cache.Entry(key=cache.key_of(plan.inputs), inputs=plan.inputs)
                try:
                    page = pipeline.publishable(plan.run, outcome)
                except pipeline.PipelineError as exc:
                    entry.failed = _one_line(str(exc))
                else:
                    text = nbformat.writes(page) + "\n"
                    results = folder / "results" / f"{code}.csv"
                    if outcome.get("results") is not None:
                        write_text_atomic(results, outcome["results"])
                    else:
                        results.unlink(missing_ok=True)
                    write_text_atomic(plan.run.output, text)
                    entry.output = cache.sha256_bytes(text.encode())
                lock[code] = entry
                cache.write_lock(lock_file, lock)
                bar.update(1)
    finally:
        if workers is not None:
            workers.close()
    summary = _summary(folder, codes, lock)
    write_text_atomic(folder / "summary.csv", summary.to_csv(index=False, lineterminator="\n", float_format="%.10g"))
    report(f"summary: {paths.relative(folder / 'summary.csv')}")
    return summary


def _summary(folder: Path, codes: list[str], lock: dict[str, cache.Entry]) -> pd.DataFrame:
    rows = []
    for code in codes:
        entry = lock.get(code)
        if entry is None or entry.failed:
            reason = entry.failed if entry else "not executed"
            rows.append({"iso3": code, "status": "no page", "reason": reason})
            continue
        table = folder / "results" / f"{code}.csv"
        if not table.exists():
            rows.append({"iso3": code, "status": "page", "reason": "the page saves no results"})
            continue
        results = pd.read_csv(io.StringIO(table.read_text(encoding="utf-8")))
        for row in results.itertuples():
            rows.append(
                {
                    "iso3": code,
                    "status": "page",
                    "reason": "",
                    "result_id": str(row.result_id).replace(code, "<country>"),
                    "value": row.value,
                    "unit": row.unit,
                }
            )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
