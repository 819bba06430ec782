"""Network access for ``fetch``: retries with backoff, per-request timeouts and one total deadline.

- File downloads go through pooch (:func:`pooch.create` with ``retry_if_failed``, and its
  ``HTTPDownloader``/``DOIDownloader``), which checks the sha256 before moving a file in place.
- World Bank API requests go through a :class:`requests.Session`; :func:`get_json` retries
  connection errors and 5xx answers with exponential backoff, each attempt's timeout being the
  time left, so retries never outlast the deadline.
- A :class:`Deadline` bounds the whole fetch: every response gets a watchdog that shuts its
  socket when the deadline passes, so a server trickling one byte every few seconds cannot
  hold a download (per-read timeouts alone never fire on such a server).

Settings (environment variables, for slow links and for tests):
``ANALYSIS_FETCH_DEADLINE`` (seconds for the whole fetch, default 3600),
``ANALYSIS_FETCH_RETRIES`` (retries per request or file, default 3),
``ANALYSIS_FETCH_BACKOFF`` (backoff factor in seconds, default 1).
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pooch
import requests
from requests.adapters import HTTPAdapter

from analysis.errors import DataError, InputError

DEADLINE_ENV = "ANALYSIS_FETCH_DEADLINE"
RETRIES_ENV = "ANALYSIS_FETCH_RETRIES"
BACKOFF_ENV = "ANALYSIS_FETCH_BACKOFF"
CONNECT_TIMEOUT = 15.0  # seconds to open a connection
READ_TIMEOUT = 60.0  # seconds of silence tolerated between two reads
RETRY_STATUSES = (429, 500, 502, 503, 504)
BACKOFF_MAX = 30.0  # seconds: the longest pause between two attempts


def _setting(name: str, default: float, minimum: float) -> float:
    text = os.environ.get(name, "")
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value >= minimum:  # also refuses NaN
        raise InputError(f"${name} must be a number >= {minimum:g}, not {text!r}.")
    return value


def retries() -> int:
    return int(_setting(RETRIES_ENV, 3, 0))


def backoff() -> float:
    return _setting(BACKOFF_ENV, 1.0, 0)


class DeadlineExceeded(DataError):
    """The whole fetch took longer than its deadline."""


class Deadline:
    """A point in time after which no request may continue; use as a context manager."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = _setting(DEADLINE_ENV, 3600.0, 0.1) if seconds is None else seconds
        self.end = time.monotonic() + self.seconds
        self._timers: list[threading.Timer] = []

    def remaining(self) -> float:
        return self.end - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def exceeded(self, what: str) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"{what} did not finish within the fetch deadline of {self.seconds:g} s (the server is too slow "
            f"or stalled). Nothing was written. Try again later, raise ${DEADLINE_ENV}, or use an offline "
            "mirror with --mirror DIR."
        )

    def timeout(self) -> tuple[float, float]:
        """A requests ``(connect, read)`` timeout that never outlasts the deadline."""
        left = max(self.remaining(), 0.01)
        return (min(CONNECT_TIMEOUT, left), min(READ_TIMEOUT, left))

    def watch(self, response: requests.Response, *args, **kwargs) -> requests.Response:
        """requests response hook: shut the response's socket when the deadline passes."""
        if self.expired:
            response.close()
            raise self.exceeded(f"The download from {response.url}")
        timer = threading.Timer(self.remaining(), _shutdown, args=(response,))
        timer.daemon = True
        timer.start()
        self._timers.append(timer)
        return response

    def close(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()

    def __enter__(self) -> Deadline:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _shutdown(response: requests.Response) -> None:
    """Interrupt a read blocked in another thread (urllib3's ``shutdown``; closing alone does not)."""
    raw = getattr(response, "raw", None)
    try:
        if raw is not None and hasattr(raw, "shutdown"):
            raw.shutdown()
        response.close()
    except (OSError, RuntimeError, ValueError):  # best effort: the connection is being torn down anyway
        pass


def session(deadline: Deadline) -> requests.Session:
    """A session watched by ``deadline``; :func:`get_json` retries it within the deadline.

    urllib3's own retries are off: each of them would restart the timeout, so that a server that
    never answers could hold the command for (retries + 1) timeouts past the deadline.
    """
    http = requests.Session()
    adapter = HTTPAdapter(max_retries=0)
    http.mount("http://", adapter)
    http.mount("https://", adapter)
    http.hooks["response"].append(deadline.watch)
    return http


def _retry_after(response: requests.Response) -> float | None:
    """The seconds a ``Retry-After`` header asks for (a number of seconds; dates are ignored)."""
    text = response.headers.get("Retry-After", "").strip()
    return float(text) if text.isdigit() else None


def one_line(text: str, limit: int = 80) -> str:
    """The start of a server's answer, on one line, for an error message."""
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def describe(exc: requests.RequestException) -> str:
    """A short reason for a failed request: the innermost cause, without urllib3's pool and retry wrapping."""
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code} {exc.response.reason}"
    reason = exc.args[0] if exc.args else exc
    reason = getattr(reason, "reason", reason)  # MaxRetryError -> the connection error inside
    text = str(reason)
    if isinstance(exc, requests.Timeout):
        return "the connection timed out"
    # "HTTPConnection(host='h', port=9): Failed to establish a new connection: [Errno 111] Connection refused"
    return one_line(text.split("): ", 1)[1] if "): " in text else text, 160)


