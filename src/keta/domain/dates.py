"""Calendar arithmetic the rules depend on, exact to the day.

K-ETA counts full ("만") age on the arrival date. Someone born on 29 February reaches a new age on
1 March in non-leap years — the Korean civil-law reading, and the one our tests pin down.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_years(start: date, years: int) -> date:
    """Same month and day `years` later; 29 February becomes 1 March in a non-leap target year."""
    target = start.year + years
    if start.month == 2 and start.day == 29 and not calendar.isleap(target):
        return date(target, 3, 1)
    return start.replace(year=target)


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the month's last day (31 August + 6 months = 28/29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def full_age(birth: date, on: date) -> int:
    """Completed years of life on `on` (0 before the first birthday)."""
    years = on.year - birth.year
    return years if add_years(birth, years) <= on else years - 1
