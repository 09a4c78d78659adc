"""The individual-application journey through the JSON API, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import Database
from tests.factories import application_json
from tests.payments import finish_checkout, pay_api

from keta.db.models import Application, ApplicationEvent, IdempotencyRecord, Job, Payment

PROOF = {"passport_number": "U12345678"}


def counts(database: Database) -> dict[str, int]:
    with database.factory() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Application, ApplicationEvent, Job, Payment, IdempotencyRecord)
        }


def submit(client: TestClient, body: dict[str, Any] | None = None, **headers: str) -> Any:
    return client.post("/api/v1/applications", json=body or application_json(), headers=headers)


def test_submit_pay_screen_and_approve(client: TestClient, database: Database, run_jobs: Callable[[], int]) -> None:
    response = submit(client)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "submitted"
    assert created["eligibility"] == "required"
    assert created["fee"] == {"amount": "10300", "currency": "KRW", "refundable": False}
    reference = created["reference"]

    started = client.post(f"/api/v1/applications/{reference}/payment", json=PROOF)
    assert started.status_code == 201, started.text
    checkout = started.json()
    assert checkout["status"] == "pending" and checkout["sandbox"] is True
    assert checkout["persons"] == 1 and checkout["amount"] == "10300" and checkout["applications"] == [reference]
    assert checkout["checkout_url"].startswith("http://testserver/sandbox/checkout/sbx_")
    assert run_jobs() == 1  # the submission e-mail; nothing to screen before the provider confirms
    lookup = client.post(f"/api/v1/applications/{reference}/lookup", json=PROOF).json()
    assert (lookup["status"], lookup["paid"]) == ("submitted", False)
    back = finish_checkout(client, checkout["checkout_url"])
    assert (back.status_code, back.headers["location"]) == (303, "http://testserver/status")
    assert run_jobs() == 2  # the screening, the decision e-mail

    status = client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": "u 1234 5678"})
    assert status.status_code == 200, status.text
    body = status.json()
    assert body["status"] == "approved"
    assert body["decision_reasons"][0]["code"] == "screening_clear"
    # Approved on 2026-11-29 (KST) for three years, inclusive of the first day.
    assert (body["valid_from"], body["valid_until"]) == ("2026-11-29", "2029-11-28")
    with database.factory() as session:
        application = session.scalars(select(Application)).one()
        history = [(e.from_status, e.to_status) for e in application.events]
    assert history == [(None, "submitted"), ("submitted", "paid"), ("paid", "screening"), ("screening", "approved")]


def test_validity_is_capped_by_passport_expiry(client: TestClient, run_jobs: Callable[[], int]) -> None:
    reference = submit(client, application_json(passport__expiry_date="2028-01-31")).json()["reference"]
    pay_api(client, f"/api/v1/applications/{reference}/payment", PROOF)
    run_jobs()
    body = client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": "U12345678"}).json()
    assert body["valid_until"] == "2028-01-31"


def test_invalid_fields_are_named_and_nothing_is_written(client: TestClient, database: Database) -> None:
    before = counts(database)
    body = application_json(
        passport__nationality="CHN",
        passport__surname="R2D2",
        passport__birth_date="2026-13-01",
        email="not-an-email",
        consent=False,
        travel__purpose="smuggling",
    )
    del body["phone"]
    response = submit(client, body)
    assert response.status_code == 422
    fields = {(f["path"], f["code"]) for f in response.json()["error"]["fields"]}
    assert {
        ("passport.surname", "invalid_format"),
        ("passport.birth_date", "invalid_date"),
        ("email", "invalid_email"),
        ("phone", "required"),
        ("travel.purpose", "invalid_choice"),
    } <= fields
    assert counts(database) == before


def test_meaning_errors_are_reported_together(client: TestClient, database: Database) -> None:
    before = counts(database)
    body = application_json(
        passport__nationality="CHN", passport__issuing_country="CHN", consent=False, passport__expiry_date="2026-12-01"
    )
    response = submit(client, body)
    assert response.status_code == 422
    fields = {(f["path"], f["code"]) for f in response.json()["error"]["fields"]}
    assert fields == {
        ("passport.nationality", "visa_required"),
        ("consent", "must_be_true"),
        ("passport.expiry_date", "expires_before_arrival"),
    }
    assert counts(database) == before


def test_errors_speak_the_travellers_language(client: TestClient) -> None:
    body = application_json(consent=False)
    turkish = submit(client, body, **{"Accept-Language": "tr-TR,tr;q=0.9"}).json()["error"]
    korean = submit(client, body, **{"Accept-Language": "ko"}).json()["error"]
    english = submit(client, body).json()["error"]
    assert turkish["fields"][0]["path"] == "consent"
    assert len({turkish["message"], korean["message"], english["message"]}) == 3
    assert len({turkish["fields"][0]["message"], korean["fields"][0]["message"], english["fields"][0]["message"]}) == 3


def test_idempotency_key_replays_the_first_result(client: TestClient, database: Database) -> None:
    first = submit(client, application_json(), **{"Idempotency-Key": "abc-123"})
    second = submit(client, application_json(), **{"Idempotency-Key": "abc-123"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert counts(database)["applications"] == 1
    reused = submit(client, application_json(email="other@example.org"), **{"Idempotency-Key": "abc-123"})
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    assert counts(database)["applications"] == 1


def test_lookup_does_not_reveal_whether_a_reference_exists(client: TestClient) -> None:
    reference = submit(client).json()["reference"]
    wrong_passport = client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": "X999"})
    unknown = client.post("/api/v1/applications/AXXXX-XXXX-XXXX/lookup", json={"passport_number": "U12345678"})
    assert wrong_passport.status_code == unknown.status_code == 404
    assert wrong_passport.json() == unknown.json()


def test_declined_payment_leaves_the_application_payable(client: TestClient, database: Database) -> None:
    reference = submit(client).json()["reference"]
    path = f"/api/v1/applications/{reference}/payment"
    started, back = pay_api(client, path, PROOF, outcome="declined")
    assert back.status_code == 303
    with database.factory() as session:
        payment = session.scalars(select(Payment)).one()
        application = session.scalars(select(Application)).one()
        assert (payment.status, application.status, application.payment_id) == ("declined", "submitted", None)
    assert counts(database)["jobs"] == 1  # the submission e-mail; no screening
    again = client.post(path, json=PROOF)
    assert again.status_code == 201  # a new checkout: the declined one is closed
    assert again.json()["payment_reference"] != started.json()["payment_reference"]
    finish_checkout(client, again.json()["checkout_url"])
    twice = client.post(path, json=PROOF)
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "already_paid"


def test_pressing_pay_twice_reuses_the_open_checkout(client: TestClient, database: Database) -> None:
    reference = submit(client).json()["reference"]
    path = f"/api/v1/applications/{reference}/payment"
    first, second = client.post(path, json=PROOF), client.post(path, json=PROOF)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    elsewhere = client.post(path, json={**PROOF, "return_url": "https://agency.example/done"})
    assert elsewhere.status_code == 201  # another return address is another checkout
    assert counts(database)["payments"] == 2
    old_api = client.post(path, json={**PROOF, "token": "tok_sandbox_ok"})
    assert old_api.status_code == 422  # the token API is gone: a token never pays
    assert old_api.json()["error"]["fields"][0] == {
        "path": "token",
        "code": "unknown_field",
        "message": old_api.json()["error"]["fields"][0]["message"],
    }


def test_withdrawal_and_illegal_transitions(client: TestClient, run_jobs: Callable[[], int]) -> None:
    reference = submit(client).json()["reference"]
    proof = {"passport_number": "U12345678"}
    withdrawn = client.post(f"/api/v1/applications/{reference}/withdraw", json=proof)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    again = client.post(f"/api/v1/applications/{reference}/withdraw", json=proof)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "illegal_transition"
    pay = client.post(f"/api/v1/applications/{reference}/payment", json=proof)
    assert pay.status_code == 409
    assert run_jobs() == 1  # the submission e-mail only: no screening


def test_travel_details_can_change_but_identity_cannot(client: TestClient, database: Database) -> None:
    reference = submit(client).json()["reference"]
    changed = client.patch(
        f"/api/v1/applications/{reference}/travel",
        json={"passport_number": "U12345678", "arrival_date": "2027-01-15", "flight_number": "oz 722"},
    )
    assert changed.status_code == 422  # "OZ 722" has a space: not a flight number
    changed = client.patch(
        f"/api/v1/applications/{reference}/travel",
        json={"passport_number": "U12345678", "arrival_date": "2027-01-15", "flight_number": "oz722"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["changed"] == ["arrival_date", "flight_number"]
    lookup = client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": "U12345678"}).json()
    assert lookup["arrival_date"] == "2027-01-15"

    identity = client.patch(
        f"/api/v1/applications/{reference}/travel",
        json={"passport_number": "U12345678", "surname": "Kaya", "birth_date": "1991-01-01"},
    )
    assert identity.status_code == 422
    assert {(f["path"], f["code"]) for f in identity.json()["error"]["fields"]} == {
        ("surname", "not_editable"),
        ("birth_date", "not_editable"),
    }
    past = client.patch(
        f"/api/v1/applications/{reference}/travel", json={"passport_number": "U12345678", "arrival_date": "2026-01-01"}
    )
    assert past.status_code == 422
    assert past.json()["error"]["fields"][0] == {
        "path": "arrival_date",
        "code": "in_past",
        "message": past.json()["error"]["fields"][0]["message"],
    }
    lookup = client.post(f"/api/v1/applications/{reference}/lookup", json={"passport_number": "U12345678"}).json()
    assert (lookup["surname"], lookup["arrival_date"]) == ("Yılmaz", "2027-01-15")


def test_eligibility_endpoint(client: TestClient) -> None:
    response = client.post(
        "/api/v1/eligibility",
        json={"nationality": "tur", "birth_date": "2008-12-01", "arrival_date": "2026-11-30"},
        headers={"Accept-Language": "tr"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "exempt"
    assert body["reasons"][0]["code"] == "age_17_or_under"
    assert "17" in body["reasons"][0]["message"]
    assert body["may_apply"] is True
    assert [step["rule"] for step in body["trace"]][-1] == "age_exemption"
    bad = client.post("/api/v1/eligibility", json={"nationality": "TURK", "birth_date": "x", "arrival_date": None})
    assert bad.status_code == 422
    assert {f["path"] for f in bad.json()["error"]["fields"]} == {"nationality", "birth_date", "arrival_date"}
