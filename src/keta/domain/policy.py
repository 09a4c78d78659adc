"""A country's ETA scheme as a value: every rule effective-dated, so any decision can be replayed.

A `Policy` is built from a policy file by `keta.adapters.policy_files` (which validates it); the
domain only reads it. Each rule is a `Timeline` of `Dated` values: `from`/`until` are inclusive
local dates in the scheme's own time zone (KST for K-ETA). Which date selects a rule is part of
the rule: entry rules (visa-free list, exemptions) look at the arrival date; application rules
(validity, fee, group size) look at the date the application was made.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, TypeVar

from keta.domain.review import ReviewRules

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Period:
    start: date | None = None
    end: date | None = None

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, other: Period) -> bool:
        starts_before_other_ends = self.start is None or other.end is None or self.start <= other.end
        ends_after_other_starts = self.end is None or other.start is None or other.start <= self.end
        return starts_before_other_ends and ends_after_other_starts

    def __str__(self) -> str:
        return f"{self.start or '…'}..{self.end or '…'}"


@dataclass(frozen=True, slots=True)
class Dated(Generic[T]):
    period: Period
    value: T


@dataclass(frozen=True, slots=True)
class Timeline(Generic[T]):
    """Versions of one rule. `exclusive` timelines must not overlap (one value in force at a time)."""

    entries: tuple[Dated[T], ...] = ()

    def in_force(self, day: date) -> Iterator[Dated[T]]:
        return (entry for entry in self.entries if entry.period.contains(day))

    def on(self, day: date) -> T | None:
        """The single version in force on `day`, or None when the rule does not apply then."""
        for entry in self.in_force(day):
            return entry.value
        return None

    def dated_on(self, day: date) -> Dated[T] | None:
        return next(self.in_force(day), None)


@dataclass(frozen=True, slots=True)
class AgeExemption:
    """Exempt when full age on the arrival date is <= at_or_under or >= at_or_over."""

    at_or_under: int | None
    at_or_over: int | None


@dataclass(frozen=True, slots=True)
class Validity:
    years: int
    capped_by_passport_expiry: bool = True


# ISO 4217 currencies without a minor unit (fees are whole amounts); the rest have cents.
ZERO_DECIMAL_CURRENCIES = frozenset({"KRW", "JPY", "VND", "CLP", "ISK", "PYG", "UGX", "XAF", "XOF", "KMF", "RWF"})


def minor_units(currency: str) -> int:
    return 0 if currency in ZERO_DECIMAL_CURRENCIES else 2


@dataclass(frozen=True, slots=True)
class Fee:
    amount: Decimal
    currency: str
    card_fee_percent: Decimal
    refundable: bool
    # ETIAS-style fee waivers by age on the application date; None = no waiver.
    waived_at_or_under: int | None = None
    waived_at_or_over: int | None = None

    def total_per_person(self) -> Decimal:
        card_fee = (self.amount * self.card_fee_percent / Decimal(100)).quantize(
            Decimal(1).scaleb(-minor_units(self.currency)), rounding=ROUND_HALF_UP
        )
        return self.amount + card_fee


@dataclass(frozen=True, slots=True)
class ReapplicationCap:
    max_applications: int
    window_months: int
    wait_months: int


@dataclass(frozen=True, slots=True)
class RetentionRule:
    """How long personal data is kept (keta.domain.retention applies it): after an authorization's
    last valid day; after a refusal, revocation or annulment; after a withdrawal or an unpaid submission."""

    after_validity_days: int
    after_refusal_years: int
    unfinished_months: int


@dataclass(frozen=True, slots=True)
class PhotoLimits:
    """What an applicant's face photo must fit: encoded size in bytes and pixel bounds (inclusive)."""

    max_bytes: int = 2_000_000
    min_width: int = 300
    min_height: int = 300
    max_width: int = 4000
    max_height: int = 4000


@dataclass(frozen=True, slots=True)
class PortOfEntry:
    """A place where the border records entries: `code` is its IATA code (airports) or UN/LOCODE (seaports)."""

    code: str
    kind: str  # airport | seaport
    name: str  # in English
    local_name: str  # in the scheme's own language, as officers read it
    period: Period = Period()


@dataclass(frozen=True, slots=True)
class Policy:
    code: str
    name: str
    timezone: str
    home_nationalities: frozenset[str]
    home_national_reason: str
    visa_free: Timeline[Mapping[str, int]]  # nationality -> permitted stay in days; versions may overlap
    temporary_exemptions: Timeline[frozenset[str]]  # versions may overlap: their union applies
    official_passport_exemption: Timeline[bool]
    age_exemption: Timeline[AgeExemption]
    validity: Timeline[Validity]
    fee: Timeline[Fee]
    max_group_size: Timeline[int]
    advised_lead_time_hours: Timeline[int]
    reapplication_cap: Timeline[ReapplicationCap]
    languages: Timeline[tuple[str, ...]]
    in_force: Period = Period()  # arrivals outside it need no authorization under this scheme
    screening_thresholds: Mapping[str, float] = field(default_factory=dict)
    screening_weights: Mapping[str, float] = field(default_factory=dict)  # overrides of scoring.WEIGHTS
    photo: PhotoLimits = PhotoLimits()
    review: Timeline[ReviewRules] = Timeline()  # chosen by the date a case is opened or decided
    retention: Timeline[RetentionRule] = Timeline()  # chosen by the day of the purge
    # Holders of a valid authorization need no arrival card, chosen by the arrival date.
    arrival_card_exemption: Timeline[bool] = Timeline()
    ports_of_entry: tuple[PortOfEntry, ...] = ()

    def retention_rule(self, day: date) -> RetentionRule | None:
        """None: the policy sets no limit that day, and nothing is purged."""
        return self.retention.on(day)

    def review_rules(self, day: date) -> ReviewRules:
        rules = self.review.on(day)
        if rules is None:
            raise ValueError(f"policy {self.code} has no review rule for {day}")
        return rules

    def ports_on(self, day: date) -> tuple[PortOfEntry, ...]:
        """The ports where an entry can be recorded on `day`, in the policy file's order."""
        return tuple(port for port in self.ports_of_entry if port.period.contains(day))

    def visa_free_stay_days(self, nationality: str, day: date) -> int | None:
        stays = [entry.value[nationality] for entry in self.visa_free.in_force(day) if nationality in entry.value]
        return max(stays) if stays else None

    def temporarily_exempt(self, nationality: str, day: date) -> Dated[frozenset[str]] | None:
        return next((e for e in self.temporary_exemptions.in_force(day) if nationality in e.value), None)