def get_json(http: requests.Session, url: str, params: dict, deadline: Deadline) -> object:
    """GET ``url`` and decode JSON, retrying connection errors and 5xx answers with backoff.

    Every attempt's timeout is the time left before ``deadline``, and no backoff sleeps past it, so
    the whole command, retries included, ends by the deadline. A non-JSON answer (e.g. an HTML error
    page with status 200) is a DataError.
    """
    attempts = retries() + 1
    for attempt in range(attempts):
        if deadline.expired:
            raise deadline.exceeded(f"The request to {url}")
        last = attempt == attempts - 1
        try:
            response = http.get(url, params=params, timeout=deadline.timeout())
        except (requests.ConnectionError, requests.Timeout):
            if deadline.expired:
                raise deadline.exceeded(f"The request to {url}") from None
            if last:
                raise
            wait = backoff() * 2**attempt
        else:
            if response.status_code not in RETRY_STATUSES or last:
                break
            asked = _retry_after(response)
            wait = asked if asked is not None else backoff() * 2**attempt  # "Retry-After: 0" means now
            response.close()  # the answer that will be retried: give its connection back
        pause = min(wait, BACKOFF_MAX)
        if pause >= deadline.remaining():
            raise deadline.exceeded(f"The request to {url}")
        time.sleep(pause)
    response.raise_for_status()
    try:
        return response.json()
    except ValueError:
        if deadline.expired:
            raise deadline.exceeded(f"The answer from {url}") from None
        kind = response.headers.get("Content-Type", "no content type").split(";")[0]
        raise DataError(
            f"The server at {url} answered with {kind}, not JSON (status {response.status_code}, starting "
            f"{one_line(response.text)!r}): it is probably an error or maintenance page, or the API "
            "address is wrong. Try again later, check the API address, or use an offline mirror with --mirror DIR."
        ) from None


def downloader_for(url: str, deadline: Deadline, progress: bool) -> Callable[[str, str, object], None]:
    """A pooch downloader for ``url`` (``doi:`` or http(s)) whose requests respect ``deadline``."""

    attempts = [0]

    def download(url: str, output_file: str, pooch_instance: object) -> None:
        if deadline.expired:
            raise deadline.exceeded(f"The download of {url}")
        attempts[0] += 1
        options = {"progressbar": progress, "timeout": deadline.timeout(), "hooks": {"response": [deadline.watch]}}
        try:
            if url.startswith("doi:"):
                pooch.DOIDownloader(**options)(url, output_file, pooch_instance)
            else:
                pooch.HTTPDownloader(**options)(url, output_file, pooch_instance)
        except (ValueError, requests.RequestException):
            # pooch then sleeps min(attempt, 10) s before its next try: not past the deadline.
            if deadline.remaining() <= min(attempts[0], 10):
                raise deadline.exceeded(f"The download of {url}") from None
            raise

    return download


def retrieve(url: str, target: Path, sha256: str, deadline: Deadline, progress: bool) -> None:
    """Download ``url`` to ``target`` through pooch, retrying failures; moved in place only if the hash matches."""
    name = target.name
    fetcher = pooch.create(
        path=str(target.parent),
        base_url="",
        registry={name: f"sha256:{sha256}"},
        urls={name: url},
        retry_if_failed=retries(),
        allow_updates=False,
    )
    fetcher.fetch(name, downloader=downloader_for(url, deadline, progress))
