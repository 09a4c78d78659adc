"""The ICAO Doc 9303 check digit (Part 3, section 4.9).

Every numeric field in a machine-readable zone carries one of these so that a single misread
character is caught. The weights 7-3-1 are all coprime to 10, which is what guarantees that any
one changed digit alters the result; a letter is caught likewise unless its value is a multiple of
10 away (0, A, K and U weigh alike, as do 1, B, L and V …) — ICAO's scheme, not a fault of ours
(tests/domain/test_mrz_properties.py).
"""

from __future__ import annotations

_WEIGHTS = (7, 3, 1)


def _value(char: str) -> int:
    # Compared as ASCII ranges on purpose: str.isdigit() would also accept '²' or Arabic-Indic digits.
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"character {char!r} is not in the MRZ character set [0-9A-Z<]")


def check_digit(text: str) -> str:
    """The 7-3-1 weighted check digit of `text`, as a one-character string ('0'..'9')."""
    total = sum(_value(char) * _WEIGHTS[index % 3] for index, char in enumerate(text))
    return str(total % 10)
