"""The border desk page, /border, through the real sign-in, on SQLite and PostgreSQL: a border officer
reads a passport and records the entry; every answer the desk can give; field errors; who may use it."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.backoffice.office import Account, client_for, csrf_of, enrol, sign_in
from tests.border.helpers import approved_traveller, born, mrz, set_status, with_check_digit_broken
from tests.conftest import Database
from tests.factories import TODAY

from keta.adapters.clock import FixedClock
from keta.db.models import Application, AuditRecord, BorderEntry
from keta.db.session import session_scope
from keta.domain.applications import Status
from keta.domain.review import Role
from keta.i18n import backoffice_text, field_message
from keta.services import pii
from keta.services.runtime import Runtime


def ko(msgid: str, **params: object) -> str:
    return backoffice_text("ko", msgid, **params)


@pytest.fixture
def officer(database: Database, runtime: Runtime) -> Account:
    return enrol(database, runtime, "yoon.border", Role.BORDER)


@pytest.fixture
def desk(client: TestClient, clock: FixedClock, officer: Account) -> TestClient:
    browser = client_for(client.app)
    sign_in(browser, clock, officer)
    return browser


def look_up_mrz(desk: TestClient, lines: tuple[str, str]) -> str:
    page = desk.get("/border")
    answer = desk.post(
        "/border/lookup", data={"csrf": csrf_of(page), "how": "mrz", "mrz_line1": lines[0], "mrz_line2": lines[1]}
    )
    return answer.text


def test_a_border_officer_lands_on_the_desk(desk: TestClient) -> None:
    landing = desk.get("/backoffice/", follow_redirects=False)
    assert landing.status_code == 303 and landing.headers["location"] == "/border"
    page = desk.get("/border")
    assert page.status_code == 200 and ko("bo.border.title") in page.text
    assert 'lang="ko"' in page.text and ko("bo.nav.border") in page.text


def test_the_mrz_of_an_approved_traveller_shows_the_authorization_name_and_arrival_card(
    desk: TestClient, database: Database, runtime: Runtime
) -> None:
    traveller = approved_traveller(database, runtime)
    text = look_up_mrz(desk, traveller.lines)
    assert ko("bo.border.status.authorized") in text
    assert traveller.reference in text and "Yılmaz, Ayşe" in text  # as on the application, not as in the MRZ
    assert ko("bo.border.arrival_card_exempt") in text
    with database.factory() as session:
        valid_until = session.scalars(select(Application.valid_until)).one()
        assert valid_until is not None and valid_until.isoformat() in text
        lookup = session.scalars(select(AuditRecord).where(AuditRecord.action == "border.lookup")).one()
    assert lookup.detail["status"] == "authorized" and lookup.detail["channel"] == "page"
    assert "Yılmaz" not in str(lookup.detail) and "U12345678" not in str(lookup.detail) + lookup.object_id


def test_a_failed_check_digit_is_a_field_error_naming_the_field(desk: TestClient, database: Database) -> None:
    line1, line2 = mrz()
    page = desk.get("/border")
    answer = desk.post(
        "/border/lookup",
        data={"csrf": csrf_of(page), "how": "mrz", "mrz_line1": line1, "mrz_line2": with_check_digit_broken(line2, 19)},
    )
    assert answer.status_code == 422
    assert ko("bo.border.field.mrz_birth_date") in answer.text
    assert field_message("ko", "birth_date_check_digit") in answer.text
    assert ko("bo.border.field.mrz_document_number") not in answer.text  # only the faulty field is named
    with database.factory() as session:  # nothing was looked up, nothing audited
        assert (
            session.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.action == "border.lookup"))
            == 0
        )


def test_a_document_number_and_issuing_country_find_the_authorization(
    desk: TestClient, database: Database, runtime: Runtime
) -> None:
    traveller = approved_traveller(database, runtime)
    page = desk.get("/border")
    text = desk.post(
        "/border/lookup",
        data={"csrf": csrf_of(page), "how": "document", "document_number": "u 1234-5678", "issuing_country": "tur"},
    ).text
    assert ko("bo.border.status.authorized") in text and traveller.reference in text
    assert ko("bo.border.no_facts") not in text  # nationality and birth date came from the authorization


def test_a_typed_bad_country_names_the_field(desk: TestClient) -> None:
    page = desk.get("/border")
    answer = desk.post(
        "/border/lookup",
        data={"csrf": csrf_of(page), "how": "document", "document_number": "U1", "issuing_country": "T1"},
    )
    assert answer.status_code == 422
    assert 'id="err-issuing_country"' in answer.text and field_message("ko", "invalid_country_code") in answer.text


def test_an_exempt_traveller_without_authorization(desk: TestClient) -> None:
    text = look_up_mrz(desk, mrz(passport__number="U55555555", passport__birth_date=born(70, TODAY)))
    assert ko("bo.border.status.exempt") in text
    assert "65" in text  # the age exemption's sentence names its bound
    assert ko("bo.border.arrival_card_required") in text  # no K-ETA: the card is needed


def test_a_korean_national_is_outside_the_scheme(desk: TestClient) -> None:
    lines = mrz(passport__number="M12345678", passport__nationality="KOR", passport__issuing_country="KOR")
    text = look_up_mrz(desk, lines)
    assert ko("bo.border.status.not_applicable") in text and ko("bo.border.arrival_card_not_applicable") in text


def test_an_unknown_passport_shows_no_authorization_and_what_it_means(desk: TestClient) -> None:
    text = look_up_mrz(desk, mrz(passport__number="X99999999"))
    assert ko("bo.border.status.no_authorization") in text
    assert ko("bo.border.meaning.no_authorization") in text
    assert ko("bo.border.arrival_card_required") in text


def test_a_revoked_authorization_shows_as_revoked(desk: TestClient, database: Database, runtime: Runtime) -> None:
    traveller = approved_traveller(database, runtime)
    set_status(database, traveller.reference, Status.REVOKED)
    text = look_up_mrz(desk, traveller.lines)
    assert ko("bo.border.status.not_valid") in text
    assert traveller.reference in text and backoffice_text("ko", "status.revoked") in text
    assert ko("bo.border.status.authorized") not in text


def test_a_birth_date_other_than_the_authorizations_is_flagged(
    desk: TestClient, database: Database, runtime: Runtime
) -> None:
    approved_traveller(database, runtime)
    text = look_up_mrz(desk, mrz(passport__birth_date="1991-04-12"))
    assert ko("bo.border.status.not_valid") in text and ko("bo.border.mismatch") in text


def test_an_entry_is_recorded_once_and_shows_in_the_statistics(
    desk: TestClient, client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    traveller = approved_traveller(database, runtime)
    page = look_up_mrz(desk, traveller.lines)
    form = {"csrf": csrf_of(desk.get("/border")), "how": "document", "document_number": traveller.number,
            "issuing_country": traveller.issuing_country, "nationality": "TUR", "birth_date": "1990-04-12",
            "port": "ICN"}  # fmt: skip
    assert ko("bo.border.entry_heading") in page
    first = desk.post("/border/entries", data=form)
    assert first.status_code == 200 and ko("bo.border.recorded", port="ICN", date=TODAY.isoformat()) in first.text
    again = desk.post("/border/entries", data=form)
    assert ko("bo.border.already_recorded", port="ICN", date=TODAY.isoformat()) in again.text
    assert 'value="ICN" selected' in look_up_mrz(desk, mrz(passport__number="X99999999"))  # kept for the next one
    with database.factory() as session:
        entries = session.scalars(select(BorderEntry)).all()
        audited = session.scalars(select(AuditRecord).where(AuditRecord.action == "border.entry_recorded")).all()
    assert len(entries) == 1 and entries[0].status == "authorized" and entries[0].port == "ICN"
    assert entries[0].entry_date == TODAY and entries[0].application_id is not None and len(audited) == 1
    assert audited[0].object_id == str(entries[0].id) and "Yılmaz" not in str(audited[0].detail)

    supervisor = enrol(database, runtime, "park.super", Role.SUPERVISOR)
    reader = client_for(client.app)
    sign_in(reader, clock, supervisor)
    statistics = reader.get("/backoffice/statistics")
    assert ko("bo.stats.entries_per_day") in statistics.text and ko("bo.stats.entries_by_port") in statistics.text
    by_port = reader.get("/backoffice/statistics/entries_by_port.csv")
    assert by_port.text.splitlines() == ["label,count", "ICN,1.0"]
    per_day = reader.get("/backoffice/statistics/entries_per_day.csv")
    assert f"{TODAY.isoformat()},1.0" in per_day.text.splitlines()


def test_an_unknown_port_is_refused_and_nothing_is_recorded(desk: TestClient, database: Database) -> None:
    form = {"csrf": csrf_of(desk.get("/border")), "how": "document", "document_number": "U12345678",
            "issuing_country": "TUR", "port": "XXX"}  # fmt: skip
    answer = desk.post("/border/entries", data=form)
    assert answer.status_code == 422 and 'id="err-port"' in answer.text
    with database.factory() as session:
        assert session.scalar(select(func.count()).select_from(BorderEntry)) == 0


def test_staff_without_the_border_role_are_refused(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock
) -> None:
    for role in (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR):
        account = enrol(database, runtime, f"user.{role.value}", role)
        browser = client_for(client.app)
        sign_in(browser, clock, account)
        assert browser.get("/border").status_code == 403
        csrf = csrf_of(browser.get("/backoffice/home"))
        refused = browser.post("/border/lookup", data={"csrf": csrf, "how": "mrz", "mrz_line1": "", "mrz_line2": ""})
        assert refused.status_code == 403
    anonymous = client_for(client.app)
    assert anonymous.get("/border", follow_redirects=False).headers["location"] == "/backoffice/login"


def test_posts_without_the_csrf_token_are_refused(desk: TestClient, database: Database) -> None:
    line1, line2 = mrz()
    for path in ("/border/lookup", "/border/entries"):
        for token in (None, "forged" + "0" * 58):
            data = {"how": "mrz", "mrz_line1": line1, "mrz_line2": line2, "port": "ICN"}
            answer = desk.post(path, data=data | ({"csrf": token} if token else {}))
            assert answer.status_code == 403, path
    with database.factory() as session:
        assert session.scalar(select(func.count()).select_from(BorderEntry)) == 0


def test_the_photo_filed_with_the_application_is_shown(desk: TestClient, database: Database, runtime: Runtime) -> None:
    traveller = approved_traveller(database, runtime)
    photo = base64.b64encode(b"\xff\xd8\xff\xe0 a face").decode("ascii")
    with session_scope(database.factory) as session:  # as the portal files it (keta.web.portal.uploads)
        application = session.scalars(select(Application)).one()
        pii.seal_application(
            runtime.keyring, application, {**runtime.keyring.decrypt(application.pii), "photo_jpeg": photo}
        )
    text = look_up_mrz(desk, traveller.lines)
    assert f'src="data:image/jpeg;base64,{photo}"' in text
    assert ko("bo.border.photo", name="Yılmaz, Ayşe") in text and ko("bo.border.no_photo") not in text


def test_the_desk_speaks_english_on_request(desk: TestClient) -> None:
    page = desk.get("/border?lang=en")
    assert 'lang="en"' in page.text and backoffice_text("en", "bo.border.mrz_heading") in page.text
    text = look_up_mrz(desk, mrz(passport__number="X99999999"))  # the choice is remembered
    assert backoffice_text("en", "bo.border.meaning.no_authorization") in text
