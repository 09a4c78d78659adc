"""Read and validate a policy file (TOML) into a `keta.domain.policy.Policy`.

Validation is strict because a policy typo is a legal error: unknown keys are refused, every
error names its key path (`validity[1].years`), dates must be ISO, versions of a one-at-a-time rule
must not overlap, and country codes must be ICAO alpha-3.
"""

from __future__ import annotations

import hashlib
import tomllib
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from keta.domain import policy as p
from keta.domain.review import ReviewRules
from keta.domain.screening.scoring import WEIGHTS

BUILTIN_POLICIES = ("kr", "etias")
V = TypeVar("V")


class PolicyFileError(ValueError):
    """A policy file is missing, malformed or inconsistent; the message names the bad key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _alpha3(codes: list[str]) -> list[str]:
    for code in codes:
        if len(code) != 3 or not code.isascii() or not code.isalpha() or not code.isupper():
            raise ValueError(f"{code!r} is not an ICAO alpha-3 code (three capital letters)")
    return codes


class _Versioned(_Strict):
    from_: date | None = Field(default=None, alias="from")
    until: date | None = None
    note: str | None = None

    def period(self) -> p.Period:
        return p.Period(self.from_, self.until)


class _Value(_Versioned, Generic[V]):
    value: V


class _Header(_Strict):
    from_: date | None = Field(default=None, alias="from")
    until: date | None = None
    code: str
    name: str
    timezone: str
    currency: str
    home_nationalities: list[str]
    home_national_reason: str

    _codes = field_validator("home_nationalities")(_alpha3)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


class _VisaFree(_Versioned):
    countries: dict[str, int]

    @field_validator("countries")
    @classmethod
    def _codes(cls, value: dict[str, int]) -> dict[str, int]:
        _alpha3(list(value))
        return value


class _CountryList(_Versioned):
    countries: list[str]
    _codes = field_validator("countries")(_alpha3)


class _Flag(_Versioned):
    exempt: bool


class _Age(_Versioned):
    at_or_under: int | None = Field(default=None, ge=0, le=150)
    at_or_over: int | None = Field(default=None, ge=0, le=150)


class _Validity(_Versioned):
    years: int = Field(ge=1, le=20)
    capped_by_passport_expiry: bool = True


class _Fee(_Versioned):
    amount: Decimal = Field(ge=0)
    card_fee_percent: Decimal = Field(ge=0, le=100)
    refundable: bool
    waived_at_or_under: int | None = None
    waived_at_or_over: int | None = None


class _Cap(_Versioned):
    max_applications: int = Field(ge=1)
    window_months: int = Field(ge=1)
    wait_months: int = Field(ge=0)


_CODE = r"^[a-z][a-z0-9_]{1,47}$"  # a ground or question code, also a msgid suffix ("ground.security_risk")


class _Review(_Versioned):
    decision_hours: int = Field(ge=1, le=24 * 60)
    warn_hours: int = Field(ge=0, le=24 * 30)
    info_response_days: int = Field(ge=1, le=365)
    redress_days: int = Field(ge=1, le=3650)
    renewal_reminder_days: int = Field(ge=0, le=3650)
    refusal_grounds: list[Annotated[str, Field(pattern=_CODE)]] = Field(min_length=1)
    revocation_grounds: list[Annotated[str, Field(pattern=_CODE)]] = Field(min_length=1)
    annulment_grounds: list[Annotated[str, Field(pattern=_CODE)]] = Field(min_length=1)
    information_requests: list[Annotated[str, Field(pattern=_CODE)]] = Field(min_length=1)


class _Retention(_Versioned):
    after_validity_days: int = Field(ge=0, le=3650)
    after_refusal_years: int = Field(ge=0, le=50)
    unfinished_months: int = Field(ge=0, le=120)


class _ArrivalCard(_Versioned):
    for_authorization_holders: bool


class _Port(_Versioned):
    code: str = Field(pattern=r"^[A-Z]{3}$|^[A-Z]{5}$")  # IATA airport code or UN/LOCODE
    kind: str = Field(pattern=r"^(airport|seaport)$")
    name: str = Field(min_length=1, max_length=80)
    local_name: str = Field(min_length=1, max_length=80)


class _Screening(_Strict):
    review: float = Field(default=0.70, ge=0, le=1)
    hit: float = Field(default=0.90, ge=0, le=1)
    name: float = Field(default=0.80, ge=0, le=1)
    # Overrides of the declared evidence weights (keta.domain.screening.scoring.WEIGHTS), by row name.
    weights: dict[str, Annotated[float, Field(ge=-1, le=1)]] = {}

    @model_validator(mode="after")
    def _known_weights(self) -> _Screening:
        unknown = sorted(set(self.weights) - set(WEIGHTS))
        if unknown:
            raise ValueError(f"unknown screening weights: {', '.join(unknown)}")
        return self


_PHOTO = p.PhotoLimits()  # defaults for policy files without a [photo] section


class _Photo(_Strict):
    max_bytes: int = Field(default=_PHOTO.max_bytes, ge=1, le=20_000_000)
    min_width: int = Field(default=_PHOTO.min_width, ge=1)
    min_height: int = Field(default=_PHOTO.min_height, ge=1)
    # The ceiling keeps a policy typo from lifting the decompression-bomb guard (10000 x 10000 at most).
    max_width: int = Field(default=_PHOTO.max_width, ge=1, le=10_000)
    max_height: int = Field(default=_PHOTO.max_height, ge=1, le=10_000)

    @model_validator(mode="after")
    def _ordered(self) -> _Photo:
        if self.min_width > self.max_width or self.min_height > self.max_height:
            raise ValueError("minimum pixel size above the maximum")
        return self


class _PolicyFile(_Strict):
    policy: _Header
    visa_free: list[_VisaFree]
    temporary_exemption: list[_CountryList] = []
    official_passport_exemption: list[_Flag] = []
    age_exemption: list[_Age] = []
    validity: list[_Validity]
    fee: list[_Fee]
    max_group_size: list[_Value[int]]
    advised_lead_time_hours: list[_Value[int]] = []
    reapplication_cap: list[_Cap] = []
    languages: list[_Value[list[str]]]
    screening: _Screening = _Screening()
    photo: _Photo = _Photo()
    review: list[_Review] = []
    retention: list[_Retention] = []
    arrival_card_exemption: list[_ArrivalCard] = []
    port_of_entry: list[_Port] = []

    @model_validator(mode="after")
    def _distinct_ports(self) -> _PolicyFile:
        codes = [port.code for port in self.port_of_entry]
        doubled = sorted({code for code in codes if codes.count(code) > 1})
        if doubled:
            raise ValueError(f"port of entry listed twice: {', '.join(doubled)}")
        return self


def policy_checksum(name_or_path: str | Path) -> str:
    """SHA-256 of the policy file's text: the audit trail records which file was in force."""
    return hashlib.sha256(_policy_text(name_or_path)[0].encode()).hexdigest()


