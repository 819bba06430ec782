"""Publishing details: a parameterised page's labels are its own (Sphinx labels are book-wide)."""

from __future__ import annotations

import nbformat

from analysis.build import publish


def test_country_pages_get_their_own_labels_and_references():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            "See {numref}`fig-a` and {numref}`fig-ab`.\n\n```{glue:figure} k\n:name: fig-a\n```"
        ),
        nbformat.v4.new_markdown_cell(":::{table} Caption\n:name: fig-ab\n:::"),
        nbformat.v4.new_markdown_cell("{numref}`elsewhere` stays."),
    ]
    publish._own_labels(notebook, "growth_KOR")
    sources = [cell.source for cell in notebook.cells]
    assert "{numref}`fig-a-growth_KOR` and {numref}`fig-ab-growth_KOR`" in sources[0]
    assert ":name: fig-a-growth_KOR" in sources[0] and ":name: fig-ab-growth_KOR" in sources[1]
    assert sources[2] == "{numref}`elsewhere` stays."  # not a label of this page
