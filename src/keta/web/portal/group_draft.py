"""A group being put together: the members added so far, sealed into the page, and their checks.

Nothing is stored before the representative submits: the member list travels with the form as one
AES-GCM token (the data key; base64url), so an abandoned group leaves no personal data behind and
no hidden input shows a member's answers in clear. Each member is checked like an individual
application every time the page is shown, so a problem stays next to its member until corrected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from keta.domain.eligibility import Outcome, TravellerFacts, evaluate
from keta.i18n import gettext, reason_message
from keta.services.runtime import Runtime
from keta.web.portal.apply import checked_application
from keta.web.portal.forms import APPLICATION_FIELDS, LABELS, FormState
from keta.web.portal.sealed import open_token, seal_token

# The individual form's inputs but the MRZ lines and the consent (the representative consents once).
MEMBER_FIELDS = tuple(name for name in APPLICATION_FIELDS if not name.startswith("mrz.") and name != "consent")
CONTACT = ("email", "phone")
# Only for checking a member added before the representative's own contact is typed: the real
# contact replaces these at submission, where the representative's inputs are required.
_STAND_IN = {"email": "representative@example.org", "phone": "+10000000000"}


@dataclass
class Member:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return " ".join(
            part for part in (self.values.get("passport.surname"), self.values.get("passport.given_names")) if part
        )


def seal(rt: Runtime, members: list[dict[str, str]]) -> str:
    return seal_token(rt, {"members": members}) if members else ""


def open_draft(rt: Runtime, token: str) -> list[dict[str, str]]:
    """The members in a token this server sealed; none when it is empty, foreign or tampered."""
    members = (open_token(rt, token) or {}).get("members")
    if not isinstance(members, list):
        return []
    return [{name: str(member.get(name, "")) for name in MEMBER_FIELDS} for member in members]


def with_contact(values: dict[str, str], contact: dict[str, str]) -> dict[str, str]:
    """A member's answers as an application: an empty e-mail or phone is the representative's, and
    the representative's consent covers the member."""
    filled = {name: values.get(name) or contact.get(name) or _STAND_IN[name] for name in CONTACT}
    return {**values, **filled, "consent": "true"}


def check_member(rt: Runtime, values: dict[str, str], contact: dict[str, str], locale: str) -> dict[str, str]:
    """The member's problems by input name (empty when the member could be submitted as is)."""
    state = FormState(with_contact(values, contact))
    checked_application(rt, state, locale)
    return state.errors


def checked_members(rt: Runtime, drafts: list[dict[str, str]], contact: dict[str, str], locale: str) -> list[Member]:
    return [Member(values, check_member(rt, values, contact, locale)) for values in drafts]


def exempt_note(rt: Runtime, member: Member, locale: str) -> str | None:
    """A member who needs no authorization for this trip (a 14-year-old, a national of a temporarily
    exempt country), flagged before the representative submits and pays for them."""
    values = member.values
    try:
        facts = TravellerFacts(
            values.get("passport.nationality", "").upper(),
            date.fromisoformat(values.get("passport.birth_date", "")),
            date.fromisoformat(values.get("travel.arrival_date", "")),
        )
    except ValueError:  # a date still to correct: its problem is said instead
        return None
    decision = evaluate(facts, rt.policy)
    if decision.outcome is not Outcome.EXEMPT:
        return None
    reasons = " ".join(reason_message(locale, code) for code in decision.reasons)
    return gettext(locale, "portal.group.member_exempt", name=member.name, reasons=reasons)


def member_problem_lines(member: Member, locale: str) -> list[str]:
    """ "Passport number: This value is not in the expected format." for each problem of a member."""
    return [
        f"{gettext(locale, LABELS[name])}: {text}" if name in LABELS else text for name, text in member.errors.items()
    ]
