"""The review page's rows: each answer under its label, as the traveller will read it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from keta.i18n import gettext
from keta.web.countries import country_name
from keta.web.portal.forms import APPLICATION_FIELDS, LABELS
from keta.web.portal.rendering import day

_CHOICES = {
    "passport.sex": "portal.sex.",
    "travel.purpose": "portal.purpose.",
    "background.employment": "portal.employment.",
}
_YES_NO = {"true": "portal.form.yes", "false": "portal.form.no"}
_COUNTRIES = (
    "passport.nationality",
    "passport.issuing_country",
    "background.other_nationalities.0",
    "background.other_nationalities.1",
)
_DATES = ("passport.birth_date", "passport.expiry_date", "travel.arrival_date")


def shown(name: str, value: str, locale: str) -> str:
    if name in _CHOICES:
        return gettext(locale, _CHOICES[name] + value)
    if name in _COUNTRIES:
        return country_name(value, locale)
    if name in _DATES:
        return day(date.fromisoformat(value), locale)
    if value in _YES_NO and name.startswith("background."):
        return gettext(locale, _YES_NO[value])
    return value


def rows(values: Mapping[str, str], locale: str) -> list[tuple[str, str]]:
    """(label, value) of every answered input but the consent box, in the form's order."""
    return [
        (gettext(locale, LABELS[name]), shown(name, values[name], locale))
        for name in APPLICATION_FIELDS
        if values.get(name) and name != "consent"
    ]
