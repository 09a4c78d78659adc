"""Personal data in and out of its encrypted blob, and the blind-index keys used to find it.

The blob is plain JSON inside AES-GCM (see keta.adapters.crypto). Blind indexes are computed on
normalized values so "u 1234567" and "U1234567" find the same passport, and "Vymyslоv" (with a
Cyrillic о) the same person as "VYMYSLOV".

An application's blob and its blind indexes are always written together, under the same key
(`seal_application`): a key rotation then only has to find blobs under an old key id to know which
indexes to rebuild. Look-ups compare against the indexes under every key the keyring holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from cryptography.exceptions import InvalidTag

from keta.adapters.crypto import Keyring, UnknownKeyId
from keta.db.models import Application
from keta.domain.applicant import Applicant, Background, Employment, Passport, Purpose, Travel
from keta.domain.documents import country_code, normalize_document_number
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
    return keyring.blind_index(*_person_parts(passport))


def _person_parts(passport: Passport) -> tuple[str, ...]:
    return (
        "person",
        passport.nationality.upper(),
        passport.birth_date.isoformat(),
        identity_spelling(passport.surname),
        identity_spelling(passport.given_names),
    )


def document_key(keyring: Keyring, issuing_country: str, number: str) -> str:
    """A travel document as a carrier names it (issuing state + number), for the carrier check."""
    return keyring.blind_index("document", country_code(issuing_country), normalize_document_number(number))


def birth_key(keyring: Keyring, document: str, birth_date: date) -> str:
    """The birth date bound to one document's key: comparable for that document only."""
    return keyring.blind_index("birth", document, birth_date.isoformat())


def document_keys(keyring: Keyring, issuing_country: str, number: str) -> tuple[str, ...]:
    """`document_key` under every key the keyring holds, current first (a look-up during a rotation)."""
    return keyring.blind_indexes("document", country_code(issuing_country), normalize_document_number(number))


def birth_keys(keyring: Keyring, documents: tuple[str, ...], birth_date: date) -> tuple[str, ...]:
    """`birth_key` under each key, each bound to that key's document key (same order as `document_keys`)."""
    day = birth_date.isoformat()
    return tuple(
        key.index(f"birth\x1f{doc}\x1f{day}".encode()) for key, doc in zip(keyring.keys, documents, strict=True)
    )


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
        except (InvalidTag, UnknownKeyId):
            raise UnreadablePersonalData(
                "cannot decrypt an application: set KETA_DATA_KEY to the key its data was written with"
            ) from None
        return carrier_keys(keyring, passport)

    return keys


def email_key(keyring: Keyring, email: str) -> str:
    return keyring.blind_index("email", email.strip().casefold())


def passport_keys(keyring: Keyring, nationality: str, number: str) -> tuple[str, ...]:
    return keyring.blind_indexes("passport", nationality.upper(), normalize_document_number(number))


def person_keys(keyring: Keyring, passport: Passport) -> tuple[str, ...]:
    return keyring.blind_indexes(*_person_parts(passport))


def email_keys(keyring: Keyring, email: str) -> tuple[str, ...]:
    return keyring.blind_indexes("email", email.strip().casefold())


def application_indexes(keyring: Keyring, data: dict[str, Any]) -> dict[str, str]:
    """The blind-index columns of an application, from its decrypted personal data."""
    passport = pii_to_applicant(data).passport
    document, birth = carrier_keys(keyring, passport)
    return {
        "passport_key": passport_key(keyring, passport.nationality, passport.number),
        "person_key": person_key(keyring, passport),
        "document_key": document,
        "birth_key": birth,
    }


def group_indexes(keyring: Keyring, data: dict[str, Any]) -> dict[str, str]:
    return {"email_key": email_key(keyring, str(data["email"]))}


def seal_application(keyring: Keyring, application: Application, data: dict[str, Any]) -> None:
    """Encrypt the personal data and rebuild the blind indexes with the same (current) key."""
    application.pii = keyring.encrypt(data)
    for column, value in application_indexes(keyring, data).items():
        setattr(application, column, value)
