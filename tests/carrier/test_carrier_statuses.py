"""Every answer of POST /api/v1/carrier/checks, on SQLite and PostgreSQL, through the real
submit → pay → screen path, with statuses changed through keta.services.lifecycle.move."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.carrier.conftest import Traveller
from tests.carrier.helpers import CarrierApi, passenger, set_status, status_of
from tests.conftest import Database

from keta.db.models import CarrierCheck
from keta.domain.applications import Status


def test_approved_authorization_is_ok_with_its_end_date(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller, database: Database
) -> None:
    reference = traveller()
    assert status_of(database, reference) == "approved"
    [result] = carrier_api.results(carrier_key, passenger())
    assert result == {"index": 0, "status": "OK", "valid_until": "2029-11-28"}


def test_document_number_and_codes_are_normalized(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller
) -> None:
    traveller()
    row = passenger(document_number="u 1234-5678", issuing_country="tur", nationality=" tur ")
    assert carrier_api.status(carrier_key, row) == "OK"


def test_exempt_travellers_are_ok_exempt_with_the_exemption(carrier_api: CarrierApi, carrier_key: str) -> None:
    young, old, american = carrier_api.results(
        carrier_key,
        passenger(document_number="Y1", birth_date="2009-12-30"),  # 16 on arrival (2026-12-29)
        passenger(document_number="O1", birth_date="1961-12-29"),  # 65 on the arrival day itself
        passenger(document_number="A1", issuing_country="USA", nationality="USA"),  # until 2026-12-31
    )
    assert young == {"index": 0, "status": "OK_EXEMPT", "exemption": "age_17_or_under"}
    assert old == {"index": 1, "status": "OK_EXEMPT", "exemption": "age_65_or_over"}
    assert american == {"index": 2, "status": "OK_EXEMPT", "exemption": "temporary_exemption"}


def test_temporary_exemption_ends_with_its_period(carrier_api: CarrierApi, carrier_key: str) -> None:
    # The same American arriving after 2026-12-31 needs an authorization he does not have.
    row = passenger(document_number="A1", issuing_country="USA", nationality="USA", arrival_date="2027-01-01")
    assert carrier_api.status(carrier_key, row) == "NOT_OK"


def test_visa_required_and_not_applicable(carrier_api: CarrierApi, carrier_key: str) -> None:
    chinese, korean = carrier_api.results(
        carrier_key,
        passenger(document_number="E1", issuing_country="CHN", nationality="CHN"),
        passenger(document_number="M1", issuing_country="KOR", nationality="KOR"),
    )
    assert chinese == {"index": 0, "status": "VISA_REQUIRED"}
    assert korean == {"index": 1, "status": "NOT_APPLICABLE"}


def test_no_authorization_is_not_ok(carrier_api: CarrierApi, carrier_key: str) -> None:
    assert carrier_api.results(carrier_key, passenger()) == [{"index": 0, "status": "NOT_OK"}]


def test_unpaid_in_review_and_withdrawn_are_not_ok(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller, client: TestClient, database: Database
) -> None:
    unpaid = traveller(paid=False, passport__number="S1000001")
    review = traveller(
        passport__number="S1000002",
        background__criminal_record=True,
        background__criminal_record_details="Traffic offence, fined, 2015",
    )
    withdrawn = traveller(paid=False, passport__number="S1000003")
    client.post(f"/api/v1/applications/{withdrawn}/withdraw", json={"passport_number": "S1000003"})
    assert [status_of(database, r) for r in (unpaid, review, withdrawn)] == ["submitted", "in_review", "withdrawn"]
    results = carrier_api.results(carrier_key, *(passenger(document_number=f"S100000{i}") for i in (1, 2, 3)))
    assert [r["status"] for r in results] == ["NOT_OK", "NOT_OK", "NOT_OK"]


def test_birth_date_or_nationality_mismatch_is_not_ok_without_a_reason(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller
) -> None:
    traveller()
    results = carrier_api.results(
        carrier_key,
        passenger(birth_date="1990-04-13"),
        passenger(nationality="KAZ"),  # a visa-free nationality other than the authorization's
        passenger(issuing_country="KAZ"),  # another country's document with the same number
        passenger(),
    )
    assert results == [
        {"index": 0, "status": "NOT_OK"},
        {"index": 1, "status": "NOT_OK"},
        {"index": 2, "status": "NOT_OK"},
        {"index": 3, "status": "OK", "valid_until": "2029-11-28"},
    ]


def test_arrival_after_the_validity_is_not_ok(carrier_api: CarrierApi, carrier_key: str, traveller: Traveller) -> None:
    traveller(passport__expiry_date="2027-01-15")  # validity capped by the passport: until 2027-01-15
    assert carrier_api.results(carrier_key, passenger(arrival_date="2027-01-15"))[0] == {
        "index": 0,
        "status": "OK",
        "valid_until": "2027-01-15",
    }
    assert carrier_api.status(carrier_key, passenger(arrival_date="2027-01-16")) == "NOT_OK"


def test_revocation_is_seen_by_the_very_next_query(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller, database: Database
) -> None:
    reference = traveller()
    assert carrier_api.status(carrier_key, passenger()) == "OK"
    set_status(database, reference, Status.REVOKED, reasons=("officer_decision",))
    assert carrier_api.status(carrier_key, passenger()) == "NOT_OK"


def test_expiry_is_seen_by_the_very_next_query(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller, database: Database
) -> None:
    reference = traveller()
    assert carrier_api.status(carrier_key, passenger()) == "OK"
    set_status(database, reference, Status.EXPIRED)
    assert carrier_api.status(carrier_key, passenger()) == "NOT_OK"


def test_refusal_is_seen_by_the_very_next_query_and_never_explained(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller, database: Database
) -> None:
    reference = traveller(background__infectious_disease=True)
    assert status_of(database, reference) == "in_review"
    assert carrier_api.status(carrier_key, passenger()) == "NOT_OK"
    set_status(database, reference, Status.REFUSED, reasons=("declared_infectious_disease",))
    response = carrier_api.post(carrier_key, {"passengers": [passenger()]})
    assert response.json() == {"results": [{"index": 0, "status": "NOT_OK"}]}
    assert "infectious" not in response.text


def test_a_later_approval_wins_over_an_old_revoked_one(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller, database: Database
) -> None:
    first = traveller()
    set_status(database, first, Status.REVOKED)
    traveller(corrects_personal_data=True)
    assert carrier_api.status(carrier_key, passenger()) == "OK"


def test_every_query_is_audited_with_hashes_and_answers_only(
    carrier_api: CarrierApi, carrier_key: str, traveller: Traveller, database: Database
) -> None:
    traveller()
    carrier_api.results(carrier_key, passenger(), passenger(document_number="X9"), {"document_number": "X"})
    with database.factory() as session:
        [audit] = session.scalars(select(CarrierCheck)).all()
        assert session.scalar(select(func.count()).select_from(CarrierCheck)) == 1
    assert audit.passengers == 3
    (first, ok), (second, not_ok), (third, invalid) = audit.answers
    assert (ok, not_ok, invalid) == ("OK", "NOT_OK", "INVALID")
    assert first is not None and len(first) == 64 and second is not None and first != second and third is None
    assert "U12345678" not in str(audit.answers) and "1990-04-12" not in str(audit.answers)
