"""The README's table-and-figure map names every labelled table and figure of the book's chapters."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

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


# The software the results rest on: the README's table, the bibliography and requirements.lock must
# name the same packages at the same versions, so that no citation can drift from what was run.
CITED_SOFTWARE = {
    "pandas",
    "numpy",
    "scipy",
    "pyfixest",
    "statsmodels",
    "pandera",
    "matplotlib",
    "seaborn",
    "papermill",
    "jupyter-book",
    "myst-nb",
}
SOFTWARE_HEADER = "| Package | Version | What it does here | Cite |"


def locked_versions(text: str) -> dict[str, str]:
    """``name==version`` pins of a uv/pip lock file, by normalised name (lower case, ``_``/``.`` → ``-``)."""
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", text, re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}


def readme_software(text: str) -> dict[str, str]:
    """The README's software table as ``{normalised package name: version}``."""
    start = text.index(SOFTWARE_HEADER)
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version, *_ in rows}


def bib_software(path: Path) -> dict[str, tuple[str, str]]:
    """Bibliography entries naming a ``package``: ``{package: (version, note)}``."""
    from pybtex.database import parse_file

    entries = parse_file(str(path)).entries.values()
    return {
        e.fields["package"]: (e.fields.get("version", ""), e.fields.get("note", ""))
        for e in entries
        if "package" in e.fields
    }


def test_locked_versions_by_hand():
    lock = "Jupyter_Book==1.0.4.post1 \\\n    --hash=sha256:ab\n    # via x\nnumpy==2.4.6 \\\n# pandas==0.1\n"
    assert locked_versions(lock) == {"jupyter-book": "1.0.4.post1", "numpy": "2.4.6"}


def test_readme_software_table_by_hand():
    rows = "| NumPy | 2.4.6 | arrays | Harris |\n| myst_nb | 1.4.0 | glue | EBC |"
    text = f"{SOFTWARE_HEADER}\n|---|---|---|---|\n{rows}\n\n| x | y |"
    assert readme_software(text) == {"numpy": "2.4.6", "myst-nb": "1.4.0"}


def test_cited_software_versions_match_the_lock_file():
    lock = locked_versions((REPO_ROOT / "requirements.lock").read_text(encoding="utf-8"))
    readme = readme_software((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    bib = bib_software(REPO_ROOT / "book" / "references.bib")
    assert set(readme) == set(bib) == CITED_SOFTWARE
    assert {name: lock.get(name) for name in readme} == readme
    assert {name: version for name, (version, _) in bib.items()} == readme
    # The version printed on the References page (the note) is the version field.
    assert [name for name, (version, note) in bib.items() if not note.startswith(f"Version {version}")] == []


def test_cited_software_is_what_the_code_imports():
    # Every cited library except the book machinery and statsmodels (the tests' independent check)
    # is imported by the package, so the list cannot keep a library the code no longer uses.
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (REPO_ROOT / "src" / "analysis").rglob("*.py"))
    imported = {m.replace("_", "-") for m in re.findall(r"^\s*(?:import|from) (\w+)", sources, re.MULTILINE)}
    assert CITED_SOFTWARE - {"statsmodels", "jupyter-book"} <= imported


def test_contributing_names_only_what_exists():
    # CONTRIBUTING.md must stay accurate: every file it names exists, every `python -m analysis`
    # command it shows is one, every make target is in the Makefile, and it lists the verdict rules
    # that the code accepts.
    from analysis.claims.verdicts import RULES
    from analysis.cli import COMMANDS

    text = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:data|book|src|tests|notebooks)/[\w./-]+|[\w-]+\.(?:md|toml|lock))(?:::\w+)?`", text))
    concrete = {name for name in named if not re.search(r"NN_|<|\bN\b|_build/", name)}  # no build output
    assert len(concrete) >= 12
    assert sorted(name for name in concrete if not (REPO_ROOT / name).exists()) == []
    commands = set(re.findall(r"python -m analysis (\w+)", text))
    assert commands and commands <= set(COMMANDS)
    targets = set(re.findall(r"^([\w-]+):", (REPO_ROOT / "Makefile").read_text(), re.MULTILINE))
    assert set(re.findall(r"\bmake ([\w-]+)", text)) <= targets
    listed = re.search(r"rule \(one of `analysis\.claims\.verdicts\.RULES`: (.*?)\)", text, re.S).group(1)
    assert re.findall(r"`([\w-]+)`", listed) == list(RULES)
