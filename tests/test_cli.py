"""The command line: every data/publishing subcommand, and bad input of every kind."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis import cli


def _run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, env=env)


def test_help_lists_every_command():
    completed = _run("--help")
    assert completed.returncode == 0
    for command in cli.COMMANDS:
        assert command in completed.stdout


def test_unknown_subcommand_and_option_exit_with_usage():
    unknown = _run("frobnicate")
    assert unknown.returncode == 2 and "invalid choice: 'frobnicate'" in unknown.stderr
    bad_option = _run("fetch", "--mirrror", "x")
    assert bad_option.returncode == 2 and "unrecognized arguments: --mirrror" in bad_option.stderr


def test_fetch_with_missing_mirror_is_one_clear_error(tmp_path):
    completed = _run("fetch", "--mirror", str(tmp_path / "no-such-mirror"))
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: The data mirror directory")
    assert "Traceback" not in completed.stderr


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
        assert out.splitlines()[0].startswith("claim_id,source,kind,country")
    else:
        assert out.startswith("| claim_id")


def test_claims_rejects_unknown_format():
    completed = _run("claims", "--format", "xlsx")
    assert completed.returncode == 2 and "invalid choice: 'xlsx'" in completed.stderr


def test_run_rejects_unknown_run_name():
    completed = _run("run", "no-such-run")
    assert completed.returncode == 2 and "Unknown runs ['no-such-run']" in completed.stderr


def test_render_and_country_lists():
    import pandas as pd

    table = pd.DataFrame({"country": ["VNM"], "value": [1.23456789]})
    assert cli.render(table, "csv") == "country,value\nVNM,1.23457"
    assert cli.parse_country_list(" vnm, sgp ,") == ["VNM", "SGP"]
    with pytest.raises(ValueError, match="at least one"):
        cli.parse_country_list(" , ")
