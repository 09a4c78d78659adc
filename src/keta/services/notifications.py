"""E-mail to travellers on submission and on decision, in the language they applied in.

Enqueue side (`submitted`, `group_submitted`, `decided`): a `send_email` job inserted in the
caller's transaction, so a rolled-back submission or decision sends nothing. Its payload holds ids
and codes only — never an address or a name. Job side (`send`): the message is built inside the job,
where the personal data is decrypted, and handed to the runtime's mailer; a failure raises and the
job retries. Delivery is at least once (a send can succeed and its commit fail): the Message-ID is
fixed at enqueue time, so a repeated delivery is recognisably the same message.

A group's mail goes to its representative only, as K-ETA does: one message on submission listing
every member, then one per member decision naming that member.

One message goes elsewhere: when a traveller changes the e-mail address of an application, the
*old* address is told (`email_changed`), so a change nobody asked for does not go unnoticed. The
old address travels in the job's payload encrypted with the data key, never in clear.
"""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency
from sqlalchemy.orm import Session

from keta.adapters.clock import local_date
from keta.adapters.mailer import sender_domain
from keta.db.models import Agency, Application, Group
from keta.db.queue import enqueue
from keta.db.repositories import review as review_repo
from keta.domain.applications import Status
from keta.domain.errors import Conflict
from keta.email_templates import KINDS, Letter, render
from keta.i18n import babel_locale, gettext, negotiate, reason_message
from keta.services.payment import quote
from keta.services.runtime import Runtime

SEND_EMAIL = "send_email"
DECISION_HOURS = 72  # "most applications are decided within 72 hours" (K-ETA)
DECISIONS = {
    status.value: status.value
    for status in (Status.APPROVED, Status.REFUSED, Status.IN_REVIEW, Status.REVOKED, Status.ANNULLED)
}
ADVERSE = ("refused", "revoked", "annulled")  # the letters that state a ground
NEXT_STEP = {
    "revoked": "email.revoked.next",
    "annulled": "email.annulled.next",
    "redress_upheld": "email.redress_upheld.next",
}


# --- enqueue (inside the caller's transaction) ---------------------------------------------------


def _enqueue(session: Session, payload: dict[str, Any], now: datetime) -> None:
    enqueue(session, SEND_EMAIL, {**payload, "message_id": uuid.uuid4().hex}, now=now)


def submitted(session: Session, application: Application, *, now: datetime) -> None:
    _enqueue(session, {"event": "submitted", "application_id": str(application.id)}, now)


def group_submitted(session: Session, group: Group, *, now: datetime) -> None:
    _enqueue(session, {"event": "group_submitted", "group_id": str(group.id)}, now)


def decided(session: Session, application: Application, *, now: datetime) -> None:
    """Queue the decision message for the application's current status (approved, refused, in review,
    revoked, annulled); an officer's ground travels as its code."""
    if application.status in DECISIONS:
        payload = {"event": DECISIONS[application.status], "application_id": str(application.id)}
        reasons = list(application.decision_reasons)
        _enqueue(session, {**payload, "reasons": reasons, "ground": application.ground}, now)


def information_requested(session: Session, application: Application, *, now: datetime) -> None:
    _enqueue(session, {"event": "information_requested", "application_id": str(application.id)}, now)


def redress_received(session: Session, application: Application, *, now: datetime) -> None:
    _enqueue(session, {"event": "redress_received", "application_id": str(application.id)}, now)


def renewal_reminder(session: Session, application: Application, *, now: datetime) -> None:
    """The authorization expires soon: apply again before travelling after that (a group member's goes
    to the representative, like every member's mail)."""
    _enqueue(session, {"event": "renewal_reminder", "application_id": str(application.id)}, now)


def email_changed(session: Session, rt: Runtime, application: Application, *, old_email: str, now: datetime) -> None:
    sealed = base64.b64encode(rt.keyring.encrypt({"email": old_email})).decode("ascii")
    _enqueue(session, {"event": "email_changed", "application_id": str(application.id), "old_email": sealed}, now)


def agency_filed(session: Session, rt: Runtime, application: Application, *, link: str, now: datetime) -> None:
    """Ask the applicant of an agency's filing to confirm it; the link's secret travels sealed."""
    sealed = base64.b64encode(rt.keyring.encrypt({"link": link})).decode("ascii")
    _enqueue(session, {"event": "agency_filed", "application_id": str(application.id), "link": sealed}, now)


def reference_reminder(session: Session, application: Application, *, now: datetime) -> None:
    """The traveller asked for their lost reference: it goes to the address on file (for a group
    member, the representative's, like all of a member's mail)."""
    _enqueue(session, {"event": "reference_reminder", "application_id": str(application.id)}, now)


