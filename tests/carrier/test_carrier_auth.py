"""Keys and limits: missing, wrong, revoked keys are 401; a suspended carrier 403; a spent budget 429."""

from __future__ import annotations

from datetime import timedelta

from tests.carrier.helpers import CarrierApi, create_carrier, passenger
from tests.conftest import NOW, Database

from keta.adapters.clock import FixedClock
from keta.db.session import session_scope
from keta.services import carrier_keys

BODY = {"passengers": [passenger()]}


def test_missing_malformed_and_wrong_keys_are_401(carrier_api: CarrierApi, carrier_key: str) -> None:
    missing = carrier_api.post(None, BODY)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == "Bearer"
    assert missing.json()["error"] == {"code": "unauthorized", "message": "A valid API key is required.", "fields": []}
    basic = carrier_api.post(None, BODY, Authorization="Basic YWxhZGRpbjpvcGVuc2VzYW1l")
    assert (basic.status_code, basic.headers["WWW-Authenticate"]) == (401, "Bearer")
    wrong_keys = [carrier_key[:-1] + ("A" if carrier_key[-1] != "A" else "B"), "kc_short", "x" * 5000]
    for wrong in wrong_keys:
        response = carrier_api.post(wrong, BODY, **{"Accept-Language": "ko"})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
        assert response.json()["error"]["message"] == "유효한 API 키가 필요합니다."
    assert carrier_api.post(carrier_key, BODY).status_code == 200


def test_revoked_key_is_refused_from_the_next_request(carrier_api: CarrierApi, database: Database) -> None:
    key = create_carrier(database, "Bosphorus Cargo")
    assert carrier_api.post(key, BODY).status_code == 200
    with session_scope(database.factory) as session:
        carrier_keys.revoke(session, name="Bosphorus Cargo", now=NOW)
    response = carrier_api.post(key, BODY)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_suspended_carrier_is_403_until_resumed(carrier_api: CarrierApi, database: Database) -> None:
    key = create_carrier(database, "Cappadocia Wings")
    with session_scope(database.factory) as session:
        carrier_keys.suspend(session, name="Cappadocia Wings", now=NOW)
    response = carrier_api.post(key, BODY, **{"Accept-Language": "tr"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "carrier_suspended"
    assert response.json()["error"]["message"].startswith("Bu taşıyıcının erişimi askıya alındı.")
    with session_scope(database.factory) as session:
        carrier_keys.resume(session, name="Cappadocia Wings")
    assert carrier_api.post(key, BODY).status_code == 200


def test_rate_limit_is_per_carrier_with_retry_after(
    carrier_api: CarrierApi, database: Database, clock: FixedClock
) -> None:
    small = create_carrier(database, "Small Air", per_minute=2)
    other = create_carrier(database, "Other Air", per_minute=2)
    assert [carrier_api.post(small, BODY).status_code for _ in range(2)] == [200, 200]
    clock.advance(timedelta(seconds=20))
    limited = carrier_api.post(small, BODY, **{"Accept-Language": "fr"})
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "40"  # the window opened with the first request
    assert limited.json()["error"]["code"] == "rate_limited"
    assert limited.json()["error"]["message"] == "Trop de requêtes. Veuillez patienter un instant et réessayer."
    assert carrier_api.post(other, BODY).status_code == 200  # another carrier's budget is its own
    clock.advance(timedelta(seconds=40))
    assert carrier_api.post(small, BODY).status_code == 200  # a new window


def test_an_unauthenticated_request_costs_no_budget(carrier_api: CarrierApi, database: Database) -> None:
    key = create_carrier(database, "Tiny Air", per_minute=1)
    for _ in range(3):
        assert carrier_api.post(None, BODY).status_code == 401
    assert carrier_api.post(key, BODY).status_code == 200
    assert carrier_api.post(key, BODY).status_code == 429
