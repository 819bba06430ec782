"""Cleaning and checking an executed notebook before it is published.

Cleaning drops volatile metadata (timings, paths), gives cells ids derived from their content,
removes code from the page (``remove-input`` on code cells, ``remove-cell`` on the parameter cells:
readers see no code bars; the code is in the source notebook and the page's downloadable ``.ipynb``)
and puts a run's title on its page. Checking refuses memory addresses, machine paths, stderr,
dated images and ``;``-silenced cells.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import TYPE_CHECKING

from analysis.build import cache
from analysis.errors import AnalysisError

if TYPE_CHECKING:
    import nbformat

    from analysis.build.pipeline import Run

# Text that must never be published in an output: memory addresses and this machine's paths.
_VOLATILE = re.compile(r"0x[0-9a-fA-F]{6,}|/(?:home|root|tmp|work|Users)/[^\s'\"]*")
REMOVED = {"remove-input", "remove-cell"}


class PipelineError(AnalysisError):
    """A notebook failed to execute or produced unpublishable output."""


def _cell_ids(cells: list) -> None:
    """Ids from each cell's type and source (numbered on repeats): the same notebook, the same ids."""
    seen: dict[str, int] = {}
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        base = (
            "injected-parameters"
            if "injected-parameters" in tags
            else hashlib.sha256(f"{cell.cell_type}\n{cell.source}".encode()).hexdigest()[:12]
        )
        seen[base] = seen.get(base, 0) + 1
        cell["id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def clean_notebook(notebook: nbformat.NotebookNode, run: Run) -> nbformat.NotebookNode:
    """Drop volatile metadata, fix cell ids, remove code from the page, record the run."""
    notebook.metadata.pop("papermill", None)
    notebook.nbformat_minor = max(notebook.get("nbformat_minor", 5), 5)  # cell ids exist from 4.5
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if not cell.metadata.get("tags", True):
            del cell.metadata["tags"]  # papermill adds empty lists; a source cell has none
        if cell.cell_type != "code":
            continue
        # A source's "hide-input" (a toggle bar on the page) becomes "remove-input" when published.
        tags = [t for t in cell.metadata.get("tags", []) if t != "hide-input"]
        if {"parameters", "injected-parameters"} & set(tags):
            extra = [] if "remove-cell" in tags else ["remove-cell"]
        else:
            extra = [] if REMOVED & set(tags) else ["remove-input"]
        if extra or tags != cell.metadata.get("tags", []):
            cell.metadata["tags"] = tags + extra
    _cell_ids(notebook.cells)
    notebook.metadata["analysis"] = {"run": run.name, "parameters": run.parameters}
    if run.title:
        # The page title is the first heading; a country page names its country there.
        first = next(c for c in notebook.cells if c.cell_type == "markdown")
        first.source = re.sub(r"^# .*$", lambda _: f"# {run.title}", first.source, count=1, flags=re.M)
    if run.parameters:
        _own_labels(notebook, run.name)
    return notebook


def _own_labels(notebook: nbformat.NotebookNode, suffix: str) -> None:
    """Give a parameterised page's figure and table labels (and the references to them) its run's name.

    A country page repeats its chapter's Markdown; Sphinx labels are book-wide, so ``fig-growth-peers``
    becomes ``fig-growth-peers-growth_KOR`` there and its ``{numref}`` follows.
    """
    labels = {label for cell in notebook.cells if cell.cell_type == "markdown" for label in _LABEL.findall(cell.source)}
    if not labels:
        return
    names = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(rf"^(:name: )({names})$", rf"\1\2-{suffix}", cell.source, flags=re.M)
            cell.source = re.sub(rf"(\{{numref\}}`)({names})`", rf"\1\2-{suffix}`", cell.source)


_LABEL = re.compile(r"^:name: (\S+)$", re.M)


def _png_dated(data: str) -> bool:
    """True when a base64 PNG carries a time chunk or a date in its text chunks."""
    raw = base64.b64decode(data)
    position = 8
    while position + 8 <= len(raw):
        length = int.from_bytes(raw[position : position + 4], "big")
        kind = raw[position + 4 : position + 8]
        body = raw[position + 8 : position + 8 + length]
        if kind == b"tIME" or (kind in {b"tEXt", b"iTXt"} and re.search(rb"(?i)date|time", body.split(b"\0")[0])):
            return True
        position += 12 + length
    return False


def unpublishable_outputs(notebook: nbformat.NotebookNode) -> list[str]:
    """Descriptions of outputs that carry memory addresses, machine paths, stderr or dated images."""
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
            png = output.get("data", {}).get("image/png")
            if png and _png_dated("".join(png) if isinstance(png, list) else png):
                problems.append(f"cell {index}: a PNG carries a date (set savefig metadata, e.g. Software=None)")
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
        tree = cache.parse_code(cell.source)
        if tree is None:
            continue  # the kernel reports real syntax errors
        if tree.body and isinstance(tree.body[-1], cache.ast.Expr) and cell.source.rstrip().endswith(";"):
            flagged.append(index)
    return flagged


def merge_page(executed: nbformat.NotebookNode, source: nbformat.NotebookNode, run: Run) -> nbformat.NotebookNode:
    """The executed notebook with the source's Markdown, tags and title: a re-render without executing.

    Only valid when the code cells are unchanged (same cache key), so they pair up in order;
    papermill's injected-parameters cell stays right after the parameters cell.
    """
    executed_code = [c for c in executed.cells if c.cell_type == "code"]
    injected = [c for c in executed_code if "injected-parameters" in c.metadata.get("tags", [])]
    executed_code = [c for c in executed_code if c not in injected]
    source_code = [c for c in source.cells if c.cell_type == "code"]
    if [c.source for c in executed_code] != [c.source for c in source_code]:
        raise PipelineError(f"run {run.name!r}: the executed notebook's code differs from its source; execute it.")
    pairs = iter(executed_code)
    cells = []
    for cell in source.cells:
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        merged = next(pairs)
        merged.metadata["tags"] = list(cell.metadata.get("tags", []))
        cells.append(merged)
        if "parameters" in merged.metadata["tags"]:
            cells.extend(injected)
    executed.cells = cells
    return clean_notebook(executed, run)
