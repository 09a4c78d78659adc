"""A fake of the outside payment gateway (which we cannot reach from here), on 127.0.0.1.

It speaks the protocol documented in keta.adapters.payments.gateway: `POST /checkouts` with a
Bearer key answers a checkout id and URL; it records every call; it can be told to stall or fail.
Its webhook events are signed here with hmac directly, from the documented header format, not
with keta's own signing helper."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "gw_test_key_31f8a2"
WEBHOOK_SECRET = "whsec_Vb4Nq8Zt2Lr6Xm9Kc3Pw7Hy1Jd5Fs0"


@dataclass
class FakeGateway:
    url: str = ""
    calls: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    stall_seconds: float = 0.0
    fail_with: int | None = None
    _count: int = 0

    def event(
        self,
        checkout: str,
        *,
        outcome: str = "captured",
        amount: str = "10300.00",
        currency: str = "KRW",
        event_id: str | None = None,
        at: float,
        secret: str = WEBHOOK_SECRET,
    ) -> tuple[dict[str, str], bytes]:
        """A webhook delivery as the gateway makes it: (headers, raw body)."""
        self._count += 1
        body = json.dumps(
            {
                "id": event_id or f"evt_{self._count}",
                "type": f"checkout.{outcome}",
                "data": {"checkout": checkout, "amount": amount, "currency": currency},
            }
        ).encode()
        timestamp = int(at)
        mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        return {"Keta-Signature": f"t={timestamp},v1={mac}", "Content-Type": "application/json"}, body


def _handler(gateway: FakeGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            gateway.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
            if gateway.stall_seconds:
                time.sleep(gateway.stall_seconds)
            if self.path != "/checkouts" or self.headers.get("Authorization") != f"Bearer {API_KEY}":
                self._answer(401, {"error": "unauthorized"})
            elif gateway.fail_with:
                self._answer(gateway.fail_with, {"error": "gateway trouble"})
            else:
                checkout = f"chk_{len(gateway.calls)}"
                self._answer(201, {"id": checkout, "url": f"{gateway.url}/pay/{checkout}", "status": "open"})

        def _answer(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # keta gave up waiting (the timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def running_gateway() -> Iterator[FakeGateway]:
    gateway = FakeGateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    server.daemon_threads = True
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
