"""Personal data in and out of its encrypted blob, and the blind-index keys used to find it.

The blob is plain JSON inside AES-GCM (see keta.adapters.crypto). Blind indexes are computed on
normalized values so "u 1234567" and "U1234567" find the same passport, and "Vymyslоv" (with a
Cyrillic о) the same person as "VYMYSLOV".
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from keta.adapters.crypto import Keyring
from keta.domain.applicant import Applicant, Background, Employment, Passport, Purpose, Travel
from keta.domain.documents import normalize_document_number
from keta.domain.eligibility import PassportType
from keta.domain.screening.confusables import identity_spelling


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def applicant_to_pii(applicant: Applicant) -> dict[str, Any]:
    return {
        "passport": {k: _iso(v) for k, v in asdict(applicant.passport).items()},
        "email": applicant.email,
        "phone": applicant.phone,
        "travel": {k: _iso(v) for k, v in asdict(applicant.travel).items()},
        "background": {
            **asdict(applicant.background),
            "other_nationalities": list(applicant.background.other_nationalities),
        },
        "mrz": list(applicant.mrz) if applicant.mrz else None,
    }


def pii_to_applicant(pii: dict[str, Any], *, consent: bool = True) -> Applicant:
    pp, tr, bg = pii["passport"], pii["travel"], pii["background"]
    passport = Passport(
        number=pp["number"],
        issuing_country=pp["issuing_country"],
        nationality=pp["nationality"],
        surname=pp["surname"],
        given_names=pp["given_names"],
        sex=pp["sex"],
        birth_date=date.fromisoformat(pp["birth_date"]),
        expiry_date=date.fromisoformat(pp["expiry_date"]),
        type=PassportType(pp["type"]),
    )
    travel = Travel(
        arrival_date=date.fromisoformat(tr["arrival_date"]),
        purpose=Purpose(tr["purpose"]),
        address_in_korea=tr["address_in_korea"],
        flight_number=tr.get("flight_number"),
    )
    background = Background(
        **{
            **bg,
            "employment": Employment(bg["employment"]),
            "other_nationalities": tuple(bg.get("other_nationalities", ())),
        }
    )
    mrz = tuple(pii["mrz"]) if pii.get("mrz") else None
    return Applicant(
        passport, pii["email"], pii["phone"], travel, background, consent, mrz=(mrz[0], mrz[1]) if mrz else None
    )


def passport_key(keyring: Keyring, nationality: str, number: str) -> str:
    return keyring.blind_index("passport", nationality.upper(), normalize_document_number(number))


def person_key(keyring: Keyring, passport: Passport) -> str:
    """Same person across passports: re-application caps count people, not documents. Names are read
    as a person reads them (`identity_spelling`): zero-width characters, look-alike letters of another
    alphabet, case and diacritics do not make someone a new person."""
    return keyring.blind_index(
        "person",
        passport.nationality.upper(),
        passport.birth_date.isoformat(),
        identity_spelling(passport.surname),
        identity_spelling(passport.given_names),
    )


def email_key(keyring: Keyring, email: str) -> str:
    return keyring.blind_index("email", email.strip().casefold())
