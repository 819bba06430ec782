"""Issue 26, items 2 and 10: the World Bank API fetch ends by its deadline, retries included, and a
malformed answer is one line naming what is wrong, not a KeyError or ValueError.

Every server here runs on 127.0.0.1: the real download code runs end to end against it.
"""

from __future__ import annotations

import json
import socket
import time

import pytest

from analysis.data import fetch, registry
from analysis.data.net import DeadlineExceeded
from analysis.errors import DataError, UnexpectedAnswer

from .fake_http import Reply
from .test_fetch import _api_page, _serve_fake_wdi, _wdi_sources, server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.network


def _fetch_wdi():
    return fetch.download_wdi_sources(_wdi_sources(), accept_new_vintage=True, progress=False)


def test_a_server_that_never_answers_is_cut_at_the_deadline_retries_included(tmp_repo, monkeypatch):
    # The socket listens (the kernel completes the handshake) but nobody reads or answers: every
    # attempt waits for its read timeout. Six attempts at 2 s each took 12 s before the fix.
    monkeypatch.setenv("ANALYSIS_FETCH_DEADLINE", "2")
    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "5")
    monkeypatch.setenv("ANALYSIS_FETCH_BACKOFF", "0.05")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        monkeypatch.setenv("ANALYSIS_WDI_API", f"http://127.0.0.1:{silent.getsockname()[1]}/v2")
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded, match="within the fetch deadline of 2 s") as caught:
            _fetch_wdi()
        elapsed = time.monotonic() - started
    assert elapsed < 3.5, f"took {elapsed:.1f} s for a 2 s deadline"
    assert "\n" not in str(caught.value)


def test_retries_stop_before_a_backoff_would_pass_the_deadline(tmp_repo, server, monkeypatch):  # noqa: F811
    base, routes, hits = server
    monkeypatch.setenv("ANALYSIS_FETCH_DEADLINE", "2")
    monkeypatch.setenv("ANALYSIS_FETCH_RETRIES", "10")
    monkeypatch.setenv("ANALYSIS_FETCH_BACKOFF", "0.5")  # 0.5, 1, 2, … s: the third pause would pass 2 s
    routes["/v2/country?page=1"] = Reply(503, b"busy", content_type="text/plain")
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        _fetch_wdi()
    assert time.monotonic() - started < 2.5
    assert 2 <= hits["/v2/country?page=1"] <= 3


def test_a_billion_empty_pages_are_refused_at_once(tmp_repo, server, monkeypatch):  # noqa: F811
    base, routes, hits = server
    _serve_fake_wdi(routes, [s.code for s in registry.wdi_series()])
    routes["/v2/country?page=1"] = Reply(200, _api_page([], 1, 10**9), content_type="application/json")
    routes["/v2/country?page=2"] = routes["/v2/country?page=1"]
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
    started = time.monotonic()
    with pytest.raises(UnexpectedAnswer, match="it claims 1000000000 pages; the World Bank sends 1 to 100"):
        _fetch_wdi()
    assert time.monotonic() - started < 2
    assert hits["/v2/country?page=2"] == 0


def _meta(**fields):
    return {"page": 1, "pages": 1, "per_page": 2, "total": 1, **fields}


GOOD_ROW = {"indicator": {"id": "X"}, "country": {"id": "VN", "value": "VNM"}, "countryiso3code": "VNM"}


@pytest.mark.parametrize(
    "where, body, named",
    [
        ("country", [{"page": 1, "per_page": 2}, []], "its metadata has no page count"),
        ("country", [_meta(pages="3"), []], "the page count is '3', not a whole number"),
        ("country", [_meta(pages="many"), []], "the page count is 'many', not a whole number"),
        ("country", [_meta(pages=0), []], "it claims 0 pages"),
        ("country", [_meta(), {"id": "VNM"}], "page 1 holds"),
        ("country", [_meta(), [{"name": "Viet Nam"}]], "a record has no 'id' field"),
        ("country", [_meta(), [{"id": "VNM", "name": None}]], "a record holds a wrong value"),
        ("series", [_meta(), [{"countryiso3code": "VNM", "date": "2020", "value": 1.0}]], "a record has no 'country'"),
        ("series", [_meta(), [{**GOOD_ROW, "date": "2020", "value": "abc"}]], "a record holds a wrong value"),
        ("series", [_meta(), [{"country": "VNM", "date": "2020", "value": 1.0}]], "a record holds a wrong value"),
    ],
)
def test_malformed_answers_are_one_line(tmp_repo, server, monkeypatch, where, body, named):  # noqa: F811
    base, routes, _ = server
    codes = [s.code for s in registry.wdi_series()]
    _serve_fake_wdi(routes, codes)
    key = "/v2/country?page=1" if where == "country" else f"/v2/country/all/indicator/{codes[0]}?page=1"
    routes[key] = Reply(200, json.dumps(body).encode(), content_type="application/json")
    monkeypatch.setenv("ANALYSIS_WDI_API", f"{base}/v2")
    with pytest.raises(DataError, match="the API answered in an unexpected form: " + named) as caught:
        _fetch_wdi()
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, UnexpectedAnswer)


def test_retry_after_zero_retries_at_once_and_closes_the_answer(monkeypatch):
    # A 503 asking to retry after 0 seconds: no backoff pause, and the refused answer is closed.
    from analysis.data import net

    class Answer:
        def __init__(self, status, headers, body=None):
            self.status_code, self.headers, self.body, self.closed = status, headers, body, False

        def close(self):
            self.closed = True

        def raise_for_status(self):
            pass

        def json(self):
            return self.body

    answers = [Answer(503, {"Retry-After": "0"}), Answer(200, {}, {"ok": 1})]

    class Session:
        def get(self, url, params, timeout):
            return answers.pop(0) if answers else pytest.fail("asked more than twice")

    pauses = []
    monkeypatch.setattr(net.time, "sleep", pauses.append)
    monkeypatch.setattr(net, "backoff", lambda: 5.0)
    first = answers[0]
    assert net.get_json(Session(), "http://x", {}, net.Deadline(30)) == {"ok": 1}
    assert pauses == [0.0] and first.closed
