"""Re-screening after a list change: exactly the newly matching valid authorizations go back to review."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.approvals import approved, approved_group, decided, expiring_on, person, staff
from tests.conftest import Database
from tests.factories import TODAY

from keta.adapters.clock import FixedClock
from keta.adapters.watchlist_sources import read_watchlist
from keta.db import queue
from keta.db.models import Application, Job, ReviewCase
from keta.db.session import session_scope
from keta.domain.applications import Status
from keta.jobs.handlers import JobContext, dispatch
from keta.jobs.runner import Worker
from keta.services import authorizations, decisions, rescreen
from keta.services.documents import ReportedDocument, add_reported, import_documents
from keta.services.lifecycle import move
from keta.services.runtime import Runtime
from keta.services.watchlists import import_watchlist, rollback_watchlist

ENTITIES: dict[str, dict[str, Any]] = {
    "old-b": {"name": ["Elif Demir"], "birthDate": ["1981-04-02"], "nationality": ["tr"]},
    "old-c": {"name": ["Can Arslan"], "birthDate": ["1982-05-03"], "nationality": ["tr"]},
    "new-c2": {"name": ["Can Arslan"], "birthDate": ["1982"]},
    "new-a": {"name": ["Mehmet Kaya"], "birthDate": ["1980-03-01"], "nationality": ["tr"]},
    "new-d": {"name": ["Ahmet Yıldız"], "birthDate": ["1983-06-04"]},
    "new-e": {"name": ["Fatma Çelik"], "birthDate": ["1984-07-05"]},
    "new-f": {"name": ["Mustafa Aydın"], "birthDate": ["1985-08-06"]},
    "new-h": {"name": ["이서연"], "birthDate": ["1985-03-02"], "nationality": ["kr"]},
}


def load(database: Database, runtime: Runtime, tmp_path: Path, *entity_ids: str, name: str = "sanctions") -> None:
    path = tmp_path / f"{name}.jsonl"
    lines = (
        json.dumps({"id": e, "schema": "Person", "properties": ENTITIES[e]}, ensure_ascii=False) for e in entity_ids
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_watchlist(
        database.factory, runtime.clock, name=name, items=read_watchlist(path), source=path.name, checksum="x"
    )


def drain(database: Database, runtime: Runtime) -> int:
    return Worker(database.factory, runtime).run_until_idle()


def rescreen_cases(session: Session) -> dict[str, list[ReviewCase]]:
    found: dict[str, list[ReviewCase]] = {}
    query = select(ReviewCase).where(ReviewCase.kind.in_(("rescreen", "document_alert"))).order_by(ReviewCase.opened_at)
    for case in session.scalars(query):
        found.setdefault(case.application.reference, []).append(case)
    return found


def matched(runtime: Runtime, case: ReviewCase) -> list[str]:
    assert case.findings is not None
    return [m["entity_id"] for m in runtime.keyring.decrypt(case.findings)["watchlist"]["matches"]]


def test_a_watchlist_change_reviews_exactly_the_newly_matching_valid_authorizations(
    database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    with session_scope(database.factory) as session:
        a = approved(session, runtime, **person(1, "KAYA", "MEHMET", "1980-03-01"))
        b = approved(session, runtime, **person(2, "DEMIR", "ELIF", "1981-04-02"))
        c = approved(session, runtime, **person(3, "ARSLAN", "CAN", "1982-05-03"))
        d = approved(session, runtime, **person(4, "YILDIZ", "AHMET", "1983-06-04",
                                                **expiring_on(TODAY + timedelta(days=40))))  # fmt: skip
        add_reported(session, [ReportedDocument("U30000005", "TUR")], source="manual")
        e = decided(session, runtime, **person(5, "CELIK", "FATMA", "1984-07-05"))
        f = approved(session, runtime, **person(6, "AYDIN", "MUSTAFA", "1985-08-06"))
        move(f, Status.REVOKED, actor="officer", reasons=[], now=runtime.now())
        g = approved(session, runtime, **person(7, "ÖZDEMIR", "HÜLYA", "1986-09-07"))
        [h] = approved_group(session, runtime, person(8, "LEE", "SEO YEON", "1985-03-02", passport__nationality="MYS",
                                                      passport__issuing_country="MYS"))  # fmt: skip
        officer = staff(session, runtime, "officer1", "officer")
        assert e.status == Status.REFUSED
        refs = {x.reference: n for n, x in zip("abcdefgh", (a, b, c, d, e, f, g, h), strict=True)}

    load(database, runtime, tmp_path, "old-b", "old-c")
    drain(database, runtime)
    with session_scope(database.factory) as session:
        cases = rescreen_cases(session)
        assert sorted(refs[r] for r in cases) == ["b", "c"]
        [first] = rescreen.recent_runs(session)
        assert (first.trigger, first.status, first.total, first.screened, first.flagged) == (
            "watchlist:sanctions:1", "done", 6, 6, 2,
        )  # fmt: skip
        [b_case] = next(v for r, v in cases.items() if refs[r] == "b")
        assert b_case.reasons == ["watchlist_possible_match"] and matched(runtime, b_case) == ["old-b"]
        decisions.approve(session, runtime, case=b_case, member=officer)  # "someone else": cleared
        assert session.get(Application, b.id).cleared_entities == ["old-b"]  # type: ignore[union-attr]

    clock.advance(timedelta(days=45))
    with session_scope(database.factory) as session:
        assert authorizations.expire_authorizations(session, runtime, run="test") == 1  # d

    load(database, runtime, tmp_path, "old-b", "old-c", "new-c2", "new-a", "new-d", "new-e", "new-f", "new-h")
    drain(database, runtime)
    with session_scope(database.factory) as session:
        cases = rescreen_cases(session)
        assert sorted((refs[r], len(v)) for r, v in cases.items()) == [("a", 1), ("b", 1), ("c", 1), ("h", 1)]
        [a_case] = cases[a.reference]
        assert (a_case.kind, a_case.status, matched(runtime, a_case)) == ("rescreen", "open", ["new-a"])
        [h_case] = cases[h.reference]
        assert matched(runtime, h_case) == ["new-h"]  # a group member, found across scripts
        second = rescreen.recent_runs(session)[0]
        assert (second.trigger, second.status, second.total, second.screened, second.flagged) == (
            "watchlist:sanctions:2", "done", 5, 5, 2,
        )  # fmt: skip
        statuses = {refs[x.reference]: x.status for x in session.scalars(select(Application))}
        # Re-screening only opens cases: nobody's status changed.
        assert statuses == {"a": "approved", "b": "approved", "c": "approved", "d": "expired", "e": "refused",
                            "f": "revoked", "g": "approved", "h": "approved"}  # fmt: skip

    clock.advance(timedelta(minutes=5))
    with session_scope(database.factory) as session:
        rollback_watchlist(session, runtime.clock, name="sanctions")
    drain(database, runtime)
    with session_scope(database.factory) as session:
        third = rescreen.recent_runs(session)[0]
        assert (third.trigger, third.total, third.flagged) == ("watchlist:sanctions:1", 5, 0)
        assert sum(len(v) for v in rescreen_cases(session).values()) == 4


def test_a_lost_or_stolen_import_opens_document_alerts(
    database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    with session_scope(database.factory) as session:
        a = approved(session, runtime, **person(1, "KAYA", "MEHMET", "1980-03-01"))
        c = approved(session, runtime, **person(3, "ARSLAN", "CAN", "1982-05-03"))
        g = approved(session, runtime, **person(7, "ÖZDEMIR", "HÜLYA", "1986-09-07"))
        supervisor = staff(session, runtime, "supervisor1", "supervisor")
    load(database, runtime, tmp_path, "old-c")
    drain(database, runtime)  # c now has an open re-screening case

    lost = [ReportedDocument("u 3000 0001", "TUR"), ReportedDocument("U30000003", "TUR"), ReportedDocument("X1", "GRC")]
    clock.advance(timedelta(minutes=5))
    with session_scope(database.factory) as session:
        assert import_documents(session, lost, source="interpol", now=runtime.now()).new == 3
    drain(database, runtime)
    with session_scope(database.factory) as session:
        run = rescreen.recent_runs(session)[0]
        assert (run.trigger, run.total, run.screened, run.flagged, run.status) == (
            "documents:interpol",
            3,
            3,
            2,
            "done",
        )
        cases = rescreen_cases(session)
        assert [case.kind for case in cases[a.reference]] == ["document_alert"]
        # A lost passport is not held back by an open name case (supervisors work these first).
        assert [case.kind for case in cases[c.reference]] == ["rescreen", "document_alert"]
        assert g.reference not in cases
        [alert] = cases[a.reference]
        assert alert.reasons == ["document_reported_lost_or_stolen"]
        assert runtime.keyring.decrypt(alert.findings)["document"] == {"reported_on": None, "source": "interpol"}  # type: ignore[arg-type]
        decisions.approve(session, runtime, case=alert, member=supervisor)  # the holder's report was an error

    with session_scope(database.factory) as session:  # the same file again: nothing new, no re-screening
        assert import_documents(session, lost, source="interpol", now=runtime.now()).new == 0
        assert not session.scalars(select(Job).where(Job.kind == "rescreen_start", Job.status == "queued")).all()
    clock.advance(timedelta(minutes=5))
    load(database, runtime, tmp_path, "old-c", "new-a")  # a list change re-screens all; the cleared alert stays
    drain(database, runtime)
    with session_scope(database.factory) as session:
        cases = rescreen_cases(session)
        assert [(x.kind, x.status) for x in cases[a.reference]] == [("document_alert", "closed"), ("rescreen", "open")]
        assert rescreen.recent_runs(session)[0].flagged == 1


def test_a_batch_that_ran_twice_counts_once(
    database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rescreen, "BATCH_SIZE", 2)
    with session_scope(database.factory) as session:
        for i, (surname, given, born) in enumerate(
            [("KAYA", "MEHMET", "1980-03-01"), ("DEMIR", "ELIF", "1981-04-02"), ("ARSLAN", "CAN", "1982-05-03"),
             ("ÖZDEMIR", "HÜLYA", "1986-09-07"), ("YILDIZ", "AHMET", "1983-06-04")]
        ):  # fmt: skip
            approved(session, runtime, **person(i, surname, given, born))
    drain(database, runtime)  # the decision e-mails
    load(database, runtime, tmp_path, "new-a", "old-b", "old-c")
    first, second = Worker(database.factory, runtime, name="A"), Worker(database.factory, runtime, name="B")
    assert first.run_once()  # the start job: three batches of at most two
    with session_scope(database.factory) as session:
        [run] = rescreen.recent_runs(session)
        assert (run.total, run.status) == (5, "running")
        assert rescreen.progress(session) == rescreen.RescreenProgress(running=1, waiting=5)
        stale = queue.claim_next(session, worker="A", now=clock.now(), lease=first.lease)
    assert stale is not None and stale.kind == "rescreen_batch"

    clock.advance(first.lease + timedelta(seconds=1))  # A stalls past its lease; B takes the batch over
    assert second.run_until_idle() == 3
    with session_scope(database.factory) as session:
        [run] = rescreen.recent_runs(session)
        assert (run.screened, run.flagged, run.status) == (5, 3, "done")

    with pytest.raises(queue.LeaseLost), session_scope(database.factory) as session:  # A wakes up and finishes
        dispatch(stale.kind, JobContext(session, runtime, stale.payload, stale.attempt, clock.now()))
        queue.complete(session, stale, now=clock.now())
    with session_scope(database.factory) as session:
        [run] = rescreen.recent_runs(session)
        assert (run.screened, run.flagged) == (5, 3)
        assert sorted(len(v) for v in rescreen_cases(session).values()) == [1, 1, 1]
        assert rescreen.progress(session) == rescreen.RescreenProgress(running=0, waiting=0)


def test_metrics_show_runs_and_deadlines(
    database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path, client: TestClient
) -> None:
    with session_scope(database.factory) as session:
        approved(session, runtime, **person(1, "KAYA", "MEHMET", "1980-03-01"))
    drain(database, runtime)
    load(database, runtime, tmp_path, "new-a")
    Worker(database.factory, runtime).run_once()  # the start job only
    text = client.get("/metrics").text
    assert "keta_rescreen_runs_running 1.0" in text and "keta_rescreen_waiting 1.0" in text
    drain(database, runtime)
    clock.advance(timedelta(hours=61))  # the case opened at NOW is due at NOW + 72 h: 11 h left
    text = client.get("/metrics").text
    assert "keta_rescreen_runs_running 0.0" in text and "keta_rescreen_waiting 0.0" in text
    assert 'keta_review_cases_deadline{urgency="close"} 1.0' in text
    assert 'keta_review_cases_deadline{urgency="late"} 0.0' in text
    clock.advance(timedelta(hours=12))
    assert 'keta_review_cases_deadline{urgency="late"} 1.0' in client.get("/metrics").text


def test_a_match_an_officer_approved_at_screening_is_not_raised_again(
    database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    load(database, runtime, tmp_path, "new-a")
    with session_scope(database.factory) as session:
        a = decided(session, runtime, **person(1, "KAYA", "MEHMET", "1980-03-01"))
        assert a.status == Status.IN_REVIEW  # screening found the listed Mehmet Kaya
        [case] = session.scalars(select(ReviewCase).where(ReviewCase.application_id == a.id))
        decisions.approve(session, runtime, case=case, member=staff(session, runtime, "officer1", "officer"))
        assert (a.status, a.cleared_entities) == ("approved", ["new-a"])
    clock.advance(timedelta(minutes=5))
    load(database, runtime, tmp_path, "new-a", "old-b")
    drain(database, runtime)
    with session_scope(database.factory) as session:
        run = rescreen.recent_runs(session)[0]
        assert (run.total, run.screened, run.flagged) == (1, 1, 0)
        assert rescreen_cases(session) == {}


def test_two_workers_share_the_batches_and_the_counts_add_up(
    database: Database, runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rescreen, "BATCH_SIZE", 1)  # one authorization per batch: many finish together
    names = [("KAYA", "MEHMET"), ("DEMIR", "ELIF"), ("ARSLAN", "CAN"), ("YILDIZ", "AHMET"), ("ÇELIK", "FATMA"),
             ("AYDIN", "MUSTAFA"), ("ÖZDEMIR", "HÜLYA"), ("ŞAHIN", "EMRE")]  # fmt: skip
    with session_scope(database.factory) as session:
        for i, (surname, given) in enumerate(names):
            approved(session, runtime, **person(i, surname, given, f"19{70 + i}-03-01"))
    drain(database, runtime)
    for i, (surname, given) in enumerate(names[::2]):  # every other traveller is listed
        entity = {"name": [f"{given.title()} {surname.title()}"], "birthDate": [f"19{70 + 2 * i}"]}
        monkeypatch.setitem(ENTITIES, f"par-{i}", entity)
    load(database, runtime, tmp_path, *(f"par-{i}" for i in range(4)))
    assert Worker(database.factory, runtime).run_once()  # the start job
    workers = [Worker(database.factory, runtime, name=n) for n in "AB"]
    threads = [threading.Thread(target=w.run_until_idle) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with session_scope(database.factory) as session:
        [run] = rescreen.recent_runs(session)
        assert (run.total, run.screened, run.flagged, run.status) == (8, 8, 4, "done")
        assert run.finished_at is not None
        assert sorted(len(v) for v in rescreen_cases(session).values()) == [1, 1, 1, 1]
        batches = session.scalars(select(Job).where(Job.kind == "rescreen_batch")).all()
        assert {(job.status, job.attempts) for job in batches} == {("done", 1)}
