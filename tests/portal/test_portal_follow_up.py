"""The traveller's side of an officer's case on the status page, through the TestClient on SQLite and
PostgreSQL: the stated ground, answering a request for information, asking once for a review of a
refusal, and the sealed token that replaces the passport number in those forms.

States are made through the services, as the back office makes them (tests.portal.cases)."""

from __future__ import annotations

import base64
import html
import io
import re
from datetime import timedelta
from pathlib import Path

from babel.dates import format_date
from fastapi.testclient import TestClient
from httpx2 import Response
from PIL import Image
from sqlalchemy import func, select
from tests.conftest import Database
from tests.factories import TODAY
from tests.portal.cases import annul, ask_information, in_review, refuse, screened, uphold_redress
from tests.portal.forms import PASSPORT_NUMBER
from tests.portal.test_portal_pages import error_next_to, turkish

from keta.adapters.clock import FixedClock
from keta.db.models import Application, InformationRequest, RedressRequest, ReviewCase
from keta.domain.applications import Status
from keta.domain.review import CaseStatus
from keta.i18n import error_message, field_message, gettext
from keta.services.runtime import Runtime
from keta.web.portal.sealed import seal_token

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OFFICER_MESSAGE = "Which conference will you attend in Busan?\nPlease attach the invitation."


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def look_up(client: TestClient, reference: str) -> str:
    """The status page of a successful look-up, as text (entities decoded)."""
    page = client.post("/status", data={"reference": reference, "passport_number": PASSPORT_NUMBER})
    assert page.status_code == 200, page.text
    return text(page)


def text(response: Response) -> str:
    return html.unescape(response.text)


def token_in(page: str) -> str:
    found = re.search(r'<input type="hidden" name="token" value="([^"]+)">', page)
    assert found, "no follow-up form on the page"
    return found.group(1)


def long_date(days_from_today: int) -> str:
    return format_date(TODAY + timedelta(days=days_from_today), format="long", locale="tr")


def count(database: Database, model: type[ReviewCase] | type[RedressRequest]) -> int:
    with database.factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def information_request(database: Database) -> tuple[InformationRequest, ReviewCase]:
    with database.factory() as session:
        request = session.scalars(select(InformationRequest)).one()
        case = session.get(ReviewCase, request.case_id)
        assert case is not None
        session.expunge_all()
        return request, case


# --- request for information -----------------------------------------------------------------------


