"""Properties of the TD3 machine-readable zone, over generated passports (Hypothesis):

- what `render_td3` writes, `parse_td3` reads back field for field, valid, in the right century;
- the 7-3-1 check digit catches every single changed digit, and every changed character whose value
  differs by other than a multiple of 10 (ICAO's known blind spot: '0'/'A'/'K'/'U' weigh alike);
- every check-digit field of a rendered zone, changed in one position, makes the parse invalid
  and names that field (or the composite digit);
- the parser answers any input with a result, never an exception.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from keta.domain.mrz import check_digit, parse_td3, render_td3

TODAY = date(2026, 11, 29)
MRZ_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"
ALNUM = MRZ_CHARS[:-1]
PROPERTIES = settings(max_examples=200, deadline=None, derandomize=True, database=None)

words = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=8)
names = st.lists(words, min_size=1, max_size=3).map(" ".join)
states = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)


def value(char: str) -> int:
    return 0 if char == "<" else int(char, 36)


@st.composite
def passports(draw: st.DrawFn) -> dict[str, object]:
    surname, given = draw(names), draw(st.one_of(st.just(""), names))
    if len(surname) + len(given) + 2 > 39:  # longer names are cut to the field (tested in test_mrz.py)
        given = ""
        surname = surname[:39]
    birth = draw(st.dates(min_value=TODAY - timedelta(days=99 * 365), max_value=TODAY))
    expiry = draw(st.dates(min_value=TODAY - timedelta(days=10 * 365), max_value=TODAY + timedelta(days=40 * 365)))
    return {
        "issuing_state": draw(states),
        "surname": surname,
        "given_names": given,
        "document_number": draw(st.text(ALNUM, min_size=1, max_size=9)),
        "nationality": draw(states),
        "birth_date": birth,
        "sex": draw(st.sampled_from("MFX")),
        "expiry_date": expiry,
        "personal_number": draw(st.text(ALNUM, min_size=0, max_size=14)),
    }


@PROPERTIES
@given(passports())
def test_what_is_rendered_parses_back_the_same(fields: dict[str, object]) -> None:
    line1, line2 = render_td3(**fields)  # type: ignore[arg-type]
    assert len(line1) == len(line2) == 44
    parsed = parse_td3(line1, line2, today=TODAY)
    assert parsed.valid, parsed.problems
    assert parsed.data is not None
    assert parsed.data.to_dict() == {
        "document_code": "P",
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in fields.items()},
    }


@PROPERTIES
@given(st.text(MRZ_CHARS, min_size=1, max_size=30), st.data())
def test_a_single_changed_character_changes_the_check_digit_unless_its_value_is_10_apart(
    text: str, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(text) - 1))
    other = data.draw(st.sampled_from(MRZ_CHARS).filter(lambda c: c != text[index]))
    changed = text[:index] + other + text[index + 1 :]
    caught = check_digit(changed) != check_digit(text)
    assert caught == ((value(other) - value(text[index])) % 10 != 0)
    if text[index].isdigit() and other.isdigit():
        assert caught  # every changed digit, in any position


# The fields of line 2 that a check digit covers: (start, end) of the field, its name.
CHECKED = [(0, 9, "document_number"), (13, 19, "birth_date"), (21, 27, "expiry_date")]


@PROPERTIES
@given(passports(), st.data())
def test_a_misread_digit_in_a_checked_field_is_caught_and_named(fields: dict[str, object], data: st.DataObject) -> None:
    line1, line2 = render_td3(**fields)  # type: ignore[arg-type]
    start, end, name = data.draw(st.sampled_from(CHECKED))
    digits = [i for i in range(start, end) if line2[i].isdigit()]
    if not digits:
        return
    index = data.draw(st.sampled_from(digits))
    other = data.draw(st.sampled_from("0123456789").filter(lambda c: c != line2[index]))
    misread = line2[:index] + other + line2[index + 1 :]
    parsed = parse_td3(line1, misread, today=TODAY)
    assert not parsed.valid
    assert {p.field for p in parsed.problems} & {name, "composite"}


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_the_parser_answers_any_text_without_raising(line1: str, line2: str) -> None:
    parsed = parse_td3(line1, line2, today=TODAY)
    assert parsed.valid == (not parsed.problems)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.text(MRZ_CHARS, min_size=44, max_size=44), st.text(MRZ_CHARS, min_size=44, max_size=44))
def test_the_parser_answers_any_zone_shaped_text_without_raising(line1: str, line2: str) -> None:
    parsed = parse_td3(line1, line2, today=TODAY)
    assert parsed.data is not None  # the right shape is always cut into fields, valid or not
