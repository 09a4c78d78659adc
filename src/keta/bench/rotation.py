"""keta bench key-rotation: how fast the rotation re-encrypts applications, next to a naive baseline.

Both run in the same process on the same number of identical rows (seeded under one key, each run
rotating to a fresh key):

- **keta**: the real thing — `rotate_keys` jobs through the job table and a worker, batches in
  keyset order, one transaction per batch, a compare-and-set update per row, blind indexes rebuilt.
- **baseline**: what one would write without caring about a live API — read every row, re-encrypt,
  update by id without a condition (one statement executed for all rows), all in one transaction.
  Faster, and unsafe while the API writes (it overwrites a row changed meanwhile, and holds every
  lock until the end).

The ratio keta/baseline is the price of doing it safely while the service answers.
"""

from __future__ import annotations

import base64
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Table, bindparam, create_engine, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.clock import FixedClock
from keta.adapters.crypto import Keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.db.engine import make_engine, normalize_url
from keta.db.migrate import upgrade
from keta.db.models import Application, DataKeyRecord
from keta.db.session import make_sessionmaker, session_scope
from keta.domain.applicant import Applicant, Background, Employment, Passport, Purpose, Travel
from keta.jobs.runner import Worker
from keta.services import key_registry, key_rotation, pii
from keta.services.encrypted import ENCRYPTED
from keta.services.runtime import Runtime

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Timing:
    name: str
    rows: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(24)).decode("ascii")


def _personal(n: int, photo: str | None) -> dict[str, object]:
    born = date(1990, 1, 1) + timedelta(days=n % 9000)
    passport = Passport(f"B{n:08d}", "TUR", "TUR", f"SURNAME{n}", "AYSE", "F", born, date(2033, 1, 1))
    travel = Travel(date(2026, 12, 29), Purpose.TOURISM, "110 Sejong-daero, Jung-gu, Seoul 04524", "TK90")
    background = Background(Employment.EMPLOYED, "Engineer", "Example Ltd", 1, False, None, False)
    data = pii.applicant_to_pii(Applicant(passport, f"p{n}@example.org", "+90 555 010 2030", travel, background, True))
    return {**data, "photo_jpeg": photo} if photo else data


def seed(factory: sessionmaker[Session], keyring: Keyring, *, count: int, photo_kb: int) -> None:
    photo = base64.b64encode(os.urandom(photo_kb * 1024)).decode("ascii") if photo_kb else None
    with session_scope(factory) as session:
        key_registry.check_and_register(session, keyring, now=NOW)
        for start in range(0, count, 1000):
            rows = []
            for n in range(start, min(count, start + 1000)):
                data = _personal(n, photo)
                rows.append({
                    "id": uuid.uuid4(), "reference": f"A{n:010d}", "policy_code": "kr", "status": "approved",
                    "version": 1, "nationality": "TUR", "pii": keyring.encrypt(data), "language": "en",
                    "submitted_at": NOW, "applied_on": NOW.date(), "arrival_date": date(2026, 12, 29),
                    "eligibility_outcome": "required", "eligibility_reasons": [], "corrects_personal_data": False,
                    "decision_reasons": [], "decision_detail": {}, "cleared_entities": [],
                    **pii.application_indexes(keyring, data),
                })  # fmt: skip
            session.execute(insert(Application), rows)


def run_keta(factory: sessionmaker[Session], *, old: str, new: str, batch: int) -> Timing:
    """The rotation's own jobs, drained by one in-process worker."""
    clock = FixedClock(NOW)
    keyring = Keyring(new, [old])
    runtime = Runtime(load_policy("kr"), clock, keyring, SandboxPayments(secret=new, clock=clock))
    original, key_rotation.BATCH_ROWS = key_rotation.BATCH_ROWS, batch
    try:
        started = time.perf_counter()
        with session_scope(factory) as session:
            key_registry.check_and_register(session, keyring, now=NOW)
            rows = sum(s.rows for s in key_rotation.start(session, runtime) if s.table == "applications")
        Worker(factory, runtime).run_until_idle(max_jobs=1_000_000)
        seconds = time.perf_counter() - started
    finally:
        key_rotation.BATCH_ROWS = original
    with factory() as session:
        left = sum(s.rows for s in key_rotation.stale_rows(session, keyring))
    if left:
        raise RuntimeError(f"{left} rows left under an old key")
    return Timing("keta", rows, seconds)


def run_baseline(factory: sessionmaker[Session], *, old: str, new: str) -> Timing:
    """Everything in one transaction, no condition on the update: fast, and wrong under concurrent writes."""
    keyring = Keyring(new, [old])
    table = Application.__table__
    assert isinstance(table, Table)
    started = time.perf_counter()
    with session_scope(factory) as session:
        rows = session.execute(select(Application.id, Application.pii)).all()
        params = []
        for row_id, blob in rows:
            data = keyring.decrypt(blob)
            indexes = {f"_{k}": v for k, v in pii.application_indexes(keyring, data).items()}
            params.append({"_key": row_id, "_pii": keyring.encrypt(data), **indexes})
        values: dict[str, Any] = {name: bindparam(f"_{name}") for name in ("pii", "passport_key", "person_key")}
        statement = update(table).where(table.c.id == bindparam("_key")).values(values)
        session.connection().execute(statement, params)
    seconds = time.perf_counter() - started
    with session_scope(factory) as session:  # untimed: the registry's wrapped audit keys, as the real rotation does
        key_registry.check_and_register(session, keyring, now=NOW)
        registry = next(spec for spec in ENCRYPTED if spec.model is DataKeyRecord)
        key_rotation.rotate_batch(session, keyring, registry, after=None, limit=1000)
        key_registry.retire_unused(session, keyring, now=NOW, remaining={})  # every row was rewritten
    return Timing("baseline", len(rows), seconds)


def run(factory: sessionmaker[Session], *, count: int, photo_kb: int, batch: int) -> list[Timing]:
    first, second, third = _key(), _key(), _key()
    seed(factory, Keyring(first), count=count, photo_kb=photo_kb)
    baseline = run_baseline(factory, old=first, new=second)
    keta = run_keta(factory, old=second, new=third, batch=batch)
    return [keta, baseline]


@contextmanager
def scratch_database(url: str | None) -> Iterator[sessionmaker[Session]]:
    """A migrated, empty database for the run: a temporary SQLite file, or a fresh schema in the
    PostgreSQL database at `url` (dropped afterwards); nothing else in that database is touched."""
    if url is None or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            yield from _migrated(f"sqlite:///{Path(folder) / 'bench.db'}")
        return
    schema = f"keta_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalize_url(url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield from _migrated(normalize_url(url) + f"{sep}options={quote(f'-csearch_path={schema}')}")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _migrated(url: str) -> Iterator[sessionmaker[Session]]:
    upgrade(url)
    engine = make_engine(url)
    try:
        yield make_sessionmaker(engine)
    finally:
        engine.dispose()
