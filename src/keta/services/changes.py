"""What a traveller may change after submitting: withdraw, or update travel details.

Identity and passport data can never be edited (K-ETA: re-apply with the new data). Travel
details — arrival date, address in Korea, flight, e-mail, phone — can change until a final
decision, and while an approval is valid. A new value passes the same checks as at submission: an
arrival within the application window, before the passport's expiry and under rules that still
let this traveller apply; an address a reader can see. A changed e-mail address is told to the old
address too, so a stolen reference and passport number cannot quietly redirect the mail.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.domain.applicant import Applicant, arrival_problem
from keta.domain.applications import TRAVEL_DETAILS_EDITABLE, Status
from keta.domain.eligibility import evaluate
from keta.domain.errors import Conflict, FieldProblem, InvalidInput
from keta.domain.text import has_visible
from keta.services import lifecycle, notifications, pii
from keta.services.lifecycle import move
from keta.services.runtime import Runtime
from keta.services.submission import APPLICANT_ACTOR


@dataclass(frozen=True, slots=True)
class TravelUpdate:
    arrival_date: date | None = None
    address_in_korea: str | None = None
    flight_number: str | None = None
    email: str | None = None
    phone: str | None = None


def withdraw(rt: Runtime, application: Application) -> None:
    move(application, Status.WITHDRAWN, actor=APPLICANT_ACTOR, reasons=[], now=rt.now())


def _problems(rt: Runtime, applicant: Applicant, update: TravelUpdate) -> list[FieldProblem]:
    """The submission's checks, for the values this update changes (paths are the update's own)."""
    problems: list[FieldProblem] = []
    if update.arrival_date is not None:
        code = arrival_problem(update.arrival_date, today=rt.today())
        if code is None and applicant.passport.expiry_date < update.arrival_date:
            code = "expires_before_arrival"
        if code is None:  # the entry rules in force on the new date (e.g. an exemption that ended)
            facts = dataclasses.replace(applicant.facts(), arrival_date=update.arrival_date)
            decision = evaluate(facts, rt.policy)
            code = None if decision.may_apply else decision.outcome.value
        if code is not None:
            problems.append(FieldProblem("arrival_date", code))
    if update.address_in_korea is not None and not has_visible(update.address_in_korea):
        problems.append(FieldProblem("address_in_korea", "not_visible"))
    return problems


def update_travel(session: Session, rt: Runtime, *, application: Application, update: TravelUpdate) -> list[str]:
    """Apply the update; returns the names of the fields that changed."""
    if Status(application.status) not in TRAVEL_DETAILS_EDITABLE:
        raise Conflict("not_editable")
    data = rt.keyring.decrypt(application.pii)
    applicant = pii.pii_to_applicant(data)
    problems = _problems(rt, applicant, update)
    if problems:
        raise InvalidInput(problems)
    travel = applicant.travel
    if update.arrival_date is not None:
        travel = dataclasses.replace(travel, arrival_date=update.arrival_date)
        application.arrival_date = update.arrival_date
    if update.address_in_korea is not None:
        travel = dataclasses.replace(travel, address_in_korea=update.address_in_korea)
    if update.flight_number is not None:
        travel = dataclasses.replace(travel, flight_number=update.flight_number)
    changed = [name for name, value in dataclasses.asdict(update).items() if value is not None]
    old_email = applicant.email
    applicant = dataclasses.replace(
        applicant, travel=travel, email=update.email or applicant.email, phone=update.phone or applicant.phone
    )
    pii.seal_application(rt.keyring, application, {**data, **pii.applicant_to_pii(applicant)})
    # Recorded like a status change (same status in and out) so the history shows every edit;
    # the values themselves are personal data and stay in the encrypted blob only.
    lifecycle.record(
        application, application.status, application.status, actor=APPLICANT_ACTOR,
        reasons=[f"updated:{c}" for c in changed], now=rt.now(),
    )  # fmt: skip
    if update.email is not None and update.email.casefold() != old_email.casefold():
        notifications.email_changed(session, rt, application, old_email=old_email, now=rt.now())
    return changed
