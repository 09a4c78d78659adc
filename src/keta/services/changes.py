"""What a traveller may change after submitting: withdraw, or update travel details.

Identity and passport data can never be edited (K-ETA: re-apply with the new data). Travel
details — arrival date, address in Korea, flight, e-mail, phone — can change until a final
decision, and while an approval is valid.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from keta.db.models import Application, ApplicationEvent
from keta.domain.applications import TRAVEL_DETAILS_EDITABLE, Status
from keta.domain.errors import Conflict, FieldProblem, InvalidInput
from keta.services import pii
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


def update_travel(rt: Runtime, application: Application, update: TravelUpdate) -> list[str]:
    """Apply the update; returns the names of the fields that changed."""
    if Status(application.status) not in TRAVEL_DETAILS_EDITABLE:
        raise Conflict("not_editable")
    data = rt.keyring.decrypt(application.pii)
    applicant = pii.pii_to_applicant(data)
    travel = applicant.travel
    if update.arrival_date is not None:
        problems = []
        if update.arrival_date < rt.today():
            problems.append(FieldProblem("arrival_date", "in_past"))
        if applicant.passport.expiry_date < update.arrival_date:
            problems.append(FieldProblem("arrival_date", "expires_before_arrival"))
        if problems:
            raise InvalidInput(problems)
        travel = dataclasses.replace(travel, arrival_date=update.arrival_date)
        application.arrival_date = update.arrival_date
    if update.address_in_korea is not None:
        travel = dataclasses.replace(travel, address_in_korea=update.address_in_korea)
    if update.flight_number is not None:
        travel = dataclasses.replace(travel, flight_number=update.flight_number)
    changed = [name for name, value in dataclasses.asdict(update).items() if value is not None]
    applicant = dataclasses.replace(
        applicant, travel=travel, email=update.email or applicant.email, phone=update.phone or applicant.phone
    )
    pii.seal_application(rt.keyring, application, {**data, **pii.applicant_to_pii(applicant)})
    # Recorded like a status change (same status in and out) so the history shows every edit;
    # the values themselves are personal data and stay in the encrypted blob only.
    application.events.append(
        ApplicationEvent(
            from_status=application.status,
            to_status=application.status,
            actor=APPLICANT_ACTOR,
            reasons=[f"updated:{c}" for c in changed],
            at=rt.now(),
        )
    )
    return changed
