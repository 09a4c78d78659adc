"""Response shapes of /api/v1 (documented in OpenAPI; reason codes come with a translated text)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from keta.db.models import Application, Payment
from keta.i18n import reason_message
from keta.services.status import ApplicationView, GroupView


class ReasonOut(BaseModel):
    code: str
    message: str


def reasons_out(codes: list[str] | tuple[str, ...], locale: str) -> list[ReasonOut]:
    return [ReasonOut(code=code, message=reason_message(locale, code)) for code in codes]


class TraceStepOut(BaseModel):
    rule: str
    applied: bool
    reason: str | None
    period: str | None


class EligibilityOut(BaseModel):
    outcome: str
    reasons: list[ReasonOut]
    may_apply: bool
    trace: list[TraceStepOut]
    # Until when an exemption lasts (the portal says the same in words); null when none applies.
    temporary_exemption_until: date | None = Field(
        default=None, description="Last arrival day the temporary country exemption covers."
    )
    age_exemption_until: date | None = Field(
        default=None, description="First arrival day the age exemption no longer covers (a minor's)."
    )


class FeeOut(BaseModel):
    amount: Decimal
    currency: str
    refundable: bool

    @classmethod
    def of(cls, quote: tuple[Decimal, str, bool]) -> FeeOut:
        amount, currency, refundable = quote
        return cls(amount=amount, currency=currency, refundable=refundable)


class SubmittedOut(BaseModel):
    reference: str
    status: str
    eligibility: str
    reasons: list[ReasonOut]
    fee: FeeOut


class MemberRefOut(BaseModel):
    index: int
    reference: str


class GroupSubmittedOut(BaseModel):
    reference: str
    members: list[MemberRefOut]
    fee: FeeOut


def plain(amount: Decimal) -> Decimal:
    """10300.00 (as stored) → 10300, as the fee is quoted; 12.50 stays 12.50."""
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


class PaymentOut(BaseModel):
    """A started checkout: send the traveller to `checkout_url`; the payment counts once the
    provider's signed webhook confirms it (the application's `paid` then turns true)."""

    payment_reference: str
    status: str  # pending, until the provider's webhook says captured or declined
    checkout_url: str
    amount: Decimal
    currency: str
    persons: int
    refundable: bool
    applications: list[str]
    sandbox: bool  # true: a test system; the payment is simulated

    @classmethod
    def of(cls, payment: Payment, applications: list[Application], *, checkout_url: str, sandbox: bool) -> PaymentOut:
        return cls(
            payment_reference=payment.reference,
            status=payment.status,
            checkout_url=checkout_url,
            amount=plain(payment.amount),
            currency=payment.currency,
            persons=payment.persons,
            refundable=payment.refundable,
            applications=[a.reference for a in applications],
            sandbox=sandbox,
        )


class ApplicationOut(BaseModel):
    reference: str
    status: str
    surname: str
    given_names: str
    nationality: str
    arrival_date: date
    submitted_at: datetime
    eligibility: str
    eligibility_reasons: list[ReasonOut]
    decision_reasons: list[ReasonOut]
    valid_from: date | None
    valid_until: date | None
    group_reference: str | None
    paid: bool

    @classmethod
    def of(cls, view: ApplicationView, locale: str) -> ApplicationOut:
        return cls(
            reference=view.reference,
            status=view.status,
            surname=view.surname,
            given_names=view.given_names,
            nationality=view.nationality,
            arrival_date=view.arrival_date,
            submitted_at=view.submitted_at,
            eligibility=view.eligibility_outcome,
            eligibility_reasons=reasons_out(view.eligibility_reasons, locale),
            decision_reasons=reasons_out(view.decision_reasons, locale),
            valid_from=view.valid_from,
            valid_until=view.valid_until,
            group_reference=view.group_reference,
            paid=view.paid,
        )


class GroupOut(BaseModel):
    reference: str
    representative_surname: str
    representative_given_names: str
    paid: bool
    members: list[ApplicationOut]

    @classmethod
    def of(cls, view: GroupView, locale: str) -> GroupOut:
        return cls(
            reference=view.reference,
            representative_surname=view.representative_surname,
            representative_given_names=view.representative_given_names,
            paid=view.paid,
            members=[ApplicationOut.of(m, locale) for m in view.members],
        )


class UpdatedOut(BaseModel):
    reference: str
    status: str
    changed: list[str]
