"""A small HTTP server on 127.0.0.1 for the fetch and deposit tests.

``routes`` maps a path (plus ``?page=N`` for the World Bank API) to a :class:`Reply`, or to a
list of replies served in turn (the last one repeats), so a test can script "503, then 200".
Every request is counted in ``hits``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    declared_length: int | None = None  # larger than the body: the connection closes half-way
    content_type: str = "application/octet-stream"
    trickle_seconds: float = 0.0  # > 0: send the body one byte at a time, pausing this long between bytes


NOT_FOUND = Reply(404, b"not found", content_type="text/plain")


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, Reply | list[Reply]] = {}
    hits: Counter = Counter()

    def do_GET(self):
        parsed = urlparse(self.path)
        key = parsed.path
        if "page" in parse_qs(parsed.query):
            key += "?page=" + parse_qs(parsed.query)["page"][0]
        self.hits[key] += 1
        reply = self.routes.get(key, NOT_FOUND)
        if isinstance(reply, list):
            reply = reply[min(self.hits[key], len(reply)) - 1]
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        length = reply.declared_length if reply.declared_length is not None else len(reply.body)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        try:
            if reply.trickle_seconds:
                for i in range(len(reply.body)):
                    self.wfile.write(reply.body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.trickle_seconds)
            else:
                self.wfile.write(reply.body)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: that is what is tested
            return
        if length > len(reply.body):
            self.close_connection = True

    def log_message(self, *args):  # keep test output quiet
        pass


class FakeServer:
    """Start with ``with FakeServer() as (base_url, routes, hits):``."""

    def __enter__(self):
        _Handler.routes = {}
        _Handler.hits = Counter()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}", _Handler.routes, _Handler.hits

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()


def dead_port() -> int:
    """A loopback port with nothing listening (bound, then closed), so connections are refused at once."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