def redress_upheld(session: Session, application: Application, *, now: datetime) -> None:
    _enqueue(
        session, {"event": "redress_upheld", "application_id": str(application.id), "ground": application.ground}, now
    )


# --- send (inside the job) -----------------------------------------------------------------------


def send(session: Session, rt: Runtime, payload: dict[str, Any]) -> bool:
    """Build and deliver one queued message; False when its application or group no longer exists."""
    message = build(session, rt, payload)
    if message is None:
        return False
    rt.mailer.send(message)
    return True


def build(session: Session, rt: Runtime, payload: dict[str, Any]) -> EmailMessage | None:
    event = str(payload["event"])
    if event == "group_submitted":
        group = session.get(Group, uuid.UUID(str(payload["group_id"])))
        if group is None:
            return None
        writer, to = _group_letter(rt, group), _representative(rt, group)
    else:
        application = session.get(Application, uuid.UUID(str(payload["application_id"])))
        if application is None:
            return None
        if event == "information_requested" and review_repo.open_information_request(session, application.id) is None:
            return None  # answered (or lapsed) before the mail went out: nothing left to ask
        ground = payload.get("ground")
        reasons = [str(r) for r in payload.get("reasons", [])]
        if event == "agency_filed":  # to the applicant themself, group member or not
            link = str(rt.keyring.decrypt(base64.b64decode(str(payload["link"])))["link"])
            writer, to = _agency_letter(session, rt, application, link), _applicant(rt, application)
            return _message(rt, writer, to, message_id=str(payload["message_id"]))
        writer = _application_letter(session, rt, application, event, reasons, str(ground) if ground else None)
        to = _representative(rt, application.group) if application.group else _applicant(rt, application)
        if event == "email_changed":  # to the address that was replaced
            old = rt.keyring.decrypt(base64.b64decode(str(payload["old_email"])))["email"]
            to = _address(_full_name(rt.keyring.decrypt(application.pii)["passport"]), str(old))
    return _message(rt, writer, to, message_id=str(payload["message_id"]))


def _address(name: str, email: str) -> Address:
    """Built from its parts: `Address(addr_spec=…)` refuses a non-ASCII local part ("ayşe@…"), which
    the form accepts (RFC 6531); smtplib then sends it with SMTPUTF8 when the server offers it."""
    local, _, domain = email.rpartition("@")
    return Address(name, username=local, domain=domain)


def _applicant(rt: Runtime, application: Application) -> Address:
    data = rt.keyring.decrypt(application.pii)
    return _address(_full_name(data["passport"]), data["email"])


def _representative(rt: Runtime, group: Group) -> Address:
    data = rt.keyring.decrypt(group.pii)
    return _address(_full_name(data), data["email"])


def _full_name(data: dict[str, Any]) -> str:
    return " ".join(part for part in (data["given_names"], data["surname"]) if part)


def _language(stored: str) -> str:
    """The stored language when keta has its catalog, else English."""
    return negotiate(None, explicit=stored)


def _fee(rt: Runtime, applications: list[Application], locale: str) -> str | None:
    try:
        amount, currency, _ = quote(rt, applications)
    except Conflict:  # no fee rule for the date: say nothing rather than something wrong
        return None
    return format_currency(amount, currency, locale=babel_locale(locale))


def _date(value: date, locale: str) -> str:
    return format_date(value, format="long", locale=babel_locale(locale))


class _Writer:
    """Fills a `Letter` with sentences from the catalogs, in one locale."""

    def __init__(self, kind: str, locale: str, **subject: object) -> None:
        self.locale = locale
        self.letter = Letter(kind, locale, gettext(locale, f"email.{kind}.subject", **subject))
        self.say("intro", f"email.{kind}.intro")
        self.say("footer", "email.footer")

    def say(self, slot: str, msgid: str, /, **params: object) -> None:
        self.letter.paragraphs[slot] = gettext(self.locale, msgid, **params)

    def fact(self, label: str, value: str) -> None:
        self.letter.facts.append((gettext(self.locale, label), value))


def _group_letter(rt: Runtime, group: Group) -> _Writer:
    locale = _language(group.language)
    writer = _Writer("group_submitted", locale, reference=group.reference)
    writer.fact("email.label.group_reference", group.reference)
    fee = _fee(rt, list(group.members), locale)
    if fee is not None:
        writer.fact("email.label.fee", fee)
    for member in group.members:
        writer.letter.members.append((_full_name(rt.keyring.decrypt(member.pii)["passport"]), member.reference))
    writer.say("members_heading", "email.label.members")
    writer.say("next_steps", "email.group_submitted.next_steps", hours=DECISION_HOURS)
    writer.say("check_status", "email.check_status_group")
    return writer


