"""What the portal calls for uploads, so the web layer never imports OpenCV, Pillow or tesseract.

Both checks answer with a result carrying a problem code (translated by the portal), never raise on
bad input, and log nothing about the file: photos and passport pages are personal data.
"""

from __future__ import annotations

from datetime import date

from keta.adapters import images, mrz_ocr
from keta.adapters.images import PhotoProblem, PhotoResult
from keta.adapters.mrz_ocr import MrzReadProblem, MrzReadResult
from keta.domain.policy import Policy

__all__ = [
    "MrzReadProblem",
    "MrzReadResult",
    "PhotoProblem",
    "PhotoResult",
    "check_photo",
    "mrz_reading_available",
    "photo_pixels",
    "read_mrz",
]


PAGE_MAX_BYTES = mrz_ocr.PAGE_LIMITS.max_bytes


def check_photo(data: bytes, policy: Policy) -> PhotoResult:
    """The face photo against the policy's [photo] limits; on success `jpeg` is the copy to store."""
    return images.check_photo(data, policy.photo)


def photo_pixels(data: bytes) -> int:
    """The photo's pixels as its header declares them (0 when unreadable): a cost known before decoding."""
    return images.pixel_count(data)


def read_mrz(data: bytes, *, today: date | None = None) -> MrzReadResult:
    """The passport bio page's two MRZ lines, repaired and check-digit valid, to pre-fill the form."""
    return mrz_ocr.read_mrz(data, today=today)


def mrz_reading_available() -> bool:
    """False when tesseract is not installed: the portal can hide the bio-page upload."""
    return mrz_ocr.tesseract_path() is not None
