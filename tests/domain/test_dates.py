"""Calendar arithmetic the rules depend on: full age, adding years and months, exact to the day."""

from __future__ import annotations

from datetime import date

import pytest

from keta.domain.dates import add_months, add_years, full_age


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2020, 1, 1), date(2020, 1, 1), 0),  # the day of birth
        (date(2020, 1, 1), date(2020, 12, 31), 0),
        (date(2020, 12, 31), date(2021, 12, 30), 0),
        (date(2020, 12, 31), date(2021, 12, 31), 1),
        (date(2008, 6, 15), date(2026, 6, 14), 17),  # the day before the 18th birthday
        (date(2008, 6, 15), date(2026, 6, 15), 18),  # the 18th birthday itself
        (date(1961, 6, 15), date(2026, 6, 14), 64),
        (date(1961, 6, 15), date(2026, 6, 15), 65),
        (date(1990, 5, 17), date(2026, 11, 29), 36),
        # 29 February: the new age is reached on 1 March in non-leap years ...
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        # ... and on 29 February itself in leap years (only multiples of 4 land there: 18 and 65 never do).
        (date(2004, 2, 29), date(2024, 2, 28), 19),
        (date(2004, 2, 29), date(2024, 2, 29), 20),
        (date(2004, 2, 29), date(2024, 3, 1), 20),
        (date(1960, 2, 29), date(2025, 2, 28), 64),
        (date(1960, 2, 29), date(2025, 3, 1), 65),
        # Someone born on 1 March is not older on 29 February.
        (date(2008, 3, 1), date(2024, 2, 29), 15),
        (date(2008, 3, 1), date(2024, 3, 1), 16),
    ],
)
def test_full_age(birth: date, on: date, age: int) -> None:
    assert full_age(birth, on) == age


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (date(2023, 7, 3), 3, date(2026, 7, 3)),
        (date(2023, 7, 3), 0, date(2023, 7, 3)),
        (date(2024, 2, 28), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 0, date(2024, 2, 29)),
        (date(2024, 2, 29), 1, date(2025, 3, 1)),  # non-leap target: 1 March
        (date(2024, 2, 29), 2, date(2026, 3, 1)),
        (date(2024, 2, 29), 3, date(2027, 3, 1)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),  # leap target: stays 29 February
        (date(2000, 2, 29), 100, date(2100, 3, 1)),  # 2100 is not a leap year
        (date(2000, 2, 29), 400, date(2400, 2, 29)),
        (date(2024, 2, 29), -1, date(2023, 3, 1)),
        (date(2024, 2, 29), -4, date(2020, 2, 29)),
        (date(2024, 12, 31), 1, date(2025, 12, 31)),
    ],
)
def test_add_years(start: date, years: int, expected: date) -> None:
    assert add_years(start, years) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 15), 0, date(2025, 1, 15)),
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 1, 15), 6, date(2025, 7, 15)),
        # clamped to the last day of a shorter month
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 5, 30), 9, date(2026, 2, 28)),
        # clamping never lengthens: 28 February + 1 month is 28 March
        (date(2025, 2, 28), 1, date(2025, 3, 28)),
        # year wrap forwards
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 7, 10), 6, date(2026, 1, 10)),
        (date(2025, 1, 15), 12, date(2026, 1, 15)),
        (date(2025, 1, 15), 24, date(2027, 1, 15)),
        (date(2025, 1, 15), 25, date(2027, 2, 15)),
        # negative months, with year wrap backwards and clamping
        (date(2025, 7, 15), -6, date(2025, 1, 15)),
        (date(2025, 1, 15), -1, date(2024, 12, 15)),
        (date(2025, 1, 10), -13, date(2023, 12, 10)),
        (date(2025, 5, 31), -12, date(2024, 5, 31)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2025, 8, 31), -6, date(2025, 2, 28)),
        (date(2025, 1, 31), -25, date(2022, 12, 31)),
        (date(2025, 12, 31), -12, date(2024, 12, 31)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize("start", [date(2025, 1, 15), date(2024, 12, 15), date(2023, 6, 28)])
@pytest.mark.parametrize("months", [1, 6, 11, 12, 13, 30])
def test_add_months_round_trips_when_no_clamping(start: date, months: int) -> None:
    assert add_months(add_months(start, months), -months) == start
