"""The notebook pipeline: execution, an honest cache, byte-identical re-runs, clear failures.

Tests marked ``notebooks`` start Jupyter kernels on toy notebooks in a temporary project
(``ANALYSIS_ROOT``); the others check the cache and the cleaning without executing anything.
"""

from __future__ import annotations

import re
import shutil
import textwrap

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis.build import cache, pipeline
from analysis.data import provenance  # toy tables carry a build record, as built ones do
from analysis.errors import DataError, InputError

from .conftest import REPO_ROOT


def _notebook(*sources: str, parameters: str = "x = 1", title: str = "# Toy\n\nSome text.") -> nbformat.NotebookNode:
    cells = [new_markdown_cell(title), new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(textwrap.dedent(s).strip()) for s in sources]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


RECORDING = """
from analysis.data import load
from analysis.claims.results import ResultsRecorder
rows = len(load("pwt"))
results = ResultsRecorder(notebook="toy", parameters={"x": x})
_ = results.record("twice_x", 2 * x, "count")
results.save()
print(f"x = {x}, rows = {rows}")
"""
FIGURE = """
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(3, 2))
_ = ax.plot([0, 1, 2], [0, x, 1])
plt.show()
"""
READER = """
from analysis import paths
from analysis.claims.results import read_all
print(read_all(paths.results_dir())["value"].tolist())
"""
RUNS = """
[[run]]
name = "reader"
notebook = "notebooks/reader.ipynb"
output = "book/reader.ipynb"
reads_results = true

[[run]]
name = "toy"
notebook = "notebooks/toy.ipynb"
output = "book/chapters/toy.ipynb"
parameters = { x = 21 }
"""


@pytest.fixture
def project(tmp_repo):
    """A tiny project: two synthetic processed tables, and two runs (one reads the other's results)."""
    provenance.write(
        "pwt", pd.DataFrame({"iso3": ["AAA", "BBB"], "value": [1.0, 2.0]}), tmp_repo / "data/processed/pwt.parquet"
    )
    provenance.write("wdi", pd.DataFrame({"iso3": ["AAA"], "other": [3.0]}), tmp_repo / "data/processed/wdi.parquet")
    (tmp_repo / "notebooks").mkdir()
    (tmp_repo / "book").mkdir()
    nbformat.write(_notebook(RECORDING, FIGURE), tmp_repo / "notebooks" / "toy.ipynb")
    nbformat.write(_notebook(READER, parameters="unused = 0"), tmp_repo / "notebooks" / "reader.ipynb")
    (tmp_repo / "book" / "runs.toml").write_text(RUNS)
    return tmp_repo


def _states(names=None) -> dict[str, tuple[str, str]]:
    return {name: (state, reason) for name, state, reason in pipeline.status(names)}


def _timed(lines: list[str]) -> list[str]:
    """The run names of timing lines ``  NAME  12.3 s``, each checked to carry a number."""
    names = []
    for line in lines:
        match = re.fullmatch(r"  (\S+) +(\d+\.\d) s", line)
        assert match, line
        names.append(match.group(1))
    return names


def _edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


# --- with a kernel ---------------------------------------------------------------------------


