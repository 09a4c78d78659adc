"""N valid authorizations for the re-screening benchmark, bulk-inserted with their personal data encrypted.

Travellers are drawn from the same Faker name pools as the synthetic watchlist (`keta.bench.synthetic`):
19 locales, so Turkish, German or Spanish names keep their letters (Ş, Ö, Ñ) as a passport page shows
them, and Russian, Arabic, Korean or Chinese names come romanized, upper case, as in an MRZ. A known
share of them are *planted*: listed persons applying under their romanized name and listed birth date,
the authorizations a re-screening should find. Another share have their passport on the lost/stolen
list. Rows go in with one multi-row INSERT per chunk, each with its AES-GCM blob and blind indexes,
exactly as the submission service stores them (`keta.services.pii`).
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from keta.bench.synthetic import Pool, Synthetic, _latin
from keta.db.models import Application
from keta.db.session import session_scope
from keta.domain.applicant import Applicant, Background, Employment, Passport, Purpose, Travel
from keta.domain.dates import add_years
from keta.domain.reasons import Reason
from keta.domain.screening.model import Query
from keta.services import pii
from keta.services.documents import ReportedDocument, add_reported
from keta.services.runtime import Runtime
from keta.services.watchlist_screening import passport_query

CHUNK = 2000


@dataclass
class Population:
    queries: list[Query] = field(default_factory=list)  # what the engine alone screens (the baseline)
    planted: dict[str, str] = field(default_factory=dict)  # reference -> the listed entity it copies
    lost: set[str] = field(default_factory=set)  # references whose passport is on the lost/stolen list
    seconds: float = 0.0


def _is_latin(name: str) -> bool:
    return all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in name)


def _as_typed(pool: Pool, name: str) -> str:
    """A Latin-script name as printed (with its letters, upper case); any other script romanized."""
    return name.upper() if _is_latin(name) else _latin(pool, name)


def _traveller(data: Synthetic, rng: random.Random, index: int, entity: int | None, today: date) -> Applicant:
    if entity is not None:  # a listed person: their own names, romanized, and their listed birth date
        k, surname, given, sex = data.parts[entity]
        listed = data.entries[entity].birth_dates[0]
        born = date(listed.year, listed.month or rng.randint(1, 12), listed.day or rng.randint(1, 28))
    else:  # a stranger: a given name and a surname from the same locale, a random birth date
        k = rng.randrange(len(data.pools))
        female = rng.randrange(2)
        sex = "FM"[female]
        given, surname = rng.choice(data.pools[k].given[female]), rng.choice(data.pools[k].surnames[female])
        born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
    pool = data.pools[k]
    passport = Passport(
        number=f"B{index:08d}",
        issuing_country=pool.nationality,
        nationality=pool.nationality,
        surname=_as_typed(pool, surname),
        given_names=_as_typed(pool, given),
        sex=sex,
        birth_date=born,
        expiry_date=today + timedelta(days=rng.randint(800, 3600)),
    )
    travel = Travel(today + timedelta(days=rng.randint(1, 300)), Purpose.TOURISM, "110 Sejong-daero, Jung-gu, Seoul")
    return Applicant(passport, f"traveller{index}@example.org", "+82 2 0000 0000", travel,
                     Background(Employment.EMPLOYED, occupation="Engineer"), True)  # fmt: skip


def _row(rt: Runtime, applicant: Applicant, reference: str, now: datetime, approved_on: date) -> dict[str, Any]:
    pp = applicant.passport
    return {
        "id": uuid.uuid4(),
        "reference": reference,
        "policy_code": rt.policy.code,
        "status": "approved",
        "version": 1,
        "nationality": pp.nationality,
        "passport_key": pii.passport_key(rt.keyring, pp.nationality, pp.number),
        "person_key": pii.person_key(rt.keyring, pp),
        **dict(zip(("document_key", "birth_key"), pii.carrier_keys(rt.keyring, pp), strict=True)),
        "pii": rt.keyring.encrypt(pii.applicant_to_pii(applicant)),
        "language": "en",
        "submitted_at": now,
        "applied_on": approved_on,
        "arrival_date": applicant.travel.arrival_date,
        "eligibility_outcome": "required",
        "eligibility_reasons": [Reason.AUTHORIZATION_REQUIRED.value],
        "decision_reasons": [Reason.SCREENING_CLEAR.value],
        "decision_detail": {},
        "decided_at": now,
        "decided_on": approved_on,
        "valid_from": approved_on,
        "valid_until": add_years(approved_on, 3) - timedelta(days=1),
    }


def populate(
    factory: sessionmaker[Session],
    rt: Runtime,
    data: Synthetic,
    *,
    authorizations: int,
    planted_share: float,
    lost_share: float,
    seed: int,
) -> Population:
    rng = random.Random(seed)  # noqa: S311 (a benchmark, not security)
    planted_count = min(round(authorizations * planted_share), len(data.entries))
    planted_at = dict(
        zip(rng.sample(range(authorizations), planted_count), rng.sample(range(len(data.entries)), planted_count),
            strict=True)
    )  # fmt: skip
    lost_at = set(rng.sample(range(authorizations), round(authorizations * lost_share)))
    today, now = rt.today(), rt.now()
    population, reported = Population(), []
    for start in range(0, authorizations, CHUNK):
        rows = []
        for index in range(start, min(start + CHUNK, authorizations)):
            reference, entity = f"BENCH{index:09d}", planted_at.get(index)
            applicant = _traveller(data, rng, index, entity, today)
            rows.append(_row(rt, applicant, reference, now, today - timedelta(days=rng.randint(0, 700))))
            population.queries.append(passport_query(reference, applicant))
            if entity is not None:
                population.planted[reference] = data.entries[entity].entity_id
            if index in lost_at:
                population.lost.add(reference)
                reported.append(ReportedDocument(applicant.passport.number, applicant.passport.issuing_country))
        with session_scope(factory) as session:
            session.execute(insert(Application), rows)
    with session_scope(factory) as session:
        add_reported(session, reported, source="bench")
    return population
