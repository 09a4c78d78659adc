"""Against a real `keta serve` process: a body that arrives too slowly is answered 408 and its
connection closed, while the server keeps answering everyone else (/healthz, during many slow
uploads); and its logs (uvicorn's access and error lines included) carry no request values."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from urllib.request import urlopen

import pytest
from tests.portal.browser import Server, serving

pytestmark = pytest.mark.slow
BODY_TIMEOUT = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module (starting one takes seconds)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KETA_BODY_TIMEOUT_SECONDS", str(BODY_TIMEOUT))
        with serving(tmp_path_factory.mktemp("slow")) as running:
            yield running


def _connect(server: Server) -> socket.socket:
    host, port = server.base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=BODY_TIMEOUT * 4)


def start_slow_post(server: Server, path: str, length: int, content_type: str) -> socket.socket:
    sock = _connect(server)
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    first = b"--keta\r\n" if content_type.startswith("multipart/") else b"{"
    sock.sendall(head.encode() + first)  # the body's first bytes, then nothing
    return sock


def read_answer(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):  # until the server closes the connection
        chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("path", ["/api/v1/applications", "/apply", "/status"])
def test_a_body_that_does_not_arrive_in_time_gets_408_and_the_connection_is_closed(server: Server, path: str) -> None:
    kind = "application/json" if path.startswith("/api/") else "multipart/form-data; boundary=keta"
    sock = start_slow_post(server, path, 5_000, kind)
    started = time.monotonic()
    answer = read_answer(sock)
    waited = time.monotonic() - started
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"connection: close" in answer.lower()
    assert BODY_TIMEOUT - 0.5 < waited < BODY_TIMEOUT + 5, waited


def test_healthz_answers_while_slow_uploads_are_pending(server: Server) -> None:
    pending = [
        start_slow_post(server, "/apply", 10_000_000, "multipart/form-data; boundary=keta") for _ in range(50)
    ] + [start_slow_post(server, "/api/v1/groups", 400_000, "application/json") for _ in range(50)]
    try:
        for _ in range(5):
            started = time.monotonic()
            with urlopen(f"{server.base}/healthz", timeout=5) as response:
                assert response.status == 200
            assert time.monotonic() - started < 1.0
            time.sleep(0.2)
    finally:
        for sock in pending:
            sock.close()


def test_the_logs_of_a_refused_request_carry_no_request_value(server: Server) -> None:
    secret = "U98765432"
    for path in (f"/status?passport_number={secret}", f"/api/v1/applications/A%00B/lookup?p={secret}"):
        sock = _connect(server)
        body = f'{{"passport_number": "{secret}\\u0000"}}'.encode()
        head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        sock.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)
        answer = read_answer(sock)
        sock.close()
        assert answer.startswith((b"HTTP/1.1 4",)), answer[:200]  # refused, never a 5xx
    time.sleep(0.5)  # let the access log line reach the file
    log = server.log.read_text()
    assert "POST /status HTTP/1.1" in log  # the access log is written, without its query string
    assert secret not in log
    assert "Traceback" not in log
