"""What an application still waits for before it can be paid for, and so before it is screened.

Screening is queued only when a payment is captured (keta.services.payment_events), and a checkout
is only opened for applications that wait for nothing else (keta.services.checkout). So an
application without a face photo, or one an agency filed that its applicant has not confirmed,
is never paid for and never screened, whichever door it came in by.
"""

from __future__ import annotations

from collections.abc import Iterable

from keta.db.models import Application
from keta.domain.applications import Status
from keta.domain.errors import Conflict
from keta.services import photos
from keta.services.runtime import Runtime

PHOTO = "photo"  # the face photo: PUT /api/v1/applications/{reference}/photo, or the portal's photo page
CONFIRMATION = "applicant_confirmation"  # the link e-mailed to the applicant of an agency's filing
PAYMENT = "payment"

_CONFLICTS = {PHOTO: "photo_required", CONFIRMATION: "confirmation_required"}


def waiting_for(rt: Runtime, application: Application) -> list[str]:
    """The steps still missing, in the order they are usually done; empty once it is paid."""
    if application.status != Status.SUBMITTED:
        return []
    steps = []
    if not photos.has_photo(rt, application):
        steps.append(PHOTO)
    confirmation = application.confirmation
    if confirmation is not None and confirmation.confirmed_at is None:
        steps.append(CONFIRMATION)
    return [*steps, PAYMENT]


def require_ready(rt: Runtime, applications: Iterable[Application]) -> None:
    """Conflict `photo_required` or `confirmation_required` while any of them still waits for one."""
    for step in (PHOTO, CONFIRMATION):
        if any(step in waiting_for(rt, a) for a in applications):
            raise Conflict(_CONFLICTS[step])
