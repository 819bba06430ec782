"""Source notebooks: parameterised, output-free, and free of patterns that break their tests."""

from __future__ import annotations

import ast

import nbformat
import papermill
import pytest

from analysis import pipeline

from .conftest import REPO_ROOT

SOURCES = sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_notebook_is_clean_and_parameterised(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in notebook.cells if c.cell_type == "code")
    assert pipeline.semicolon_silenced_cells(notebook) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_parameter_is_visible_to_papermill(path):
    # papermill --help-notebook and injected-cell comments rely on parsing each assignment;
    # a comment papermill cannot parse hides that parameter from users.
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    assigned = [t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign) for t in node.targets]
    assert sorted(papermill.inspect_notebook(str(path))) == sorted(assigned)
