"""A passport name: each word in one alphabet, nothing invisible (keta.domain.applicant.name_problem)."""

from __future__ import annotations

import pytest

from keta.domain.applicant import name_problem


@pytest.mark.parametrize(
    "name",
    ["YILMAZ", "Yılmaz", "O'Brien", "Jean-Pierre", "MÜLLER", "Ayşe Gül", "Александр", "Γιώργος", "김민준",
     "山田はな", "金민준", "محمد", "Ｙｉｌｍａｚ", "𝐘𝐢𝐥𝐦𝐚𝐳", "Nguyễn", "D’Angelo", ""],
)  # fmt: skip
def test_names_a_passport_can_print(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Vymyslоv", "mixed_scripts"),  # Cyrillic о
        ("Аlеksаndr", "mixed_scripts"),
        ("Ivanпетров", "mixed_scripts"),  # two names run together are not one passport word either
        ("Jean-Ρierre", "mixed_scripts"),  # Greek Ρ after a hyphen
        ("O'Вrien", "mixed_scripts"),
        ("Ｙilmaz Аli", "mixed_scripts"),  # the second word mixes; fullwidth alone would not
        ("Ꭰavid", "mixed_scripts"),  # Cherokee
        ("Yıl\u200bmaz", "invisible_characters"),
        ("Yılmaz\u200d", "invisible_characters"),
        ("\u202eYılmaz", "invisible_characters"),
        ("Yıl\u00admaz", "invisible_characters"),
        ("Yılmaz\ufe0f", "invisible_characters"),
        ("Vymyslоv\u200b", "invisible_characters"),  # both: the invisible character is named first
    ],
)
def test_names_a_passport_cannot_print(name: str, code: str) -> None:
    assert name_problem(name) == code
