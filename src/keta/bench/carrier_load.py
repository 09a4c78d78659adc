"""`keta bench carrier`, part 1: a PostgreSQL schema of its own, filled with N approved authorizations.

The schema (`keta_bench_carrier` unless told otherwise) is dropped and rebuilt by the migrations on every run, so the
bench never reads or writes anything else. Rows go in with COPY, not through the API: secondary
indexes are dropped first and rebuilt after, then VACUUM ANALYZE, as one would after a bulk load.
Every row is what screening would have written for an approved application — keyed hashes made
with this run's data key, one real encrypted personal-data blob of typical size (the carrier
check never decrypts it) — and passenger i is a pure function of i (`passenger_facts`), which
the load generator recomputes on its side.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

from sqlalchemy import Engine, text

from keta.db.engine import make_engine, normalize_url
from keta.db.migrate import upgrade
from keta.db.session import make_sessionmaker, session_scope
from keta.domain.applicant import Applicant, Background, Employment, Passport, Purpose, Travel
from keta.domain.dates import add_years
from keta.services import carrier_keys, pii
from keta.services.pii import applicant_to_pii
from keta.services.runtime import Runtime

BIRTH_BASE = date(1960, 1, 1)
BIRTH_SPREAD_DAYS = 16_000  # born 1960 to 2003: ages 23 to 66 on arrival
BIRTH_STEP = 7919  # a prime, so neighbouring passengers are born years apart
COLUMNS = [
    "id",
    "reference",
    "policy_code",
    "status",
    "version",
    "nationality",
    "passport_key",
    "person_key",
    "document_key",
    "birth_key",
    "pii",
    "language",
    "submitted_at",
    "applied_on",
    "arrival_date",
    "eligibility_outcome",
    "eligibility_reasons",
    "corrects_personal_data",
    "decision_reasons",
    "decision_detail",
    "decided_at",
    "decided_on",
    "valid_from",
    "valid_until",
]


@dataclass(frozen=True)
class Loaded:
    rows: int
    copy_seconds: float
    index_seconds: float
    vacuum_seconds: float
    carrier_key: str


def schema_url(database_url: str, schema: str) -> str:
    sep = "&" if "?" in database_url else "?"
    return normalize_url(database_url) + f"{sep}options={quote(f'-csearch_path={schema}')}"


def passenger_facts(index: int, nationalities: tuple[str, ...]) -> tuple[str, str, date]:
    """(document number, nationality = issuing state, birth date) of loaded passenger `index`."""
    birth = BIRTH_BASE + timedelta(days=(index * BIRTH_STEP) % BIRTH_SPREAD_DAYS)
    return f"B{index:08d}", nationalities[index % len(nationalities)], birth


def load(database_url: str, rt: Runtime, *, schema: str, rows: int, nationalities: tuple[str, ...]) -> Loaded:
    engine = make_engine(fresh_schema(database_url, schema))
    try:
        started = time.perf_counter()
        indexes = _drop_secondary_indexes(engine, schema)
        _copy(engine, rt, rows=rows, nationalities=nationalities)
        copied = time.perf_counter()
        with engine.begin() as connection:
            for definition in indexes:
                connection.execute(text(definition))
        indexed = time.perf_counter()
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE applications"))
        vacuumed = time.perf_counter()
        with session_scope(make_sessionmaker(engine)) as session:
            _, key = carrier_keys.create(session, name="bench", requests_per_minute=1_000_000_000, now=rt.now())
    finally:
        engine.dispose()
    return Loaded(rows, copied - started, indexed - copied, vacuumed - indexed, key)


def fresh_schema(database_url: str, schema: str) -> str:
    """Drop and recreate `schema`, build it with the migrations; the URL that works inside it."""
    admin = make_engine(database_url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = schema_url(database_url, schema)
    upgrade(url)
    return url


def drop(database_url: str, schema: str) -> None:
    admin = make_engine(database_url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _drop_secondary_indexes(engine: Engine, schema: str) -> list[str]:
    """Drop the applications indexes that no constraint owns; returns their definitions."""
    query = text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :schema AND tablename = 'applications' "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
    )
    with engine.begin() as connection:
        found = list(connection.execute(query, {"schema": schema}))
        for name, _ in found:
            connection.execute(text(f'DROP INDEX "{schema}"."{name}"'))
    return [definition for _, definition in found]


def _copy(engine: Engine, rt: Runtime, *, rows: int, nationalities: tuple[str, ...]) -> None:
    keyring, today = rt.keyring, rt.today()
    blob = keyring.encrypt(applicant_to_pii(_typical_applicant(today)))
    reasons_required, reasons_clear = json.dumps(["authorization_required"]), json.dumps(["screening_clear"])
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        statement = f"COPY applications ({', '.join(COLUMNS)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for index in range(rows):
                number, nationality, birth = passenger_facts(index, nationalities)
                document = pii.document_key(keyring, nationality, number)
                approved = today - timedelta(days=index % 700)  # approved over the last two years
                decided_at = datetime(approved.year, approved.month, approved.day, 3, tzinfo=UTC)
                copy.write_row(
                    (
                        uuid.uuid4(),
                        f"BENCH{index:09d}",
                        rt.policy.code,
                        "approved",
                        1,
                        nationality,
                        pii.passport_key(keyring, nationality, number),
                        keyring.blind_index("person", nationality, birth.isoformat(), f"bench {index}"),
                        document,
                        pii.birth_key(keyring, document, birth),
                        blob,
                        "en",
                        decided_at,
                        approved,
                        today + timedelta(days=30),
                        "required",
                        reasons_required,
                        False,
                        reasons_clear,
                        "{}",
                        decided_at,
                        approved,
                        approved,
                        add_years(approved, 3) - timedelta(days=1),
                    )
                )
        connection.commit()
    finally:
        raw.close()


def _typical_applicant(today: date) -> Applicant:
    """A fictional traveller whose encrypted blob has the size of a real one."""
    return Applicant(
        passport=Passport(
            "B00000000",
            "TUR",
            "TUR",
            "Örnek",
            "Deneme Yolcu",
            "F",
            date(1985, 6, 1),
            today.replace(year=today.year + 8),
        ),
        email="deneme.yolcu@example.org",
        phone="+90 555 010 2030",
        travel=Travel(today + timedelta(days=30), Purpose.TOURISM, "110 Sejong-daero, Jung-gu, Seoul 04524", "TK90"),
        background=Background(Employment.EMPLOYED, "Engineer", "Example Ltd", 1, False, None, False),
        consent=True,
    )