def _policy_text(name_or_path: str | Path) -> tuple[str, str]:
    path = Path(name_or_path)
    if str(name_or_path) in BUILTIN_POLICIES:
        return resources.files("keta.policies").joinpath(f"{name_or_path}.toml").read_text(
            "utf-8"
        ), f"{name_or_path}.toml"
    try:
        return path.read_text("utf-8"), path.name
    except OSError as exc:
        raise PolicyFileError(f"{path}: cannot read policy file ({exc.strerror})") from exc


def load_policy(name_or_path: str | Path) -> p.Policy:
    """Load a built-in policy by code (`kr`, `etias`) or any policy file by path."""
    text, label = _policy_text(name_or_path)
    return parse_policy(text, label=label)


def parse_policy(text: str, *, label: str = "policy") -> p.Policy:
    try:
        raw: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(f"{label}: not valid TOML ({exc})") from exc
    try:
        doc = _PolicyFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _key_path(first["loc"])
        raise PolicyFileError(f"{label}: bad key '{where}': {first['msg']}") from exc
    for key in type(doc).model_fields:
        versions = getattr(doc, key)
        if isinstance(versions, list):
            _refuse_reversed(label, key, versions)
    for key in (
        "official_passport_exemption",
        "age_exemption",
        "validity",
        "fee",
        "max_group_size",
        "advised_lead_time_hours",
        "reapplication_cap",
        "languages",
        "review",
        "retention",
        "arrival_card_exemption",
    ):
        _refuse_overlaps(label, key, getattr(doc, key))
    return _to_domain(doc)


