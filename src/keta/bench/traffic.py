"""The load driver of `keta bench crash` and `keta bench soak`: a process of its own, so its CPU
and its garbage are never the servers'.

    python -m keta.bench.traffic PLAN.json RESULT.json

N client threads, each with keep-alive connections to every API process, pick requests from a
weighted mix — eligibility checks, submissions, payments (checkout, then the webhook the gateway
would send, signed with the shared secret), look-ups of their own applications (one in ten of an
unknown reference, answered 404), single carrier checks of the authorizations `carrier_load`
loaded (answered OK) — or, for the crash drill, one kind only: a whole flow, submit then pay.
Each thread is paced to its share of `rate` steps/s (one request each, two for a payment; closed
loop when `rate` is 0), and the run ends at `seconds` or `max_flows` submissions, whichever comes
first.

`persistent` (the crash drill): a request whose connection fails — its server was killed — is
sent again, to the next server, until it is answered. That is safe for every request here:
submissions carry an `Idempotency-Key`, a second payment call returns the open checkout, the
webhook event has one id per checkout, and look-ups change nothing. Otherwise a failed
connection is an error. Either way a 5xx is an error.

Every person is fictional and distinct (passport number, name and birth date are functions of the
run's prefix, the thread and a counter), so no submission meets the re-application cap.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from keta.adapters.payments.signing import SIGNATURE_HEADER, event_body, signature_header
from keta.bench.carrier_load import passenger_facts

KINDS = ("eligibility", "submit", "payment", "webhook", "lookup", "carrier")
FLOW = "flow"  # submit, then pay: the crash drill's only kind
EXPECTED = {"submit": {201}, "payment": {200, 201}, "webhook": {200}, "eligibility": {200}, "carrier": {200}}
EXPECTED_LOOKUP = {200, 404}


@dataclass
class Plan:
    bases: list[str]
    seconds: float
    webhook_secret: str
    mix: dict[str, float]
    clients: int = 4
    rate: float = 0.0  # steps/s over all clients (a payment is two requests); 0: as fast as answers come
    max_flows: int = 1_000_000
    persistent: bool = False
    prefix: str = "S"
    seed: int = 1
    report_every: float = 60.0
    carrier_key: str | None = None
    carrier_rows: int = 0
    nationalities: list[str] = field(default_factory=list)
    arrival: str = ""
    timeout: float = 15.0


@dataclass
class Submitted:
    reference: str
    passport: str
    paid: bool = False


class Unanswered(Exception):
    """No answer: the connection failed or timed out."""


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, Counter[str]] = defaultdict(Counter)
        self.retries = 0
        self.window: list[float] = []
        self.window_errors = 0

    def answered(self, kind: str, ms: float, problem: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(ms)
            self.window.append(ms)
            if problem:
                self.errors[kind][problem] += 1
                self.window_errors += 1

    def failed(self, kind: str, problem: str) -> None:
        with self.lock:
            self.errors[kind][problem] += 1
            self.window_errors += 1

    def take_window(self) -> tuple[list[float], int]:
        with self.lock:
            window, errors = self.window, self.window_errors
            self.window, self.window_errors = [], 0
        return window, errors


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Client:
    """One thread's connections, one per API process, reopened when a server goes away."""

    def __init__(self, plan: Plan, stats: Stats, index: int) -> None:
        self.plan, self.stats, self.index = plan, stats, index
        self.connections: dict[str, http.client.HTTPConnection] = {}
        self.turn = index

    def send(self, kind: str, method: str, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        """The answer's (status, JSON); in persistent mode, retried on the next server until answered."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        give_up = time.monotonic() + (self.plan.seconds + 300 if self.plan.persistent else 0)
        while True:
            base = self.plan.bases[self.turn % len(self.plan.bases)]
            self.turn += 1
            started = time.perf_counter()
            try:
                status, answer = self._once(base, method, path, raw, headers or {})
            except Unanswered as exc:
                if not self.plan.persistent or time.monotonic() > give_up:
                    self.stats.failed(kind, f"no answer ({exc})")
                    return None, None
                with self.stats.lock:
                    self.stats.retries += 1
                time.sleep(0.1)
                continue
            ms = (time.perf_counter() - started) * 1000
            expected = EXPECTED_LOOKUP if kind == "lookup" else EXPECTED.get(kind, {200})
            self.stats.answered(kind, ms, None if status in expected else f"HTTP {status}")
            if status >= 500 and self.plan.persistent and time.monotonic() < give_up:
                continue  # counted as an error above; the drill still needs an answer
            return status, answer

    def _once(self, base: str, method: str, path: str, raw: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        connection = self.connections.get(base)
        if connection is None:
            parts = urlsplit(base)
            connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=self.plan.timeout)
            self.connections[base] = connection
        try:
            connection.request(method, path, body=raw, headers={"Content-Type": "application/json", **headers})
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            self.connections.pop(base, None)
            raise Unanswered(type(exc).__name__) from None
        if response.getheader("connection", "").lower() == "close":
            connection.close()
            self.connections.pop(base, None)
        try:
            return response.status, json.loads(data) if data else None
        except ValueError:
            return response.status, None


class Traveller:
    """What one client thread does: its own applications, paid and looked up."""

    def __init__(self, plan: Plan, client: Client, index: int) -> None:
        self.plan, self.client, self.index = plan, client, index
        self.random = random.Random(plan.seed * 1000 + index)  # noqa: S311 (a load mix, not security)
        self.count = 0
        self.unpaid: list[Submitted] = []
        self.submitted: list[Submitted] = []
        today = (datetime.now(UTC) + timedelta(hours=9)).date()  # K-ETA's dates are KST dates
        self.arrival = today + timedelta(days=30)

    def person(self) -> dict[str, Any]:
        self.count += 1
        serial = self.index * 1_000_000 + self.count
        given, rest = "", serial
        while True:  # the serial in letters: a distinct name per person
            given, rest = chr(ord("a") + rest % 26) + given, rest // 26
            if not rest:
                break
        birth = date(1962, 1, 1) + timedelta(days=(serial * 7919) % 15_000)
        return {
            "passport": {
                "number": f"{self.plan.prefix}{serial:08d}",
                "issuing_country": "TUR",
                "nationality": "TUR",
                "surname": "Deneme",
                "given_names": f"Yolcu {given.capitalize()}",
                "sex": "F" if serial % 2 else "M",
                "birth_date": birth.isoformat(),
                "expiry_date": f"{self.arrival.year + 6}-06-30",
            },
            "email": f"yolcu.{self.plan.prefix.lower()}{serial}@example.org",
            "phone": "+90 555 010 2030",
            "travel": {
                "arrival_date": self.arrival.isoformat(),
                "purpose": "tourism",
                "address_in_korea": "110 Sejong-daero, Jung-gu, Seoul 04524",
                "flight_number": "TK90",
            },
            "background": {
                "employment": "employed",
                "occupation": "Engineer",
                "previous_visits": 0,
                # One in twenty declares a record: those go to an officer, the rest are decided alone.
                "criminal_record": serial % 20 == 0,
                "criminal_record_details": "Traffic offence in 2010" if serial % 20 == 0 else None,
                "infectious_disease": False,
            },
            "consent": True,
        }

    def submit(self) -> Submitted | None:
        body = self.person()
        headers = {"Idempotency-Key": str(uuid.uuid4())}
        status, answer = self.client.send("submit", "POST", "/api/v1/applications", body, headers)
        if status != 201 or not isinstance(answer, dict):
            return None
        made = Submitted(str(answer["reference"]), body["passport"]["number"])
        self.submitted.append(made)
        self.unpaid.append(made)
        return made

    def pay(self, application: Submitted) -> None:
        path = f"/api/v1/applications/{application.reference}/payment"
        status, answer = self.client.send("payment", "POST", path, {"passport_number": application.passport})
        if status not in (200, 201) or not isinstance(answer, dict):
            return
        checkout = str(answer["checkout_url"]).rstrip("/").rsplit("/", 1)[-1]
        raw = event_body(
            event_id=f"evt_{checkout}",
            outcome="captured",
            provider_reference=checkout,
            amount=Decimal(str(answer["amount"])),
            currency=str(answer["currency"]),
        )
        headers = {
            SIGNATURE_HEADER: signature_header(self.plan.webhook_secret.encode(), raw, timestamp=int(time.time()))
        }
        status, answer = self.client.send("webhook", "POST", "/payments/webhook", raw, headers)
        if status == 200 and isinstance(answer, dict) and answer.get("result") in ("captured", "replayed"):
            application.paid = True
            if application in self.unpaid:
                self.unpaid.remove(application)

    def lookup(self) -> None:
        if not self.submitted or self.random.random() < 0.1:
            reference, passport = f"A{self.random.randrange(10**9):09d}", "Z0000000"  # no such application
        else:
            known = self.random.choice(self.submitted)
            reference, passport = known.reference, known.passport
        self.client.send("lookup", "POST", f"/api/v1/applications/{reference}/lookup", {"passport_number": passport})

    def eligibility(self) -> None:
        birth = date(1950, 1, 1) + timedelta(days=self.random.randrange(25_000))
        body = {"nationality": "TUR", "birth_date": birth.isoformat(), "arrival_date": self.arrival.isoformat()}
        self.client.send("eligibility", "POST", "/api/v1/eligibility", body)

    def carrier(self) -> None:
        if not self.plan.carrier_key or not self.plan.carrier_rows:
            return self.eligibility()
        number, nationality, birth = passenger_facts(
            self.random.randrange(self.plan.carrier_rows), tuple(self.plan.nationalities)
        )
        row = {"document_number": number, "issuing_country": nationality, "nationality": nationality}
        body = {"passengers": [{**row, "birth_date": birth.isoformat(), "arrival_date": self.plan.arrival}]}
        headers = {"Authorization": f"Bearer {self.plan.carrier_key}"}
        status, answer = self.client.send("carrier", "POST", "/api/v1/carrier/checks", body, headers)
        if status == 200 and answer["results"][0]["status"] != "OK":
            self.client.stats.failed("carrier", "wrong answer")
        return None

    def step(self, kind: str) -> bool:
        """One unit of work; True when it was a submission (they are what `max_flows` counts)."""
        if kind == FLOW:
            made = self.submit()
            if made is not None:
                self.pay(made)
            return True
        if kind == "payment" and self.unpaid:
            self.pay(self.unpaid[0])
            return False
        if kind in ("submit", "payment"):
            self.submit()
            return True
        getattr(self, kind)()
        return False


def run(plan: Plan) -> dict[str, Any]:
    stats = Stats()
    flows = iter(range(plan.max_flows))
    flows_lock = threading.Lock()
    deadline = time.monotonic() + plan.seconds
    travellers = [Traveller(plan, Client(plan, stats, index), index) for index in range(plan.clients)]
    kinds, weights = list(plan.mix), list(plan.mix.values())
    interval = plan.clients / plan.rate if plan.rate else 0.0

    def drive(traveller: Traveller) -> None:
        due = time.monotonic() + traveller.random.random() * interval
        while time.monotonic() < deadline:
            if interval:
                pause = due - time.monotonic()
                if pause > 0:
                    time.sleep(pause)
                due = max(due + interval, time.monotonic() - 1.0)  # never a burst to catch up more than 1 s
            kind = traveller.random.choices(kinds, weights)[0]
            if kind in (FLOW, "submit", "payment") and not (kind == "payment" and traveller.unpaid):
                with flows_lock:
                    if next(flows, None) is None:
                        return
            traveller.step(kind)

    threads = [threading.Thread(target=drive, args=(t,), daemon=True) for t in travellers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    reporter = threading.Thread(target=_report, args=(stats, threads, plan.report_every, started), daemon=True)
    reporter.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "seconds": elapsed,
        "retries": stats.retries,
        "kinds": {
            kind: {
                "requests": len(stats.latencies.get(kind, [])),
                "errors": dict(stats.errors.get(kind, {})),
                "p50_ms": statistics.median(stats.latencies[kind]) if stats.latencies.get(kind) else 0.0,
                "p99_ms": percentile(stats.latencies.get(kind, []), 0.99),
                "max_ms": max(stats.latencies.get(kind) or [0.0]),
            }
            for kind in KINDS
            if kind in stats.latencies or kind in stats.errors
        },
        "submitted": [asdict(s) for t in travellers for s in t.submitted],
    }


def _report(stats: Stats, threads: list[threading.Thread], every: float, started: float) -> None:
    while any(thread.is_alive() for thread in threads):
        time.sleep(every)
        window, errors = stats.take_window()
        print(  # noqa: T201 - the driver's progress, on its own stdout for the bench to relay
            f"driver t={time.monotonic() - started:5.0f}s: {len(window) / every:6.1f} req/s, errors {errors}, "
            f"p50 {percentile(window, 0.5):.1f} ms, p99 {percentile(window, 0.99):.1f} ms",
            flush=True,
        )


def main() -> None:
    plan = Plan(**json.loads(Path(sys.argv[1]).read_text()))
    result = run(plan)
    Path(sys.argv[2]).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