@pytest.mark.notebooks
def test_runs_execute_cache_rerender_and_rerun_identically(project, monkeypatch, tmp_path):
    messages = []
    toy_page = project / "book" / "chapters" / "toy.ipynb"
    # The reader is listed first but reads results, so it runs after the toy run.
    assert pipeline.run_all(report=messages.append) == {"toy": "executed", "reader": "executed"}
    assert messages[:2] == ["   executed  toy", "   executed  reader"]
    # Then each executed run's wall time, once, with a number, and the total (sizes never asserted).
    assert messages[2] == "wall time of the 2 executed runs, the slowest first:"
    assert sorted(_timed(messages[3:-1])) == ["reader", "toy"]
    assert re.fullmatch(r"  total +\d+\.\d s of execution, \d+\.\d+ s elapsed", messages[-1])
    assert len(messages) == 6
    executed = nbformat.read(toy_page, as_version=4)
    assert executed.cells[3].outputs[0]["text"] == "x = 21, rows = 2\n"  # papermill injected x = 21
    assert "papermill" not in executed.metadata and "input_key" not in executed.metadata["analysis"]
    assert all("execution" not in c.metadata and "papermill" not in c.metadata for c in executed.cells)
    assert executed.metadata["analysis"] == {"run": "toy", "parameters": {"x": 21}}
    # Code is removed from the page (no toggle bars); the parameter cells are removed whole.
    tags = [c.metadata.get("tags", []) for c in executed.cells]
    assert tags[1] == ["parameters", "remove-cell"] and tags[2] == ["injected-parameters", "remove-cell"]
    assert tags[3] == ["remove-input"] and tags[4] == ["remove-input"]
    assert executed.cells[2].id == "injected-parameters"
    results = pd.read_csv(project / "book" / "results" / "toy.csv")
    assert results[["result_id", "value", "notebook"]].values.tolist() == [["twice_x", 42, "toy"]]
    reader = nbformat.read(project / "book" / "reader.ipynb", as_version=4)
    assert reader.cells[-1].outputs[0]["text"] == "[42.0]\n"
    lock = cache.read_lock(project / "book" / "runs.lock")
    assert set(lock) == {"toy", "reader"} and "data/processed/pwt.parquet" in lock["toy"].inputs
    assert "book/results/toy.csv" in lock["reader"].inputs

    # Nothing changed: nothing runs, and the files are byte-identical.
    before = toy_page.read_bytes()
    assert pipeline.run_all(report=messages.append) == {"toy": "unchanged", "reader": "unchanged"}
    assert toy_page.read_bytes() == before

    # A Markdown-only edit re-renders the page from the existing outputs, executing nothing.
    _edit(project / "notebooks" / "toy.ipynb", "Some text.", "Better text.")
    assert _states()["toy"][0] == pipeline.PAGE_ONLY
    assert pipeline.run_all(report=messages.append) == {"toy": "re-rendered", "reader": "unchanged"}
    rerendered = toy_page.read_bytes()
    assert b"Better text." in rerendered and b"Some text." not in rerendered
    assert nbformat.reads(rerendered, as_version=4).cells[3].outputs == executed.cells[3].outputs
    assert _states() == {n: ("unchanged", "inputs and outputs match runs.lock") for n in ("toy", "reader")}

    # A truncated executed notebook is stale (not a crash) and is executed again: into the very same
    # bytes as the re-rendered page (ids, figure and all), although it comes from a second execution.
    toy_page.write_bytes(rerendered[:200])
    assert _states()["toy"] == ("stale", "book/chapters/toy.ipynb was changed or damaged on disk")
    assert pipeline.run_all(names=["toy"], report=messages.append) == {"toy": "executed"}
    assert toy_page.read_bytes() == rerendered

    # A new parameter re-executes the run, and the reader sees its new results.
    _edit(project / "book" / "runs.toml", "x = 21", "x = 5")
    assert pipeline.run_all(report=messages.append) == {"toy": "executed", "reader": "executed"}
    reader = nbformat.read(project / "book" / "reader.ipynb", as_version=4)
    assert reader.cells[-1].outputs[0]["text"] == "[10.0]\n"
    # Forced twice with the same inputs: the same bytes (notebook with its PNG, results, lock).
    first = [p.read_bytes() for p in (toy_page, project / "book/results/toy.csv", project / "book/runs.lock")]
    assert pipeline.run_all(names=["toy"], force=True, report=messages.append) == {"toy": "executed"}
    second = [p.read_bytes() for p in (toy_page, project / "book/results/toy.csv", project / "book/runs.lock")]
    assert second == first
    assert b"image/png" in first[0]


@pytest.mark.notebooks
def test_every_failure_is_reported_and_nothing_is_written(project):
    (project / "book" / "runs.toml").write_text(
        RUNS + '\n[[run]]\nname = "toy2"\nnotebook = "notebooks/toy.ipynb"\noutput = "book/toy2.ipynb"\n'
    )
    nbformat.write(_notebook("y = 1", "raise ValueError('bad parameter')"), project / "notebooks" / "toy.ipynb")
    messages = []
    with pytest.raises(pipeline.PipelineError) as caught:
        pipeline.run_all(jobs=2, report=messages.append)
    message = str(caught.value)
    assert message.startswith("2 of 3 runs failed")
    for name in ("toy", "toy2"):
        assert (
            f"notebooks/toy.ipynb (run '{name}') failed in cell 3 " in message
            and "ValueError: bad parameter" in message
        )
    skipped = [m for m in messages if m.strip().startswith("skipped")]
    assert skipped == ["    skipped  reader: reads results of failed runs: toy, toy2"]
    assert sorted(_timed(messages[messages.index(skipped[0]) + 2 : -1])) == ["toy", "toy2"]  # failed, but timed
    assert not (project / "book" / "chapters" / "toy.ipynb").exists()  # nothing half-written
    assert not (project / "book" / "results").exists()
    states = _states()
    assert states["toy"][0] == "stale" and states["toy"][1].startswith("failed last time: notebooks/toy.ipynb")
    # The HTML build refuses while runs are failed or stale, naming them.
    from analysis.build.html import refuse_stale_pages

    with pytest.raises(DataError, match=r"3 pages are stale or failed: toy \(failed last time: .*; reader \(never"):
        refuse_stale_pages()


