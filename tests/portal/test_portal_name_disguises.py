"""The portal form and the group CSV refuse a name that is not a passport name, next to its input, in the
page language, and save nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import Database
from tests.portal.forms import application_form, member_form, members_csv
from tests.portal.test_portal_group import member_problems, upload
from tests.portal.test_portal_pages import count, error_next_to

from keta.db.models import Application, Group
from keta.i18n import field_message, gettext


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


def test_a_group_csv_member_with_a_disguised_name_is_refused_next_to_that_member(
    client: TestClient, database: Database
) -> None:
    rows = [member_form(0), member_form(1, passport__surname="Vymysl\u043ev"), member_form(2)]
    rows[2]["passport.given_names"] = "Mem\u200dberc"
    page = upload(client, members_csv(rows))
    assert page.status_code == 422
    assert member_problems(page, 0) == []
    assert member_problems(page, 1) == [
        f"{gettext('en', 'portal.form.surname')}: {field_message('en', 'mixed_scripts')}"
    ]
    given = gettext("en", "portal.form.given_names")
    assert member_problems(page, 2) == [f"{given}: {field_message('en', 'invisible_characters')}"]
    assert count(database, Application) == count(database, Group) == 0
