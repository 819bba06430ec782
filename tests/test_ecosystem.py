"""The files outsiders use agree with each other and with the Makefile.

Licences, CITATION.cff (validated by cffconvert), .zenodo.json and the book's bibliography; the
Binder files (postBuild, start, environment.yml), the GitHub workflow and dependabot; the
pre-commit hooks (run by pre-commit itself on a scratch repository). Binder and GitHub cannot run
here, so their files are checked against what the Makefile and .ci/run do.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from .conftest import REPO_ROOT

CFFCONVERT = REPO_ROOT / ".build" / "tools" / "cffconvert" / "bin" / "cffconvert"


def _yaml(path: str) -> dict:
    return yaml.safe_load((REPO_ROOT / path).read_text())


def _normalise(text: str) -> str:
    """Lower case, no braces or punctuation, single spaces: for comparing titles across formats."""
    return " ".join(re.sub(r"[{}\"'.,:;()]", " ", text).lower().split())


@pytest.fixture(scope="module")
def citation() -> dict:
    return _yaml("CITATION.cff")


@pytest.fixture(scope="module")
def zenodo() -> dict:
    return json.loads((REPO_ROOT / ".zenodo.json").read_text())


@pytest.fixture(scope="module")
def makefile() -> str:
    return (REPO_ROOT / "Makefile").read_text()


def _recipe(makefile: str, target: str) -> list[str]:
    """The command lines of one Makefile rule (continuation lines joined)."""
    match = re.search(rf"^{re.escape(target)}:[^\n]*\n((?:\t[^\n]*\n)+)", makefile, re.MULTILINE)
    assert match, f"no rule for {target!r} in the Makefile"
    return [line.strip() for line in match.group(1).replace("\\\n", " ").splitlines()]


# --- licences -------------------------------------------------------------------------------------


def test_code_licence_is_mit_with_a_holder():
    text = (REPO_ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) \d{4} \S.*$", text, re.MULTILINE)
    assert "<" not in text, "a placeholder of the licence template is left"
    assert "Permission is hereby granted, free of charge" in text


def test_text_and_figures_licence_is_the_full_cc_by_4_0():
    text = (REPO_ROOT / "LICENSE-CC-BY-4.0.txt").read_text()
    assert text.startswith("Creative Commons Attribution 4.0 International")
    sections = re.findall(r"^Section (\d) – ", text, re.MULTILINE)
    assert sections == [str(n) for n in range(1, 9)], "the legal code has eight sections"


def test_readme_states_both_licences_and_the_data_licences():
    readme = (REPO_ROOT / "README.md").read_text()
    for needle in ("LICENSE", "LICENSE-CC-BY-4.0.txt", "MIT", "CC BY 4.0", "CITATION.cff"):
        assert needle in readme, needle


def test_readme_has_the_aea_sections_and_lists_every_derived_dataset():
    readme = (REPO_ROOT / "README.md").read_text()
    headings = re.findall(r"^#{2,3} (.+)$", readme, re.MULTILINE)
    for section in (
        "Data availability and provenance",
        "Statement about rights",
        "All datasets, raw and derived",
        "Computational requirements",
        "Last run on",
        "Randomness",
        "Description of programs",
        "Tables and figures",
        "References",
        "Licences",
    ):
        assert section in headings, section
    processed = sorted((REPO_ROOT / "data" / "processed").glob("*.parquet"))
    assert processed, "no processed tables: run `make data` first"
    for path in processed:
        assert f"`{path.relative_to(REPO_ROOT)}`" in readme, f"{path.name} is not in the README's list of datasets"
    assert "`book/results/<run>.csv`" in readme


# --- citation ---------------------------------------------------------------------------------------


def _validate(path: Path) -> subprocess.CompletedProcess:
    assert CFFCONVERT.exists(), f"cffconvert is not installed: run `make {CFFCONVERT.relative_to(REPO_ROOT)}`"
    return subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)], capture_output=True, text=True)


@pytest.mark.slow  # cffconvert runs in its own venv
def test_citation_cff_is_valid_cff_1_2():
    result = _validate(REPO_ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid according to schema version 1.2.0" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("authors:\n  - name: The compendium authors\n", "authors: []\n"),  # at least one author
        ("doi: 10.34894/FABVLR", "doi: FABVLR"),  # a DOI has the form 10.prefix/suffix
        ("type: software\n", "type: program\n"),  # software or dataset only
    ],
)
def test_cffconvert_rejects_a_broken_copy(tmp_path, old, new):
    text = (REPO_ROOT / "CITATION.cff").read_text()
    assert old in text
    broken = tmp_path / "CITATION.cff"
    broken.write_text(text.replace(old, new, 1))
    assert _validate(broken).returncode != 0


def test_citation_names_the_paper_the_resolution_and_the_data(citation):
    titles = [_normalise(ref["title"]) for ref in citation["references"]]
    for expected in (
        "national endogenous science and technology capacity",
        "resolution no 57-nq/tw",
        "penn world table version 11 0",
        "world development indicators",
        "human development report 2023/2024",
    ):
        assert any(expected in title for title in titles), expected
    dois = {ref.get("doi") for ref in citation["references"]}
    registry = tomllib.loads((REPO_ROOT / "data" / "raw" / "sources.toml").read_text())["source"]
    assert {s["doi"] for s in registry if s.get("doi")} <= dois, "every registered data DOI is cited"


def test_citation_agrees_with_pyproject(citation):
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]["text"]


def test_zenodo_metadata_agrees_with_citation(citation, zenodo):
    assert zenodo["title"] == citation["title"]
    assert zenodo["license"].lower() == citation["license"].lower()
    assert zenodo["version"] == citation["version"]
    assert [c["name"] for c in zenodo["creators"]] == [a["name"] for a in citation["authors"]]
    assert zenodo["keywords"] == citation["keywords"]
    assert len(zenodo["references"]) == len(citation["references"])
    for ref, cited in zip(citation["references"], zenodo["references"], strict=True):
        assert _normalise(ref["title"]) in _normalise(cited), ref["title"]
    related = {r["identifier"] for r in zenodo["related_identifiers"]}
    assert {ref["doi"] for ref in citation["references"] if "doi" in ref} <= related


def test_bibliography_holds_the_compendium_and_every_reference(citation):
    from pybtex.database import parse_file

    entries = parse_file(str(REPO_ROOT / "book" / "references.bib")).entries.values()
    bib_titles = [_normalise(e.fields["title"]) for e in entries]
    bib_dois = {e.fields.get("doi") for e in entries}
    assert _normalise(citation["title"]) in bib_titles, "the compendium's own entry"
    for ref in citation["references"]:
        assert ref.get("doi") in bib_dois or _normalise(ref["title"]) in bib_titles, ref["title"]


# --- Binder and conda --------------------------------------------------------------------------------


def _script_commands(path: str) -> list[str]:
    """The command lines of a shell script (no comments, no blank lines, continuation lines joined)."""
    text = (REPO_ROOT / path).read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_binder_scripts_are_executable():
    for name in ("postBuild", "start"):
        path = REPO_ROOT / name
        assert os.access(path, os.X_OK), f"{name} must be executable (git update-index --chmod=+x {name})"
        assert path.read_text().startswith("#!/bin/bash\n")
    assert _script_commands("start")[-1] == 'exec "$@"'


def test_postbuild_does_what_the_makefile_does(makefile):
    steps = _script_commands("postBuild")
    # The package, as the Makefile installs it: without dependencies, editable.
    install = next(c for c in _recipe(makefile, "$(STAMP)") if " -e ." in c)
    assert "--no-deps" in install and "pip install --no-deps -e ." in steps
    # MathJax from the npm lock, into book/.
    npm = next(shlex.split(c) for c in steps if c.startswith("npm "))
    assert npm[:2] == ["npm", "ci"] and npm[npm.index("--prefix") + 1] == "book"
    assert (REPO_ROOT / "book" / "package-lock.json").exists()
    # The data: the same commands as `make data`, in the same order.
    data = [c.replace("$(BIN)/python", "python") for c in _recipe(makefile, "$(DATA_STAMP)") if "python" in c]
    found = [next(i for i, step in enumerate(steps) if command in step) for command in data]
    assert found == sorted(found), f"postBuild must run {data} in this order"


def test_binder_sessions_get_the_makefile_environment(makefile):
    start = "\n".join(_script_commands("start"))
    for name in ("PYTHONHASHSEED", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        value = re.search(rf"^export {name} := (\S+)$", makefile, re.MULTILINE).group(1)
        assert f"export {name}={value}" in start, name
    lab = " ".join(_recipe(makefile, "lab"))
    folder = re.search(r"JUPYTER_CONFIG_PATH=\$\(CURDIR\)/(\S+)", lab).group(1)
    assert f"/{folder}" in re.search(r"^export JUPYTER_CONFIG_PATH=(.*)$", start, re.MULTILINE).group(1)
    assert (REPO_ROOT / folder / "labconfig" / "default_setting_overrides.json").exists()


def _environment_yml() -> dict[str, str]:
    dependencies = _yaml("environment.yml")["dependencies"]
    return dict(d.split("=", 1) for d in dependencies if isinstance(d, str) and "=" in d)


# --- GitHub workflow and dependabot ------------------------------------------------------------------


def _make_targets(commands: list[str]) -> set[str]:
    targets = set()
    for command in commands:
        for match in re.finditer(r"(?:^|[;&|]\s*)make((?:\s+[A-Za-z_][\w.-]*)+)", command, re.MULTILINE):
            targets |= {t for t in match.group(1).split() if "=" not in t}
    return targets


@pytest.fixture(scope="module")
def workflow() -> dict:
    return _yaml(".github/workflows/ci.yml")


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_workflow_runs_the_same_make_targets_as_ci_run(workflow, makefile):
    ci_run = [line for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines() if not line.startswith("#")]
    expected = _make_targets(ci_run)
    assert expected, ".ci/run calls no make target"
    assert _make_targets([s["run"] for s in _steps(workflow) if "run" in s]) == expected
    for target in expected:
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_workflow_uses_the_pinned_python_and_node(workflow):
    conda = _environment_yml()
    container = workflow["jobs"]["test"]["container"]
    assert re.fullmatch(rf"python:{re.escape(conda['python'])}-\w+", container)
    node = next(s for s in _steps(workflow) if s.get("uses", "").startswith("actions/setup-node@"))
    assert str(node["with"]["node-version"]) == conda["nodejs"]
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={conda['python']}"


def test_workflow_installs_chromium_uploads_artifacts_and_checks_links(workflow):
    runs = " ".join(s.get("run", "") for s in _steps(workflow))
    assert re.search(r"apt-get install .*\bchromium\b", runs)
    uploads = {s["with"]["path"] for s in _steps(workflow) if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads == {"book/_build/html", "book/_build/browser-failures"}
    checks = [s for s in _steps(workflow) if s.get("uses", "").startswith("lycheeverse/lychee-action@")]
    assert checks and all(re.fullmatch(r"v\d+\.\d+\.\d+", s["with"]["lycheeVersion"]) for s in checks)
    assert any(s["with"]["fail"] is True and "--offline" in s["with"]["args"] for s in checks)
    for step in _steps(workflow):
        if "uses" in step:
            assert re.search(r"@v\d+(\.\d+\.\d+)?$", step["uses"]), f"unpinned action {step['uses']}"


def test_dependabot_watches_pip_npm_and_actions():
    updates = {(u["package-ecosystem"], u["directory"]) for u in _yaml(".github/dependabot.yml")["updates"]}
    assert {("pip", "/"), ("npm", "/book"), ("github-actions", "/")} == updates
    assert (REPO_ROOT / "book" / "package.json").exists() and (REPO_ROOT / "pyproject.toml").exists()


# --- pre-commit ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hooks() -> dict[str, dict]:
    config = _yaml(".pre-commit-config.yaml")
    assert [repo["repo"] for repo in config["repos"]] == ["local"], "hooks that need no network"
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_ruff_hooks_run_the_pinned_ruff(hooks):
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    pinned = next(p for p in project["optional-dependencies"]["test"] if p.startswith("ruff=="))
    ruff = REPO_ROOT / ".venv" / "bin" / "ruff"
    version = subprocess.run([str(ruff), "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
    assert f"ruff=={version}" == pinned
    assert hooks["ruff-check"]["entry"].startswith(".venv/bin/ruff check")
    assert hooks["ruff-format"]["entry"].startswith(".venv/bin/ruff format")


def _pre_commit(repo: Path, hook: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    command = [str(REPO_ROOT / ".venv" / "bin" / "pre-commit"), "run", hook, "--all-files"]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, env=env)


MACHINE_PATH = "/" + "home/someone/project/data.csv"  # split so this file does not trip the hook


@pytest.mark.slow  # pre-commit and its hooks, in a new git repository
@pytest.mark.parametrize(
    ("hook", "path", "content"),
    [
        ("no-machine-paths", "README.md", f"Data in {MACHINE_PATH}\n"),
        ("no-machine-paths", "src/x.py", 'CACHE = "' + "/" + 'tmp/cache"\n'),
        ("no-machine-paths", "notes.txt", "C:\\" + "Users\\someone\\file\n"),
        ("no-ipynb-sources", "notebooks/01_x.ipynb", "{}\n"),
        ("no-outputs-in-sources", "notebooks/01_x.md", '```{code-cell}\n1\n```\n\n"output_type": "stream"\n'),
        ("no-outputs-in-sources", "notebooks/01_y.md", "![fig](data:image/png;base64,iVBORw0KGgo=)\n"),
    ],
)
def test_pre_commit_hooks_catch_what_they_are_for(tmp_path, hook, path, content):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    shutil.copy(REPO_ROOT / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    (repo / "notebooks").mkdir()
    (repo / "notebooks" / "00_ok.md").write_text("# A chapter\n\n```{code-cell}\nx = 1\n```\n")
    (repo / "README.md").write_text("See https://example.org/" + "home/page and data/raw/sources.toml.\n")
    assert _pre_commit(repo, hook).returncode == 0, "a clean tree passes"
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(content)
    result = _pre_commit(repo, hook)
    assert result.returncode != 0 and path in result.stdout, result.stdout


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    files = []
    for name in names.splitlines():
        path = REPO_ROOT / name
        if path.is_file() and b"\0" not in path.read_bytes()[:8000]:
            files.append(path)
    return files


def test_committed_files_carry_no_machine_paths(hooks):
    pattern = re.compile(hooks["no-machine-paths"]["entry"])
    hits = [
        f"{path.relative_to(REPO_ROOT)}:{number}"
        for path in _tracked_text_files()
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == []


def test_source_notebooks_carry_no_outputs(hooks):
    pattern = re.compile(hooks["no-outputs-in-sources"]["entry"])
    sources = sorted((REPO_ROOT / "notebooks").iterdir())
    assert not [p.name for p in sources if p.suffix == ".ipynb"]
    assert [p.name for p in sources if pattern.search(p.read_text())] == []
