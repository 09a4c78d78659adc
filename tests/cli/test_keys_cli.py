"""keta keys rotate [--status] end to end, and the rotation's behaviour under retries and races."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from tests.conftest import TEST_DATA_KEY, Database
from tests.factories import applicant

from keta.adapters.clock import Clock, FixedClock, SystemClock
from keta.adapters.crypto import Keyring
from keta.adapters.policy_files import load_policy
from keta.cli import main
from keta.db.models import Application, Job
from keta.db.session import session_scope
from keta.jobs.runner import Worker
from keta.services import changes, key_registry, key_rotation, submission
from keta.services.encrypted import ENCRYPTED
from keta.services.runtime import Runtime

OLD, NEW = TEST_DATA_KEY, "rotated-key-Hq4Zt8Wm2Xc6Vb9Np3Ls7Rk"


def three_applications(database: Database, runtime: Runtime) -> None:
    with session_scope(database.factory) as session:
        key_registry.check_and_register(session, runtime.keyring, now=runtime.now())
        for n in range(3):
            person = applicant(passport__number=f"U5000000{n}")
            submission.submit_application(session, runtime, applicant=person, language="en")


def rotating(runtime: Runtime, clock: Clock) -> Runtime:
    return Runtime(load_policy("kr"), clock, Keyring(NEW, [OLD]), runtime.payments)


def test_keta_keys_rotate_and_status(
    database: Database, runtime: Runtime, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_applications(database, runtime)
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    monkeypatch.setenv("KETA_DATA_KEY", NEW)
    monkeypatch.setenv("KETA_DATA_KEY_PREVIOUS", OLD)
    runner = CliRunner()
    started = runner.invoke(main, ["keys", "rotate"])
    assert started.exit_code == 0, started.output
    assert "4 rows" in started.output and "applications.pii: 3\n  data_keys.audit_key: 1" in started.output
    again = runner.invoke(main, ["keys", "rotate"])
    assert again.exit_code == 1 and "already running" in again.output
    during = runner.invoke(main, ["keys", "rotate", "--status"])
    assert (
        "applications.pii: 3 rows under an old key" in during.output
        and "in progress: table applications" in during.output
    )

    # The command enqueued with the system clock: the worker runs on it too.
    Worker(database.factory, rotating(runtime, SystemClock())).run_until_idle()
    done = runner.invoke(main, ["keys", "rotate", "--status"])
    assert done.exit_code == 0 and "applications.pii: 0 rows" in done.output
    assert "done: no data left under an old key; remove KETA_DATA_KEY_PREVIOUS" in done.output

    monkeypatch.delenv("KETA_DATA_KEY_PREVIOUS")
    assert "nothing left to rotate" in runner.invoke(main, ["keys", "rotate", "--status"]).output
    assert runner.invoke(main, ["audit", "verify"]).exit_code == 0
    monkeypatch.setenv("KETA_DATA_KEY", "a-stranger-key-Pw3Jd8Kq5Zn2Tb7Xr4Mv")
    refused = runner.invoke(main, ["keys", "rotate", "--status"])
    assert refused.exit_code == 1
    assert refused.output.startswith("Error: KETA_DATA_KEY_PREVIOUS must include the key with id")
    assert refused.output.count("\n") == 1


def test_a_worker_still_on_the_old_key_does_not_rotate_backwards(
    database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    three_applications(database, runtime)
    with session_scope(database.factory) as session:
        key_rotation.start(session, rotating(runtime, clock))
    Worker(database.factory, runtime).run_until_idle()  # the old settings: the job fails, nothing changes
    with database.factory() as session:
        job = session.scalars(select(Job).where(Job.kind == key_rotation.ROTATE_KEYS)).one()
        assert (job.status, job.attempts) == ("queued", 1) and "WrongKeyring" in (job.last_error or "")
        assert {row.pii[0] for row in session.scalars(select(Application))} == {runtime.keyring.current.id}


def test_a_batch_run_twice_changes_nothing_and_a_row_rewritten_meanwhile_is_left_alone(
    database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    three_applications(database, runtime)
    new = rotating(runtime, clock)
    applications = next(spec for spec in ENCRYPTED if spec.name == "applications")
    with session_scope(database.factory) as session:
        edited = session.scalars(select(Application).order_by(Application.id)).first()
        assert edited is not None
        read_by_rotation = edited.pii
        changes.update_travel(session, new, application=edited, update=changes.TravelUpdate(flight_number="OZ92"))
        session.flush()
        written_by_api = edited.pii
        # The rotation's update finds another ciphertext than the one it read: it leaves the row alone.
        assert key_rotation.rewrite([(edited.id, {"pii": read_by_rotation})], session, new.keyring, applications) == 0
    with session_scope(database.factory) as session:
        assert session.get(Application, edited.id).pii == written_by_api  # type: ignore[union-attr]
        assert key_rotation.rotate_batch(session, new.keyring, applications, after=None, limit=10) is None
        first = {a.id: a.pii for a in session.scalars(select(Application))}
    with session_scope(database.factory) as session:  # a retry of the same batch: nothing left to do
        key_rotation.rotate_batch(session, new.keyring, applications, after=None, limit=10)
        assert {a.id: a.pii for a in session.scalars(select(Application))} == first
        assert {blob[0] for blob in first.values()} == {new.keyring.current.id}
