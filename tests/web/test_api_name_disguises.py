"""Names that are not passport names, through the JSON API on SQLite and PostgreSQL: look-alike letters of
another alphabet inside a word and invisible characters are refused with the field named and nothing stored;
a name in compatibility letters is accepted and still screened against the listed person; a "correction"
that corrects nothing does not lift the re-application cap."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Database
from tests.factories import application_json, member_json
from tests.payments import pay_api
from tests.web.test_api_groups import REPRESENTATIVE

from keta.adapters.watchlist_sources import read_watchlist
from keta.db.models import Application, ApplicationEvent, Group, Job
from keta.i18n import field_message
from keta.services.runtime import Runtime
from keta.services.watchlists import import_watchlist

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "watchlists"

# The probe: a listed Russian man, "Vymyslоv" with a Cyrillic о and "Аlеksаndr" with Cyrillic А, е, а.
PROBE = {"passport__surname": "Vymysl\u043ev", "passport__given_names": "\u0410l\u0435ks\u0430ndr"}
# The listed man: born 1980 (the list knows only the year), male — a woman of that name and year would not be him.
RUSSIAN = {
    "passport__nationality": "RUS",
    "passport__issuing_country": "RUS",
    "passport__birth_date": "1980-03-03",
    "passport__sex": "M",
}


def stored(database: Database) -> dict[str, int]:
    with database.factory() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Application, ApplicationEvent, Group, Job)
        }


NOTHING = {"applications": 0, "application_events": 0, "groups": 0, "jobs": 0}


def post(client: TestClient, body: dict[str, Any], *, language: str = "en", path: str = "/api/v1/applications") -> Any:
    return client.post(path, json=body, headers={"Accept-Language": language})


def test_the_probe_disguise_is_refused_naming_both_name_fields(client: TestClient, database: Database) -> None:
    response = post(client, application_json(**PROBE, **RUSSIAN), language="tr")
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"] == [
        {"path": "passport.surname", "code": "mixed_scripts", "message": field_message("tr", "mixed_scripts")},
        {"path": "passport.given_names", "code": "mixed_scripts", "message": field_message("tr", "mixed_scripts")},
    ]
    assert "pasaportunuzdaki harflerle" in error["fields"][0]["message"]
    assert stored(database) == NOTHING


@pytest.mark.parametrize(
    ("surname", "what"),
    [
        ("Vy\u200bmyslov", "zero-width space"),
        ("Vy\u200dmyslov", "zero-width joiner"),
        ("Vy\u00admyslov", "soft hyphen"),
        ("Vy\u202emyslov", "right-to-left override"),
        ("\ufeffVymyslov", "byte-order mark in front"),
        ("Vymyslov\u2060", "word joiner at the end"),
        ("Vy\u3164myslov", "Hangul filler"),
        ("Vy\tmyslov", "tab"),
    ],
)
def test_invisible_characters_are_refused_not_stripped(
    client: TestClient, database: Database, surname: str, what: str
) -> None:
    response = post(client, application_json(passport__surname=surname), language="ru")
    assert response.status_code == 422, what
    assert response.json()["error"]["fields"] == [
        {
            "path": "passport.surname",
            "code": "invisible_characters",
            "message": field_message("ru", "invisible_characters"),
        }
    ]
    assert stored(database) == NOTHING


@pytest.mark.parametrize("name", ["Yılmaz", "O'Brien", "Jean-Pierre", "Müller", "김", "山田はな", "Ａｙｓｅ"])
def test_passport_names_of_one_alphabet_are_accepted(client: TestClient, name: str) -> None:
    response = post(client, application_json(passport__given_names=name))
    assert response.status_code == 201, response.text


def test_group_members_and_the_representative_are_checked_too(client: TestClient, database: Database) -> None:
    members = [member_json(0), member_json(1, passport__surname="Vymysl\u043ev"), member_json(2)]
    body = {"representative": {**REPRESENTATIVE, "given_names": "Meh\u200dmet"}, "members": members}
    response = post(client, body, path="/api/v1/groups")
    assert response.status_code == 422, response.text
    fields = {(f["path"], f["code"]) for f in response.json()["error"]["fields"]}
    assert fields == {
        ("representative.given_names", "invisible_characters"),
        ("members[1].passport.surname", "mixed_scripts"),
    }
    assert stored(database) == NOTHING


def test_a_name_in_fullwidth_letters_is_accepted_and_screened_against_the_listed_person(
    client: TestClient, database: Database, runtime: Runtime, run_jobs: Callable[[], int]
) -> None:
    import_watchlist(
        database.factory, runtime.clock, name="fixture", items=read_watchlist(FIXTURES / "sample.jsonl"),
        source="sample.jsonl", checksum="x",
    )  # fmt: skip
    fullwidth = {"passport__surname": "ＶＹＭＹＳＬＯＶ", "passport__given_names": "ＡＬＥＫＳＡＮＤＲ"}
    created = post(client, application_json(**fullwidth, **RUSSIAN))
    assert created.status_code == 201, created.text
    reference = created.json()["reference"]
    pay_api(client, f"/api/v1/applications/{reference}/payment", {"passport_number": "U12345678"})
    run_jobs()
    status = client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": "U12345678"}).json()
    assert status["status"] == "in_review"  # not approved: the officer sees the listed person


# --- corrections that correct nothing --------------------------------------------------------------------


def test_an_identical_correction_does_not_lift_the_reapplication_cap(client: TestClient, database: Database) -> None:
    for number in ("U10000001", "U10000002", "U10000003"):
        assert post(client, application_json(passport__number=number)).status_code == 201
    assert post(client, application_json(passport__number="U10000004")).status_code == 409  # the cap

    same_again = application_json(passport__number="U10000003", corrects_personal_data=True)
    blocked = post(client, same_again)
    assert blocked.status_code == 409, blocked.text
    assert blocked.json()["error"]["code"] == "reapplication_cap_reached"

    corrected = application_json(passport__number="U10000005", corrects_personal_data=True)
    assert post(client, corrected).status_code == 201  # a real correction is allowed
    assert post(client, corrected).status_code == 409  # and the same correction a second time is not
    assert stored(database)["applications"] == 4
