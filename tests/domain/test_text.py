"""The one text check every input path shares, and what counts as visible."""

from __future__ import annotations

import pytest

from keta.domain.text import has_visible, text_problem


@pytest.mark.parametrize("value", ["A\x00B", "\x01", "line\x0bbreak", "\x7f", "\x85", "\ud800", "x\udfffy"])
def test_control_characters_and_lone_surrogates_are_refused(value: str) -> None:
    assert text_problem(value) == "invalid_character"


@pytest.mark.parametrize("value", ["Yılmaz", "이서연", "O'Brien", "two\nlines\r\n", "tab\there", "", "😀"])
def test_ordinary_text_passes(value: str) -> None:
    assert text_problem(value, max_length=50) is None


def test_length_is_counted_in_characters_and_the_bound_is_inclusive() -> None:
    assert text_problem("ş" * 10, max_length=10) is None
    assert text_problem("ş" * 11, max_length=10) == "too_long"
    assert text_problem("\x00" * 11, max_length=10) == "invalid_character"  # the worse problem is said


@pytest.mark.parametrize(
    "value",
    ["", "   ", "\u200b\u200b", "\u200d\u200c\u2060", "\u3164", "\u115f", "\u00ad", "\u2800", "\u0301", "\ufeff"],
)
def test_nothing_a_reader_can_see(value: str) -> None:
    assert not has_visible(value)


@pytest.mark.parametrize("value", ["a", "\u200bSeoul", "1", "-", "서울", "é", "\u0301e"])
def test_something_a_reader_can_see(value: str) -> None:
    assert has_visible(value)