def test_an_answer_returns_the_case_to_the_queue_with_its_deadline_moved(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    turkish(client)
    reference = in_review(database, runtime, tmp_path)
    ask_information(database, runtime, reference, message=OFFICER_MESSAGE)
    _, waiting = information_request(database)
    assert waiting.status == CaseStatus.WAITING_INFO
    page = look_up(client, reference)
    assert gettext("tr", "question.purpose_of_travel") in page and gettext("tr", "question.other") in page
    assert "Which conference will you attend in Busan?\nPlease attach the invitation." in page  # as written
    assert gettext("tr", "portal.status.answer_by", date=long_date(10)) in page
    assert PASSPORT_NUMBER not in page  # neither in the follow-up form nor echoed in the look-up form
    clock.advance(timedelta(hours=5))  # the traveller comes back later: a new look-up, a new token
    page = look_up(client, reference)
    sent = client.post(
        "/status/answer",
        data={"token": token_in(page), "answer": "  Busan Tech Summit, 3–5 March.\r\nInvitation attached.  "},
        files={
            "document.1": ("invitation.pdf", PDF, "application/pdf"),
            "document.2": ("x.pdf", png(), "application/pdf"),
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303, text(sent)
    assert sent.headers["location"] == "/status/sent"
    confirmation = client.get("/status/sent")
    assert gettext("tr", "portal.status.sent_answer") in text(confirmation)
    assert 'name="token"' not in text(confirmation)  # nothing is asked any more
    request, case = information_request(database)
    assert case.status == CaseStatus.OPEN and case.paused_at is None
    assert case.due_at == waiting.due_at + timedelta(hours=5)  # the clock stopped while the traveller wrote
    assert request.answered_at is not None and request.answer is not None
    answer = runtime.keyring.decrypt(request.answer)
    assert answer["text"] == "Busan Tech Summit, 3–5 March.\nInvitation attached."
    pdf, image = answer["documents"]
    assert pdf == {"media_type": "application/pdf", "size": len(PDF), "data": base64.b64encode(PDF).decode()}
    assert image["media_type"] == "image/png"  # the content decides, not the name or the browser's type
    assert "invitation" not in str(answer)  # no file name is kept

    again = client.post("/status/answer", data={"token": token_in(page), "answer": "Once more."})
    assert again.status_code == 409
    assert error_message("tr", "no_information_requested") in text(again)
    assert information_request(database)[0].answered_at == request.answered_at


def test_bad_answers_are_said_next_to_their_inputs_and_change_nothing(
    client: TestClient, database: Database, runtime: Runtime, tmp_path: Path
) -> None:
    turkish(client)
    reference = in_review(database, runtime, tmp_path)
    ask_information(database, runtime, reference, message=None)
    token = token_in(look_up(client, reference))
    files = {
        "document.1": ("notes.pdf", b"just some text, not a PDF", "application/pdf"),
        "document.2": ("huge.pdf", PDF + b"0" * 5_000_000, "application/pdf"),
    }
    bad = client.post("/status/answer", data={"token": token, "answer": "   "}, files=files)
    assert bad.status_code == 422
    assert error_next_to(bad.text, "f-answer") == field_message("tr", "required")
    assert error_next_to(bad.text, "f-document-1") == field_message("tr", "attachment_wrong_type")
    assert error_next_to(bad.text, "f-document-2") == field_message("tr", "attachment_too_large", max=5)
    assert f'value="{token}"' in bad.text  # the same token: the 30 minutes run from the look-up
    too_long = client.post("/status/answer", data={"token": token, "answer": "ş" * 4001})
    assert error_next_to(too_long.text, "f-answer") == field_message("tr", "text_too_long", max="4.000")
    assert "ş" * 4001 in too_long.text  # what was typed is kept
    request, case = information_request(database)
    assert request.answered_at is None and case.status == CaseStatus.WAITING_INFO
    exactly = client.post(
        "/status/answer", data={"token": token, "answer": "ş" * 3998 + "\r\n" + "ş"}, follow_redirects=False
    )
    assert exactly.status_code == 303  # a line break counts once, as the browser's maxlength counts it


def test_a_missing_forged_or_expired_token_sends_the_traveller_back_to_the_look_up(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    turkish(client)
    reference = in_review(database, runtime, tmp_path)
    ask_information(database, runtime, reference, message=None)
    token = token_in(look_up(client, reference))
    with database.factory() as session:
        application_id = str(session.scalars(select(Application.id)).one())
    tampered = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    other_purpose = seal_token(runtime, {"application": application_id, "expires": "2099-01-01T00:00:00+00:00"})
    for forged in ("", "not-a-token", tampered, other_purpose):
        refused = client.post("/status/answer", data={"token": forged, "answer": "Hello"})
        assert refused.status_code == 403, forged
        assert gettext("tr", "portal.status.look_up_again") in text(refused)
        assert 'id="f-reference"' in text(refused) and "<textarea" not in text(refused)
    clock.advance(timedelta(minutes=31))
    expired = client.post("/status/redress", data={"token": token, "reasons": "Hello"})
    assert expired.status_code == 403 and gettext("tr", "portal.status.look_up_again") in text(expired)
    assert client.get("/status/sent", follow_redirects=False).headers["location"] == "/status"
    assert information_request(database)[0].answered_at is None
    assert count(database, RedressRequest) == 0


# --- stated grounds and redress --------------------------------------------------------------------


def test_a_refusal_states_its_ground_and_a_review_can_be_asked_once(
    client: TestClient, database: Database, runtime: Runtime, tmp_path: Path
) -> None:
    turkish(client)
    reference = in_review(database, runtime, tmp_path)
    refuse(database, runtime, reference, ground="security_risk")
    page = look_up(client, reference)
    assert gettext("tr", "status.refused") in page and gettext("tr", "ground.security_risk") in page
    assert gettext("tr", "portal.status.redress_intro", date=long_date(90)) in page
    token = token_in(page)
    empty = client.post("/status/redress", data={"token": token, "reasons": ""})
    assert error_next_to(empty.text, "f-reasons") == field_message("tr", "required")
    assert count(database, RedressRequest) == 0
    cases = count(database, ReviewCase)
    sent = client.post(
        "/status/redress",
        data={"token": token, "reasons": "I am a software engineer attending a conference."},
        files={"document.3": ("letter.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert gettext("tr", "portal.status.sent_redress") in text(client.get("/status/sent"))
    assert count(database, ReviewCase) == cases + 1
    with database.factory() as session:
        redress = session.scalars(select(ReviewCase).where(ReviewCase.kind == "redress")).one()
        assert (redress.status, redress.reasons) == (CaseStatus.OPEN, ["security_risk"])
        content = runtime.keyring.decrypt(session.scalars(select(RedressRequest)).one().content)
    assert content["reasons"] == "I am a software engineer attending a conference."
    assert [d["media_type"] for d in content["documents"]] == ["application/pdf"]

    again = client.post("/status/redress", data={"token": token, "reasons": "Please look again."})
    assert again.status_code == 409
    assert error_message("tr", "redress_already_requested") in text(again)
    assert count(database, RedressRequest) == 1 and count(database, ReviewCase) == cases + 1
    pending = look_up(client, reference)
    assert gettext("tr", "portal.status.redress_pending") in pending and 'name="token"' not in pending
    uphold_redress(database, runtime, reference)
    upheld = look_up(client, reference)
    assert gettext("tr", "portal.status.redress_upheld") in upheld
    assert gettext("tr", "status.refused") in upheld


def test_a_review_is_refused_once_the_period_is_over(
    client: TestClient, database: Database, runtime: Runtime, clock: FixedClock, tmp_path: Path
) -> None:
    reference = in_review(database, runtime, tmp_path)
    refuse(database, runtime, reference)  # on 2026-11-29 at 12:00 KST
    clock.advance(timedelta(days=90, hours=11, minutes=50))  # 23:50 KST on the last day
    token = token_in(look_up(client, reference))
    clock.advance(timedelta(minutes=20))  # the token still works; the period does not
    late = client.post("/status/redress", data={"token": token, "reasons": "I was travelling."})
    assert late.status_code == 409
    assert error_message("en", "redress_period_over") in text(late)
    assert count(database, RedressRequest) == 0
    assert 'name="token"' not in look_up(client, reference)


def test_an_annulment_shows_its_label_and_ground_without_a_review_form(
    client: TestClient, database: Database, runtime: Runtime
) -> None:
    turkish(client)
    reference = screened(database, runtime, expected=Status.APPROVED)
    annul(database, runtime, reference, ground="false_or_doubtful_information")
    page = look_up(client, reference)
    assert gettext("tr", "status.annulled") in page
    assert gettext("tr", "ground.false_or_doubtful_information") in page
    assert gettext("tr", "portal.status.redress_title") not in page and 'name="token"' not in page
