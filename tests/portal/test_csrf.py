"""Finding 6, as a class: every portal form × a missing, forged or foreign CSRF token, or a post
from another site → refused with the 403 page, and not a byte of the database changed; the same
post from our own page goes through.

Each form is posted as it would save something (a reviewed application, a group, a payment, a
photo, an answer to an officer), so "nothing changed" is a real claim. A portal POST route this
test does not know fails the test: a new form must join the class.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from tests.conftest import Database
from tests.factories import application_json
from tests.payments import sandbox_form
from tests.portal.cases import ask_information, in_review, refuse
from tests.portal.forms import (
    PASSPORT_NUMBER,
    REPRESENTATIVE,
    application_form,
    face_jpeg,
    hidden_fields,
    member_form,
    review,
)
from tests.portal.test_portal_follow_up import look_up, token_in
from tests.portal.test_portal_manage import manage_token_in
from tests.portal.test_portal_photo_rounds import group_of
from tests.portal_client import PortalClient
from tests.table_counts import snapshot

from keta.i18n import error_message
from keta.services.runtime import Runtime

Form = tuple[str, dict[str, str], dict[str, Any]]  # path, fields, files
Prepare = Callable[[PortalClient, Database, Runtime, Path], Form]
JPEG = ("photo.jpg", face_jpeg(), "image/jpeg")


def _eligibility(client: PortalClient, *_: Any) -> Form:
    return "/", {"nationality": "TUR", "birth_date": "1990-04-12", "arrival_date": "2026-12-29"}, {}


def _status(client: PortalClient, *_: Any) -> Form:
    return "/status", {"reference": "AK7M2-9QXR-T4PW", "passport_number": PASSPORT_NUMBER}, {}


def _group_status(client: PortalClient, *_: Any) -> Form:
    return "/status/group", {"group_reference": "GK7M2-9QXR-T4PW", "representative_email": "m@example.org"}, {}


def _apply(client: PortalClient, *_: Any) -> Form:
    return "/apply", {**application_form(), "action": "review"}, {"photo": JPEG}


def _apply_submit(client: PortalClient, *_: Any) -> Form:
    page = review(client, application_form())
    assert page.status_code == 200, page.text
    fields = hidden_fields(page.text)
    fields.pop("csrf")
    return "/apply/submit", {**fields, "action": "submit"}, {}


def _apply_payment(client: PortalClient, *rest: Any) -> Form:
    path, fields, files = _apply_submit(client, *rest)
    assert client.post(path, data=fields, files=files, follow_redirects=False).status_code == 303
    return "/apply/payment", {}, {}


def _group(client: PortalClient, *_: Any) -> Form:
    page = client.post("/group", data={**REPRESENTATIVE, **member_form(0), "action": "add"})
    fields = hidden_fields(page.text)
    return (
        "/group",
        {
            **REPRESENTATIVE,
            "draft": fields["draft"],
            "form_token": fields["form_token"],
            "consent": "true",
            "action": "submit",
        },
        {},
    )


def _group_photos(client: PortalClient, *_: Any) -> Form:
    group_of(client, 1)
    return "/group/photos", {}, {"photo.0": JPEG}


def _group_payment(client: PortalClient, *_: Any) -> Form:
    group_of(client, 1)
    assert client.post("/group/photos", files={"photo.0": JPEG}, follow_redirects=False).status_code == 303
    return "/group/payment", {}, {}


def _sandbox(client: PortalClient, *_: Any) -> Form:
    created = client.post("/api/v1/applications", json=application_json()).json()
    started = client.post(
        f"/api/v1/applications/{created['reference']}/payment", json={"passport_number": PASSPORT_NUMBER}
    )
    action, fields = sandbox_form(client, started.json()["checkout_url"])
    fields.pop("csrf")
    return action, {**fields, "outcome": "captured"}, {}


def _answer(client: PortalClient, database: Database, runtime: Runtime, tmp_path: Path) -> Form:
    reference = in_review(database, runtime, tmp_path)
    ask_information(database, runtime, reference, message=None)
    token = token_in(look_up(client, reference))
    return "/status/answer", {"token": token, "answer": "A conference in Busan."}, {}


def _redress(client: PortalClient, database: Database, runtime: Runtime, tmp_path: Path) -> Form:
    reference = in_review(database, runtime, tmp_path)
    refuse(database, runtime, reference)
    token = token_in(look_up(client, reference))
    return "/status/redress", {"token": token, "reasons": "I am not the listed person."}, {}


def _looked_up(client: PortalClient) -> str:
    """The token of the status page, after a look-up of an application submitted through the API."""
    created = client.post("/api/v1/applications", json=application_json())
    assert created.status_code == 201, created.text
    return manage_token_in(look_up(client, created.json()["reference"]))


def _travel(client: PortalClient, *_: Any) -> Form:
    token = _looked_up(client)
    return "/status/travel", {"manage_token": token, "action": "save", "address_in_korea": "1 Jongno, Seoul"}, {}


def _withdraw(client: PortalClient, *_: Any) -> Form:
    return "/status/withdraw", {"manage_token": _looked_up(client), "action": "confirm"}, {}


def _lost_reference(client: PortalClient, *_: Any) -> Form:
    created = client.post("/api/v1/applications", json=application_json())
    assert created.status_code == 201, created.text
    email = application_json()["email"]
    return "/status/lost-reference", {"nationality": "TUR", "passport_number": PASSPORT_NUMBER, "email": email}, {}


FORMS: dict[str, Prepare] = {
    "/": _eligibility,
    "/status": _status,
    "/status/group": _group_status,
    "/status/answer": _answer,
    "/status/redress": _redress,
    "/status/travel": _travel,
    "/status/withdraw": _withdraw,
    "/status/lost-reference": _lost_reference,
    "/apply": _apply,
    "/apply/submit": _apply_submit,
    "/apply/payment": _apply_payment,
    "/group": _group,
    "/group/photos": _group_photos,
    "/group/payment": _group_payment,
    "/sandbox/checkout/{reference}": _sandbox,
}
NOT_PORTAL = ("/api/", "/backoffice", "/payments/webhook")
# The forms that save something when accepted: for them the same post from our page changes the database.
SAVING = {
    "/status/answer",
    "/status/travel",
    "/status/withdraw",
    "/status/lost-reference",  # a job that e-mails the reference
    "/status/redress",
    "/apply/submit",
    "/apply/payment",
    "/group",
    "/group/photos",
    "/group/payment",
    "/sandbox/checkout/{reference}",
}


def test_every_portal_post_route_is_in_the_class(client: TestClient) -> None:
    posts = {
        route.path
        for route in iter_route_contexts(client.app.routes)  # type: ignore[attr-defined]
        if "POST" in (route.methods or set()) and not (route.path or "").startswith(NOT_PORTAL)
    }
    assert posts == set(FORMS)


def refused(response: Any) -> bool:
    return response.status_code == 403 and error_message("en", "csrf_failed") in response.text


@pytest.mark.parametrize("route", list(FORMS))
def test_a_form_without_our_token_or_from_another_site_is_refused_and_changes_nothing(
    route: str, client: PortalClient, database: Database, runtime: Runtime, tmp_path: Path
) -> None:
    path, fields, files = FORMS[route](client, database, runtime, tmp_path)
    token = client.csrf_token()
    other = PortalClient(client.app)  # another browser: its own cookie, its own token
    foreign = other.csrf_token()
    bare = TestClient(client.app, cookies=dict(client.cookies))  # adds no token of its own
    cookieless = TestClient(client.app)
    before = snapshot(database)

    def post(sender: TestClient, csrf: str | None, **headers: str) -> Any:
        data = fields if csrf is None else {**fields, "csrf": csrf}
        return sender.post(path, data=data, files=files or None, headers=headers, follow_redirects=False)

    attempts = {
        "no token": post(bare, None),
        "empty token": post(client, ""),
        "forged token": post(client, "0" * 64),
        "another browser's token": post(client, foreign),
        "no cookie": post(cookieless, token),
        "cross-site origin": post(client, token, origin="https://evil.example"),
        "opaque origin": post(client, token, origin="null"),
        "cross-site fetch": post(client, token, **{"sec-fetch-site": "cross-site"}),
        "same-site fetch": post(client, token, **{"sec-fetch-site": "same-site"}),
    }
    for name, answer in attempts.items():
        assert refused(answer), (name, answer.status_code, answer.text[:300])
    assert snapshot(database) == before

    ours = post(client, token, origin="http://testserver", **{"sec-fetch-site": "same-origin"})
    assert ours.status_code in (200, 303, 404) and not refused(ours), ours.text[:500]  # 404: an unknown reference
    assert (snapshot(database) != before) is (route in SAVING)
