"""The README's table-and-figure map names every labelled table and figure of the book's chapters."""

from __future__ import annotations

import re
import tomllib

from .conftest import REPO_ROOT


def test_every_table_and_figure_label_is_in_the_readme():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    runs = tomllib.loads((REPO_ROOT / "book" / "runs.toml").read_text())["run"]
    sources = {run["notebook"] for run in runs}
    labels = {
        label
        for source in sources
        for label in re.findall(r"^:name: (\S+)", (REPO_ROOT / source).read_text(encoding="utf-8"), re.MULTILINE)
    }
    assert len(labels) >= 40
    assert sorted(label for label in labels if f"`{label}`" not in readme) == []
