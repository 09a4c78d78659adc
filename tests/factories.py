"""Valid input for tests, built as plain dicts (the API's JSON) with overrides where a test needs them."""

from __future__ import annotations

import base64
import copy
import functools
import io
from datetime import date, timedelta
from typing import Any

from PIL import Image
from skimage import data
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.domain.applicant import Applicant
from keta.services import photos
from keta.services.runtime import Runtime
from keta.web.schemas import ApplicationIn

TODAY = date(2026, 11, 29)  # the fixed clock's date in KST


@functools.cache
def face_jpeg() -> bytes:
    """One face that passes the portal's photo check: scikit-image's public-domain astronaut,
    320 x 320 (small, so the face search costs tens of milliseconds per submission)."""
    out = io.BytesIO()
    Image.fromarray(data.astronaut()).resize((320, 320)).save(out, format="JPEG", quality=80)
    return out.getvalue()


def face_base64() -> str:
    return base64.b64encode(face_jpeg()).decode("ascii")


def face_photo() -> photos.CheckedPhoto:
    """The face photo as the check keeps it, for `submission.submit_application(photo=…)` (the
    astronaut passes the check: tests/adapters/test_images.py)."""
    return photos.CheckedPhoto("photo", face_jpeg())


def face_photos(count: int) -> dict[int, photos.CheckedPhoto]:
    """A face photo for each of a group's first `count` members."""
    return {index: photos.CheckedPhoto(f"members[{index}].photo_base64", face_jpeg()) for index in range(count)}


def with_photo(session: Session, rt: Runtime, application: Application) -> Application:
    """Give an application submitted through the services its face photo (what the portal's upload
    or the API's photo field would have kept), so it can be paid for and screened."""
    photos.attach(rt, application, face_jpeg())
    session.flush()
    return application


def application_json(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "passport": {
            "number": "U12345678",
            "issuing_country": "TUR",
            "nationality": "TUR",
            "surname": "Yılmaz",
            "given_names": "Ayşe",
            "sex": "F",
            "birth_date": "1990-04-12",
            "expiry_date": "2033-04-11",
        },
        "email": "ayse.yilmaz@example.org",
        "phone": "+90 555 010 2030",
        "travel": {
            "arrival_date": (TODAY + timedelta(days=30)).isoformat(),
            "purpose": "tourism",
            "address_in_korea": "110 Sejong-daero, Jung-gu, Seoul 04524",
            "flight_number": "TK90",
        },
        "background": {
            "employment": "employed",
            "occupation": "Engineer",
            "previous_visits": 0,
            "criminal_record": False,
            "infectious_disease": False,
        },
        "consent": True,
        # Every valid application has its face photo; `photo_base64=None` sends one without.
        "photo_base64": face_base64(),
    }
    for dotted, value in overrides.items():
        target = body
        *parents, leaf = dotted.split("__")
        for parent in parents:
            target = target[parent]
        target[leaf] = value
    return copy.deepcopy(body)


def member_json(index: int, **overrides: Any) -> dict[str, Any]:
    """A distinct person per index (own passport number, name and birth date)."""
    defaults = {
        "passport__number": f"U{20000000 + index}",
        "passport__given_names": f"Member{'abcdefghijklmnopqrstuvwxyz'[index % 26]}",
        "passport__birth_date": (date(1980, 1, 1) + timedelta(days=97 * index)).isoformat(),
    }
    return application_json(**{**defaults, **overrides})


def applicant(**overrides: Any) -> Applicant:
    return ApplicationIn.model_validate(application_json(**overrides)).to_domain()