@pytest.mark.notebooks
def test_a_refused_run_leaves_its_results_table_untouched(project):
    # The run saves new results, then prints a machine path: it is refused, and the published
    # results table (read by the claims ledger and dependent runs) must keep its old bytes.
    published = project / "book" / "results" / "toy.csv"
    published.parent.mkdir(parents=True)
    published.write_bytes(b"result_id,value\nold,1\n")
    leaking = "import warnings\nprint('/' + 'tmp' + '/scratch/file.csv')\nwarnings.warn('careful')"
    nbformat.write(_notebook(RECORDING, leaking), project / "notebooks" / "toy.ipynb")
    with pytest.raises(pipeline.PipelineError, match=r"cannot be published.*scratch/file\.csv'.*stderr"):
        pipeline.run_all(names=["toy"])
    assert published.read_bytes() == b"result_id,value\nold,1\n"
    assert not (project / "book" / "chapters" / "toy.ipynb").exists()


# --- the cache key, without a kernel ----------------------------------------------------------


def _pretend_executed(project) -> None:
    """Write outputs and lock entries as if every run had executed with the current inputs."""
    book = pipeline._Book()
    runs = pipeline.load_runs()
    for run in sorted(runs, key=lambda r: r.reads_results):  # upstream results first
        plan = pipeline.plan_run(run, None, pipeline.upstream_runs(runs, run.name) if run.reads_results else [])
        book.commit(plan, pipeline.clean_notebook(plan.source, run), "result_id,value\n", executed=True)


def test_processed_data_code_and_environment_are_in_the_key(project, monkeypatch, tmp_path):
    # A copy of the package stands in for the installed one, so that its modules can be edited.
    package = tmp_path / "pkg" / "analysis"
    shutil.copytree(cache.package_dir(), package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "package_dir", lambda: package)
    _pretend_executed(project)
    assert {s for s, _ in _states().values()} == {"unchanged"}

    # The toy run reads pwt (load("pwt")), not wdi.
    provenance.write("wdi", pd.DataFrame({"iso3": ["AAA"], "other": [4.0]}), project / "data/processed/wdi.parquet")
    assert _states()["toy"][0] == "unchanged"
    provenance.write(
        "pwt", pd.DataFrame({"iso3": ["AAA", "BBB"], "value": [1.0, 2.5]}), project / "data/processed/pwt.parquet"
    )
    assert _states()["toy"] == ("stale", "changed: data/processed/pwt.parquet")
    assert _states()["reader"] == ("stale", "reads results of stale runs: toy")
    _pretend_executed(project)

    # A comment in a module the notebook does not import changes nothing; in one it imports, it does.
    with open(package / "growth" / "compute.py", "a") as handle:
        handle.write("# a comment\n")
    assert _states()["toy"][0] == "unchanged"
    with open(package / "data" / "__init__.py", "a") as handle:
        handle.write("# a comment\n")
    assert _states()["toy"] == ("stale", "changed: analysis/data/__init__.py")
    _pretend_executed(project)

    # The environment: a change of requirements.lock marks every run stale.
    (project / "requirements.lock").write_text("pandas==0.0\n")
    states = _states()
    assert states["toy"] == ("stale", "changed: requirements.lock") and states["reader"][0] == "stale"

    # --dry-run prints the same, executing nothing.
    from analysis import cli

    assert cli.main(["run", "--dry-run"]) == 0


