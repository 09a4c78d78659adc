"""The application life cycle as an explicit state machine, and the rules computed at decision time.

    draft → submitted → paid → screening → approved | refused | in_review
    in_review → approved | refused
    approved → revoked | annulled | expired
    refused → approved              (only through a redress review that overturns the refusal)
    submitted | paid → withdrawn

Revocation ends an authorization whose conditions are no longer met; annulment one whose conditions
were never met (false data, a document already reported lost). Both are final, as ETIAS has them.

Anything else is an `IllegalTransition`: asking to approve a refused application is a bug or an
attack, never a no-op. A group is not a state machine of its own: its members move one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from keta.domain.dates import add_years
from keta.domain.errors import IllegalTransition
from keta.domain.policy import Policy


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    PAID = "paid"
    SCREENING = "screening"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REFUSED = "refused"
    REVOKED = "revoked"
    ANNULLED = "annulled"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.PAID, Status.WITHDRAWN}),
    Status.PAID: frozenset({Status.SCREENING, Status.WITHDRAWN}),
    Status.SCREENING: frozenset({Status.APPROVED, Status.REFUSED, Status.IN_REVIEW}),
    Status.IN_REVIEW: frozenset({Status.APPROVED, Status.REFUSED}),
    Status.APPROVED: frozenset({Status.REVOKED, Status.ANNULLED, Status.EXPIRED}),
    Status.REFUSED: frozenset({Status.APPROVED}),
    Status.REVOKED: frozenset(),
    Status.ANNULLED: frozenset(),
    Status.EXPIRED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

DECIDED = frozenset({Status.APPROVED, Status.REFUSED, Status.REVOKED, Status.ANNULLED, Status.EXPIRED})
# Travel details (address, dates, flight, contact) may change until a decision is final.
TRAVEL_DETAILS_EDITABLE = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.PAID, Status.SCREENING, Status.IN_REVIEW, Status.APPROVED}
)


def transition(current: Status, requested: Status) -> Status:
    """Return the new status, or raise IllegalTransition."""
    if requested not in TRANSITIONS[current]:
        raise IllegalTransition(current.value, requested.value)
    return requested


@dataclass(frozen=True, slots=True)
class ValidityWindow:
    valid_from: date
    valid_until: date  # inclusive
    capped_by_passport: bool


def validity_at_approval(
    *, approved_on: date, applied_on: date, passport_expiry: date, policy: Policy
) -> ValidityWindow:
    """Validity starts on the approval day and lasts the years in force on the *application* date.

    K-ETA gave 3 years to applications made from 2023-07-03 00:00 KST and 2 before; an approval is
    never valid past the passport's expiry (a new passport needs a new application).
    """
    rule = policy.validity.on(applied_on)
    if rule is None:
        raise ValueError(f"policy {policy.code} has no validity rule for {applied_on}")
    natural_end = add_years(approved_on, rule.years) - _ONE_DAY
    if rule.capped_by_passport_expiry and passport_expiry < natural_end:
        return ValidityWindow(approved_on, passport_expiry, True)
    return ValidityWindow(approved_on, natural_end, False)


_ONE_DAY = timedelta(days=1)
