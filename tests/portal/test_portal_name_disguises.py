"""The portal form refuses a name that is not a passport name, next to its input, in the page language,
and saves nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import Database
from tests.portal.forms import application_form
from tests.portal.test_portal_pages import count, error_next_to

from keta.db.models import Application
from keta.i18n import field_message


def test_look_alike_letters_and_invisible_characters_are_shown_next_to_the_name_inputs(
    client: TestClient, database: Database
) -> None:
    client.get("/?lang=ko")
    form = application_form(passport__surname="Vymysl\u043ev", passport__given_names="Alek\u200bsandr")
    response = client.post("/apply", data=form)
    assert response.status_code == 422
    assert error_next_to(response.text, "f-passport-surname") == field_message("ko", "mixed_scripts")
    assert error_next_to(response.text, "f-passport-given-names") == field_message("ko", "invisible_characters")
    assert count(database, Application) == 0