def _application_letter(
    session: Session, rt: Runtime, application: Application, event: str, reasons: list[str], ground: str | None
) -> _Writer:
    if event not in KINDS or event == "group_submitted":
        raise ValueError(f"unknown e-mail event {event!r}")
    group = application.group
    locale = _language(group.language if group else application.language)
    subject: dict[str, object] = {"reference": application.reference}
    if event == "renewal_reminder":
        assert application.valid_until is not None
        subject["date"] = _date(application.valid_until, locale)
    writer = _Writer(event, locale, **subject)
    if event != "submitted":
        writer.fact("email.label.traveller", _full_name(rt.keyring.decrypt(application.pii)["passport"]))
    writer.fact("email.label.reference", application.reference)
    if event == "submitted":
        fee = _fee(rt, [application], locale)
        if fee is not None:
            writer.fact("email.label.fee", fee)
        writer.say("next_steps", "email.submitted.next_steps", hours=DECISION_HOURS)
    elif event == "approved":
        assert application.valid_from is not None and application.valid_until is not None
        valid_from, valid_until = _date(application.valid_from, locale), _date(application.valid_until, locale)
        writer.fact("email.label.valid_from", valid_from)
        writer.fact("email.label.valid_until", valid_until)
        writer.say("validity", "email.approved.validity", valid_from=valid_from, valid_until=valid_until)
    elif event in ADVERSE or event == "redress_upheld":
        stated = [gettext(locale, f"ground.{ground}")] if ground else [reason_message(locale, r) for r in reasons]
        writer.letter.grounds.extend(gettext(locale, "email.refused.ground", ground=text) for text in stated)
        if event == "refused":
            days = rt.policy.review_rules(rt.today()).redress_days
            writer.say("review", "email.refused.redress", days=days)
        else:
            writer.say("review", NEXT_STEP[event])
    elif event == "information_requested":
        _information_letter(session, rt, application, writer)
    elif event == "redress_received":
        writer.say("review", "email.redress_received.next")
    elif event == "renewal_reminder":
        assert application.valid_until is not None
        writer.fact("email.label.valid_until", _date(application.valid_until, locale))
        writer.say("next", "email.renewal_reminder.next")
    elif event == "email_changed":
        writer.say("review", "email.email_changed.not_you")
    elif event == "reference_reminder":
        writer.say("review", "email.reference_reminder.not_you")
    else:  # in_review
        writer.say("delay", "email.in_review.delay", hours=DECISION_HOURS)
    writer.say("check_status", "email.check_status_group" if group else "email.check_status")
    return writer


def _agency_letter(session: Session, rt: Runtime, application: Application, link: str) -> _Writer:
    """What an agency filed in the applicant's name, by whom, and the link to confirm or refuse it."""
    locale = _language(application.language)
    agency = session.get(Agency, application.agency_id) if application.agency_id else None
    name = agency.name if agency else ""
    writer = _Writer("agency_filed", locale, reference=application.reference)
    writer.say("intro", "email.agency_filed.intro", agency=name)
    writer.fact("email.label.traveller", _full_name(rt.keyring.decrypt(application.pii)["passport"]))
    writer.fact("email.label.reference", application.reference)
    writer.fact("email.label.agency", name)
    confirmation = application.confirmation
    assert confirmation is not None  # made in the transaction that queued this message
    until = local_date(confirmation.expires_at, rt.policy.timezone)
    writer.say("expiry", "email.agency_filed.expiry", date=_date(until, locale))
    writer.say("action", "email.agency_filed.action")
    writer.letter.paragraphs["link"] = link
    writer.say("not_you", "email.agency_filed.not_you")
    return writer


def _information_letter(session: Session, rt: Runtime, application: Application, writer: _Writer) -> None:
    """The questions (standard ones, translated; the officer's own words as written) and the answer date."""
    request = review_repo.open_information_request(session, application.id)
    if request is None:
        return
    locale = writer.locale
    writer.letter.grounds.extend(gettext(locale, f"question.{code}") for code in request.questions)
    if request.message is not None:
        writer.letter.grounds.append(str(rt.keyring.decrypt(request.message)["text"]))
    writer.say("review", "email.information_requested.how", date=_date(request.answer_due_on, locale))


def _message(rt: Runtime, writer: _Writer, to: Address, *, message_id: str) -> EmailMessage:
    writer.say("greeting", "email.greeting", name=to.display_name)
    letter = writer.letter
    text, html = render(letter)
    message = EmailMessage()
    message["Subject"] = letter.subject
    message["From"] = rt.mailer.sender
    message["To"] = to
    message["Date"] = format_datetime(rt.now())
    message["Message-ID"] = f"<{message_id}@{sender_domain(rt.mailer.sender)}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay away
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = letter.locale  # after the parts: set_content clears Content-* headers
    return message
