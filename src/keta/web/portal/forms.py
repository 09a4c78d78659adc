"""HTML form fields ↔ the API's input models, and problems ↔ the inputs they belong to.

Inputs are named by the API's field paths ("passport.number", "travel.arrival_date", "mrz.0"), so
one name links a pydantic error, a domain `FieldProblem` and the input it is shown next to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from keta.domain.errors import FieldProblem
from keta.i18n import field_message
from keta.web.errors import problems_from_pydantic

_SECTIONS = ("passport", "mrz", "travel", "background")
_TOP_LEVEL = ("email", "phone", "consent")

# Every input of the portal's forms → the msgid of its label (for the problem summary); the
# individual form's inputs come first, in the page's order, and are named by their API path.
LABELS: dict[str, str] = {
    "passport.surname": "portal.form.surname",
    "passport.given_names": "portal.form.given_names",
    "passport.sex": "portal.form.sex",
    "passport.birth_date": "portal.form.birth_date",
    "passport.nationality": "portal.form.nationality",
    "passport.number": "portal.form.passport_number",
    "passport.issuing_country": "portal.form.issuing_country",
    "passport.expiry_date": "portal.form.expiry_date",
    "mrz": "portal.apply.mrz",
    "mrz.0": "portal.apply.mrz_line1",
    "mrz.1": "portal.apply.mrz_line2",
    "email": "portal.form.email",
    "phone": "portal.form.phone",
    "travel.arrival_date": "portal.form.arrival_date",
    "travel.purpose": "portal.form.purpose",
    "travel.address_in_korea": "portal.form.address_in_korea",
    "travel.flight_number": "portal.form.flight_number",
    "background.employment": "portal.form.employment",
    "background.occupation": "portal.form.occupation",
    "background.employer": "portal.form.employer",
    "background.previous_visits": "portal.form.previous_visits",
    "background.criminal_record": "portal.form.criminal_record",
    "background.criminal_record_details": "portal.form.criminal_record_details",
    "background.infectious_disease": "portal.form.infectious_disease",
    "background.other_nationalities.0": "portal.form.other_nationality",
    "background.other_nationalities.1": "portal.form.other_nationality_second",
    "background.agency_helped": "portal.form.agency_helped",
    "background.travel_agency": "portal.form.travel_agency",
    "consent": "portal.form.consent_short",
    "photo": "portal.apply.photo",
    "passport_page": "portal.apply.passport_page",
    # eligibility and status pages
    "nationality": "portal.eligibility.nationality",
    "nationality_other": "portal.eligibility.nationality_other",
    "birth_date": "portal.form.birth_date",
    "arrival_date": "portal.form.arrival_date",
    "reference": "portal.status.reference",
    "passport_number": "portal.form.passport_number",
    # the group page and the group status look-up
    "representative.surname": "portal.form.surname",
    "representative.given_names": "portal.form.given_names",
    "representative.email": "portal.form.email",
    "representative.phone": "portal.form.phone",
    "members": "portal.group.members_label",
    "members_csv": "portal.group.csv_file",
    "group_reference": "portal.group.reference",
    "representative_email": "portal.group.representative_email",
    # the status page's answer and redress forms
    "answer": "portal.status.answer",
    "reasons": "portal.status.redress_reasons",
    "document.1": "portal.status.document_1",
    "document.2": "portal.status.document_2",
    "document.3": "portal.status.document_3",
}
APPLICATION_FIELDS = tuple(
    name for name in LABELS if name != "mrz" and (name.split(".")[0] in _SECTIONS or name in _TOP_LEVEL)
)
_INDEX = re.compile(r"\[(\d+)\]")
BOOLEAN_INPUTS = frozenset({"consent", "background.criminal_record", "background.infectious_disease"})
OTHER_NATIONALITIES = ("background.other_nationalities.0", "background.other_nationalities.1")
AGENCY_HELPED, AGENCY = "background.agency_helped", "background.travel_agency"
_RADIO = {"true": True, "false": False}
M = TypeVar("M", bound=BaseModel)


def input_id(path: str) -> str:
    """A path as an HTML id: "passport.number" → "f-passport-number"."""
    return "f-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def input_path(path: str) -> str:
    """A problem's path as an input name: "mrz[0]" → "mrz.0"; unknown paths are kept as they are."""
    return _INDEX.sub(r".\1", path)


@dataclass
class FormState:
    """What the traveller typed (to fill the form again) and the problems, by input name."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, locale: str, problems: Iterable[FieldProblem]) -> None:
        for problem in problems:
            name = input_path(problem.path)
            text = field_message(locale, problem.code, **dict(problem.params))
            shown = self.errors.get(name)
            if shown is None:
                self.errors[name] = text
            elif text not in shown:  # e.g. two check digits of the MRZ: both are said
                self.errors[name] = f"{shown} {text}"

    def add_validation(self, locale: str, error: ValidationError) -> None:
        self.add(locale, problems_from_pydantic([dict(detail) for detail in error.errors()]))


def values_of(form: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    return {name: str(form.get(name) or "").strip() for name in names}


def application_body(values: Mapping[str, str], language: str) -> dict[str, Any]:
    """The API's JSON body from the form: empty inputs are left out (a required one is then
    reported as required, an optional one takes its default)."""
    # Every section is present, so a missing input is reported as itself, not as a missing section.
    body: dict[str, Any] = {"language": language, "passport": {}, "travel": {}, "background": {}}
    for name, value in values.items():
        if not value or name.startswith("mrz.") or name in OTHER_NATIONALITIES or name == AGENCY_HELPED:
            continue
        if name == AGENCY and values.get(AGENCY_HELPED) != "true":
            continue  # typed, then "no agency" chosen: the answer is the radio's
        target = body
        *parents, leaf = name.split(".")
        for parent in parents:
            target = target.setdefault(parent, {})
        # The radio buttons' "true"/"false" become JSON booleans; anything else stays a string,
        # which the schema's strict booleans refuse.
        target[leaf] = _RADIO.get(value, value) if name in BOOLEAN_INPUTS else value
    others = [values[name] for name in OTHER_NATIONALITIES if values.get(name)]
    if others:
        body["background"]["other_nationalities"] = others
    if values.get("mrz.0") or values.get("mrz.1"):
        body["mrz"] = [values.get("mrz.0", ""), values.get("mrz.1", "")]
    if "consent" not in body:
        body["consent"] = False  # an unticked box is a "no", which the domain reports as must_be_true
    return body


def agency_problems(values: Mapping[str, str]) -> list[FieldProblem]:
    """The portal's two agency questions: answered, and a name when an agency helped (the API takes
    the name alone, absent when none helped)."""
    helped = values.get(AGENCY_HELPED, "")
    if helped not in ("true", "false"):
        return [FieldProblem(AGENCY_HELPED, "required")]
    if helped == "true" and not values.get(AGENCY):
        return [FieldProblem(AGENCY, "details_required")]
    return []


def validate(model: type[M], body: Mapping[str, Any], state: FormState, locale: str) -> M | None:
    try:
        return model.model_validate(body)
    except ValidationError as error:
        state.add_validation(locale, error)
        return None
