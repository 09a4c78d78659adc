"""Which of many namesakes to score first: the listed birth dates as arrays, ranked against the applicant's.

A common name in a large list reaches hundreds or thousands of entries; the engine scores only the few that
agree best on the birth date, so the date must order them before any is scored — with numpy over every
reached entry, not only the first few hundred in list order (the listed person may be anywhere among
them). The ranking mirrors `domain.screening.birth_dates` coarsely: a complete listed date that agrees up to
a list error (year ±1 with the same day and month, day and month swapped) first, then a listed year within one
of the applicant's (or no date at all), then within three, then the rest — entries whose every listed date is
another person's, which the engine need not score at all unless something could outweigh the dates.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from keta.domain.screening.birth_dates import YEAR_ONLY_TOLERANCE
from keta.domain.screening.model import PartialDate

NO_YEAR = 32_000  # "no birth year listed"
FAR = 0  # every listed year is more than YEAR_ONLY_TOLERANCE away: birth_dates calls that another person
COMPLETE_DATES = 2  # complete listed dates kept per entry for ranking (lists rarely give more)


class DateColumns:
    """Per entry: earliest and latest listed year, and up to two complete dates as (year, month·100 + day)."""

    def __init__(self) -> None:
        self._low, self._high = array("h"), array("h")
        self._years = [array("h") for _ in range(COMPLETE_DATES)]
        self._days = [array("h") for _ in range(COMPLETE_DATES)]
        self.low: NDArray[np.int16] = np.zeros(0, dtype=np.int16)
        self.high: NDArray[np.int16] = np.zeros(0, dtype=np.int16)
        self.years: list[NDArray[np.int16]] = []
        self.days: list[NDArray[np.int16]] = []

    def append(self, dates: Sequence[PartialDate]) -> None:
        years = [d.year for d in dates]
        self._low.append(min(years, default=NO_YEAR))
        self._high.append(max(years, default=-NO_YEAR))
        complete = [d for d in dates if d.month is not None and d.day is not None][:COMPLETE_DATES]
        for k in range(COMPLETE_DATES):
            if k < len(complete):
                self._years[k].append(complete[k].year)
                self._days[k].append(complete[k].month * 100 + complete[k].day)  # type: ignore[operator]
            else:
                self._years[k].append(NO_YEAR)
                self._days[k].append(0)

    def freeze(self) -> None:
        self.low = np.frombuffer(self._low, dtype=np.int16)
        self.high = np.frombuffer(self._high, dtype=np.int16)
        self.years = [np.frombuffer(a, dtype=np.int16) for a in self._years]
        self.days = [np.frombuffer(a, dtype=np.int16) for a in self._days]

    def closeness(self, positions: NDArray[np.int32], born: PartialDate) -> NDArray[np.int8]:
        """3: a complete listed date within a list error; 2: a listed year within 1, or no date listed (nothing
        contradicts); 1: within `YEAR_ONLY_TOLERANCE`; 0 (`FAR`): every listed date is another person's."""
        low, high = self.low[positions], self.high[positions]
        tolerance = YEAR_ONLY_TOLERANCE
        rank = np.where((low - tolerance <= born.year) & (born.year <= high + tolerance), 1, FAR).astype(np.int8)
        rank[((low - 1 <= born.year) & (born.year <= high + 1)) | (low == NO_YEAR)] = 2
        if born.month is not None and born.day is not None:
            same, swapped = born.month * 100 + born.day, born.day * 100 + born.month
            for years, days in zip(self.years, self.days, strict=True):
                year, day = years[positions], days[positions]
                near = (np.abs(year.astype(np.int32) - born.year) <= 1) & (day == same)
                rank[near | ((year == born.year) & (day == swapped))] = 3
        return rank
