"""What a traveller must know before paying, and what the consent covers — every number from the
policy in force (fee, card fee, refund rule, validity, advised lead time, visa-free stay, retention),
never written into a template, so another policy file or a new version of a rule changes the page.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from keta.domain.policy import Policy
from keta.i18n import gettext
from keta.web.countries import country_name
from keta.web.portal.rendering import money

FALLBACK_LEAD_HOURS = 72


def _percent(value: Decimal, locale: str) -> str:
    return format_decimal(value, locale=locale.replace("-", "_"))


def payment_facts(policy: Policy, *, applied_on: date, nationalities: list[str], locale: str) -> list[str]:
    """The facts shown above the "Pay" button, one sentence each."""
    lines: list[str] = []
    fee = policy.fee.on(applied_on)
    if fee is not None:
        lines.append(
            gettext(
                locale,
                "portal.facts.fee",
                amount=money(fee.amount, fee.currency, locale),
                percent=_percent(fee.card_fee_percent, locale),
                total=money(fee.total_per_person(), fee.currency, locale),
            )
        )
        if not fee.refundable:
            lines.append(gettext(locale, "portal.facts.not_refunded"))
    validity = policy.validity.on(applied_on)
    if validity is not None and validity.capped_by_passport_expiry:  # both policies shipped cap it
        lines.append(gettext(locale, "portal.facts.validity", years=validity.years))
    hours = policy.advised_lead_time_hours.on(applied_on) or FALLBACK_LEAD_HOURS
    lines.append(gettext(locale, "portal.facts.lead_time", hours=hours))
    for nationality in sorted(set(nationalities)):
        days = policy.visa_free_stay_days(nationality, applied_on)
        if days is not None:
            country = country_name(nationality, locale)
            lines.append(gettext(locale, "portal.facts.stay", country=country, days=days))
    lines.append(gettext(locale, "portal.facts.no_guarantee"))
    return lines


def privacy_facts(policy: Policy, *, today: date, locale: str) -> list[str]:
    """The consent step's notice: what is collected, who controls it, why, and how long it is kept."""
    lines = [
        gettext(locale, "portal.privacy.what"),
        gettext(locale, "portal.privacy.who", scheme=policy.name),
        gettext(locale, "portal.privacy.why"),
    ]
    rule = policy.retention_rule(today)
    if rule is not None:  # a policy without a limit keeps nothing from being purged, and says nothing
        lines.append(
            gettext(
                locale,
                "portal.privacy.kept",
                days=rule.after_validity_days,
                years=rule.after_refusal_years,
                months=rule.unfinished_months,
            )
        )
    return lines


def processing_hours(policy: Policy, today: date) -> int:
    """The longest an officer's check is meant to take (the review rule's decision deadline)."""
    rules = policy.review.on(today)
    return rules.decision_hours if rules is not None else FALLBACK_LEAD_HOURS
