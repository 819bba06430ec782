"""Country sweeps: one page per economy outside the book, a summary, reasons instead of crashes."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import cli
from analysis.build import sweep

# The toy table has no build record, so the page reads it directly (analysis.data.load would refuse it).
PAGE = """
import pandas as pd
from analysis import paths
from analysis.claims.results import ResultsRecorder
pwt = pd.read_parquet(paths.processed_dir() / "pwt.parquet")
values = pwt.loc[pwt["iso3"] == country, "value"].dropna()
if values.empty:
    raise ValueError(f"no data for {country}")
results = ResultsRecorder(notebook="page", parameters={"country": country})
_ = results.record(f"mean.{country}", values.mean(), "index")
_ = results.record("observations", len(values), "count")
results.save()
print(f"{country}: {values.mean():.2f}")
"""


@pytest.fixture
def project(tmp_repo):
    pd.DataFrame(
        {"iso3": ["AAA", "AAA", "BBB", "CCC"], "year": [2000, 2001, 2000, 2000], "value": [1.0, 3.0, 5.0, None]}
    ).to_parquet(tmp_repo / "data" / "processed" / "pwt.parquet")
    (tmp_repo / "notebooks").mkdir()
    cells = [
        new_markdown_cell("# A page per economy"),
        new_code_cell('country = "AAA"', metadata={"tags": ["parameters"]}),
        new_code_cell(PAGE.strip()),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_repo / "notebooks" / "page.ipynb")
    return tmp_repo


@pytest.mark.notebooks
def test_sweep_on_a_dask_local_cluster_then_cached_locally(project, capsys):
    from distributed import LocalCluster

    messages = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = sweep.sweep("page", "all", scheduler=cluster.scheduler_address, report=messages.append)
    assert messages[0] == "page: 3 economies, 0 unchanged, 3 to execute"
    # Hand-worked: AAA mean of 1 and 3 (2 observations); BBB 5 (1); CCC has no value, so no page and one line why.
    expected = pd.DataFrame(
        {
            "iso3": ["AAA", "AAA", "BBB", "BBB", "CCC"],
            "status": ["page", "page", "page", "page", "no page"],
            "reason": ["", "", "", "", "ValueError: no data for CCC"],
            "result_id": ["mean.<country>", "observations", "mean.<country>", "observations", None],
            "value": [2.0, 2.0, 5.0, 1.0, None],
        }
    )
    pd.testing.assert_frame_equal(summary[expected.columns], expected, check_dtype=False)
    folder = project / "build" / "sweeps" / "page"
    assert sorted(p.name for p in (folder / "pages").iterdir()) == ["AAA.ipynb", "BBB.ipynb"]
    assert pd.read_csv(folder / "summary.csv")["iso3"].tolist() == ["AAA", "AAA", "BBB", "BBB", "CCC"]
    assert not (project / "book").exists()  # nothing written into the book
    page = nbformat.read(folder / "pages" / "BBB.ipynb", as_version=4)
    assert page.cells[-1].outputs[0]["text"] == "BBB: 5.00\n"

    # The same sweep again (local executor): everything is cached, failures included.
    messages.clear()
    again = sweep.sweep("page", "AAA,CCC", report=messages.append)
    assert messages[0] == "page: 2 economies, 2 unchanged, 0 to execute"
    assert again["status"].tolist() == ["page", "page", "no page"]
    # The command counts economies, not the summary's rows (one per economy and result).
    assert cli.main(["sweep", "page", "--countries", "all"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "2 pages, 1 economy without a page (reasons in the summary table)"


def test_all_means_the_economies_of_the_tables_the_page_itself_loads(project):
    # A second table, read only by a module the page imports, must not narrow "all" (PWT's
    # growth page sweeps every PWT economy, not only those that are also in WDI).
    processed = project / "data" / "processed"
    pd.DataFrame({"iso3": ["AAA", "DDD"], "value": [1.0, 2.0]}).to_parquet(processed / "wdi.parquet")
    page = new_notebook(
        cells=[
            new_code_cell('country = "AAA"', metadata={"tags": ["parameters"]}),
            new_code_cell("from analysis.data import load\nfrom analysis import targets"),
            new_code_cell('pwt = load("pwt")'),
        ]
    )
    common, known = sweep.economies(page)
    assert common == ["AAA", "BBB", "CCC"]  # pwt's, not pwt's and wdi's (AAA only)
    assert {"AAA", "BBB", "CCC", "DDD"} <= known  # a code in any table the page depends on is accepted
    page.cells[2].source = "x = 1"  # loads nothing itself: every table it depends on must have the economy
    assert sweep.economies(page)[0] == ["AAA"]


def test_sweep_input_errors_are_one_line(project, capsys):
    assert cli.main(["sweep", "page", "--countries", "AAA,ZZZ"]) == 2
    assert capsys.readouterr().err == "error: Unknown economies ['ZZZ']. Available: AAA, BBB, CCC.\n"
    assert cli.main(["sweep", "nope", "--countries", "AAA"]) == 2
    assert "No source notebook 'nope'. Available in notebooks/" in capsys.readouterr().err
    nb = nbformat.read(project / "notebooks" / "page.ipynb", as_version=4)
    nb.cells[1].source = "year = 2000"
    nbformat.write(nb, project / "notebooks" / "page.ipynb")
    assert cli.main(["sweep", "page", "--countries", "AAA"]) == 2
    assert "has no `country` parameter" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["sweep", "page", "--countries", "AAA", "--jobs", "-5"])
    assert "--jobs must be at least 1 (got -5)" in capsys.readouterr().err
