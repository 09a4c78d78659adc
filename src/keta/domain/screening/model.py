"""The values screening works on: watchlist entries, queries (applicants), partial dates, matches."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class ScreeningOutcome(StrEnum):
    CLEAR = "clear"
    REVIEW = "review"
    HIT = "hit"


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day — watchlists often know only `1980`."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """`1980`, `1980-05` or `1980-05-01`; raises ValueError naming what is wrong."""
        match = _PARTIAL.match(text.strip())
        if not match:
            raise ValueError(f"not a date of the form YYYY, YYYY-MM or YYYY-MM-DD: {text!r}")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"month out of range: {text!r}")
        if month is not None and day is not None:
            date(year, month, day)  # raises ValueError for 30 February and friends
        if not 1800 <= year <= 2200:
            raise ValueError(f"year out of range: {text!r}")
        return cls(year, month, day)

    @classmethod
    def of(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    entity_id: str
    names: tuple[str, ...]  # the primary name first, then aliases; any script
    birth_dates: tuple[PartialDate, ...] = ()
    nationalities: tuple[str, ...] = ()  # ICAO/ISO alpha-3, upper case (imports convert FtM's alpha-2)
    gender: str | None = None  # "M" | "F" | None
    passport_numbers: tuple[str, ...] = ()
    list_name: str = ""
    datasets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    """An applicant as screening sees them — names as typed from the passport page."""

    id: str
    surname: str
    given_names: str = ""
    birth_date: PartialDate | None = None
    nationality: str | None = None  # alpha-3
    sex: str | None = None  # "M" | "F" | "X"
    passport_number: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    entity_id: str
    score: float
    reasons: tuple[str, ...]
    name_score: float = 0.0
    matched_name: str = ""
    detail: dict[str, float] = field(default_factory=dict)
