"""A look-up as the page and the API show it: the answer's texts in the officer's language."""

from __future__ import annotations

from typing import Any

from keta.i18n import reason_message
from keta.services.border import Lookup


def reasons(locale: str, lookup: Lookup) -> list[str]:
    """Why no authorization is needed (or possible): the exemption's reason codes as sentences."""
    return [reason_message(locale, code) for code in lookup.answer.exemptions]


def facts_known(lookup: Lookup) -> bool:
    """Whether nationality and birth date were known, so exemptions could be judged at all."""
    return (lookup.who.nationality is not None and lookup.who.birth_date is not None) or lookup.shown is not None


def json_answer(lookup: Lookup, locale: str) -> dict[str, Any]:
    answer = lookup.answer
    out: dict[str, Any] = {
        "status": answer.status.value,
        "arrival_date": lookup.arrival.isoformat(),
        "arrival_card": answer.arrival_card.value,
        "exemptions": [{"code": code, "message": reason_message(locale, code)} for code in answer.exemptions],
        "mismatch": answer.mismatch,
        "exemptions_checked": facts_known(lookup),
        "authorization": None,
    }
    if lookup.shown is not None:
        shown = lookup.shown
        out["authorization"] = {
            "reference": shown.reference,
            "status": shown.status,
            "valid_from": shown.valid_from.isoformat() if shown.valid_from else None,
            "valid_until": shown.valid_until.isoformat() if shown.valid_until else None,
            "surname": shown.surname,
            "given_names": shown.given_names,
            "nationality": shown.nationality,
            "birth_date": shown.birth_date.isoformat(),
            "photo_jpeg": shown.photo_jpeg,
        }
    return out
