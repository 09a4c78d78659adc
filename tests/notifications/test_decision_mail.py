"""The mail an officer's decisions send, through a real SMTP server, in the applicant's language."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session
from tests.backoffice.office import flagged_application
from tests.notifications.smtp_inbox import Inbox, parts

from keta.domain.review import Proposal, Role
from keta.i18n import gettext
from keta.services import decisions, requests, staff
from keta.services.runtime import Runtime


def test_a_request_for_information_lists_the_questions_and_the_date(
    session: Session, runtime: Runtime, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    case = flagged_application(session, runtime)  # applied in Turkish
    officer, _ = staff.create(session, runtime, username="off.mail", role=Role.OFFICER, actor="t")
    requests.request_information(
        session, runtime, case=case, member=officer, questions=["criminal_record_details"], message="Hangi mahkeme?"
    )
    session.commit()
    run_jobs()
    # The "in review" and "information requested" messages are queued at the same instant: pick by subject.
    subject = gettext("tr", "email.information_requested.subject", reference=case.application.reference)
    [message] = [r.message for r in inbox.received if r.message["Subject"] == subject]
    text = parts(message)["text/plain"]
    assert gettext("tr", "question.criminal_record_details") in text
    assert "Hangi mahkeme?" in text and "9 Aralık 2026" in text  # 10 days after 29 November, in Turkish


def test_an_answered_request_sends_nothing_late(
    session: Session, runtime: Runtime, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    case = flagged_application(session, runtime)
    run_jobs()
    before = len(inbox.received)
    officer, _ = staff.create(session, runtime, username="off.late", role=Role.OFFICER, actor="t")
    requests.request_information(session, runtime, case=case, member=officer, questions=["other"], message="?")
    requests.answer_information(session, runtime, application=case.application, text="Answered at once.")
    session.commit()
    run_jobs()
    assert len(inbox.received) == before


def test_a_revocation_states_its_ground(
    session: Session, runtime: Runtime, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    case = flagged_application(session, runtime)
    officer, _ = staff.create(session, runtime, username="off.rev", role=Role.OFFICER, actor="t")
    boss, _ = staff.create(session, runtime, username="sup.rev", role=Role.SUPERVISOR, actor="t")
    decisions.approve(session, runtime, case=case, member=officer)
    revocation = requests.propose_revocation(
        session, runtime, application=case.application, member=officer, proposal=Proposal.REVOKE,
        ground="public_health_risk", note=None,
    )  # fmt: skip
    decisions.confirm(session, runtime, case=revocation, member=boss)
    session.commit()
    run_jobs()
    subject = gettext("tr", "email.revoked.subject", reference=case.application.reference)
    [message] = [m.message for m in inbox.received if m.message["Subject"] == subject]
    text = parts(message)["text/plain"]
    assert gettext("tr", "ground.public_health_risk") in text and gettext("tr", "email.revoked.next") in text
