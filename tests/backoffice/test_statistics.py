"""Statistics: the page, its charts and the CSV downloads show the same numbers, computed from clear columns."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient
from tests.backoffice.office import enrol, flagged_application, sign_in
from tests.conftest import Database
from tests.factories import applicant, face_photo
from tests.payments import pay_in_service

from keta.adapters.clock import FixedClock
from keta.domain.review import Proposal, Role
from keta.services import decisions, staff, submission
from keta.services.runtime import Runtime
from keta.services.screening import screen_application


def _csv(client: TestClient, name: str) -> list[list[str]]:
    answer = client.get(f"/backoffice/statistics/{name}.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(answer.text)))


def test_figures_match_the_work_done(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    auditor = enrol(database, runtime, "audit.one", Role.AUDITOR)
    with database.factory() as session:
        for number in range(3):  # three approved automatically
            application = submission.submit_application(
                session,
                runtime,
                applicant=applicant(passport__number=f"U7000000{number}"),
                language="tr",
                photo=face_photo(),
            )
            pay_in_service(session, runtime, [application])
            screen_application(session, runtime, application_id=application.id)
        session.commit()
        case = flagged_application(session, runtime, passport__number="U80000001", passport__nationality="DEU",
                                   passport__issuing_country="DEU")  # fmt: skip
        officer, _ = staff.create(session, runtime, username="off.one", role=Role.OFFICER, actor="t")
        boss, _ = staff.create(session, runtime, username="boss.one", role=Role.SUPERVISOR, actor="t")
        clock.advance(timedelta(hours=10))
        decisions.propose(session, runtime, case=case, member=officer, proposal=Proposal.REFUSE, ground="entry_ban")
        decisions.confirm(session, runtime, case=case, member=boss)
        session.commit()
    sign_in(client, clock, auditor)
    page = client.get("/backoffice/statistics")
    assert page.status_code == 200 and "<svg" in page.text and "사유별 불허" in page.text
    assert ["entry_ban", "1.0"] in _csv(client, "refusals_by_ground")
    outcomes = dict(_csv(client, "outcomes")[1:])
    assert outcomes == {"approved": "0.75", "refused": "0.25"}
    assert ["DEU", "1.0"] in _csv(client, "refusals_by_nationality")
    per_day = _csv(client, "applications_per_day")
    assert per_day[-1] == ["2026-11-29", "4.0"] and len(per_day) == 31  # header + 30 days
    times = dict(_csv(client, "decision_times")[1:])
    # Hours: 0, 0, 0 (automatic) and 10 (the refusal): median 0; p95 at rank 0.95 × 3 = 2.85 → 0.85 × 10.
    assert times == {"median": "0.0", "p95": "8.5", "decisions": "4.0"}
    assert client.get("/backoffice/statistics/unknown.csv").status_code == 404
