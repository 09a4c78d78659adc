"""Personal data in and out of its encrypted blob, and the blind-index keys used to find it.

The blob is plain JSON inside AES-GCM (see keta.adapters.crypto). Blind indexes are computed on
normalized values so "u 1234567" and "U1234567" find the same passport.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from cryptography.exceptions import InvalidTag

from keta.adapters.crypto import Keyring
from keta.domain.applicant import Applicant, Background, Employment, Passport, Purpose, Travel
from keta.domain.documents import country_code, normalize_document_number
from keta.domain.eligibility import PassportType


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


def _name_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.split())


def passport_key(keyring: Keyring, nationality: str, number: str) -> str:
    return keyring.blind_index("passport", nationality.upper(), normalize_document_number(number))


def person_key(keyring: Keyring, passport: Passport) -> str:
    """Same person across passports: re-application caps count people, not documents."""
    return keyring.blind_index(
        "person",
        passport.nationality,
        passport.birth_date.isoformat(),
        _name_key(passport.surname),
        _name_key(passport.given_names),
    )


def document_key(keyring: Keyring, issuing_country: str, number: str) -> str:
    """A travel document as a carrier names it (issuing state + number), for the carrier check."""
    return keyring.blind_index("document", country_code(issuing_country), normalize_document_number(number))


def birth_key(keyring: Keyring, document: str, birth_date: date) -> str:
    """The birth date bound to one document's key: comparable for that document only."""
    return keyring.blind_index("birth", document, birth_date.isoformat())


def carrier_keys(keyring: Keyring, passport: Passport) -> tuple[str, str]:
    document = document_key(keyring, passport.issuing_country, passport.number)
    return document, birth_key(keyring, document, passport.birth_date)


class UnreadablePersonalData(RuntimeError):
    pass


def carrier_keys_from_blob(keyring: Keyring) -> Callable[[bytes], tuple[str, str]]:
    """For the migration that adds the carrier keys to existing applications (it decrypts each once)."""

    def keys(blob: bytes) -> tuple[str, str]:
        try:
            passport = pii_to_applicant(keyring.decrypt(blob)).passport
        except InvalidTag:
            raise UnreadablePersonalData(
                "cannot decrypt an application: set KETA_DATA_KEY to the key its data was written with"
            ) from None
        return carrier_keys(keyring, passport)

    return keys


def email_key(keyring: Keyring, email: str) -> str:
    return keyring.blind_index("email", email.strip().casefold())
