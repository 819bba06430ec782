"""The command line: every data/publishing subcommand, and bad input of every kind."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis import cli


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env)


@pytest.mark.slow
def test_help_lists_every_command():
    # End to end, as a user types it: the module entry point in a new Python. The other tests call
    # cli.main in this process (argparse's exits are SystemExit(2), its messages on stderr).
    completed = _run("--help")
    assert completed.returncode == 0
    for command in cli.COMMANDS:
        assert command in completed.stdout


def _usage_error(args: list[str], capsys) -> str:
    """argparse's refusal of ``args``: exit status 2 and a message on stderr, returned."""
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    assert exited.value.code == 2
    return capsys.readouterr().err


def test_unknown_subcommand_and_option_exit_with_usage(capsys):
    assert "invalid choice: 'frobnicate'" in _usage_error(["frobnicate"], capsys)
    assert "unrecognized arguments: --mirrror" in _usage_error(["fetch", "--mirrror", "x"], capsys)


def test_fetch_with_missing_mirror_is_one_clear_error(tmp_path, capsys):
    assert cli.main(["fetch", "--mirror", str(tmp_path / "no-such-mirror")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: The data mirror directory") and "Traceback" not in err


def test_fetch_reports_present_files(mirror_dir, capsys):
    # data/raw is already complete in the test run (make test fetches first): nothing is copied.
    assert cli.main(["fetch", "--mirror", str(mirror_dir), "--quiet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    from analysis.data import registry

    assert len(lines) == len(registry.sources()) and all(line.strip().startswith("present") for line in lines)


@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_claims_ledger_prints_in_every_format(fmt, capsys):
    assert cli.main(["claims", "--format", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        rows = json.loads(out)
        assert {"claim_id", "claimed", "reproduced", "verdict"} <= set(rows[0])
        assert any(r["claim_id"] == "paper.tfp_share.vnm.2011_2015" for r in rows)
    elif fmt == "csv":
        assert out.splitlines()[0].startswith("verdict,claim_id,group,source,kind,country")
    else:
        assert out.startswith("| verdict")


def test_claims_rejects_unknown_format(capsys):
    assert "invalid choice: 'xlsx'" in _usage_error(["claims", "--format", "xlsx"], capsys)


def test_run_rejects_unknown_run_name(capsys):
    assert cli.main(["run", "no-such-run"]) == 2
    assert "Unknown runs ['no-such-run']" in capsys.readouterr().err


def test_render_and_country_lists():
    import pandas as pd

    table = pd.DataFrame({"country": ["VNM"], "value": [1.23456789]})
    assert cli.render(table, "csv") == "country,value\nVNM,1.23457"
    assert cli.parse_country_list(" vnm, sgp ,") == ["VNM", "SGP"]
    with pytest.raises(ValueError, match="at least one"):
        cli.parse_country_list(" , ")


@pytest.mark.parametrize("jobs", ["0", "-5", "two"])
def test_run_refuses_jobs_below_one(jobs, capsys):
    err = _usage_error(["run", "--jobs", jobs], capsys)
    assert "argument --jobs: --jobs" in err and "Traceback" not in err


def _fail_with(monkeypatch, exc):
    from analysis.build import cli as book_cli

    def fail(args):
        raise exc

    monkeypatch.setattr(book_cli, "_claims", fail)


def test_permission_errors_are_one_line(tmp_repo, monkeypatch, capsys):
    target = tmp_repo / "data" / "processed" / "pwt.parquet"
    _fail_with(monkeypatch, PermissionError(13, "Permission denied", str(target)))
    assert cli.main(["claims"]) == 2
    assert capsys.readouterr().err == (
        "error: permission denied: data/processed/pwt.parquet (Permission denied); check the file's owner and mode.\n"
    )


def test_unexpected_errors_are_one_line_unless_debug(monkeypatch, capsys):
    _fail_with(monkeypatch, TypeError("boom"))
    assert cli.main(["claims"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unexpected TypeError: boom (a bug") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert cli.main(["--debug", "claims"]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "raise exc" in err and err.strip().endswith("TypeError: boom")
    assert cli.main(["claims", "--debug"]) == 1  # accepted after the command too
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\n1,2\n", r"lacks columns \['result_id'"),
        ("\x00\xff\xfe garbage", "cannot be read"),
    ],
)
def test_a_corrupt_results_table_breaks_claims_with_one_line(tmp_repo, content, message, capsys):
    import re
    import shutil

    from .conftest import REPO_ROOT

    for table in ("paper_claims.csv", "verdict_rules.csv"):
        shutil.copy(REPO_ROOT / "data" / "raw" / table, tmp_repo / "data" / "raw" / table)
    results = tmp_repo / "book" / "results"
    results.mkdir(parents=True)
    shutil.copy(REPO_ROOT / "book" / "results" / "01_growth.csv", results)
    (results / "broken.csv").write_bytes(content.encode("latin-1"))
    assert cli.main(["claims"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: The results table book/results/broken.csv ") and re.search(message, err)
    assert "re-run `python -m analysis run broken --force`" in err and len(err.strip().splitlines()) == 1


def test_malformed_run_list_is_one_line(tmp_repo, capsys):
    (tmp_repo / "book").mkdir()
    (tmp_repo / "book" / "runs.toml").write_text("[[run]\n")
    assert cli.main(["run", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: book/runs.toml is not valid TOML") and len(err.strip().splitlines()) == 1
