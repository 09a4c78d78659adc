"""Decisions on cases at the service layer: redress by someone new, revocation with four eyes, clearing
a re-screening match, requests for information lapsing, and the state machine holding."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.backoffice.office import flagged_application

from keta.adapters.clock import FixedClock
from keta.db.models import Application, ReviewCase, StaffMember
from keta.domain.errors import Conflict, InvalidInput
from keta.domain.review import CaseKind, Proposal, Role
from keta.services import cases, decisions, requests, staff
from keta.services.runtime import Runtime


def _member(session: Session, runtime: Runtime, name: str, role: Role) -> StaffMember:
    member, _ = staff.create(session, runtime, username=name, role=role, actor="test")
    return member


def _refused(session: Session, runtime: Runtime) -> tuple[Application, StaffMember, StaffMember]:
    case = flagged_application(session, runtime)
    officer, boss = (
        _member(session, runtime, "off.a", Role.OFFICER),
        _member(session, runtime, "sup.a", Role.SUPERVISOR),
    )
    decisions.propose(session, runtime, case=case, member=officer, proposal=Proposal.REFUSE, ground="security_risk")
    decisions.confirm(session, runtime, case=case, member=boss)
    return case.application, officer, boss


def test_redress_goes_to_someone_who_did_not_decide(session: Session, runtime: Runtime) -> None:
    application, officer, boss = _refused(session, runtime)
    redress = requests.ask_redress(session, runtime, application=application, reasons="I was a witness, not accused.")
    with pytest.raises(Conflict) as again:
        requests.ask_redress(session, runtime, application=application, reasons="again")
    assert again.value.reason == "redress_already_requested"
    for decider in (officer, boss):
        with pytest.raises(Conflict) as caught:
            decisions.approve(session, runtime, case=redress, member=decider)
        assert caught.value.reason == "took_part_in_decision"
    third = _member(session, runtime, "off.c", Role.OFFICER)
    decisions.approve(session, runtime, case=redress, member=third, note="witness statement checks out")
    assert application.status == "approved" and application.ground is None
    assert application.valid_until is not None and redress.outcome == "overturned"


def test_a_refusal_can_be_upheld_once_and_the_period_ends(
    session: Session, runtime: Runtime, clock: FixedClock
) -> None:
    application, _, _ = _refused(session, runtime)
    redress = requests.ask_redress(session, runtime, application=application, reasons="please look again")
    third = _member(session, runtime, "off.d", Role.OFFICER)
    decisions.uphold(session, runtime, case=redress, member=third)
    assert application.status == "refused" and redress.outcome == "upheld"
    other, _, _ = _refused_second(session, runtime)
    clock.advance(timedelta(days=91))
    assert requests.may_ask_redress(session, runtime, other) == "redress_period_over"


def _refused_second(session: Session, runtime: Runtime) -> tuple[Application, StaffMember, StaffMember]:
    case = flagged_application(session, runtime, passport__number="U99999999", passport__given_names="Zeynep")
    officer = session.scalars(select(StaffMember).where(StaffMember.username == "off.a")).one()
    boss = session.scalars(select(StaffMember).where(StaffMember.username == "sup.a")).one()
    decisions.propose(session, runtime, case=case, member=officer, proposal=Proposal.REFUSE, ground="entry_ban")
    decisions.confirm(session, runtime, case=case, member=boss)
    return case.application, officer, boss


def test_revoking_a_valid_authorization_takes_two(session: Session, runtime: Runtime) -> None:
    case = flagged_application(session, runtime)
    officer, boss = (
        _member(session, runtime, "off.e", Role.OFFICER),
        _member(session, runtime, "sup.e", Role.SUPERVISOR),
    )
    decisions.approve(session, runtime, case=case, member=officer)
    application = case.application
    with pytest.raises(InvalidInput):
        requests.propose_revocation(session, runtime, application=application, member=boss, proposal=Proposal.REVOKE,
                                    ground="conditions_not_met_at_issue", note=None)  # fmt: skip  # an annulment ground
    revocation = requests.propose_revocation(
        session, runtime, application=application, member=boss, proposal=Proposal.ANNUL,
        ground="false_or_doubtful_information", note="forged invitation",
    )  # fmt: skip
    assert application.status == "approved"  # still valid until confirmed
    with pytest.raises(Conflict):
        decisions.confirm(session, runtime, case=revocation, member=boss)
    with pytest.raises(Conflict):
        decisions.confirm(session, runtime, case=revocation, member=officer)  # officers do not confirm
    decisions.confirm(session, runtime, case=revocation, member=_member(session, runtime, "sup.f", Role.SUPERVISOR))
    assert (application.status, application.ground) == ("annulled", "false_or_doubtful_information")


def test_clearing_a_rescreen_match_remembers_the_entity(session: Session, runtime: Runtime) -> None:
    case = flagged_application(session, runtime)
    officer = _member(session, runtime, "off.g", Role.OFFICER)
    decisions.approve(session, runtime, case=case, member=officer)
    findings = {"watchlist": {"matches": [{"entity_id": "wl-9", "score": 0.8, "name": "X", "reasons": []}]}}
    rescreen = cases.open_case(
        session, runtime, application=case.application, kind=CaseKind.RESCREEN,
        reasons=["watchlist_possible_match"], findings=findings, actor="system:test",
    )  # fmt: skip
    with pytest.raises(Conflict):
        decisions.propose(session, runtime, case=rescreen, member=officer, proposal=Proposal.REFUSE, ground="entry_ban")
    decisions.approve(session, runtime, case=rescreen, member=officer)
    assert case.application.status == "approved" and case.application.cleared_entities == ["wl-9"]


def test_an_unanswered_request_returns_to_the_queue(session: Session, runtime: Runtime, clock: FixedClock) -> None:
    case = flagged_application(session, runtime)
    officer = _member(session, runtime, "off.h", Role.OFFICER)
    with pytest.raises(InvalidInput):
        requests.request_information(session, runtime, case=case, member=officer, questions=[], message=None)
    with pytest.raises(InvalidInput):
        requests.request_information(session, runtime, case=case, member=officer, questions=["x"], message=None)
    requests.request_information(session, runtime, case=case, member=officer, questions=["other"], message="Why?")
    clock.advance(timedelta(days=10))
    assert requests.lapse_information_requests(session, runtime) == 0  # due today: not yet lapsed
    clock.advance(timedelta(days=1))
    assert requests.lapse_information_requests(session, runtime) == 1
    assert case.status == "open"
    with pytest.raises(Conflict):
        requests.answer_information(session, runtime, application=case.application, text="too late")
    decisions.propose(session, runtime, case=case, member=officer, proposal=Proposal.REFUSE,
                      ground="no_reply_to_information_request")  # fmt: skip
    assert session.scalars(select(ReviewCase).where(ReviewCase.id == case.id)).one().status == "awaiting_confirmation"
