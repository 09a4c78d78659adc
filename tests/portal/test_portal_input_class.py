"""Finding 7 in the portal, as a class, on SQLite and PostgreSQL: every form × every text input ×
(a NUL character, a value far past any input's length) → a 4xx page that names the input, never a
5xx, nothing changed. The group CSV: a NUL in a cell, a cell past the csv module's own bound. And
finding 8's strict reading (booleans, dates, visible text), as on the API."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from tests.conftest import Database
from tests.portal.forms import REPRESENTATIVE, application_form, member_form, members_csv, review
from tests.portal.test_csrf import FORMS
from tests.portal.test_portal_pages import error_next_to
from tests.portal_client import PortalClient
from tests.table_counts import snapshot

from keta.i18n import field_message
from keta.services.runtime import Runtime
from keta.web.portal.error_page import label
from keta.web.portal.formdata import SEALED
from keta.web.portal.forms import input_id

OVERSIZED = "x" * 10_000


@pytest.mark.parametrize("route", list(FORMS))
@pytest.mark.parametrize("bad", ["nul", "oversized"])
def test_every_text_input_of_every_form_refuses_a_nul_and_an_oversized_value(
    route: str, bad: str, client: PortalClient, database: Database, runtime: Runtime, tmp_path: Path
) -> None:
    path, fields, files = FORMS[route](client, database, runtime, tmp_path)
    before = snapshot(database)
    inputs = [name for name in fields if not (bad == "oversized" and name in SEALED)]
    for name in inputs:
        value = f"{fields[name]}\x00" if bad == "nul" else OVERSIZED
        answer = client.post(path, data={**fields, name: value}, files=files or None, follow_redirects=False)
        assert answer.status_code == 422, (route, name, answer.status_code, answer.text[:300])
        page = html.unescape(answer.text)
        code = "invalid_character" if bad == "nul" else "too_long"
        assert f"{label('en', name)}</strong>: {field_message('en', code)}" in page, (route, name)
    assert snapshot(database) == before


def csv_upload(client: PortalClient, data: bytes) -> str:
    page = client.post(
        "/group", data={**REPRESENTATIVE, "action": "csv"}, files={"members_csv": ("m.csv", data, "text/csv")}
    )
    assert page.status_code == 422, page.text[:300]
    return html.unescape(page.text)


def test_a_csv_cell_with_a_nul_is_refused_with_its_line_and_column(client: PortalClient, database: Database) -> None:
    before = snapshot(database)
    page = csv_upload(client, members_csv([member_form(0), member_form(1, passport__surname="Yıl\x00maz")]))
    assert field_message("en", "csv_cell_invalid", line=3, column="surname") in page
    assert snapshot(database) == before


@pytest.mark.parametrize("size", [1_001, 131_073, 200_000])
def test_a_csv_cell_too_long_for_any_input_is_refused_not_a_server_error(
    client: PortalClient, database: Database, size: int
) -> None:
    page = csv_upload(client, members_csv([member_form(0, travel__address_in_korea="x" * size)]))
    assert field_message("en", "csv_cell_too_long", line=2, max=1_000) in page
    assert "x" * 1_001 not in page  # the cell is not echoed back


def test_an_unclosed_quote_swallowing_the_file_is_a_clean_problem(client: PortalClient) -> None:
    data = members_csv([member_form(0)]) + b'"' + b"y" * 140_000
    page = csv_upload(client, data)
    assert field_message("en", "csv_cell_too_long", line=3, max=1_000) in page


# --- finding 8 in the portal: the same strict reading as the API ------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "code"),
    [
        ("consent", "yes", "invalid_type"),
        ("background.criminal_record", "off", "invalid_type"),
        ("background.infectious_disease", "1", "invalid_type"),
        ("travel.address_in_korea", "\u200b\u200b\u200b", "not_visible"),
        ("passport.birth_date", "0001-01-01", "too_early"),
        ("passport.expiry_date", "9999-12-31", "too_far_ahead"),
    ],
)
def test_the_application_form_reads_answers_as_strictly_as_the_api(
    client: PortalClient, database: Database, name: str, value: str, code: str
) -> None:
    before = snapshot(database)
    page = review(client, {**application_form(), name: value})
    assert page.status_code == 422
    assert field_message("en", code) in error_next_to(page.text, input_id(name))
    assert snapshot(database) == before


def test_the_eligibility_page_refuses_an_impossible_birth_date(client: PortalClient) -> None:
    page = client.post("/", data={"nationality": "TUR", "birth_date": "0001-01-01", "arrival_date": "2026-12-29"})
    assert page.status_code == 422
    assert error_next_to(page.text, "f-birth-date") == field_message("en", "too_early")
