"""The carrier migration: models and migrations agree on both backends, and existing applications
get their carrier look-up keys from the data migration (which needs the data key)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from tests.conftest import TEST_DATA_KEY, _postgres_url, _schema_url
from tests.factories import applicant

from keta.adapters.crypto import Keyring
from keta.db.base import Base
from keta.db.engine import make_engine, normalize_url
from keta.db.migrate import upgrade
from keta.services import pii
from keta.services.pii import UnreadablePersonalData, carrier_keys_from_blob


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip("PostgreSQL not reachable")
    schema = f"keta_migrate_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(normalize_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _schema_url(base, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _insert_old_application(url: str, keyring: Keyring) -> None:
    """An application as revision 0002 stored it: no carrier keys yet."""
    person = applicant()
    row = {
        "id": uuid.uuid4(),
        "reference": "A-OLD-1",
        "policy_code": "kr",
        "status": "approved",
        "version": 1,
        "nationality": "TUR",
        "passport_key": "p" * 64,
        "person_key": "q" * 64,
        "pii": keyring.encrypt(pii.applicant_to_pii(person)),
        "language": "en",
        "submitted_at": datetime(2026, 1, 5, tzinfo=UTC),
        "applied_on": date(2026, 1, 5),
        "arrival_date": date(2026, 2, 1),
        "eligibility_outcome": "required",
        "eligibility_reasons": "[]",
        "corrects_personal_data": False,
        "decision_reasons": "[]",
        "decision_detail": "{}",
    }
    engine = make_engine(url)
    columns = ", ".join(row)
    values = ", ".join(f":{name}" for name in row)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            row["id"] = row["id"].hex  # SQLAlchemy's Uuid on SQLite is 32 hex characters
        connection.execute(text(f"INSERT INTO applications ({columns}) VALUES ({values})"), row)  # noqa: S608
    engine.dispose()


def test_models_and_migrations_agree(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_existing_applications_get_their_carrier_keys(empty_url: str) -> None:
    keyring = Keyring(TEST_DATA_KEY)
    upgrade(empty_url, "0002")
    _insert_old_application(empty_url, keyring)
    with pytest.raises(RuntimeError, match="needs KETA_DATA_KEY"):
        upgrade(empty_url)
    with pytest.raises(UnreadablePersonalData, match="KETA_DATA_KEY"):
        upgrade(empty_url, attributes={"carrier_keys": carrier_keys_from_blob(Keyring("another-key-0123456789"))})
    upgrade(empty_url, attributes={"carrier_keys": carrier_keys_from_blob(keyring)})
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        document, birth = connection.execute(text("SELECT document_key, birth_key FROM applications")).one()
    engine.dispose()
    expected = pii.document_key(keyring, "TUR", "U12345678")
    assert document == expected
    assert birth == pii.birth_key(keyring, expected, date(1990, 4, 12))
