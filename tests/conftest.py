"""Test fixtures: the same suite on SQLite and PostgreSQL, real databases built by the migrations.

PostgreSQL comes from KETA_TEST_DATABASE_URL, or the local server at 127.0.0.1:5432 when it answers;
otherwise those tests skip with the reason shown. Each test run gets its own PostgreSQL schema, so
parallel runs (a developer and CI) never see each other. Tables are emptied after each test: tests
go through real commits, as the app does.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

os.environ.setdefault("KETA_ENV", "test")

from tests.portal_client import PortalClient

from keta.adapters.clock import FixedClock
from keta.adapters.crypto import install_keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.config import DEV_SECRET_KEY, Settings
from keta.db.base import Base
from keta.db.engine import make_engine, normalize_url
from keta.db.migrate import upgrade
from keta.db.session import make_sessionmaker
from keta.jobs.runner import Worker
from keta.services.runtime import Runtime
from keta.services.staff import use_test_hashing
from keta.web.app import create_app

use_test_hashing()

LOCAL_PG = "postgresql://postgres@127.0.0.1:5432/test"
LOCAL_REDIS = "redis://127.0.0.1:6379/15"  # a database number of its own on the local Redis
TEST_DATA_KEY = "test-data-key-Vq7Xm2Rp9Lk4Sw8Nz3Tb6Yh"  # passes the key guards; not the dev key
# 12:00 KST on 2026-11-29: a fixed "now" so dates in tests never drift.
NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
# For a test that sends hundreds of requests of one kind from one client (a class of inputs, not a
# traveller): every rate limit far above it. The default limits stay in force for every other test.
GENEROUS_LIMITS = {
    f"rate_limit_{name}": "1000000/60"
    for name in ("lookup_client", "lookup_reference", "submission_client", "payment_client", "login_client")
}


def _postgres_url() -> str | None:
    explicit = os.environ.get("KETA_TEST_DATABASE_URL")
    if explicit:
        return explicit
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return LOCAL_PG
    except OSError:
        return None


@dataclass
class Database:
    backend: str
    url: str
    engine: Engine
    factory: sessionmaker[Session]


def _schema_url(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return normalize_url(url) + f"{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'keta-test.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield Database("sqlite", url, engine, make_sessionmaker(engine))
    engine.dispose()


@pytest.fixture(scope="session")
def postgresql_database() -> Iterator[Database]:
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL not reachable: set KETA_TEST_DATABASE_URL or start the local server")
    schema = f"keta_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(normalize_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = _schema_url(base, schema)
    try:
        upgrade(url)
        engine = make_engine(url)
        yield Database("postgresql", url, engine, make_sessionmaker(engine))
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    db: Database = request.getfixturevalue(f"{request.param}_database")
    yield db
    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The real Redis from KETA_TEST_REDIS_URL or the local one; tests using it skip when none answers
    (and CI, with KETA_REQUIRE_REDIS=1, fails on that skip). Tests keep to keys of their own."""
    from redis import Redis, RedisError

    url = os.environ.get("KETA_TEST_REDIS_URL", LOCAL_REDIS)
    client = Redis.from_url(url, socket_connect_timeout=1)
    try:
        client.ping()
    except RedisError:
        pytest.skip(f"Redis not reachable at {url}: set KETA_TEST_REDIS_URL or start redis-server")
    finally:
        client.close()
    return url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def runtime(clock: FixedClock) -> Runtime:
    return Runtime(
        policy=load_policy("kr"),
        clock=clock,
        keyring=install_keyring(TEST_DATA_KEY),
        payments=SandboxPayments(secret=DEV_SECRET_KEY, clock=clock),  # as the `client` app's sandbox
    )


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.factory() as session:
        yield session
        session.rollback()


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def client(database: Database, clock: FixedClock, runtime: Runtime) -> Iterator[TestClient]:
    settings = Settings(env="test", database_url=database.url, data_key=TEST_DATA_KEY)
    app = create_app(settings, clock=clock, start_worker=False)
    with PortalClient(app) as test_client:
        yield test_client


@pytest.fixture
def run_jobs(database: Database, runtime: Runtime) -> Callable[[], int]:
    """Drain the job queue in-process, as the embedded worker would."""
    return Worker(database.factory, runtime).run_until_idle


# CI sets KETA_REQUIRE_POSTGRES=1 and KETA_REQUIRE_REDIS=1: a skipped PostgreSQL or Redis test
# there is a failure, not a shrug. Such tests name the backend in their parameter id
# ("[postgresql]", "[redis]", "[postgresql-redis]").
_REQUIRED = {"postgresql": "KETA_REQUIRE_POSTGRES", "redis": "KETA_REQUIRE_REDIS"}
_skipped: dict[str, list[str]] = {backend: [] for backend in _REQUIRED}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    params = report.nodeid.rpartition("[")[2] if report.nodeid.endswith("]") else ""
    for backend, skipped in _skipped.items():
        if report.skipped and backend in params:
            skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for backend, variable in _REQUIRED.items():
        skipped = _skipped[backend]
        if os.environ.get(variable) == "1" and skipped:
            print(f"\n{len(skipped)} {backend} tests were skipped but {variable}=1:")
            for nodeid in skipped[:20]:
                print(f"  {nodeid}")
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
