"""Reason codes: the only user-facing vocabulary the domain speaks.

Each code is a stable string. Web pages, e-mails, the API and the CLI render it in the reader's
language; logs and the audit trail store it as-is. Never rename a code: add a new one.
"""

from __future__ import annotations

from enum import StrEnum

# Age reasons carry their bound in the code (see `age_at_or_under`), so they are not members.


class Reason(StrEnum):
    # eligibility
    SCHEME_NOT_IN_FORCE = "scheme_not_in_force"
    VISA_FREE_NATIONAL = "visa_free_national"
    NOT_VISA_FREE = "not_visa_free"
    KOREAN_NATIONAL = "korean_national"
    HOME_NATIONAL = "home_national"
    TEMPORARY_EXEMPTION = "temporary_exemption"
    DIPLOMATIC_OR_OFFICIAL_PASSPORT = "diplomatic_or_official_passport"
    AUTHORIZATION_REQUIRED = "authorization_required"
    VOLUNTARY_APPLICATION_ALLOWED = "voluntary_application_allowed"
    # screening and decisions
    DOCUMENT_REPORTED_LOST_OR_STOLEN = "document_reported_lost_or_stolen"
    PASSPORT_EXPIRES_BEFORE_ARRIVAL = "passport_expires_before_arrival"
    SCREENING_CLEAR = "screening_clear"
    WATCHLIST_POSSIBLE_MATCH = "watchlist_possible_match"
    DECLARED_CRIMINAL_RECORD = "declared_criminal_record"
    DECLARED_INFECTIOUS_DISEASE = "declared_infectious_disease"
    OFFICER_DECISION = "officer_decision"
    # re-application cap
    REAPPLICATION_CAP_REACHED = "reapplication_cap_reached"


def age_at_or_under(limit: int) -> str:
    """`age_17_or_under` for K-ETA; the number comes from the policy, so other schemes get their own."""
    return f"age_{limit}_or_under"


def age_at_or_over(limit: int) -> str:
    return f"age_{limit}_or_over"
