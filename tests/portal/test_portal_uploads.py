"""The application form's uploads and review page through a TestClient, on SQLite and PostgreSQL:
the required face photo (each refusal said next to it, in Turkish, nothing saved), the photo kept
encrypted with the application, the review step (edit keeps everything, submit saves once), and the
passport bio page filling the passport inputs."""

from __future__ import annotations

import base64
import html
import io
import re

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select, text
from tests.adapters.test_mrz_ocr import bio_page, needs_font, needs_ocr
from tests.conftest import Database
from tests.portal.forms import PASSPORT_NUMBER, application_form, blank_jpeg, face_jpeg, hidden_fields, review
from tests.portal.test_portal_pages import count, error_next_to, mrz, turkish

from keta.db.models import Application
from keta.i18n import field_message, gettext
from keta.services.runtime import Runtime
from keta.services.uploads import mrz_reading_available


def two_faces() -> bytes:
    face = np.asarray(Image.open(io.BytesIO(face_jpeg())))
    out = io.BytesIO()
    Image.fromarray(np.concatenate([face, face], axis=1)).save(out, format="JPEG")
    return out.getvalue()


def test_the_photo_is_required(client: TestClient, database: Database) -> None:
    turkish(client)
    response = client.post("/apply", data=application_form())
    assert response.status_code == 422
    assert error_next_to(response.text, "f-photo") == field_message("tr", "required")
    assert count(database, Application) == 0


def test_each_refused_photo_is_explained_in_turkish(client: TestClient, database: Database) -> None:
    turkish(client)
    for photo, code in (
        (b"GIF89a not a photo", "wrong_format"),
        (blank_jpeg(), "no_face"),
        (two_faces(), "several_faces"),
        (b"\xff\xd8\xff" + bytes(20_000_000), "too_large"),  # read only as far as the limit, then refused
    ):
        response = review(client, application_form(), photo)
        assert response.status_code == 422, code
        message = error_next_to(response.text, "f-photo")
        assert message == field_message("tr", f"photo_{code}") and message != field_message("tr", "generic"), code
    assert count(database, Application) == 0


def test_review_edit_and_submit_store_one_application_with_its_photo_encrypted(
    client: TestClient, database: Database, runtime: Runtime
) -> None:
    turkish(client)
    page = review(client, application_form())
    assert page.status_code == 200
    assert gettext("tr", "portal.review.title") in page.text and PASSPORT_NUMBER in page.text
    assert gettext("tr", "portal.sex.F") in page.text  # answers as the traveller reads them
    assert count(database, Application) == 0  # reviewing saves nothing
    fields = hidden_fields(page.text)
    assert base64.b64encode(face_jpeg())[:40].decode() not in page.text  # the photo only as a sealed token
    edit = client.post("/apply/submit", data={**fields, "action": "edit"})
    assert edit.status_code == 200 and f'value="{PASSPORT_NUMBER}"' in edit.text
    assert gettext("tr", "portal.apply.photo_kept") in edit.text
    again = client.post("/apply", data={**application_form(), **hidden_fields(edit.text)})  # no new file
    assert again.status_code == 200 and gettext("tr", "portal.review.title") in again.text
    done = client.post("/apply/submit", data={**hidden_fields(again.text), "action": "submit"}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/apply/confirmation")
    assert count(database, Application) == 1
    with database.factory() as session:
        application = session.scalars(select(Application)).one()
        stored = base64.b64decode(runtime.keyring.decrypt(application.pii)["photo_jpeg"])
        raw = [bytes(row[0]) for row in session.execute(text("SELECT pii FROM applications"))]
    cleaned = Image.open(io.BytesIO(stored))
    assert cleaned.format == "JPEG" and cleaned.size == (512, 512)
    assert all(stored[:64] not in blob and b"\xff\xd8\xff" not in blob for blob in raw)  # not in clear


def test_a_forged_photo_token_counts_as_no_photo(client: TestClient, database: Database) -> None:
    page = review(client, application_form())
    fields = {**hidden_fields(page.text), "photo_token": "AAAA" + hidden_fields(page.text)["photo_token"][4:]}
    refused = client.post("/apply/submit", data={**fields, "action": "submit"})
    assert refused.status_code == 422
    assert error_next_to(refused.text, "f-photo") == field_message("en", "required")
    assert count(database, Application) == 0


def test_an_unreadable_passport_page_is_explained(client: TestClient) -> None:
    turkish(client)
    response = client.post(
        "/apply",
        data={"action": "read_page"},
        files={"passport_page": ("page.jpg", blank_jpeg(), "image/jpeg")},
    )
    assert response.status_code == 422
    if mrz_reading_available():
        assert error_next_to(response.text, "f-passport-page") == field_message("tr", "mrz_not_found")
    else:  # without tesseract the page has no bio-page input: the problem is said in the summary
        assert field_message("tr", "mrz_ocr_unavailable") in response.text


@needs_ocr
@needs_font
def test_the_passport_page_fills_the_passport_inputs(client: TestClient, database: Database) -> None:
    lines = mrz()
    form = {k: v for k, v in application_form().items() if not k.startswith("passport.")}
    page = bio_page(lines, seed=7, angle=1.0)
    filled = client.post(
        "/apply", data={**form, "action": "read_page"}, files={"passport_page": ("page.jpg", page, "image/jpeg")}
    )
    assert filled.status_code == 200, filled.text
    found = re.findall(r'name="([a-z_.0-9]+)" type="text" value="([^"]*)"', filled.text)
    values = {name: html.unescape(value) for name, value in found}
    assert values["passport.surname"] == "YILMAZ" and values["passport.number"] == PASSPORT_NUMBER
    # The country inputs are selects of every country: the code read from the page is the chosen option.
    chosen = (
        r'<select[^>]* id="[^"]+" name="([a-z_.0-9]+)"[^>]*>(?:(?!</select>).)*?<option value="([A-Z]{3})" selected>'
    )
    selected = dict(re.findall(chosen, filled.text, re.S))
    assert selected["passport.nationality"] == selected["passport.issuing_country"] == "TUR"
    assert (values["mrz.0"], values["mrz.1"]) == lines
    boxes = dict(re.findall(r'name="([a-z_.]+\.(?:day|month|year))"[^>]*\bvalue="([^"]*)"', filled.text))
    assert [boxes[f"passport.birth_date.{part}"] for part in ("year", "month", "day")] == ["1990", "04", "12"]
    assert [boxes[f"passport.expiry_date.{part}"] for part in ("year", "month", "day")] == ["2033", "04", "11"]
    assert count(database, Application) == 0
