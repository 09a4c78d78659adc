"""The outside services a bench's production servers talk to, played on 127.0.0.1 by the bench:
a payment gateway (the checkout half of keta's gateway protocol) and a mail server that accepts
and counts messages. Fakes of services we do not run — never of keta's own code.

- `StubGateway`: `POST /checkouts` (Bearer key, `Idempotency-Key`) answers `201 {"id", "url"}`, the
  same checkout for the same key, as keta.adapters.payments.gateway expects. The payment itself is
  completed by the load driver, which signs the webhook event with the shared secret as the
  gateway would after its card page.
- `SmtpSink`: just enough SMTP (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for smtplib; it keeps
  the count of messages and of each (recipient, subject) pair, so a bench can say how many
  e-mails a crash made a worker send twice (delivery is at least once).
"""

from __future__ import annotations

import json
import secrets
import socketserver
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_BODY = 64 * 1024
MAX_MESSAGE = 1024 * 1024


@dataclass
class StubGateway:
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    url: str = ""
    checkouts: dict[str, str] = field(default_factory=dict)  # Idempotency-Key -> checkout id
    lock: threading.Lock = field(default_factory=threading.Lock)

    def checkout_for(self, key: str) -> str:
        with self.lock:
            return self.checkouts.setdefault(key, f"chk_{secrets.token_hex(10)}")


def _gateway_handler(gateway: StubGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if self.path != "/checkouts" or length > MAX_BODY:
                return self._answer(404, {})
            self.rfile.read(length)
            if self.headers.get("authorization") != f"Bearer {gateway.api_key}":
                return self._answer(401, {})
            checkout = gateway.checkout_for(self.headers.get("idempotency-key") or secrets.token_hex(8))
            return self._answer(201, {"id": checkout, "url": f"{gateway.url}/pay/{checkout}"})

        def _answer(self, status: int, body: dict[str, str]) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running_gateway() -> Iterator[StubGateway]:
    gateway = StubGateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _gateway_handler(gateway))
    server.daemon_threads = True
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="stub-gateway", daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SmtpSink:
    url: str = ""
    messages: int = 0
    by_recipient_subject: Counter[tuple[str, str]] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def delivered(self, recipients: list[str], message: bytes) -> None:
        subject = str(BytesHeaderParser().parsebytes(message).get("subject", ""))
        with self.lock:
            self.messages += 1
            for recipient in recipients:
                self.by_recipient_subject[(recipient, subject)] += 1

    def duplicates(self) -> int:
        """Messages beyond the first for one recipient and subject."""
        with self.lock:
            return sum(count - 1 for count in self.by_recipient_subject.values() if count > 1)


def _smtp_handler(sink: SmtpSink) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            recipients: list[str] = []
            self._say("220 sink ESMTP")
            while line := self.rfile.readline(4096):
                verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
                if verb == "EHLO":
                    self._say("250-sink", "250 8BITMIME")
                elif verb in ("HELO", "NOOP"):
                    self._say("250 sink")
                elif verb in ("MAIL", "RSET"):
                    recipients = []
                    self._say("250 OK")
                elif verb == "RCPT":
                    recipients.append(line.decode("ascii", "replace").split(":", 1)[-1].strip().strip("<>"))
                    self._say("250 OK")
                elif verb == "DATA":
                    self._say("354 end with .")
                    sink.delivered(recipients, self._message())
                    self._say("250 OK queued")
                elif verb == "QUIT":
                    self._say("221 bye")
                    return
                else:
                    self._say("502 not implemented")

        def _message(self) -> bytes:
            lines: list[bytes] = []
            size = 0
            while (line := self.rfile.readline(MAX_MESSAGE)) and line.rstrip(b"\r\n") != b".":
                size += len(line)
                if size <= MAX_MESSAGE:
                    lines.append(line[1:] if line.startswith(b"..") else line)
            return b"".join(lines)

        def _say(self, *lines: str) -> None:
            self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())

    return Handler


@contextmanager
def running_smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _smtp_handler(sink))
    server.daemon_threads = True
    sink.url = f"smtp://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="smtp-sink", daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
