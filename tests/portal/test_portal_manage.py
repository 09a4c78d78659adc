"""Self-service after a status look-up, on SQLite and PostgreSQL: change the travel details, withdraw
(asked to confirm first), and "I lost my reference" (the same answer whether or not an application
exists; rate limited)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.conftest import Database
from tests.factories import TODAY, application_json
from tests.portal.forms import PASSPORT_NUMBER
from tests.portal.test_portal_follow_up import look_up
from tests.portal.test_portal_pages import error_next_to

from keta.db.models import Application, Job
from keta.i18n import error_message, field_message, gettext
from keta.services.runtime import Runtime


def manage_token_in(page: str) -> str:
    found = re.search(r'<input type="hidden" name="manage_token" value="([^"]+)">', page)
    assert found, "no change or withdraw form on the page"
    return found.group(1)


def submitted(client: TestClient, **overrides: object) -> str:
    created = client.post("/api/v1/applications", json=application_json(**overrides))
    assert created.status_code == 201, created.text
    return str(created.json()["reference"])


def stored(database: Database, runtime: Runtime, reference: str) -> tuple[str, dict[str, object]]:
    with database.factory() as session:
        application = session.scalars(select(Application).where(Application.reference == reference)).one()
        return application.status, runtime.keyring.decrypt(application.pii)


def test_travel_details_are_changed_from_the_status_page(
    client: TestClient, database: Database, runtime: Runtime
) -> None:
    reference = submitted(client)
    token = manage_token_in(look_up(client, reference))
    opened = client.post("/status/travel?lang=tr", data={"manage_token": token, "action": "open"})
    assert opened.status_code == 200
    assert 'value="ayse.yilmaz@example.org"' in opened.text  # what is on file
    arrival = (TODAY + timedelta(days=40)).isoformat()
    fields = {"manage_token": token, "action": "save", "arrival_date": arrival, "address_in_korea": "1 Jongno, Seoul"}
    saved = client.post("/status/travel", data=fields, follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, "/status/sent")
    assert gettext("tr", "portal.manage.travel_saved") in html.unescape(client.get("/status/sent").text)
    _, data = stored(database, runtime, reference)
    assert data["travel"] == {**data["travel"], "arrival_date": arrival, "address_in_korea": "1 Jongno, Seoul"}


def test_a_past_arrival_is_said_next_to_its_input_and_nothing_changes(
    client: TestClient, database: Database, runtime: Runtime
) -> None:
    reference = submitted(client)
    token = manage_token_in(look_up(client, reference))
    before = stored(database, runtime, reference)
    past = (TODAY - timedelta(days=1)).isoformat()
    page = client.post("/status/travel?lang=ko", data={"manage_token": token, "action": "save", "arrival_date": past})
    assert page.status_code == 422
    assert error_next_to(page.text, "f-arrival-date") == field_message("ko", "in_past")
    assert stored(database, runtime, reference) == before


def test_a_forged_token_goes_back_to_the_look_up(client: TestClient) -> None:
    page = client.post("/status/withdraw", data={"manage_token": "x" * 80, "action": "confirm"})
    assert page.status_code == 403
    assert gettext("en", "portal.status.look_up_again") in html.unescape(page.text)


def test_withdrawing_asks_for_confirmation_first(client: TestClient, database: Database, runtime: Runtime) -> None:
    reference = submitted(client)
    token = manage_token_in(look_up(client, reference))
    asked = client.post("/status/withdraw?lang=tr", data={"manage_token": token, "action": "ask"})
    assert asked.status_code == 200
    assert gettext("tr", "portal.manage.withdraw_final") in html.unescape(asked.text)
    assert stored(database, runtime, reference)[0] == "submitted"  # nothing done yet
    done = client.post("/status/withdraw", data={"manage_token": token, "action": "confirm"}, follow_redirects=False)
    assert done.status_code == 303
    assert gettext("tr", "portal.manage.withdrawn") in html.unescape(client.get("/status/sent").text)
    assert stored(database, runtime, reference)[0] == "withdrawn"
    again = client.post("/status/withdraw", data={"manage_token": token, "action": "confirm"})
    assert again.status_code == 409 and error_message("tr", "illegal_transition") in html.unescape(again.text)
    assert 'name="manage_token"' not in look_up(client, reference)  # nothing left to change


def reminder_jobs(database: Database) -> int:
    with database.engine.connect() as connection:
        return sum("reference_reminder" in str(payload) for payload in connection.execute(select(Job.payload)))


def lost(client: TestClient, **values: str) -> tuple[int, str]:
    form = {"nationality": "TUR", "passport_number": PASSPORT_NUMBER, "email": "ayse.yilmaz@example.org", **values}
    page = client.post("/status/lost-reference?lang=tr", data=form)
    body = re.sub(r'name="csrf" value="[^"]*"', "", page.text)
    return page.status_code, body


def test_a_lost_reference_answers_the_same_whether_or_not_an_application_exists(
    client: TestClient, database: Database
) -> None:
    submitted(client)
    found = lost(client)
    wrong_email = lost(client, email="someone.else@example.org")
    no_such_passport = lost(client, passport_number="Z9999999")
    assert found == wrong_email == no_such_passport
    assert found[0] == 200 and gettext("tr", "portal.lost.sent") in html.unescape(found[1])
    assert reminder_jobs(database) == 1  # only the real match is e-mailed


def test_a_lost_reference_form_names_its_problems(client: TestClient) -> None:
    status, page = lost(client, nationality="XYZ", email="not-an-address")
    assert status == 422
    assert error_next_to(page, "f-nationality") == field_message("tr", "unknown_country")
    assert error_next_to(page, "f-email") == field_message("tr", "invalid_email")


def test_the_lost_reference_page_is_rate_limited_per_passport(client: TestClient, database: Database) -> None:
    submitted(client)
    answers = [lost(client)[0] for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert reminder_jobs(database) == 3  # the limited request sent nothing
    limited = lost(client)
    assert limited[0] == 429 and error_message("tr", "rate_limited") in html.unescape(limited[1])
