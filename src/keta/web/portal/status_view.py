"""One application as the status page shows it: its state, the stated ground of an adverse
decision, and what the traveller can still do (answer an officer, ask for a review), with the
sealed token those forms carry. Shared by the look-up and the answer and redress pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.domain.applications import TRANSITIONS, TRAVEL_DETAILS_EDITABLE, Status
from keta.domain.attachments import MAX_ATTACHMENT_MB
from keta.i18n import error_message, gettext, reason_message
from keta.services import follow_up, status
from keta.services.requests import MAX_DOCUMENTS, MAX_TEXT
from keta.services.runtime import Runtime
from keta.web.portal import status_token
from keta.web.portal.facts import processing_hours
from keta.web.portal.rendering import day, number
from keta.web.portal.uploads import DOCUMENTS


def application_context(
    session: Session, rt: Runtime, application: Application, locale: str, *, token: str | None = None
) -> dict[str, Any]:
    """`view` and `follow` for status.html; a fresh token unless the page carries one already."""
    view = status.view(rt, application)
    after = follow_up.follow_up(session, rt, application)
    shown = {
        "reference": view.reference,
        "status": view.status,
        "status_text": gettext(locale, f"status.{view.status}"),
        "arrival_date": day(view.arrival_date, locale),
        "valid_from": day(view.valid_from, locale) if view.valid_from else None,
        "valid_until": day(view.valid_until, locale) if view.valid_until else None,
        # A stated ground says more than "an officer decided": it replaces the reason codes.
        "ground": gettext(locale, f"ground.{after.ground}") if after.ground else None,
        "reasons": [] if after.ground else [reason_message(locale, code) for code in view.decision_reasons],
        "paid": view.paid,
        "processing_hours": processing_hours(rt.policy, rt.today()),
    }
    current = Status(application.status)
    manage: dict[str, Any] = {
        "may_update": current in TRAVEL_DETAILS_EDITABLE,
        "may_withdraw": Status.WITHDRAWN in TRANSITIONS[current],
    }
    if manage["may_update"] or manage["may_withdraw"]:
        manage["token"] = token or status_token.issue(rt, application)
    return {"view": shown, "follow": _follow(rt, application, after, locale, token), "manage": manage}


def _follow(
    rt: Runtime, application: Application, after: follow_up.FollowUp, locale: str, token: str | None
) -> dict[str, Any]:
    information, redress = after.information, after.redress
    asked = None
    if information is not None:
        asked = {
            "questions": [gettext(locale, f"question.{code}") for code in information.questions],
            "message": information.message,
            "answer_by": day(information.answer_by, locale),
        }
    standing = None
    if redress is not None:
        standing = {
            "stage": redress.stage,
            "until": day(redress.until, locale) if redress.until else None,
            "why_not": error_message(locale, redress.why_not) if redress.why_not else None,
        }
    may_act = asked is not None or (standing is not None and standing["stage"] == "may_ask")
    return {
        "information": asked,
        "redress": standing,
        "token": (token or status_token.issue(rt, application)) if may_act else None,
        "documents": DOCUMENTS,
        "max_text": MAX_TEXT,
        "max_text_shown": number(MAX_TEXT, locale),
        "max_mb": MAX_ATTACHMENT_MB,
        "max_documents": MAX_DOCUMENTS,
    }
