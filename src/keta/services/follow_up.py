"""What a traveller sees of an officer's work on their application, after the status look-up:
the stated ground of an adverse decision, an open request for information, and where a redress
request stands (possible until a date, pending, or the refusal upheld).

Codes and dates only; the portal turns them into sentences. The officer's own message is the one
free text here, decrypted for the traveller it was written to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import Application, RedressRequest, ReviewCase
from keta.domain.applications import Status
from keta.domain.review import CaseStatus
from keta.services import requests
from keta.services.runtime import Runtime


@dataclass(frozen=True, slots=True)
class InformationAsked:
    questions: tuple[str, ...]  # codes: question.<code> in the catalogs
    message: str | None  # the officer's own words, as written
    answer_by: date


@dataclass(frozen=True, slots=True)
class RedressStanding:
    """`stage`: may_ask (until `until`), pending, upheld, or unavailable (`why_not` says why)."""

    stage: str
    until: date | None = None
    why_not: str | None = None


@dataclass(frozen=True, slots=True)
class FollowUp:
    ground: str | None
    information: InformationAsked | None
    redress: RedressStanding | None


def follow_up(session: Session, rt: Runtime, application: Application) -> FollowUp:
    adverse = application.status in (Status.REFUSED, Status.REVOKED, Status.ANNULLED)
    return FollowUp(
        ground=application.ground if adverse else None,
        information=_information(session, rt, application),
        redress=_redress(session, rt, application),
    )


def _information(session: Session, rt: Runtime, application: Application) -> InformationAsked | None:
    request = requests.open_request(session, application)
    if request is None:
        return None
    message = str(rt.keyring.decrypt(request.message)["text"]) if request.message is not None else None
    return InformationAsked(tuple(request.questions), message, request.answer_due_on)


def redress_until(rt: Runtime, application: Application) -> date | None:
    """The last day a review of this refusal may be asked for."""
    if application.decided_on is None:
        return None
    return application.decided_on + timedelta(days=rt.policy.review_rules(rt.today()).redress_days)


def _redress(session: Session, rt: Runtime, application: Application) -> RedressStanding | None:
    asked = session.scalar(select(RedressRequest).where(RedressRequest.application_id == application.id))
    if asked is not None:
        case = session.get(ReviewCase, asked.case_id)
        if case is not None and case.status != CaseStatus.CLOSED:
            return RedressStanding("pending")
        if case is not None and case.outcome == "upheld":
            return RedressStanding("upheld")
        return None  # overturned: the application's own status says it
    if application.status != Status.REFUSED:
        return None
    why_not = requests.may_ask_redress(session, rt, application)
    if why_not is None:
        return RedressStanding("may_ask", until=redress_until(rt, application))
    return RedressStanding("unavailable", why_not=why_not)
