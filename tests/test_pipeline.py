"""The notebook pipeline: execution, caching by input key, clean metadata, clear failures."""

from __future__ import annotations

import shutil
import textwrap

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis.book import pipeline
from analysis.errors import InputError

from .conftest import REPO_ROOT


def _notebook(*sources: str, parameters: str = "x = 1") -> nbformat.NotebookNode:
    cells = [new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(textwrap.dedent(s).strip()) for s in sources]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


RECORDING = """
from analysis.book.results import ResultsRecorder
results = ResultsRecorder(notebook="toy", parameters={"x": x})
results.record("twice_x", 2 * x, "count")
results.save()
print(f"x = {x}")
"""


@pytest.fixture
def project(tmp_repo):
    """A tiny project: processed data, the claims table and a run list with two runs."""
    shutil.copy(REPO_ROOT / "data" / "raw" / "paper_claims.csv", tmp_repo / "data" / "raw" / "paper_claims.csv")
    pd.DataFrame({"a": [1]}).to_parquet(tmp_repo / "data" / "processed" / "toy.parquet")
    (tmp_repo / "notebooks").mkdir()
    (tmp_repo / "book").mkdir()
    nbformat.write(_notebook(RECORDING), tmp_repo / "notebooks" / "toy.ipynb")
    reader = """
    from analysis import paths
    from analysis.book.results import read_all
    print(read_all(paths.results_dir())["value"].tolist())
    """
    nbformat.write(_notebook(reader, parameters="unused = 0"), tmp_repo / "notebooks" / "reader.ipynb")
    (tmp_repo / "book" / "runs.toml").write_text(
        textwrap.dedent(
            """
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
        )
    )
    return tmp_repo


def _set_toy_parameter(root, value):
    path = root / "book" / "runs.toml"
    path.write_text(path.read_text().replace("x = 21", f"x = {value}"))


def test_runs_execute_cache_and_rerun_when_inputs_change(project):
    messages = []
    # The reader is listed first but reads results, so it runs after the toy run.
    assert pipeline.run_all(report=messages.append) == {"toy": "executed", "reader": "executed"}
    assert messages == [" executed  toy", " executed  reader"]
    executed = nbformat.read(project / "book" / "chapters" / "toy.ipynb", as_version=4)
    assert executed.cells[-1].outputs[0]["text"] == "x = 21\n"  # papermill injected x = 21
    assert "papermill" not in executed.metadata
    assert all("execution" not in c.metadata and "papermill" not in c.metadata for c in executed.cells)
    assert executed.metadata["analysis"]["parameters"] == {"x": 21}
    results = pd.read_csv(project / "book" / "results" / "toy.csv")
    assert results[["result_id", "value", "notebook"]].values.tolist() == [["twice_x", 42, "toy"]]
    reader = nbformat.read(project / "book" / "reader.ipynb", as_version=4)
    assert reader.cells[-1].outputs[0]["text"] == "[42.0]\n"

    # Nothing changed: nothing runs, and the files are byte-identical.
    before = (project / "book" / "chapters" / "toy.ipynb").read_bytes()
    assert pipeline.run_all(report=messages.append) == {"toy": "unchanged", "reader": "unchanged"}
    assert (project / "book" / "chapters" / "toy.ipynb").read_bytes() == before

    # A new parameter re-executes the run, and the reader sees its new results.
    _set_toy_parameter(project, 5)
    assert pipeline.run_all(report=messages.append) == {"toy": "executed", "reader": "executed"}
    reader = nbformat.read(project / "book" / "reader.ipynb", as_version=4)
    assert reader.cells[-1].outputs[0]["text"] == "[10.0]\n"
    assert pipeline.run_all(names=["toy"], force=True, report=messages.append) == {"toy": "executed"}


def test_a_failing_cell_names_the_notebook_and_cell(project):
    nbformat.write(_notebook("y = 1", "raise ValueError('bad parameter')"), project / "notebooks" / "toy.ipynb")
    with pytest.raises(
        pipeline.PipelineError, match=r"notebooks/toy\.ipynb \(run 'toy'\) failed in cell 2 .*ValueError: bad parameter"
    ):
        pipeline.run_all(names=["toy"])
    assert not (project / "book" / "chapters" / "toy.ipynb").exists()  # nothing half-written


def test_outputs_with_machine_paths_or_warnings_are_refused(project):
    # The path is assembled at run time so that this file itself holds no machine path.
    leaking = "import warnings\nprint('/' + 'tmp' + '/scratch/file.csv')\nwarnings.warn('careful')"
    nbformat.write(_notebook(leaking), project / "notebooks" / "toy.ipynb")
    with pytest.raises(pipeline.PipelineError, match=r"cannot be published.*scratch/file\.csv'.*stderr"):
        pipeline.run_all(names=["toy"])


def test_unknown_run_and_missing_notebook_are_explained(project):
    with pytest.raises(InputError, match="Unknown runs \\['nope'\\].*reader, toy"):
        pipeline.run_all(names=["nope"])
    (project / "notebooks" / "toy.ipynb").unlink()
    with pytest.raises(InputError, match="source notebook notebooks/toy.ipynb does not exist"):
        pipeline.load_runs()


def test_clean_notebook_drops_volatile_metadata():
    nb = _notebook("1")
    nb.metadata["papermill"] = {"start_time": "2026-01-01T00:00:00", "input_path": "/somewhere/nb.ipynb"}
    nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00"}
    nb.cells[1].metadata["papermill"] = {"duration": 0.1}
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("# Growth accounting\n\nText."))
    run = pipeline.Run(name="r", notebook=None, output=None, parameters={"x": 1}, title="Korea: growth accounting")
    cleaned = pipeline.clean_notebook(nb, run, "abc")
    assert cleaned.cells[0].source == "# Korea: growth accounting\n\nText."
    text = nbformat.writes(cleaned)
    assert "2026-01-01" not in text and "/somewhere" not in text and "duration" not in text
    assert cleaned.metadata["analysis"] == {"run": "r", "input_key": "abc", "parameters": {"x": 1}}


def test_unpublishable_outputs_are_found():
    nb = _notebook("1")
    nb.cells[1].outputs = [
        nbformat.v4.new_output("execute_result", data={"text/plain": "<matplotlib.lines.Line2D at 0x7f3a2b1c9d50>"}),
        nbformat.v4.new_output("display_data", data={"text/plain": "<Figure size 800x450 with 1 Axes>"}),
    ]
    problems = pipeline.unpublishable_outputs(nb)
    assert len(problems) == 1 and "0x7f3a2b1c9d50" in problems[0]


def test_committed_runs_are_valid():
    runs = pipeline.load_runs(REPO_ROOT / "book" / "runs.toml")
    assert [r.name for r in runs if r.reads_results][-1] == "99_claims_ledger"
    assert all(str(r.output.relative_to(REPO_ROOT)).startswith("book/") for r in runs)


def test_semicolon_silenced_cells_are_found():
    # nbval ignores a trailing ';' (it runs cells without history), so such cells are refused.
    nb = _notebook("x = 1", "f(x);", "f(x)", "y = f(x);", "%matplotlib inline")
    assert pipeline.semicolon_silenced_cells(nb) == [2]


def test_dependent_runs_read_only_upstream_results():
    make = lambda name, reads=False: pipeline.Run(name=name, notebook=None, output=None, reads_results=reads)  # noqa: E731
    runs = [make("a"), make("targets", True), make("b"), make("ledger", True)]
    assert pipeline.upstream_runs(runs, "targets") == ["a", "b"]
    assert pipeline.upstream_runs(runs, "ledger") == ["a", "b", "targets"]
