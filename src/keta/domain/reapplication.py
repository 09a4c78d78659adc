"""The re-application cap: too many applications in a short window means waiting.

K-ETA (from 2022-07-12): whoever applied 3 or more times within 6 months may apply again only
6 months after the *first* of those results was notified — unless the new application only
corrects personal data (passport number, name, birth date, sex, nationality, photo).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from keta.domain.dates import add_months
from keta.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class PriorApplication:
    applied_on: date
    result_on: date | None  # None while undecided


def blocked_until(
    *, prior: Sequence[PriorApplication], applying_on: date, corrects_personal_data: bool, policy: Policy
) -> date | None:
    """The first day a new application is allowed, or None when it is allowed now."""
    cap = policy.reapplication_cap.on(applying_on)
    if cap is None or corrects_personal_data:
        return None
    window_start = add_months(applying_on, -cap.window_months)
    recent = [a for a in prior if window_start <= a.applied_on <= applying_on]
    if len(recent) < cap.max_applications:
        return None
    results = sorted(a.result_on for a in recent if a.result_on is not None)
    # Without any result yet the wait cannot start; count from the earliest application instead,
    # so that filing many applications at once is no way round the cap.
    first = results[0] if results else min(a.applied_on for a in recent)
    until = add_months(first, cap.wait_months)
    return until if until > applying_on else None
