"""Issue 26, item 8 (and the --scheduler Low item): the Dask scheduler address is checked before any
work, only tcp:// and tls:// are accepted, and an unreachable scheduler fails within seconds."""

from __future__ import annotations

import time

import pytest

from analysis import cli
from analysis.build.execute import scheduler_address
from analysis.errors import InputError

from .fake_http import dead_port
from .test_sweep import project  # noqa: F401 (a fixture)


@pytest.mark.parametrize(
    "address",
    [
        "not a url",
        "http://127.0.0.1:8786",
        "inproc://x",
        "tcp://host",
        "tcp://:8786",
        "tcp://h:0",
        "tcp://h:99999",
        "tcp://h:8786/path",
        "tcp://a b:1",
        "x" * 5000,
    ],
)
def test_addresses_that_are_not_tcp_or_tls_host_port_are_refused(address):
    with pytest.raises(InputError, match="--scheduler takes tcp://HOST:PORT or tls://HOST:PORT") as caught:
        scheduler_address(address)
    assert len(str(caught.value)) < 250  # a huge address is not echoed whole


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:8786", "tls://scheduler.example.org:8786", "tcp://[::1]:8786"])
def test_tcp_and_tls_host_port_are_accepted(address):
    assert scheduler_address(address) == address


def test_a_bad_scheduler_is_refused_at_once_before_any_work(project, capsys):  # noqa: F811
    started = time.monotonic()
    assert cli.main(["sweep", "page", "--countries", "AAA", "--scheduler", "not a url"]) == 2
    assert time.monotonic() - started < 3
    err = capsys.readouterr().err
    assert err.startswith("error: --scheduler takes tcp://HOST:PORT") and err.count("\n") == 1
    assert not (project / "build").exists()


@pytest.mark.slow
def test_an_unreachable_scheduler_fails_within_seconds(project, capsys):  # noqa: F811
    started = time.monotonic()
    address = f"tcp://127.0.0.1:{dead_port()}"
    assert cli.main(["sweep", "page", "--countries", "AAA", "--scheduler", address]) == 2
    assert time.monotonic() - started < 15  # 38 s before the fix
    err = capsys.readouterr().err
    assert f"Could not reach the Dask scheduler at {address} within 5 s" in err and err.count("\n") == 1
