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
