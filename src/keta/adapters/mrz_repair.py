"""Repairing OCR'd TD3 lines with the field layout and the check digits before they are trusted.

OCR confuses shapes, not meanings: 0/O, 1/I, 2/Z, 5/S, 6/G, 8/B, and the filler '<' with K, X or C.
Where the layout says "digits" (dates, check digits) or "letters" (states, names) the fix is certain.
Where it allows both (document and personal numbers), every plausible spelling is tried and only
those whose check digits pass are kept; among the combinations that also pass the composite check
digit, the one with the fewest changes wins. Line 1 carries no check digit: only layout fixes apply.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Final

from keta.domain.mrz import check_digit
from keta.domain.mrz.parse import composite_input

TD3_LINE_LENGTH: Final = 44
_FILLER_LOOKALIKES: Final = "KXC"
_TO_DIGIT: Final = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1", "Z": "2", "S": "5"}
_TO_DIGIT_MORE: Final = {"B": "8", "G": "6", "A": "4", "E": "8"}
_TO_LETTER: Final = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "8": "B"}
# Both-ways swaps where a field allows letters and digits (G/6 and A/4 are left out: rarer, and G≡6 mod 10
# makes that swap invisible to check digits anyway).
_SWAP: Final = {
    "O": "0",
    "0": "O",
    "Q": "0",
    "D": "0",
    "I": "1",
    "1": "I",
    "Z": "2",
    "2": "Z",
    "S": "5",
    "5": "S",
    "B": "8",
    "8": "B",
}
_MAX_SPELLINGS: Final = 1 << 14  # per field: 14 ambiguous characters at most
_MARGIN: Final = 1  # a runner-up within this many changes of the best repair makes the line ambiguous
_KEEP: Final = 64  # passing spellings kept per field, fewest changes first


def _digit(char: str) -> list[str]:
    if char.isdigit():
        return [char]
    fixed = _TO_DIGIT.get(char) or _TO_DIGIT_MORE.get(char)
    return [fixed] if fixed else []


def _letter(char: str) -> str:
    return _TO_LETTER.get(char, char)


def _alnum(char: str) -> list[str]:
    """The character as read first, then what it is often mistaken for."""
    options = [char]
    if char in _SWAP:
        options.append(_SWAP[char])
    if char in _FILLER_LOOKALIKES:
        options.append("<")
    return options


def _spellings(options: list[list[str]], ok: Callable[[str], bool]) -> list[tuple[int, str]]:
    """(changes, text) for every spelling that passes `ok`, fewest changes first."""
    total = 1
    for choice in options:
        total *= len(choice)
    if total == 0 or total > _MAX_SPELLINGS:
        return []
    found = []
    for combo in itertools.product(*(range(len(choice)) for choice in options)):
        text = "".join(choice[i] for choice, i in zip(options, combo, strict=True))
        if ok(text):
            found.append((sum(1 for i in combo if i), text))
    return sorted(found)[:_KEEP]


def _checked(field: str, digit: list[str], *, numeric: bool = False, empty_ok: bool = False) -> list[tuple[int, str]]:
    """Spellings of `field` + its check digit that pass; an all-filler field may carry '<' as its digit."""
    options = [_digit(char) if numeric else _alnum(char) for char in field] + [digit]

    def ok(text: str) -> bool:
        body, check = text[:-1], text[-1]
        return check_digit(body) == check or (empty_ok and check in "<0" and body == "<" * len(body))

    return _spellings(options, ok)


def repair_line1(line: str) -> str | None:
    if len(line) != TD3_LINE_LENGTH or line[0] != "P":
        return None
    return "P" + "".join(_letter(char) for char in line[1:])


def _line2_candidates(line: str) -> Iterator[tuple[int, str]]:
    digits = [_digit(char) for char in line]
    number = _checked(line[0:9], digits[9])
    birth = _checked(line[13:19], digits[19], numeric=True)
    expiry = _checked(line[21:27], digits[27], numeric=True)
    personal_digit = digits[42] + (["<"] if line[42] in "<" + _FILLER_LOOKALIKES else [])
    personal = _checked(line[28:42], personal_digit, empty_ok=True)
    nationality = "".join(_letter(char) for char in line[10:13])
    sex = "<" if line[20] in _FILLER_LOOKALIKES else line[20]
    for parts in itertools.product(number, birth, expiry, personal):
        body = parts[0][1] + nationality + parts[1][1] + sex + parts[2][1] + parts[3][1]
        for composite in digits[43]:
            if check_digit(composite_input(body)) == composite:
                yield sum(changes for changes, _ in parts), body + composite


def _trailing_fillers(field: str) -> str:
    """A check digit cannot tell 'K' from '<' (both count 0): a run of three or more filler look-alikes
    ending a number field (before any real fillers) is taken for padding."""
    text = field.rstrip("<")
    stem = text.rstrip(_FILLER_LOOKALIKES)
    return field if len(text) - len(stem) < 3 else stem.ljust(len(field), "<")


def repair_line2(line: str) -> str | None:
    """The spelling of line 2 with the fewest changes whose five check digits pass, or None."""
    if len(line) != TD3_LINE_LENGTH:
        return None
    line = _trailing_fillers(line[0:9]) + line[9:28] + _trailing_fillers(line[28:42]) + line[42:]
    candidates = sorted(set(_line2_candidates(line)))
    if not candidates:
        return None
    changes, best = candidates[0]
    # A repaired line with a runner-up that passes every check digit with at most one change more: the
    # digits cannot tell them apart (e.g. O/0 at weights 7 and 3), so neither is trusted.
    if changes and any(other != best and more <= changes + _MARGIN for more, other in candidates[1:]):
        return None
    return best


def repair_td3(line1: str, line2: str) -> tuple[str, str] | None:
    first, second = repair_line1(line1), repair_line2(line2)
    return (first, second) if first and second else None


def normalise_length(line1: str, line2: str) -> tuple[str, str] | None:
    """Raw tesseract lines to 44 characters: filler look-alikes among fillers become fillers, and
    line 1's trailing filler run is cut or padded (its length is the one thing OCR gets wrong there)."""
    chars = list(line1)
    for i, char in enumerate(chars):
        after = chars[i + 1] if i + 1 < len(chars) else "<"
        if char in _FILLER_LOOKALIKES and i > 0 and chars[i - 1] == "<" and after in "<" + _FILLER_LOOKALIKES:
            chars[i] = "<"
    first = "".join(chars).rstrip("<")
    if len(first) > TD3_LINE_LENGTH or len(line2) != TD3_LINE_LENGTH:
        return None
    return first.ljust(TD3_LINE_LENGTH, "<"), line2
