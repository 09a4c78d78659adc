"""A group's photos come in rounds: at most PHOTOS_PER_ROUND inputs per form and per request, and at
most PHOTO_PIXEL_BUDGET pixels decoded per request (the rest is left for the next round, and said)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.conftest import Database
from tests.portal.forms import REPRESENTATIVE, face_jpeg, hidden_fields, member_form, members_csv
from tests.portal.test_portal_pages import error_next_to
from tests.table_counts import row_counts

from keta.i18n import error_message, field_message, gettext
from keta.web.portal import group_photos
from keta.web.portal.uploads import PHOTOS_PER_ROUND


def group_of(client: TestClient, size: int) -> None:
    page = client.post(
        "/group",
        data={**REPRESENTATIVE, "action": "csv"},
        files={"members_csv": ("m.csv", members_csv([member_form(i) for i in range(size)]), "text/csv")},
    )
    assert page.status_code == 200, page.text
    fields = hidden_fields(page.text)
    form = {**REPRESENTATIVE, "draft": fields["draft"], "consent": "true", "action": "submit"}
    sent = client.post("/group", data={**form, "form_token": fields["form_token"]}, follow_redirects=False)
    assert sent.status_code == 303, sent.text


def photo_inputs(page: str) -> list[str]:
    return re.findall(r'name="(photo\.\d+)" type="file"', page)


def test_a_large_group_is_asked_for_its_photos_one_round_at_a_time(client: TestClient) -> None:
    group_of(client, 12)
    page = client.get("/group/confirmation").text
    assert photo_inputs(page) == [f"photo.{i}" for i in range(PHOTOS_PER_ROUND)]
    assert gettext("en", "portal.group.photos_round", max=PHOTOS_PER_ROUND, later=2) in page
    files = [(f"photo.{i}", (f"{i}.jpg", face_jpeg(), "image/jpeg")) for i in range(PHOTOS_PER_ROUND)]
    done = client.post("/group/photos", files=files, follow_redirects=False)
    assert done.status_code == 303
    assert photo_inputs(client.get("/group/confirmation").text) == ["photo.10", "photo.11"]


def test_more_files_than_a_round_takes_are_refused_before_any_is_decoded(
    client: TestClient, database: Database
) -> None:
    group_of(client, 12)
    before = row_counts(database)
    files = [(f"photo.{i}", (f"{i}.jpg", face_jpeg(), "image/jpeg")) for i in range(PHOTOS_PER_ROUND + 1)]
    refused = client.post("/group/photos", files=files)
    assert refused.status_code == 400
    assert error_message("en", "invalid_input") in refused.text  # the portal's page, not JSON
    assert row_counts(database) == before
    assert len(photo_inputs(client.get("/group/confirmation").text)) == PHOTOS_PER_ROUND  # none saved


def test_photos_past_the_pixel_budget_are_left_for_the_next_round(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    group_of(client, 3)
    monkeypatch.setattr(group_photos, "PHOTO_PIXEL_BUDGET", 2 * 512 * 512)  # the astronaut is 512 x 512
    files = [(f"photo.{i}", (f"{i}.jpg", face_jpeg(), "image/jpeg")) for i in range(3)]
    page = client.post("/group/photos", files=files)
    assert page.status_code == 422
    assert error_next_to(page.text, "f-photo-2") == field_message("en", "photo_not_checked")
    assert photo_inputs(page.text) == ["photo.2"]  # the first two were checked and kept
    assert gettext("en", "portal.group.photos_saved", count=2) in page.text
