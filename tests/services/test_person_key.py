"""The person key (the re-application cap's blind index) reads names as a person does: zero-width
characters, look-alike letters of another alphabet, case and diacritics make no new person — and a
"correction" must change something (SQLite and PostgreSQL for the service part)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session
from tests.factories import applicant

from keta.domain.errors import ReapplicationBlocked
from keta.services import pii, submission
from keta.services.runtime import Runtime

PLAIN = applicant(passport__surname="VYMYSLOV", passport__given_names="ALEKSANDR").passport


@pytest.mark.parametrize(
    ("surname", "given_names"),
    [
        ("VYMYSLOV", "ALEKSANDR"),
        ("Vymyslov", "Aleksandr"),
        ("VY\u200dMYSLOV", "ALEK\u200bSANDR"),  # zero-width joiner and space
        ("Vymysl\u043ev", "\u0410l\u0435ks\u0430ndr"),  # the probe's Cyrillic о, А, е, а
        ("VΥΜΥSLΟV", "ΑLΕΚSΑΝDR"),  # Greek capitals Υ, Μ, Ο, Α, Ε, Κ, Ν
        ("ＶＹＭＹＳＬＯＶ", "𝐀𝐋𝐄𝐊𝐒𝐀𝐍𝐃𝐑"),  # fullwidth, mathematical bold
        ("Vymyslov\u00ad", "Aleksandr\ufe0f"),  # soft hyphen, variation selector
    ],
)
def test_disguised_spellings_give_the_same_person_key(runtime: Runtime, surname: str, given_names: str) -> None:
    disguised = replace(PLAIN, surname=surname, given_names=given_names)
    assert pii.person_key(runtime.keyring, disguised) == pii.person_key(runtime.keyring, PLAIN)


def test_other_people_keep_other_keys(runtime: Runtime) -> None:
    key = pii.person_key(runtime.keyring, PLAIN)
    assert pii.person_key(runtime.keyring, replace(PLAIN, surname="VYMYSLOVA")) != key
    assert pii.person_key(runtime.keyring, replace(PLAIN, given_names="ALEKSEI")) != key
    assert pii.person_key(runtime.keyring, replace(PLAIN, nationality="UKR")) != key
    # the surname and the given names stay two parts: moving a word between them is another name
    assert pii.person_key(runtime.keyring, replace(PLAIN, surname="VYMYSLOVALEKSANDR", given_names="")) != key


def submit(session: Session, runtime: Runtime, **overrides: object) -> None:
    application = applicant(travel__arrival_date="2027-03-01", **overrides)  # type: ignore[arg-type]
    submission.submit_application(session, runtime, applicant=application, language="en")


@pytest.mark.parametrize(
    ("listed", "fourth"),
    [
        # a Latin name typed wholly in Cyrillic look-alike letters passes the form (one alphabet per word)
        ({"passport__surname": "BACO"}, {"passport__surname": "ВАСО"}),
        ({"passport__surname": "OZTURK"}, {"passport__surname": "Öztürk"}),
        ({"passport__given_names": "AYSE GUL"}, {"passport__given_names": "Ayşe-Gül"}),
    ],
)
def test_a_new_spelling_is_no_way_round_the_cap(
    session: Session, runtime: Runtime, listed: dict[str, str], fourth: dict[str, str]
) -> None:
    for number in ("U10000001", "U10000002", "U10000003"):
        submit(session, runtime, passport__number=number, **listed)
    with pytest.raises(ReapplicationBlocked):
        submit(session, runtime, passport__number="U10000004", **fourth)


def test_the_third_identical_correction_is_blocked(session: Session, runtime: Runtime) -> None:
    submit(session, runtime, passport__number="U10000001")
    submit(session, runtime, passport__number="U10000001", corrects_personal_data=True)  # 2 in the window: allowed
    submit(session, runtime, passport__number="U10000001", corrects_personal_data=True)  # 3: still under the cap
    with pytest.raises(ReapplicationBlocked):  # identical data with the box ticked: one more application
        submit(session, runtime, passport__number="U10000001", corrects_personal_data=True)
    # the same with only the case and spacing of the number changed corrects nothing either
    with pytest.raises(ReapplicationBlocked):
        submit(session, runtime, passport__number="u 10000001", corrects_personal_data=True)
    # a real correction (the sex was wrong on every earlier one) is allowed
    submit(session, runtime, passport__number="U10000001", passport__sex="M", corrects_personal_data=True)
