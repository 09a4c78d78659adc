"""ICAO Doc 9303 TD3 machine-readable zones: check digits, name transliteration, parsing, rendering."""

from keta.domain.mrz.checkdigit import check_digit
from keta.domain.mrz.parse import MrzData, MrzParse, MrzProblem, MrzProblemCode, parse_td3
from keta.domain.mrz.render import render_td3
from keta.domain.mrz.transliterate import to_mrz_name_chars

__all__ = [
    "MrzData",
    "MrzParse",
    "MrzProblem",
    "MrzProblemCode",
    "check_digit",
    "parse_td3",
    "render_td3",
    "to_mrz_name_chars",
]
