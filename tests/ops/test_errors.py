"""Unhandled errors reach an error tracker when SENTRY_DSN is set: a real
sentry-sdk in a subprocess posts its envelope to a receiver on loopback."""

import gzip
import http.server
import json
import threading
import zlib

import pytest

from tests.factories import make_user
from tests.ops.test_logging import run_probe


class Receiver(http.server.BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        raw = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        elif encoding == "deflate":
            raw = zlib.decompress(raw)
        elif encoding == "br":
            import brotli  # sentry-sdk only uses it when installed

            raw = brotli.decompress(raw)
        self.bodies.append(raw)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.bodies = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_an_unhandled_error_reaches_sentry_with_the_user_id_only(
    receiver, transactional_db
):
    make_user(username="alice", email="private@example.com")
    dsn = f"http://public@127.0.0.1:{receiver.server_address[1]}/42"
    result, _ = run_probe("error", SENTRY_DSN=dsn)
    assert result["status"] == 500 and result["sentry"] is True
    items = [
        json.loads(line)
        for body in Receiver.bodies
        for line in body.splitlines()
        if line.startswith(b"{")
    ]
    events = [i for i in items if i.get("exception")]
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "boom for the error-path tests"
    assert (
        event["exception"]["values"][-1]["stacktrace"]["frames"][-1]["function"]
        == "boom"
    )
    # The same reference as the 500 page and the logs.
    assert event["tags"]["request_id"] == result["request_id"]
    assert "user" not in event or set(event["user"]) <= {"id"}
    text = b"".join(Receiver.bodies).decode()
    assert "private@example.com" not in text and "alice" not in text


def test_sentry_is_off_without_a_dsn(receiver, transactional_db):
    result, _ = run_probe("error")
    assert result["status"] == 500 and result["sentry"] is False
    assert Receiver.bodies == []
