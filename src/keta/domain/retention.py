"""How long an application's personal data may be kept, as a pure rule over its status and dates.

    approved / expired          while valid, then `after_validity_days` more
    refused / revoked / annulled `after_refusal_years` from the (last) decision   (ETIAS Art. 54(1)(b))
    withdrawn / never paid      `unfinished_months` from the last step
    paid / screening / in review never: the procedure is not over

`purge_from` answers the first day on which the data may be deleted (the day itself included), or
None while it must be kept. It only ever looks at clear columns; which rule applies is chosen by the
caller: the version of the policy's `[[retention]]` rule in force on the day of the purge, because
a storage limit binds the data held from the day it changes, not only data collected after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from keta.domain.applications import Status
from keta.domain.dates import add_months, add_years
from keta.domain.policy import RetentionRule

__all__ = ["Category", "RetentionFacts", "RetentionRule", "category", "is_due", "purge_from"]


class Category(StrEnum):
    """Why an application's data may go: the purge reports its counts by these."""

    EXPIRED = "expired"  # approved, and no longer valid
    REFUSED = "refused"
    REVOKED = "revoked"
    ANNULLED = "annulled"
    WITHDRAWN = "withdrawn"
    UNPAID = "unpaid"  # submitted (or left as a draft) and never paid


@dataclass(frozen=True, slots=True)
class RetentionFacts:
    status: Status
    paid: bool
    valid_until: date | None  # the authorization's last valid day
    decided_on: date | None  # the day of the last decision (refusal, revocation, annulment)
    last_step_on: date  # the day of the application's last status change


_ENDED = {Status.REFUSED: Category.REFUSED, Status.REVOKED: Category.REVOKED, Status.ANNULLED: Category.ANNULLED}
_IN_PROGRESS = frozenset({Status.PAID, Status.SCREENING, Status.IN_REVIEW})


def category(facts: RetentionFacts) -> Category | None:
    if facts.status in (Status.APPROVED, Status.EXPIRED):
        return Category.EXPIRED
    if facts.status in _ENDED:
        return _ENDED[facts.status]
    if facts.status is Status.WITHDRAWN:
        return Category.WITHDRAWN
    if facts.status in (Status.SUBMITTED, Status.DRAFT) and not facts.paid:
        return Category.UNPAID
    return None  # paid and still in progress


def purge_from(facts: RetentionFacts, rule: RetentionRule) -> date | None:
    """The first day the personal data may be deleted, or None while it must be kept."""
    if facts.status in _IN_PROGRESS:
        return None
    kind = category(facts)
    if kind is Category.EXPIRED:
        if facts.valid_until is None:
            return None  # an approval without a validity window is a data error: keep, never guess
        return facts.valid_until + timedelta(days=1 + rule.after_validity_days)
    if kind in (Category.REFUSED, Category.REVOKED, Category.ANNULLED):
        return add_years(facts.decided_on or facts.last_step_on, rule.after_refusal_years)
    if kind in (Category.WITHDRAWN, Category.UNPAID):
        return add_months(facts.last_step_on, rule.unfinished_months)
    return None


def is_due(facts: RetentionFacts, rule: RetentionRule, *, today: date) -> bool:
    start = purge_from(facts, rule)
    return start is not None and start <= today