def test_dry_run_prints_one_line_per_run(project, capsys):
    from analysis import cli

    assert cli.main(["run", "--dry-run"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["toy     stale      (never executed)", "reader  stale      (never executed)"]
    assert not (project / "book" / "chapters").exists() and not (project / "book" / "runs.lock").exists()


def test_dependencies_are_found_statically():
    # The growth chapter imports analysis.growth (and what it imports), not the regressions.
    source = pipeline.read_source(REPO_ROOT / "notebooks" / "01_growth.md")
    deps = cache.dependencies([c.source for c in source.cells if c.cell_type == "code"])
    assert {"analysis.growth", "analysis.data", "analysis.claims.results", "analysis.paths"} <= set(deps.modules)
    assert "analysis.regress" not in deps.modules and "analysis.build.pipeline" not in deps.modules
    assert "pwt" in deps.tables and "paper_claims.csv" in deps.raw_files
    # A load whose table is not a literal counts as reading every table.
    assert cache.tables_read(cache.ast.parse("from analysis.data import load as L\nL('wdi')")) == {"wdi"}
    assert cache.tables_read(cache.ast.parse("from analysis import data\nname = 'x'\ndata.load(name)")) == {"*"}
    assert cache.tables_read(cache.ast.parse("import json\njson.load(f)")) == set()
    # A package file other than Python that an imported module names (the house style) is an input too.
    inputs = cache.run_inputs([new_code_cell("from analysis.style import plots")], "x", {}, "x.ipynb")
    assert "analysis/style/house.mplstyle" in inputs and "analysis/style/plots.py" in inputs
    # A notebook imports load in one cell and calls it in another.
    cells = ["from analysis.data import load", "x = 1", "table = load('hdr')"]
    assert cache.tables_loaded_by_cells(cells) == {"hdr"}
    assert "hdr" in cache.dependencies(cells).tables
    # Relative imports inside a package resolve to the package's modules.
    found = cache.imported_modules([cache.ast.parse("from analysis.style import plots")])
    assert {"analysis", "analysis.style", "analysis.style.plots"} <= set(found)  # and what plots imports
    assert "analysis.build.pipeline" not in found and "analysis.growth" not in found


def test_markdown_is_not_in_the_execution_key():
    nb = _notebook("print(x)")
    code, page = cache.code_hash(nb.cells), cache.page_hash(nb.cells, "")
    nb.cells[0].source = "# Another title"
    assert cache.code_hash(nb.cells) == code and cache.page_hash(nb.cells, "") != page
    nb.cells[2].source = "print(x + 1)"
    assert cache.code_hash(nb.cells) != code


# --- cleaning, checks and the run list ------------------------------------------------------


def test_clean_notebook_drops_volatile_metadata_and_fixes_ids():
    nb = _notebook("1", title="# Growth accounting\n\nText.")
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "input_path": "/somewhere/nb.ipynb"}
    nb.cells[2].metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb.cells[2].metadata["papermill"] = {"duration": 0.1}
    nb.cells.append(new_code_cell("1", metadata={"tags": ["remove-input"]}))
    nb.cells.append(new_code_cell("2", metadata={"tags": ["hide-input"]}))
    run = pipeline.Run(name="r", notebook=None, output=None, parameters={"x": 1}, title="Korea: growth accounting")
    ids_before = [c.id for c in nb.cells]
    cleaned = pipeline.clean_notebook(nb, run)
    assert cleaned.cells[0].source == "# Korea: growth accounting\n\nText."
    text = nbformat.writes(cleaned)
    assert "2026-01-01" not in text and "/somewhere" not in text and "duration" not in text
    assert cleaned.metadata["analysis"] == {"run": "r", "parameters": {"x": 1}}
    assert [c.metadata.get("tags") for c in cleaned.cells[1:]] == [
        ["parameters", "remove-cell"],
        ["remove-input"],
        ["remove-input"],
        ["remove-input"],  # a source's hide-input is published as remove-input
    ]
    # Same content, same ids: a freshly read copy (new random ids) gets the same ones.
    again = pipeline.clean_notebook(_notebook("1", title="# Growth accounting\n\nText."), run)
    assert [c.id for c in again.cells] == [c.id for c in cleaned.cells[:3]]
    assert [c.id for c in cleaned.cells] != ids_before
    # Two identical cells get distinct ids.
    assert cleaned.cells[2].id != cleaned.cells[3].id


def test_unpublishable_outputs_are_found():
    import base64

    nb = _notebook("1")
    text_chunk = b"date:create\x00x"
    dated_png = base64.b64encode(
        b"\x89PNG\r\n\x1a\n" + len(text_chunk).to_bytes(4, "big") + b"tEXt" + text_chunk + b"\0\0\0\0"
    ).decode()
    nb.cells[2].outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "<matplotlib.lines.Line2D at 0x7f3a2b1c9d50>"}),
        nbformat.v4.new_output("display_data", data={"text/plain": "<Figure size 800x450 with 1 Axes>"}),
        nbformat.v4.new_output("display_data", data={"image/png": dated_png}),
    ]
    problems = pipeline.unpublishable_outputs(nb)
    assert len(problems) == 2 and "0x7f3a2b1c9d50" in problems[0] and "PNG carries a date" in problems[1]


