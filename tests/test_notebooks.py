"""Source notebooks: parameterised, output-free, and free of patterns that break their tests."""

from __future__ import annotations

import ast
import re

import nbformat
import papermill
import pytest

from analysis.build import pipeline

from .conftest import REPO_ROOT

SOURCES = sorted((REPO_ROOT / "notebooks").glob("*.md"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_source_notebook_is_clean_and_parameterised(path):
    notebook = pipeline.read_source(path)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert notebook.cells[0].cell_type == "markdown" and notebook.cells[0].source.startswith("# ")
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged `parameters`"
    assert all(
        not c.get("outputs") and c.get("execution_count") is None for c in notebook.cells if c.cell_type == "code"
    )
    assert pipeline.semicolon_silenced_cells(notebook) == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_parameter_is_visible_to_papermill(path, tmp_path):
    # papermill --help-notebook and injected-cell comments rely on parsing each assignment;
    # a comment papermill cannot parse hides that parameter from users.
    notebook = pipeline.read_source(path)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    assigned = [t.id for node in ast.parse(cell.source).body if isinstance(node, ast.Assign) for t in node.targets]
    as_ipynb = tmp_path / (path.stem + ".ipynb")  # what papermill --help-notebook reads after jupytext
    nbformat.write(notebook, as_ipynb)
    assert sorted(papermill.inspect_notebook(str(as_ipynb))) == sorted(assigned)


# Literal numbers that prose may contain: names of documents and datasets, unit definitions,
# conventions, years and heading numbers. Anything else must be glued from code.
# Escaped dollars are text; math, code blocks and {math} directives are not prose; other
# directives ({note}, {admonition}) are, so only their fence lines go.
_STRIP = [
    r"```(?:\{math\}|[a-z]*\n).*?```",
    r"^```[^\n]*$",
    r"\$\$.*?\$\$",
    r"\\\$",
    r"\{glue:text\}`[^`]*`",
    r"\{glue\}`[^`]*`",
    r"\{cite[a-z:]*\}`[^`]*`",
    r"``[^`]*``",
    r"`[^`]*`",
    r"\$[^$]*\$",
    r"\]\([^)]*\)",
]
_ALLOWED = re.compile(
    r"(?:Resolution|Resolution No\.)\s+57|57-NQ|Circular(?: No\.)? \d+/\d{4}|\d+/\d{4}/TT|Decision No\. \d+"
    r"|Table 11\.0|PWT 11\.0|SHA-256"
    r"|target 9\.5|per 10,000|10,000 people|×\s?100|/\s?100\b|10⁶|100 = equal|\b1 ?%|p < 0\.\d+|\b95 ?%"
    r"|^#+ \d+\.|\b(?:19|20)\d\d\b"
    r"|\b(?:19|20)\d0s\b|\d+-year|\d+(?:st|nd|rd|th)\b"
)


def _hand_typed_numbers(source: str) -> list[str]:
    text = source
    for pattern in _STRIP:
        text = re.sub(pattern, " ", text, flags=re.S | re.M)
    found = []
    for line in text.splitlines():
        allowed_spans = [m.span() for m in _ALLOWED.finditer(line)]
        for match in re.finditer(r"(?<![\w.])\d+(?:[.,]\d+)*", line):
            if not any(start <= match.start() and match.end() <= end for start, end in allowed_spans):
                found.append(f"{match.group(0)!r} in: {line.strip()[:120]}")
    return found


def test_hand_typed_number_detector():
    assert _hand_typed_numbers("Viet Nam has {glue:text}`density` researchers per 10,000 people in 2023.") == []
    assert _hand_typed_numbers("## 4. Peers under Resolution 57 and Circular 17/2019") == []
    assert _hand_typed_numbers("TFP contributed 33.6% of growth") == ["'33.6' in: TFP contributed 33.6% of growth"]
    # Numbers between escaped dollars and inside admonitions are prose too; math is not.
    assert len(_hand_typed_numbers("from US\\$ 3 to US\\$ 4")) == 2
    assert len(_hand_typed_numbers("```{note}\nA ratio of 2.5\n```")) == 1
    assert _hand_typed_numbers("```{math}\ny = 2.5 x\n```\nand $z = 3$") == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_hand_typed_numbers_in_prose(path):
    notebook = pipeline.read_source(path)
    found = [
        f"cell {i}: {hit}"
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for hit in _hand_typed_numbers(cell.source)
    ]
    assert found == []
