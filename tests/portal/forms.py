"""The individual form's fields as a browser posts them, built from the API's valid test body."""

from __future__ import annotations

import csv
import functools
import html
import io
import re
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response  # what starlette's TestClient returns (see pyproject: httpx2)
from PIL import Image
from skimage import data
from tests.factories import application_json, member_json

from keta.web.portal.group_csv import COLUMNS

PASSPORT_NUMBER = "U12345678"


def application_form(**overrides: Any) -> dict[str, str]:
    """`application_json(**overrides)` flattened to input names ("passport.number"); booleans as the
    radio values "true"/"false"; an unticked consent box is simply absent."""
    return _inputs(application_json(**overrides))


def _inputs(body: dict[str, Any]) -> dict[str, str]:
    form: dict[str, str] = {}
    for section in ("passport", "travel", "background"):
        for name, value in body.pop(section).items():
            if isinstance(value, list):  # other_nationalities: one select each
                form.update({f"{section}.{name}.{index}": str(item) for index, item in enumerate(value)})
            else:
                form[f"{section}.{name}"] = _text(value)
    # The portal's own question (the API takes the agency's name alone).
    form["background.agency_helped"] = "true" if form.get("background.travel_agency") else "false"
    for name, value in body.items():
        if name == "consent":
            if value:
                form["consent"] = "true"
        elif name == "mrz":
            form["mrz.0"], form["mrz.1"] = value
        else:
            form[name] = _text(value)
    return form


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@functools.cache
def face_jpeg() -> bytes:
    """One face: scikit-image's astronaut (512 x 512) as a JPEG."""
    out = io.BytesIO()
    Image.fromarray(data.astronaut()).save(out, format="JPEG", quality=90)
    return out.getvalue()


def blank_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 400), (200, 200, 200)).save(out, format="JPEG")
    return out.getvalue()


def review(client: TestClient, form: dict[str, str], photo: bytes | None = None) -> Response:
    """The form posted with a photo (the astronaut unless given): the review page, or the form again."""
    return client.post("/apply", data=form, files={"photo": ("photo.jpg", photo or face_jpeg(), "image/jpeg")})


def hidden_fields(page: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    }


def submit(client: TestClient, form: dict[str, str], **changes: str) -> Response:
    """Form → review page → "submit" (with `changes` made to what the review page carries)."""
    page = review(client, form)
    assert page.status_code == 200, page.text
    fields = {**hidden_fields(page.text), **changes, "action": "submit"}
    return client.post("/apply/submit", data=fields, follow_redirects=False)


def member_form(index: int, **overrides: Any) -> dict[str, str]:
    """A distinct group member's inputs on the group page (no contact: the representative's is used)."""
    form = _inputs(member_json(index, **overrides))
    for name in ("consent", "mrz.0", "mrz.1", "email", "phone"):
        form.pop(name, None)
    return form


def members_csv(rows: list[dict[str, str]], delimiter: str = ",") -> bytes:
    """Group members (as `member_form` inputs) in the portal's CSV format, header first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(COLUMNS)
    for row in rows:
        cells = {column: row.get(name, "") for column, name in COLUMNS.items()}
        for column in ("criminal_record", "infectious_disease"):
            cells[column] = {"true": "yes", "false": "no"}.get(cells[column], cells[column])
        writer.writerow(cells.values())
    return out.getvalue().encode("utf-8")


REPRESENTATIVE = {
    "representative.surname": "Demir",
    "representative.given_names": "Mehmet",
    "representative.email": "mehmet.demir@example.org",
    "representative.phone": "+90 555 010 4040",
}
