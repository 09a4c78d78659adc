"""Travel-document numbers as lists and gates compare them: normalized, and keyed by issuing country."""

from __future__ import annotations

import pytest

from keta.domain.documents import document_key, normalize_document_number


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("U1234567", "U1234567"),
        ("u1234567", "U1234567"),
        ("u 1234567", "U1234567"),
        ("U-1234567", "U1234567"),
        ("U.123.4567", "U1234567"),
        ("U1234567<<", "U1234567"),  # MRZ fillers
        ("  u 12-34.56 7 ", "U1234567"),
        ("\tU1234567\n", "U1234567"),
        ("l898902c3", "L898902C3"),
        ("0012 3400", "00123400"),  # leading and inner zeros are significant
        ("", ""),
        ("<<<", ""),
        (" - . ", ""),
    ],
)
def test_normalize_document_number(raw: str, normalized: str) -> None:
    assert normalize_document_number(raw) == normalized


def test_normalize_is_idempotent() -> None:
    once = normalize_document_number("  u-12 34.567<")
    assert once == "U1234567"
    assert normalize_document_number(once) == once


@pytest.mark.parametrize(
    ("number", "country", "key"),
    [
        ("U1234567", "TUR", "TUR:U1234567"),
        ("u 1234567", "tur", "TUR:U1234567"),
        ("U-1234567", " tur ", "TUR:U1234567"),
        ("L898902C3<", "UTO", "UTO:L898902C3"),
        ("C01X00T47", "D", "DEU:C01X00T47"),  # Germany's MRZ code "D" is stored as DEU
    ],
)
def test_document_key(number: str, country: str, key: str) -> None:
    assert document_key(number, country) == key


@pytest.mark.parametrize(
    "spelling", ["U1234567", "u1234567", "u 1234567", "U-1234567", "U.1234567", "U1234567<<", " u-123 4567 "]
)
def test_spellings_of_one_document_share_a_key(spelling: str) -> None:
    assert document_key(spelling, "TUR") == document_key("U1234567", "TUR")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("U1234567", "TUR"), ("U1234567", "GRC")),  # same number, another issuing country
        (("U1234567", "TUR"), ("U1234568", "TUR")),  # a near miss is a different document
        (("U1234567", "TUR"), ("U12345670", "TUR")),
        (("U1234567", "TUR"), ("1234567", "TUR")),
        (("O1234567", "TUR"), ("01234567", "TUR")),  # no O/0 folding
    ],
)
def test_different_documents_have_different_keys(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert document_key(*a) != document_key(*b)
