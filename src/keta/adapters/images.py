"""Checking an applicant's face photo: format, size, pixel bounds, exactly one face, no metadata.

Every failure is a `PhotoProblem` code (the portal translates it), never an exception. The format
is read from the bytes, not from the file name. Pixel bounds are checked from the header before
anything is decoded, so a crafted "decompression bomb" is refused without allocating it. Faces are
found with OpenCV's bundled Haar cascade (no model is downloaded). The photo that is kept is a fresh
JPEG: EXIF orientation applied, then every metadata block (EXIF, GPS, XMP, ICC, comments) dropped.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import cv2
import numpy as np
from PIL import Image, ImageOps

from keta.domain.policy import PhotoLimits

__all__ = ["PhotoLimits", "PhotoProblem", "PhotoResult", "check_photo", "decode_image", "pixel_count", "sniff_format"]

# Pillow's own bomb guard, as a backstop behind our header check: 10000 x 10000 is the largest
# bound a policy file may set (see keta.adapters.policy_files). Pillow warns above this and raises
# above twice this; the filter below turns the warning into an error everywhere in the process.
MAX_PIXELS: Final = 10_000 * 10_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

_MAGIC: Final = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}
_SWAPPING_ORIENTATIONS: Final = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the image a quarter
_EXIF_ORIENTATION: Final = 0x0112
_CASCADE_FILE: Final = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"  # type: ignore[attr-defined]
_DETECTION_SIDE: Final = 800  # faces are looked for on a copy scaled down to at most this many pixels
_JPEG_QUALITIES: Final = (90, 80, 70, 60)


class PhotoProblem(StrEnum):
    WRONG_FORMAT = "wrong_format"  # not a JPEG or PNG file
    TOO_LARGE = "too_large"  # more bytes than the policy allows
    TOO_SMALL = "too_small"  # narrower or lower than the policy's minimum
    TOO_MANY_PIXELS = "too_many_pixels"  # wider or higher than the maximum (decompression bombs included)
    UNREADABLE = "unreadable"  # truncated or corrupt
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"


@dataclass(frozen=True, slots=True)
class PhotoResult:
    """`jpeg` is the cleaned photo to store (only when `problem` is None)."""

    problem: PhotoProblem | None
    jpeg: bytes | None = None
    width: int | None = None
    height: int | None = None
    faces: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


def sniff_format(data: bytes) -> str | None:
    """'JPEG' or 'PNG' from the file's magic bytes, else None."""
    return next((name for magic, name in _MAGIC.items() if data.startswith(magic)), None)


def pixel_count(data: bytes) -> int:
    """Width x height from the file's header (nothing is decoded); 0 when it is not a readable JPEG/PNG."""
    kind = sniff_format(data)
    if kind is None:
        return 0
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return MAX_PIXELS
    except (OSError, SyntaxError, ValueError, EOFError):
        return 0
    return int(width) * int(height)


def decode_image(data: bytes, limits: PhotoLimits) -> Image.Image | PhotoProblem:
    """Decode a JPEG or PNG within `limits` (EXIF orientation applied, RGB) or say why not."""
    if len(data) > limits.max_bytes:
        return PhotoProblem.TOO_LARGE
    kind = sniff_format(data)
    if kind is None:
        return PhotoProblem.WRONG_FORMAT
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:  # reads the header only
            width, height = image.size
            # Only a JPEG's EXIF is in its header; Pillow decodes a whole PNG to look for one.
            if kind == "JPEG" and image.getexif().get(_EXIF_ORIENTATION) in _SWAPPING_ORIENTATIONS:
                width, height = height, width
            problem = _bounds(width, height, limits)
            if problem is not None:
                return problem
            image.load()
            upright = ImageOps.exif_transpose(image)  # a PNG's eXIf chunk may only be seen now: check again
            return _bounds(upright.width, upright.height, limits) or _rgb(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return PhotoProblem.TOO_MANY_PIXELS
    except (OSError, SyntaxError, ValueError, EOFError):  # UnidentifiedImageError is an OSError
        return PhotoProblem.UNREADABLE


def _bounds(width: int, height: int, limits: PhotoLimits) -> PhotoProblem | None:
    if width > limits.max_width or height > limits.max_height:
        return PhotoProblem.TOO_MANY_PIXELS
    if width < limits.min_width or height < limits.min_height:
        return PhotoProblem.TOO_SMALL
    return None


def _rgb(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white (a transparent background is not black)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")


def count_faces(image: Image.Image) -> int:
    """Frontal faces found by the Haar cascade; faces smaller than 1/8 of the short side are ignored."""
    small = image.copy()
    small.thumbnail((_DETECTION_SIDE, _DETECTION_SIDE))
    gray = cv2.equalizeHist(cv2.cvtColor(np.asarray(small), cv2.COLOR_RGB2GRAY))
    smallest = max(24, min(gray.shape) // 8)
    cascade = cv2.CascadeClassifier(_CASCADE_FILE)  # cheap to load; one per call keeps this thread-safe
    faces = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=6, minSize=(smallest, smallest))
    return len(faces)


def _clean_jpeg(image: Image.Image, max_bytes: int) -> bytes:
    """A new JPEG with no metadata, at the best quality that fits `max_bytes` (the lowest tried otherwise)."""
    data = b""
    for quality in _JPEG_QUALITIES:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality, optimize=True)  # no exif=, icc_profile=: none written
        data = buffer.getvalue()
        if len(data) <= max_bytes:
            break
    return data


def check_photo(data: bytes, limits: PhotoLimits) -> PhotoResult:
    decoded = decode_image(data, limits)
    if isinstance(decoded, PhotoProblem):
        return PhotoResult(decoded)
    faces = count_faces(decoded)
    if faces != 1:
        problem = PhotoProblem.NO_FACE if faces == 0 else PhotoProblem.SEVERAL_FACES
        return PhotoResult(problem, width=decoded.width, height=decoded.height, faces=faces)
    return PhotoResult(None, _clean_jpeg(decoded, limits.max_bytes), decoded.width, decoded.height, faces)
