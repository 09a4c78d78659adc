"""Starting a payment: a pending Payment for the applications, and the provider's checkout page.

Nothing is paid here. The traveller is sent to `payment.checkout_url`; only a verified webhook event
(keta.services.payment_events) marks the applications paid. A second "Pay" for the same applications
and return address reuses the open checkout, so a double click does not open two.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from keta.adapters.payments import ProviderUnavailable
from keta.db.models import Application, Payment, PaymentItem
from keta.db.repositories import payments as repo
from keta.domain.applications import Status
from keta.domain.errors import Conflict
from keta.services.payment import PaymentUnavailable, quote
from keta.services.readiness import require_ready
from keta.services.references import new_reference
from keta.services.runtime import Runtime

log = logging.getLogger("keta.payments")


@dataclass(frozen=True)
class CheckoutStarted:
    payment: Payment
    applications: list[Application]  # the ones it pays for (members who withdrew are not charged)
    created: bool  # False: an open checkout was reused


def payable(applications: list[Application]) -> list[Application]:
    """The applications still waiting for their fee; a Conflict says why none is."""
    waiting = [a for a in applications if a.status == Status.SUBMITTED]
    if not waiting:
        raise Conflict("already_paid" if any(a.payment_id for a in applications) else "not_payable")
    return waiting


def start_checkout(
    session: Session, rt: Runtime, *, applications: list[Application], description: str, return_url: str
) -> CheckoutStarted:
    """One checkout for all `applications` (one person, or every member of a group)."""
    covered = payable(applications)
    require_ready(rt, covered)  # a photo or the applicant's confirmation still missing: not payable yet
    amount, currency, refundable = quote(rt, covered)
    existing = repo.open_checkout(session, rt.payments.name, [a.id for a in covered])
    wanted = (amount, currency, return_url)
    if existing is not None and (existing.amount, existing.currency, existing.return_url) == wanted:
        return CheckoutStarted(existing, covered, created=False)
    reference = new_reference("P")
    # The provider is called before anything is written: a timeout leaves no half-made payment.
    try:
        checkout = rt.payments.create_checkout(
            payment_reference=reference,
            amount=amount,
            currency=currency,
            description=description,
            return_url=return_url,
        )
    except ProviderUnavailable as unavailable:
        log.warning("payment %s: no checkout, the provider is unavailable (%s)", reference, unavailable.code)
        raise PaymentUnavailable() from None
    payment = Payment(
        reference=reference,
        provider=rt.payments.name,
        provider_reference=checkout.provider_reference,
        status="pending",
        amount=amount,
        currency=currency,
        persons=len(covered),
        refundable=refundable,
        created_at=rt.now(),
        checkout_url=checkout.redirect_url,
        return_url=return_url,
        items=[PaymentItem(application_id=a.id) for a in covered],
    )
    session.add(payment)
    session.flush()
    return CheckoutStarted(payment, covered, created=True)
