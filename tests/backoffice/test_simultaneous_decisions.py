"""Two officers press "approve" and "propose a refusal" on the same case at the same moment, through the
pages: exactly one decision is made, the other officer is told someone acted meanwhile."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.backoffice.office import client_for, csrf_of, enrol, flagged_application, sign_in
from tests.conftest import Database

from keta.adapters.clock import FixedClock
from keta.db.models import Application, CaseAction, ReviewCase
from keta.domain.review import Role
from keta.services.runtime import Runtime


def test_one_decision_one_conflict(client: TestClient, database: Database, runtime: Runtime, clock: FixedClock) -> None:
    officers = [enrol(database, runtime, name, Role.OFFICER) for name in ("kim.officer", "lee.officer")]
    browsers = [client_for(client.app) for _ in officers]
    for browser, officer in zip(browsers, officers, strict=True):
        sign_in(browser, clock, officer)
    with database.factory() as session:
        case_id = flagged_application(session, runtime).id
    forms = [
        ("approve", {"note": "fine"}),
        ("propose", {"proposal": "refuse", "ground": "security_risk", "note": "not fine"}),
    ]
    tokens = [csrf_of(browser.get(f"/backoffice/cases/{case_id}")) for browser in browsers]
    barrier = threading.Barrier(2)
    answers: dict[str, int] = {}

    def act(index: int) -> None:
        verb, data = forms[index]
        barrier.wait()
        answer = browsers[index].post(
            f"/backoffice/cases/{case_id}/{verb}", data={"csrf": tokens[index], **data}, follow_redirects=False
        )
        answers[verb] = answer.status_code

    threads = [threading.Thread(target=act, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers.values()) == [303, 409], answers  # one took effect, one was told
    with database.factory() as session:
        case = session.get(ReviewCase, case_id)
        assert case is not None
        decisions = session.scalars(
            select(CaseAction.action).where(
                CaseAction.case_id == case_id, CaseAction.action.in_(("approved", "proposed"))
            )
        ).all()
        assert len(decisions) == 1
        application = session.get(Application, case.application_id)
        assert application is not None
        winner = "approve" if answers["approve"] == 303 else "propose"
        assert (case.status, application.status) == (
            ("closed", "approved") if winner == "approve" else ("awaiting_confirmation", "in_review")
        )