def test_committed_runs_are_valid():
    runs = pipeline.load_runs(REPO_ROOT / "book" / "runs.toml")
    assert [r.name for r in runs if r.reads_results][-1] == "99_claims_ledger"
    assert all(str(r.output.relative_to(REPO_ROOT)).startswith("book/") for r in runs)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[run]\nname = 'x'", r"book/runs\.toml is not valid TOML"),
        ("[[run]]\nname = 'toy'\nnotebook = 'notebooks/toy.ipynb'", r"run 'toy' has no output; every run needs"),
        ("[[run]]\nnotebook = 'notebooks/toy.ipynb'", r"run number 1 has no name, output"),
        (
            "[[run]]\nname = 'toy'\nnotebook = 'notebooks/toy.ipynb'\noutput = '../elsewhere.ipynb'",
            r"writes '\.\./elsewhere\.ipynb'; an output must be an \.ipynb under book/",
        ),
    ],
)
def test_bad_run_lists_are_explained(project, text, message):
    (project / "book" / "runs.toml").write_text(text)
    with pytest.raises(InputError, match=message):
        pipeline.load_runs()


def test_unknown_run_missing_notebook_and_bad_jobs_are_explained(project, monkeypatch):
    with pytest.raises(InputError, match="Unknown runs \\['nope'\\].*reader, toy"):
        pipeline.run_all(names=["nope"])
    with pytest.raises(InputError, match=r"--jobs must be at least 1 \(got 0\)"):
        pipeline.run_all(jobs=0)
    (project / "notebooks" / "toy.ipynb").unlink()
    with pytest.raises(InputError, match="source notebook notebooks/toy.ipynb does not exist"):
        pipeline.load_runs()


def test_jobs_are_capped_by_runs_and_cpus(project, monkeypatch):
    (project / "book" / "runs.toml").write_text(
        "\n".join(
            f'[[run]]\nname = "t{i}"\nnotebook = "notebooks/toy.ipynb"\noutput = "book/t{i}.ipynb"' for i in range(3)
        )
    )
    from analysis.build import execute

    started = []

    class Recording:
        def __init__(self, jobs):
            started.append(jobs)

        def map(self, tasks):
            return iter(())

    monkeypatch.setattr(execute, "LocalWorkers", Recording)
    monkeypatch.setattr(pipeline, "cpu_count", lambda: 2)
    pipeline.run_all(jobs=100000)
    assert started == [2]  # three runs, two CPUs
    monkeypatch.setattr(pipeline, "cpu_count", lambda: 64)
    pipeline.run_all(jobs=100000)
    assert started == [2, 3]  # three runs to execute


def test_semicolon_silenced_cells_are_found():
    # nbval ignores a trailing ';' (it runs cells without history), so such cells are refused.
    nb = _notebook("x = 1", "f(x);", "f(x)", "y = f(x);", "%matplotlib inline")
    assert pipeline.semicolon_silenced_cells(nb) == [3]


def test_dependent_runs_read_only_upstream_results():
    make = lambda name, reads=False: pipeline.Run(name=name, notebook=None, output=None, reads_results=reads)  # noqa: E731
    runs = [make("a"), make("targets", True), make("b"), make("ledger", True)]
    assert pipeline.upstream_runs(runs, "targets") == ["a", "b"]
    assert pipeline.upstream_runs(runs, "ledger") == ["a", "b", "targets"]


def test_lock_file_round_trips_in_sorted_order(tmp_path):
    entries = {
        "b": cache.Entry(key="k2", inputs={"z": "1", "a": "2"}),
        "a": cache.Entry(key="k1", failed="boom"),
    }
    path = tmp_path / "runs.lock"
    cache.write_lock(path, entries)
    first = path.read_bytes()
    assert cache.read_lock(path) == entries
    cache.write_lock(path, dict(reversed(entries.items())))
    assert path.read_bytes() == first
    assert first.index(b"[run.a]") < first.index(b"[run.b]")
    path.write_text("not = [toml")
    assert cache.read_lock(path) == {}  # a damaged lock file makes every run stale, not a crash


@pytest.mark.slow
def test_deciding_that_nothing_is_to_be_done_loads_no_pandas():
    # `make book` with nothing changed is two such checks; pandas alone would add half a second to each.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from analysis import cli\n"
        "status = cli.main(['run', '--dry-run'])\n"
        "print(status, sorted(m for m in ('pandas', 'matplotlib', 'nbformat') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []"


def test_timing_report_lists_each_run_once_slowest_first():
    lines = pipeline.timing_report({"fast": 0.25, "slow": 12.0, "middle": 3.5}, elapsed=9.0)
    assert lines == [
        "wall time of the 3 executed runs, the slowest first:",
        "  slow      12.0 s",
        "  middle     3.5 s",
        "  fast       0.2 s",
        "  total     15.8 s of execution, 9.0 s elapsed",  # 0.25 + 12 + 3.5, hand-added
    ]
    assert pipeline.timing_report({}, elapsed=1.0) == []  # nothing executed: nothing to report
