"""The applicant portal's pages through a TestClient, on SQLite and PostgreSQL: the language, the
eligibility check, the form's problems next to their inputs (and nothing saved), the happy path
from form to payment, and the status page."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Database
from tests.payments import finish_checkout
from tests.portal.forms import PASSPORT_NUMBER, application_form, submit

from keta.db.models import Application, Payment
from keta.domain.mrz import render_td3
from keta.i18n import KNOWN_LOCALES, field_message, gettext, reason_message


def count(database: Database, model: type[Application] | type[Payment]) -> int:
    with database.factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def error_next_to(html: str, input_id: str) -> str:
    """The problem shown for an input, after checking that the input points at it."""
    control = re.search(rf'<(?:input|select|textarea|fieldset)[^>]*\bid="{input_id}"[^>]*>', html)
    assert control, f"no control {input_id}"
    assert f"{input_id}-error" in control.group(0), f"{input_id} is not described by its error"
    assert 'aria-invalid="true"' in control.group(0) or control.group(0).startswith("<fieldset")
    message = re.search(rf'<p class="error" id="{input_id}-error">([^<]*)</p>', html)
    assert message, f"no error shown for {input_id}"
    return message.group(1).replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")


def payment_error(html: str) -> str:
    """Why no payment was taken, as said above the payment button."""
    message = re.search(r'<p class="error" role="alert" id="payment-error">([^<]*)</p>', html)
    assert message, "no payment error shown"
    return message.group(1).replace("&#39;", "'").replace("&#34;", '"').replace("&amp;", "&")


def turkish(client: TestClient) -> None:
    client.get("/?lang=tr")  # remembered in the keta_lang cookie


# --- language ------------------------------------------------------------------------------------


def test_language_from_query_then_cookie_then_header(client: TestClient) -> None:
    english = client.get("/")
    assert '<html lang="en" dir="ltr">' in english.text
    for code, name in KNOWN_LOCALES.items():
        assert f'href="/?lang={code}"' in english.text and name in english.text
    assert '<html lang="ko"' in client.get("/status", headers={"Accept-Language": "ko-KR"}).text
    chosen = client.get("/status?lang=tr", headers={"Accept-Language": "ko"})
    assert '<html lang="tr"' in chosen.text and chosen.cookies.get("keta_lang") == "tr"
    assert '<html lang="tr"' in client.get("/apply", headers={"Accept-Language": "ko"}).text  # the cookie
    assert '<html lang="ko"' in client.get("/apply?lang=ko").text
    assert '<html lang="ko"' in client.get("/apply?lang=xx", headers={"Accept-Language": "tr"}).text
    assert gettext("tr", "portal.apply.title") in client.get("/apply?lang=tr").text
    assert client.get("/static/portal.css").headers["content-type"].startswith("text/css")


def test_pages_have_one_h1_and_landmarks(client: TestClient) -> None:
    for path in ("/", "/apply", "/status"):
        html = client.get(path).text
        assert html.count("<h1") == 1, path
        assert "<main" in html and "<header" in html and "<nav" in html, path
        for field_id in re.findall(r'<input[^>]*\bid="([^"]+)"', html):
            assert f'for="{field_id}"' in html, f"{path}: input {field_id} has no label"


# --- eligibility ---------------------------------------------------------------------------------


def test_eligibility_outcomes_are_explained_in_the_page_language(client: TestClient) -> None:
    turkish(client)
    required = client.post("/", data={"nationality": "TUR", "birth_date": "1990-04-12", "arrival_date": "2027-02-01"})
    assert required.status_code == 200
    assert gettext("tr", "outcome.required") in required.text
    assert reason_message("tr", "authorization_required") in required.text
    child = client.post("/", data={"nationality": "TUR", "birth_date": "2015-01-01", "arrival_date": "2027-02-01"})
    assert gettext("tr", "outcome.exempt") in child.text
    assert reason_message("tr", "age_17_or_under") in child.text
    assert gettext("tr", "portal.eligibility.may_still_apply") in child.text
    other = {"nationality": "", "nationality_other": "chn", "birth_date": "1990-01-01", "arrival_date": "2027-02-01"}
    visa = client.post("/", data=other)
    assert gettext("tr", "outcome.visa_required") in visa.text
    bad = client.post("/", data={"nationality_other": "C1", "birth_date": "1990-02-31"})
    assert bad.status_code == 422
    assert error_next_to(bad.text, "f-birth-date") == field_message("tr", "invalid_date")
    assert error_next_to(bad.text, "f-arrival-date") == field_message("tr", "required")


# --- application form ----------------------------------------------------------------------------


def test_shape_problems_are_shown_next_to_their_fields_in_turkish(client: TestClient, database: Database) -> None:
    turkish(client)
    form = application_form(passport__surname="R2D2", email="not-an-email", travel__purpose="smuggling")
    del form["phone"], form["background.criminal_record"]
    response = client.post("/apply", data=form)
    assert response.status_code == 422
    assert error_next_to(response.text, "f-passport-surname") == field_message("tr", "invalid_format")
    assert error_next_to(response.text, "f-email") == field_message("tr", "invalid_email")
    assert error_next_to(response.text, "f-phone") == field_message("tr", "required")
    assert error_next_to(response.text, "f-travel-purpose") == field_message("tr", "invalid_choice")
    assert error_next_to(response.text, "f-background-criminal-record") == field_message("tr", "required")
    assert 'value="R2D2"' in response.text  # what was typed is kept
    assert count(database, Application) == 0


def test_meaning_problems_are_shown_next_to_their_fields(client: TestClient, database: Database) -> None:
    turkish(client)
    form = application_form(
        passport__nationality="CHN",
        passport__issuing_country="CHN",
        passport__expiry_date="2026-12-01",
        background__criminal_record=True,
        consent=False,
    )
    response = client.post("/apply", data=form)
    assert response.status_code == 422
    assert error_next_to(response.text, "f-passport-nationality") == field_message("tr", "visa_required")
    assert error_next_to(response.text, "f-passport-expiry-date") == field_message("tr", "expires_before_arrival")
    assert error_next_to(response.text, "f-background-criminal-record-details") == field_message(
        "tr", "details_required"
    )
    assert error_next_to(response.text, "f-consent") == field_message("tr", "must_be_true")
    assert count(database, Application) == 0


def test_a_wrong_mrz_is_reported_on_the_mrz_lines(client: TestClient, database: Database) -> None:
    response = client.post("/apply", data={**application_form(), "mrz.0": "P<TUR", "mrz.1": "X" * 44})
    assert response.status_code == 422
    assert error_next_to(response.text, "f-mrz-0") == field_message("en", "too_short")
    assert count(database, Application) == 0


def mrz(**overrides: Any) -> tuple[str, str]:
    fields: dict[str, Any] = {
        "issuing_state": "TUR",
        "surname": "YILMAZ",
        "given_names": "AYSE",
        "document_number": PASSPORT_NUMBER,
        "nationality": "TUR",
        "birth_date": date(1990, 4, 12),
        "sex": "F",
        "expiry_date": date(2033, 4, 11),
    }
    return render_td3(**{**fields, **overrides})


def test_mrz_lines_are_checked_against_the_typed_fields(client: TestClient, database: Database) -> None:
    line1, line2 = mrz(birth_date=date(1991, 4, 12))
    mismatch = client.post("/apply", data={**application_form(), "mrz.0": line1, "mrz.1": line2})
    assert mismatch.status_code == 422
    assert error_next_to(mismatch.text, "f-passport-birth-date") == field_message("en", "mrz_mismatch")
    broken = client.post("/apply", data={**application_form(), "mrz.0": line1, "mrz.1": line2[:9] + "0" + line2[10:]})
    assert field_message("en", "document_number_check_digit") in error_next_to(broken.text, "f-mrz")
    assert count(database, Application) == 0
    line1, line2 = mrz()
    accepted = submit(client, {**application_form(), "mrz.0": line1, "mrz.1": line2})
    assert accepted.status_code == 303, accepted.text
    assert count(database, Application) == 1


def test_form_to_payment_creates_one_paid_application(
    client: TestClient, database: Database, run_jobs: Callable[[], int]
) -> None:
    turkish(client)
    submitted = submit(client, application_form())
    assert submitted.status_code == 303, submitted.text
    assert submitted.headers["location"] == "/apply/confirmation"
    confirmation = client.get("/apply/confirmation")
    with database.factory() as session:
        application = session.scalars(select(Application)).one()
        reference, language = application.reference, application.language
    assert language == "tr"
    assert reference in confirmation.text
    fee = format_currency(Decimal(10300), "KRW", locale="tr")
    assert fee in confirmation.text and fee != format_currency(Decimal(10300), "KRW", locale="en")
    assert 'name="token"' not in confirmation.text  # no token to type, none pre-filled
    started = client.post("/apply/payment", follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].startswith("/sandbox/checkout/sbx_")
    checkout_page = client.get(started.headers["location"])
    assert gettext("tr", "portal.sandbox.pay") in checkout_page.text and fee in checkout_page.text
    assert "<script" not in checkout_page.text
    pending = client.get("/apply/paid")  # the return page before the provider's word changes nothing
    assert gettext("tr", "portal.paid.pending_title") in pending.text
    assert gettext("tr", "status.submitted") in pending.text
    back = finish_checkout(client, started.headers["location"])
    assert (back.status_code, back.headers["location"]) == (303, "http://testserver/apply/paid")
    page = client.get("/apply/paid")
    assert gettext("tr", "portal.paid.title") in page.text and gettext("tr", "status.paid") in page.text
    assert count(database, Application) == count(database, Payment) == 1
    again = client.post("/apply/payment")
    assert again.status_code == 409 and count(database, Payment) == 1
    assert payment_error(again.text) == gettext("tr", "error.already_paid")


def test_a_form_sent_twice_makes_one_application(client: TestClient, database: Database) -> None:
    token = re.search(r'name="form_token" value="([0-9a-f]{32})"', client.get("/apply").text)
    assert token
    form = {**application_form(), "form_token": token.group(1)}
    first = submit(client, form)
    second = submit(client, form)
    assert first.status_code == second.status_code == 303
    assert first.cookies["keta_application"] == second.cookies["keta_application"]
    changed = submit(client, form, email="other@example.org")
    assert changed.status_code == 422
    assert gettext("en", "portal.apply.sent_twice") in changed.text
    assert count(database, Application) == 1


def test_a_declined_payment_is_explained_and_leaves_it_payable(client: TestClient, database: Database) -> None:
    submit(client, application_form())
    started = client.post("/apply/payment", follow_redirects=False)
    back = finish_checkout(client, started.headers["location"], outcome="declined")
    declined = client.get(back.headers["location"])
    assert declined.status_code == 402
    assert payment_error(declined.text) == gettext("en", "error.payment_declined")
    with database.factory() as session:
        assert session.scalars(select(Payment.status)).one() == "declined"
        assert session.scalars(select(Application.status)).one() == "submitted"
    retried = client.post("/apply/payment", follow_redirects=False)
    assert finish_checkout(client, retried.headers["location"]).status_code == 303
    assert gettext("en", "portal.paid.title") in client.get("/apply/paid").text


def test_confirmation_needs_the_cookie_of_the_browser_that_applied(client: TestClient, database: Database) -> None:
    submit(client, application_form())
    reference = client.cookies["keta_application"].rsplit(".", 1)[0]
    client.cookies.clear()
    client.cookies.set("keta_application", f"{reference}.{'0' * 64}")
    assert client.get("/apply/confirmation", follow_redirects=False).headers["location"] == "/apply"
    refused = client.post("/apply/payment", follow_redirects=False)
    assert (refused.status_code, refused.headers["location"]) == (303, "/apply")
    assert count(database, Payment) == 0


# --- status --------------------------------------------------------------------------------------


def test_status_page_shows_validity_and_reasons_in_turkish(client: TestClient, run_jobs: Callable[[], int]) -> None:
    turkish(client)
    submit(client, application_form())
    finish_checkout(client, client.post("/apply/payment", follow_redirects=False).headers["location"])
    reference = client.cookies["keta_application"].rsplit(".", 1)[0]
    assert run_jobs() >= 1  # screening (and, once they exist, e-mails)
    page = client.post("/status", data={"reference": reference, "passport_number": PASSPORT_NUMBER.lower()})
    assert page.status_code == 200
    assert gettext("tr", "status.approved") in page.text
    assert reason_message("tr", "screening_clear") in page.text
    assert f"<h3>{gettext('tr', 'portal.status.reasons')}</h3>" not in page.text  # no "Reasons" over an approval
    assert format_date(date(2026, 11, 29), format="long", locale="tr") in page.text
    assert format_date(date(2029, 11, 28), format="long", locale="tr") in page.text
    wrong = client.post("/status", data={"reference": reference, "passport_number": "X999"})
    unknown = client.post("/status", data={"reference": "AXXXX-XXXX-XXXX", "passport_number": PASSPORT_NUMBER})
    assert wrong.status_code == unknown.status_code == 404
    assert reference not in wrong.text.replace(f'value="{reference}"', "")
    empty = client.post("/status", data={})
    assert error_next_to(empty.text, "f-reference") == field_message("tr", "required")
    assert error_next_to(empty.text, "f-passport-number") == field_message("tr", "required")
