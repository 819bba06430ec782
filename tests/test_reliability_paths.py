"""Issue 26, items 6 and 9 (and the duplicate source ids of its Low list): every path taken from
sources.toml, runs.toml or the sweep command line stays inside its folder, and a file that is not a
notebook is refused in one line that does not echo its bytes."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis import cli
from analysis.build import pipeline
from analysis.data import registry
from analysis.errors import DataError, InputError


def _replace_first_file(root, new: str) -> str:
    path = root / "data" / "raw" / "sources.toml"
    first = registry.sources()[0]
    text = path.read_text()
    assert f'file = "{first.file}"' in text
    path.write_text(text.replace(f'file = "{first.file}"', f"file = {new}", 1))
    return first.id


@pytest.mark.parametrize("file", ['"../../../escape/pwt.dta"', "ABSOLUTE", '"pwt/../../escape.dta"', '"pwt/.."', '"."'])
def test_a_registry_file_outside_data_raw_is_refused(tmp_repo, capsys, file):
    file = file.replace("ABSOLUTE", f'"{tmp_repo.parent / "escape" / "pwt.dta"}"')
    sid = _replace_first_file(tmp_repo, file)
    with pytest.raises(DataError, match=rf"the file of source '{sid}', .* is outside data/raw/; only paths inside"):
        registry.sources()
    assert cli.main(["fetch"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is outside data/raw/" in err
    assert not (tmp_repo.parent / "escape").exists() and not (tmp_repo / "escape.dta").exists()


def test_a_registry_file_through_a_symbolic_link_out_of_data_raw_is_refused(tmp_repo, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_repo / "data" / "raw" / "link").symlink_to(tmp_path / "elsewhere")
    _replace_first_file(tmp_repo, '"link/pwt.dta"')
    with pytest.raises(DataError, match="is outside data/raw/"):
        registry.sources()


def test_a_repeated_source_id_is_refused(tmp_repo):
    path = tmp_repo / "data" / "raw" / "sources.toml"
    first, second = registry.sources()[:2]
    text = path.read_text()
    path.write_text(text.replace(f'id = "{second.id}"', f'id = "{first.id}"', 1))
    with pytest.raises(DataError, match=rf"registers the source ids \['{first.id}'\] more than once"):
        registry.sources()


def test_the_committed_registry_passes():
    sources = registry.sources()
    assert len({s.id for s in sources}) == len(sources)


@pytest.fixture
def notebooks(tmp_repo):
    (tmp_repo / "notebooks").mkdir()
    (tmp_repo / "book").mkdir()
    nb = new_notebook(cells=[new_code_cell('country = "AAA"', metadata={"tags": ["parameters"]})])
    nbformat.write(nb, tmp_repo / "notebooks" / "page.ipynb")
    nbformat.write(nb, tmp_repo / "outside.ipynb")
    return tmp_repo


@pytest.mark.parametrize("notebook", ["outside.ipynb", "notebooks/../outside.ipynb", "/etc/passwd"])
def test_a_run_reading_a_notebook_outside_notebooks_is_refused(notebooks, notebook):
    (notebooks / "book" / "runs.toml").write_text(
        f'[[run]]\nname = "x"\nnotebook = "{notebook}"\noutput = "book/chapters/x.ipynb"\n'
    )
    with pytest.raises(InputError, match=r"run 'x' reads the notebook .* is outside notebooks/"):
        pipeline.load_runs()


@pytest.mark.parametrize("notebook", ["/etc/passwd", "../outside.ipynb", "outside.ipynb", "notebooks/../outside.ipynb"])
def test_sweep_refuses_a_notebook_outside_notebooks(notebooks, capsys, notebook):
    if notebook.startswith(".."):
        (notebooks.parent / "outside.ipynb").write_bytes((notebooks / "outside.ipynb").read_bytes())
    assert cli.main(["sweep", notebook, "--countries", "AAA"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: The notebook ") and "is outside notebooks/" in err and err.count("\n") == 1
    assert not (notebooks / "build").exists()


@pytest.mark.parametrize(
    "name, content, named",
    [
        ("passwd", b"root:x:0:0:root:/root:/bin/bash\n", "is not a notebook: a source notebook is a .md"),
        ("page.txt", b"root:x:0:0:root:/root:/bin/bash\n", "is not a notebook: a source notebook is a .md"),
        ("bad.ipynb", b"root:x:0:0:root:/root:/bin/bash\n", r"is not a valid \.ipynb notebook"),
        ("bad.ipynb", b'{"cells": "root:x:0:0"}', r"is not a valid \.ipynb notebook"),
        ("bad.md", b"\xff\xferoot:x:0:0\x00\x00", r"cannot be read as a notebook \(UnicodeDecodeError\)"),
    ],
)
def test_a_file_that_is_not_a_notebook_is_one_line_without_its_bytes(notebooks, capsys, name, content, named):
    (notebooks / "notebooks" / name).write_bytes(content)
    assert cli.main(["sweep", f"notebooks/{name}", "--countries", "AAA"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "root" not in err and "a bug" not in err
    assert f"notebooks/{name}" in err
    assert __import__("re").search(named, err), err
