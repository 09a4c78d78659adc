"""Country codes every interface accepts, and the country list the portal's forms choose from.

A nationality or an issuing state is an ISO 3166-1 alpha-3 code, or one of the few other codes
ICAO Doc 9303 lets a passport carry (data/icao-codes.tsv: British nationals' variants, the UN,
stateless persons, refugees…). Three letters that are neither ("XYZ") are refused with the field
code `unknown_country`, on the portal and in the API alike: before this, "XYZ" passed the shape
check and was answered "visa required", as if it were a real country outside the visa-free list.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Annotated

from babel import Locale
from iso3166 import countries_by_alpha3
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from keta.web.fields import Alpha3


@functools.cache
def icao_codes() -> frozenset[str]:
    text = (files("keta.web") / "data" / "icao-codes.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t", 1)[0].strip() for line in text.splitlines() if line and not line.startswith("#"))
    return frozenset(code for code in rows if code)


def is_known(code: str) -> bool:
    code = code.upper()
    return code in countries_by_alpha3 or code in icao_codes()


def _known(code: str) -> str:
    if not is_known(code):
        raise PydanticCustomError("unknown_country", "this is not a country code")
    return code


# An Alpha3 (shape: three letters, upper-cased) that names a real country or ICAO code.
Country = Annotated[Alpha3, AfterValidator(_known)]


def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale.replace("-", "_"))


def country_name(alpha3: str, locale: str) -> str:
    """The country's name in the page's language ("TUR" → "Türkiye" / "튀르키예"), else the code."""
    country = countries_by_alpha3.get(alpha3.upper())
    if country is None:
        return alpha3
    name = _babel_locale(locale).territories.get(country.alpha2)
    return str(name) if name else country.name


@functools.cache
def choices(locale: str) -> tuple[tuple[str, str], ...]:
    """Every ISO country as (alpha-3, name in `locale`), sorted by name: the options of the portal's
    country selects (a native <select>: typing a name's first letters finds it, without JavaScript)."""
    named = ((code, country_name(code, locale)) for code in countries_by_alpha3)
    return tuple(sorted(named, key=lambda item: item[1].casefold()))
