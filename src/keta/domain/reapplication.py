"""The re-application cap: too many applications in a short window means waiting.

K-ETA (from 2022-07-12): whoever applied 3 or more times within 6 months may apply again only
6 months after the *first* of those results was notified — unless the new application only
corrects personal data (passport number, name, birth date, sex, nationality, photo).

"Corrects" is checked, not taken on trust: the exception applies only when the new application's
personal data differs from that of every application of the same person in the cap's window, so
sending the same data again with the box ticked is one more application like any other.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from keta.domain.applicant import Passport
from keta.domain.dates import add_months
from keta.domain.documents import normalize_document_number
from keta.domain.policy import Policy

PersonalData = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PriorApplication:
    applied_on: date
    result_on: date | None  # None while undecided
    personal_data: PersonalData | None = None  # `personal_data()` of what it declared; None if unknown


def personal_data(passport: Passport) -> PersonalData:
    """The passport page as a correction would change it. Differences that change nothing printed —
    letter case, spacing, Unicode composition, the spacing inside a document number — are not
    corrections; a diacritic is (MULLER → MÜLLER is what the passport says)."""

    def text(value: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", value).casefold().split())

    return (
        normalize_document_number(passport.number),
        passport.issuing_country.upper(),
        passport.nationality.upper(),
        text(passport.surname),
        text(passport.given_names),
        passport.sex.upper(),
        passport.birth_date.isoformat(),
        passport.expiry_date.isoformat(),
        passport.type.value,
    )


def blocked_until(
    *,
    prior: Sequence[PriorApplication],
    applying_on: date,
    corrects_personal_data: bool,
    policy: Policy,
    personal: PersonalData | None = None,
) -> date | None:
    """The first day a new application is allowed, or None when it is allowed now. `personal` is the
    new application's `personal_data()`: a claimed correction without it proves nothing."""
    cap = policy.reapplication_cap.on(applying_on)
    if cap is None:
        return None
    if corrects_personal_data and personal is not None:
        window_start = add_months(applying_on, -cap.window_months)
        recent = [a for a in prior if window_start <= a.applied_on <= applying_on]
        # An earlier application whose data is unknown cannot be shown to differ: it counts as the same.
        if all(a.personal_data is not None and a.personal_data != personal for a in recent):
            return None
    earlier = sorted((a for a in prior if a.applied_on <= applying_on), key=lambda a: a.applied_on)
    # Look at every burst of applications that fits in one window, oldest first — not only the
    # window ending today: late results must not let a burst slide out before its wait is over.
    for index, first_application in enumerate(earlier):
        window_end = add_months(first_application.applied_on, cap.window_months)
        burst = [a for a in earlier[index:] if a.applied_on <= window_end]
        if len(burst) < cap.max_applications:
            continue
        results = sorted(a.result_on for a in burst if a.result_on is not None)
        # Without any result yet the wait cannot start; count from the earliest application instead,
        # so that filing many applications at once is no way round the cap.
        until = add_months(results[0] if results else first_application.applied_on, cap.wait_months)
        if until > applying_on:
            return until
    return None
