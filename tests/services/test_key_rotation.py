"""Rotating KETA_DATA_KEY while the API answers: look-ups before, during and after; nothing left
under the old key; the old key dropped; the audit chain intact. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import LargeBinary, delete, select, update
from tests.backoffice.office import flagged_application
from tests.conftest import GENEROUS_LIMITS, NOW, TEST_DATA_KEY, Database
from tests.factories import member_json

from keta.adapters.clock import FixedClock
from keta.adapters.crypto import LEGACY_KEY_ID, DataKey, Keyring, audit_mac_with
from keta.adapters.policy_files import load_policy
from keta.config import Settings
from keta.db.base import Base
from keta.db.models import Application, AuditRecord, DataKeyRecord, Group
from keta.db.session import session_scope
from keta.domain.review import Proposal, Role
from keta.jobs.runner import Worker
from keta.services import audit, decisions, key_registry, key_rotation, pii, requests, staff
from keta.services.encrypted import ENCRYPTED
from keta.services.runtime import Runtime
from keta.web import metrics
from keta.web.app import create_app

OLD_KEY = TEST_DATA_KEY
NEW_KEY = "rotated-key-Hq4Zt8Wm2Xc6Vb9Np3Ls7Rk"
REPRESENTATIVE = {"surname": "Demir", "given_names": "Mehmet", "email": "mehmet.demir@example.org", "phone": "+90 555"}


def app_with(database: Database, clock: FixedClock, key: str, previous: str | None = None) -> FastAPI:
    # Rate limits out of the way: the test looks every person up after every batch, from one client.
    settings = Settings(
        env="test", database_url=database.url, data_key=key, data_key_previous=previous, **GENEROUS_LIMITS
    )
    return create_app(settings, clock=clock, start_worker=False)


@pytest.fixture
def serving(database: Database, clock: FixedClock) -> Iterator[Any]:
    """Open TestClients on apps with the given keys; all closed at the end of the test."""
    opened: list[TestClient] = []

    def start(key: str, previous: str | None = None) -> TestClient:
        client = TestClient(app_with(database, clock, key, previous))
        client.__enter__()
        opened.append(client)
        return client

    yield start
    for client in opened:
        client.__exit__(None, None, None)


def lookup(client: TestClient, reference: str, number: str) -> int:
    return client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": number}).status_code


def submit_people(client: TestClient, count: int, start: int = 0) -> dict[str, str]:
    """reference → passport number, through the API."""
    people = {}
    for index in range(start, start + count):
        body = member_json(index)
        answer = client.post("/api/v1/applications", json=body)
        assert answer.status_code == 201, answer.text
        people[answer.json()["reference"]] = body["passport"]["number"]
    return people


def back_office_work(database: Database, runtime: Runtime) -> None:
    """A TOTP secret, a request for information, a refused case with an officer's note, audit records:
    all under the old key."""
    with session_scope(database.factory) as session:
        officer, _ = staff.create(session, runtime, username="officer.one", role=Role.OFFICER, actor="test")
        asked = flagged_application(session, runtime, passport__number="U90000001")
        requests.request_information(
            session, runtime, case=asked, member=officer, questions=["other"], message="Your ticket, please"
        )
        case = flagged_application(session, runtime, passport__number="U90000002")
        decisions.propose(
            session, runtime, case=case, member=officer, proposal=Proposal.REFUSE, ground="entry_ban", note="see file"
        )


def metric(client: TestClient, table: str, column: str) -> float:
    prefix = f'keta_rows_under_old_key{{column="{column}",table="{table}"}} '
    line = next(line for line in client.get("/metrics").text.splitlines() if line.startswith(prefix))
    return float(line.removeprefix(prefix))


def every_ciphertext(database: Database) -> list[bytes]:
    with database.factory() as session:
        return [
            bytes(blob)
            for spec in ENCRYPTED
            for name in spec.blobs
            for blob in session.scalars(select(spec.table.c[name]))
            if blob
        ]


def test_rotation_while_the_api_answers(
    database: Database, clock: FixedClock, runtime: Runtime, serving: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_api = serving(OLD_KEY)
    people = submit_people(old_api, 7)
    group = old_api.post(
        "/api/v1/groups", json={"representative": REPRESENTATIVE, "members": [member_json(20), member_json(21)]}
    )
    assert group.status_code == 201, group.text
    group_reference = group.json()["reference"]
    back_office_work(database, runtime)
    old, new = Keyring(OLD_KEY), Keyring(NEW_KEY)
    assert all(blob[0] == old.current.id for blob in every_ciphertext(database))

    # The new key everywhere, the old one as previous; a process with the new key alone refuses to start.
    api = serving(NEW_KEY, OLD_KEY)
    with pytest.raises(key_registry.KeyringMismatch, match="KETA_DATA_KEY_PREVIOUS must include"):
        app_with(database, clock, NEW_KEY)
    rotating = Runtime(load_policy("kr"), clock, Keyring(NEW_KEY, [OLD_KEY]), runtime.payments)
    with session_scope(database.factory) as session:
        stale = key_rotation.start(session, rotating)
    assert {(s.table, s.column): s.rows for s in stale if s.rows} == {
        ("applications", "pii"): 11, ("groups", "pii"): 1, ("staff", "totp_secret"): 1,
        ("information_requests", "message"): 1, ("case_actions", "note"): 1, ("data_keys", "audit_key"): 1,
    }  # fmt: skip
    assert metric(api, "applications", "pii") == 11

    # Before any batch: every index is still the old key's, and look-ups find it.
    reference, number = next(iter(people.items()))
    with database.factory() as session:
        row = session.scalars(select(Application).where(Application.reference == reference)).one()
        assert row.passport_key == pii.passport_key(old, row.nationality, number)
    assert lookup(api, reference, number) == 200

    monkeypatch.setattr(key_rotation, "BATCH_ROWS", 2)
    monkeypatch.setattr(metrics, "STALE_ROWS_SECONDS", 0.0)  # count afresh at every scrape
    worker = Worker(database.factory, rotating)
    batches = 0
    while worker.run_once():
        batches += 1
        assert all(lookup(api, ref, num) == 200 for ref, num in people.items()), f"after batch {batches}"
        email = {"email": "Mehmet.Demir@example.org"}
        assert api.post(f"/api/v1/groups/{group_reference}/lookup", json=email).status_code == 200
        if batches == 2:  # the API writes meanwhile: a new application, and an edit of an old one
            people |= submit_people(api, 1, start=30)
            edited = api.patch(
                f"/api/v1/applications/{reference}/travel", json={"passport_number": number, "flight_number": "OZ92"}
            )
            assert edited.status_code == 200, edited.text
    assert batches >= 6  # the look-ups above really ran between batches

    # Done: nothing under the old key, every index rebuilt, the old key retired in the registry.
    with database.factory() as session:
        assert all(s.rows == 0 for s in key_rotation.stale_rows(session, new))
        assert set(key_rotation.rows_by_key(session)) == {new.current.id}
        for application in session.scalars(select(Application)):
            data = new.decrypt(application.pii)
            assert pii.application_indexes(new, data) == {
                "passport_key": application.passport_key, "person_key": application.person_key,
                "document_key": application.document_key, "birth_key": application.birth_key,
            }  # fmt: skip
        assert session.scalars(select(Group)).one().email_key == pii.email_key(new, REPRESENTATIVE["email"])
        retired = session.get(DataKeyRecord, old.current.id)
        assert retired is not None and retired.retired_at is not None
    assert metric(api, "applications", "pii") == 0

    # The operator drops KETA_DATA_KEY_PREVIOUS: everything still opens, looks up and verifies.
    only_new = serving(NEW_KEY)
    assert all(lookup(only_new, ref, num) == 200 for ref, num in people.items())
    assert all(new.decrypt(blob) is not None for blob in every_ciphertext(database))
    with database.factory() as session:
        verified = audit.verify(session, new)
    assert verified.intact and verified.records >= 4


def to_legacy(database: Database, key: str) -> None:
    """Rewrite the database as keta wrote it before rotation existed: every ciphertext with key id 1,
    audit records without a key id, and the registry as migration 0005 leaves it."""
    keyring, aead = Keyring(key), DataKey(key).aead
    with session_scope(database.factory) as session:
        for spec in ENCRYPTED:
            if spec.model is DataKeyRecord:
                continue
            pk = next(iter(spec.table.primary_key.columns))
            for name in spec.blobs:
                column = spec.table.c[name]
                for row_id, blob in session.execute(select(pk, column).where(column.is_not(None))).all():
                    plaintext = json.dumps(keyring.decrypt(blob), separators=(",", ":"), sort_keys=True).encode()
                    nonce = os.urandom(12)
                    legacy = b"\x01" + nonce + aead.encrypt(nonce, plaintext, b"\x01")
                    session.execute(update(spec.table).where(pk == row_id).values({name: legacy}))
        session.execute(update(AuditRecord).values(key_id=None))
        session.execute(delete(DataKeyRecord))
        session.add(DataKeyRecord(key_id=LEGACY_KEY_ID, fingerprint=None, first_seen_at=NOW))


def test_ciphertexts_made_before_rotation_existed_are_read_and_rotated(
    database: Database, clock: FixedClock, runtime: Runtime, serving: Any
) -> None:
    people = submit_people(serving(OLD_KEY), 3)
    back_office_work(database, runtime)
    to_legacy(database, OLD_KEY)
    assert all(blob[:1] == b"\x01" for blob in every_ciphertext(database))

    with pytest.raises(key_registry.KeyringMismatch, match="KETA_DATA_KEY: the data already stored"):
        app_with(database, clock, "some-other-key-Pw3Jd8Kq5Zn2Tb7Xr4Mv")
    api = serving(NEW_KEY, OLD_KEY)  # the first start finds which key opens the old ciphertexts
    with database.factory() as session:
        legacy = session.get(DataKeyRecord, LEGACY_KEY_ID)
        assert legacy is not None and legacy.fingerprint == DataKey(OLD_KEY).fingerprint
    assert all(lookup(api, ref, num) == 200 for ref, num in people.items())

    rotating = Runtime(load_policy("kr"), clock, Keyring(NEW_KEY, [OLD_KEY]), runtime.payments)
    with session_scope(database.factory) as session:
        key_rotation.start(session, rotating)
    Worker(database.factory, rotating).run_until_idle()

    new = Keyring(NEW_KEY)
    assert {blob[0] for blob in every_ciphertext(database)} == {new.current.id}
    with database.factory() as session:
        legacy = session.get(DataKeyRecord, LEGACY_KEY_ID)
        assert legacy is not None and legacy.retired_at is not None
        verified = audit.verify(session, new)  # records without a key id: the old key, kept in the registry
    assert verified.intact and verified.records >= 4
    assert all(lookup(serving(NEW_KEY), ref, num) == 200 for ref, num in people.items())


def test_the_old_key_cannot_rewrite_history_after_a_rotation(
    database: Database, clock: FixedClock, runtime: Runtime
) -> None:
    back_office_work(database, runtime)  # audit records sealed with the old key
    rotating = Runtime(load_policy("kr"), clock, Keyring(NEW_KEY, [OLD_KEY]), runtime.payments)
    with session_scope(database.factory) as session:
        key_registry.check_and_register(session, rotating.keyring, now=NOW)
        key_rotation.start(session, rotating)  # its own record is the first sealed with the new key
    Worker(database.factory, rotating).run_until_idle()
    old, new = DataKey(OLD_KEY), Keyring(NEW_KEY)
    with session_scope(database.factory) as session:
        records = list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))
        old_segment = [r for r in records if r.key_id == old.id]
        assert old_segment and records[len(old_segment)].key_id == new.current.id
        # Whoever kept the old key edits an old record and re-seals the whole old segment consistently.
        old_segment[1].detail = {"forged": True}
        prev = old_segment[0].hash
        for entry in old_segment[1:]:
            entry.prev_hash = prev
            entry.hash = audit_mac_with(old.audit_key, prev.encode() + b"\n" + canonical_of(entry))
            prev = entry.hash
    with database.factory() as session:
        broken = audit.verify(session, new).first_break
    assert broken is not None and broken.seq == len(old_segment) + 1 and broken.problem == "reordered"


def canonical_of(entry: AuditRecord) -> bytes:
    body = {
        "seq": entry.seq, "at": entry.at.isoformat(timespec="microseconds"), "actor": entry.actor,
        "action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id, "detail": entry.detail,
    }  # fmt: skip
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def test_every_encrypted_column_is_known_to_the_rotation() -> None:
    """A new LargeBinary column must be added to keta.services.encrypted, or a rotation would skip it."""
    binary = {
        (t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns if isinstance(c.type, LargeBinary)
    }
    assert binary == {(spec.name, name) for spec in ENCRYPTED for name in spec.blobs}