def _key_path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _refuse_reversed(label: str, key: str, versions: list[_Versioned]) -> None:
    for i, version in enumerate(versions):
        if version.from_ and version.until and version.until < version.from_:
            raise PolicyFileError(f"{label}: bad key '{key}[{i}].until': before its 'from'")


def _refuse_overlaps(label: str, key: str, versions: list[_Versioned]) -> None:
    for i, version in enumerate(versions):
        for j in range(i):
            if version.period().overlaps(versions[j].period()):
                raise PolicyFileError(f"{label}: bad key '{key}[{i}]': overlaps {key}[{j}] ({versions[j].period()})")


def _timeline(items: list[tuple[p.Period, V]]) -> p.Timeline[V]:
    return p.Timeline(tuple(p.Dated(period, value) for period, value in items))


def _to_domain(doc: _PolicyFile) -> p.Policy:
    head = doc.policy
    return p.Policy(
        code=head.code,
        name=head.name,
        timezone=head.timezone,
        home_nationalities=frozenset(head.home_nationalities),
        home_national_reason=head.home_national_reason,
        visa_free=_timeline([(v.period(), dict(v.countries)) for v in doc.visa_free]),
        temporary_exemptions=_timeline([(v.period(), frozenset(v.countries)) for v in doc.temporary_exemption]),
        official_passport_exemption=_timeline([(v.period(), v.exempt) for v in doc.official_passport_exemption]),
        age_exemption=_timeline([(v.period(), p.AgeExemption(v.at_or_under, v.at_or_over)) for v in doc.age_exemption]),
        validity=_timeline([(v.period(), p.Validity(v.years, v.capped_by_passport_expiry)) for v in doc.validity]),
        fee=_timeline(
            [
                (
                    v.period(),
                    p.Fee(
                        v.amount,
                        head.currency,
                        v.card_fee_percent,
                        v.refundable,
                        v.waived_at_or_under,
                        v.waived_at_or_over,
                    ),
                )
                for v in doc.fee
            ]
        ),
        max_group_size=_timeline([(v.period(), v.value) for v in doc.max_group_size]),
        advised_lead_time_hours=_timeline([(v.period(), v.value) for v in doc.advised_lead_time_hours]),
        reapplication_cap=_timeline(
            [
                (v.period(), p.ReapplicationCap(v.max_applications, v.window_months, v.wait_months))
                for v in doc.reapplication_cap
            ]
        ),
        languages=_timeline([(v.period(), tuple(v.value)) for v in doc.languages]),
        in_force=p.Period(head.from_, head.until),
        screening_thresholds={"review": doc.screening.review, "hit": doc.screening.hit, "name": doc.screening.name},
        screening_weights=dict(doc.screening.weights),
        photo=p.PhotoLimits(**doc.photo.model_dump()),
        review=_timeline([(v.period(), _review_rules(v)) for v in doc.review]),
        retention=_timeline(
            [
                (v.period(), p.RetentionRule(v.after_validity_days, v.after_refusal_years, v.unfinished_months))
                for v in doc.retention
            ]
        ),
        arrival_card_exemption=_timeline(
            [(v.period(), v.for_authorization_holders) for v in doc.arrival_card_exemption]
        ),
        ports_of_entry=tuple(
            p.PortOfEntry(v.code, v.kind, v.name, v.local_name, v.period()) for v in doc.port_of_entry
        ),
    )


def _review_rules(v: _Review) -> ReviewRules:
    return ReviewRules(
        decision_hours=v.decision_hours,
        warn_hours=v.warn_hours,
        info_response_days=v.info_response_days,
        redress_days=v.redress_days,
        renewal_reminder_days=v.renewal_reminder_days,
        refusal_grounds=tuple(v.refusal_grounds),
        revocation_grounds=tuple(v.revocation_grounds),
        annulment_grounds=tuple(v.annulment_grounds),
        information_requests=tuple(v.information_requests),
    )
