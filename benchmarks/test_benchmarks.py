"""Benchmarks (pytest-benchmark): `make bench`. Timings are reported, never asserted.

Each benchmark times one step a user waits for; the closing notes report medians and
ratios between them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.build import pipeline
from analysis.data import build, load, registry
from analysis.io import sha256_of


def test_bench_verify_raw_hashes(benchmark):
    benchmark(lambda: [sha256_of(s.path) for s in registry.sources()])


def test_bench_build_processed_tables(benchmark):
    # `build` skips current tables; forced, it is the rebuild a changed raw file or build code costs.
    benchmark.pedantic(build.build, kwargs={"force": True}, rounds=3, iterations=1)


@pytest.mark.parametrize("table", ["pwt", "wdi"])
def test_bench_read_processed_table(benchmark, table):
    benchmark(lambda: pd.read_parquet(build.table_path(table)))


def test_bench_claims_ledger(benchmark):
    # What `python -m analysis claims` waits for: the results, the arithmetic, the tracker, the verdicts.
    from analysis.ledger_page.report import current_ledger

    benchmark.pedantic(current_ledger, rounds=3, iterations=1)


def test_bench_target_tracker(benchmark):
    from analysis.targets import tracker

    benchmark.pedantic(tracker, rounds=3, iterations=1)


def test_bench_status_of_all_runs(benchmark):
    # What `run` and `book` pay before deciding that nothing is to be done (`run --dry-run`).
    benchmark(pipeline.status)


def test_bench_load_cached(benchmark):
    load("pwt")
    benchmark(load, "pwt")


# --- analyses: one call of each chapter's central computation -------------------------------


def test_bench_growth_decomposition_vnm(benchmark):
    from analysis import growth

    pwt = load("pwt")
    benchmark(growth.decompose, pwt, "VNM", ["2011-2015", "2016-2020", "2011-2020"])


def test_bench_growth_rtfpna_validation_all_countries(benchmark):
    from analysis import growth

    pwt = load("pwt")
    benchmark.pedantic(growth.rtfpna_check, args=(pwt,), rounds=3, iterations=1)


def test_bench_kpf_twoway_patents(benchmark):
    from analysis.kpf import estimators, panel

    data = panel.build_panel(load("wdi"), load("countries"), output="patents")
    benchmark.pedantic(estimators.fit, args=(data, "twoway"), rounds=5, iterations=1)


def test_bench_time_distance_table(benchmark):
    from analysis import gap

    benchmark.pedantic(
        gap.gap_table,
        args=("VNM", ["KOR", "CHN", "THA", "WLD"], ["SL.GDP.PCAP.EM.KD", "GB.XPD.RSDV.GD.ZS"]),
        rounds=5,
        iterations=1,
    )


def test_rebuild_reads_the_run_timings_that_run_prints():
    # Not a benchmark: the bench's raw data is `run`'s own report, so the two must agree on its form.
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("rebuild", Path(__file__).with_name("rebuild.py"))
    rebuild = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rebuild)
    report = pipeline.timing_report({"06_kpf": 32.54, "growth_KOR": 7.7, "00_coverage": 5.3}, elapsed=30.0)
    output = "   executed  06_kpf\n" + "\n".join(report) + "\nbook built\n"
    assert rebuild.run_times(output) == {"06_kpf": 32.5, "growth_KOR": 7.7, "00_coverage": 5.3}
    assert rebuild.run_times("   unchanged  06_kpf\n") == {}  # nothing executed, nothing timed
