"""The face-photo check: every input is generated here (skimage's public-domain astronaut portrait)."""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest
from PIL import Image, ImageDraw
from skimage import data as skdata

from keta.adapters.images import PhotoLimits, PhotoProblem, check_photo, sniff_format
from keta.adapters.policy_files import PolicyFileError, load_policy, parse_policy
from keta.services import uploads

LIMITS = PhotoLimits()
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _encode(image: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def astronaut() -> Image.Image:
    return Image.fromarray(skdata.astronaut())


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a tiny (wrong) data chunk: a bomb's shape."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")
    )


def test_astronaut_is_accepted_with_one_face_and_no_metadata(astronaut: Image.Image) -> None:
    result = check_photo(_encode(astronaut, "JPEG", quality=92), LIMITS)
    assert result.ok, result.problem
    assert result.faces == 1
    assert result.jpeg is not None and sniff_format(result.jpeg) == "JPEG"
    with Image.open(io.BytesIO(result.jpeg)) as out:
        assert out.size == (512, 512)
        assert not out.getexif()
        assert "exif" not in out.info and "icc_profile" not in out.info


def test_png_portrait_is_accepted_and_comes_back_as_jpeg(astronaut: Image.Image) -> None:
    result = check_photo(_encode(astronaut.convert("RGBA"), "PNG"), LIMITS)
    assert result.ok and result.jpeg is not None and sniff_format(result.jpeg) == "JPEG"


def test_gps_exif_is_stripped_and_orientation_honoured(astronaut: Image.Image) -> None:
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # stored sideways: "rotate 90° clockwise to display"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (37.0, 33.0, 59.0), 3: "E", 4: (126.0, 58.0, 41.0)})
    sideways = astronaut.crop((0, 0, 512, 400)).rotate(90, expand=True)  # 400 x 512 on disk
    data = _encode(sideways, "JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(GPS_IFD), "the fixture must carry GPS data"
    result = check_photo(data, LIMITS)
    assert result.ok, result.problem
    assert (result.width, result.height) == (512, 400)
    assert result.jpeg is not None and b"Exif" not in result.jpeg[:4096]
    with Image.open(io.BytesIO(result.jpeg)) as out:
        assert not out.getexif() and not out.getexif().get_ifd(GPS_IFD)


def test_blank_image_and_drawing_have_no_face() -> None:
    blank = Image.new("RGB", (600, 800), (240, 240, 240))
    drawing = Image.new("RGB", (600, 800), "white")
    pen = ImageDraw.Draw(drawing)
    pen.rectangle((50, 400, 550, 750), outline="navy", width=8)
    pen.polygon([(50, 400), (300, 150), (550, 400)], fill="darkred")
    pen.ellipse((400, 40, 520, 160), fill="gold")
    pen.line((0, 780, 600, 700), fill="green", width=12)
    for image in (blank, drawing):
        assert check_photo(_encode(image, "PNG"), LIMITS).problem is PhotoProblem.NO_FACE


def test_two_astronauts_are_several_faces(astronaut: Image.Image) -> None:
    pair = Image.fromarray(np.hstack([np.asarray(astronaut)] * 2))
    result = check_photo(_encode(pair, "JPEG"), LIMITS)
    assert result.problem is PhotoProblem.SEVERAL_FACES
    assert result.faces == 2


def test_format_comes_from_the_bytes_not_the_name(astronaut: Image.Image) -> None:
    png = _encode(astronaut, "PNG")
    assert sniff_format(png) == "PNG"  # whatever the upload was called ("photo.jpg")
    assert check_photo(png, LIMITS).ok


@pytest.mark.parametrize(
    "data",
    [
        b"GIF89a" + b"\0" * 64,
        b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
        b"just some text, renamed photo.jpg\n",
        b"",
    ],
    ids=["gif", "pdf", "text", "empty"],
)
def test_other_formats_are_refused(data: bytes) -> None:
    assert check_photo(data, LIMITS).problem is PhotoProblem.WRONG_FORMAT


def test_real_gif_is_refused(astronaut: Image.Image) -> None:
    assert check_photo(_encode(astronaut, "GIF"), LIMITS).problem is PhotoProblem.WRONG_FORMAT


def test_one_pixel_is_too_small() -> None:
    assert check_photo(_encode(Image.new("RGB", (1, 1)), "PNG"), LIMITS).problem is PhotoProblem.TOO_SMALL


@pytest.mark.parametrize("size", [(100_000, 100_000), (4001, 400), (400, 4001), (0x7FFF_FFFF, 1)])
def test_huge_dimensions_are_refused_before_decoding(size: tuple[int, int]) -> None:
    bomb = _png_header_only(*size)
    assert len(bomb) < 100
    assert check_photo(bomb, LIMITS).problem is PhotoProblem.TOO_MANY_PIXELS


def test_pillow_bomb_guard_is_a_code_too() -> None:
    # Limits looser than Pillow's own ceiling: Pillow's DecompressionBombError must still become a code.
    loose = PhotoLimits(max_width=10**6, max_height=10**6)
    assert check_photo(_png_header_only(60_000, 60_000), loose).problem is PhotoProblem.TOO_MANY_PIXELS
    assert check_photo(_png_header_only(12_000, 10_000), loose).problem is PhotoProblem.TOO_MANY_PIXELS


def test_too_many_bytes() -> None:
    assert check_photo(b"\xff\xd8\xff" + b"\0" * 100, PhotoLimits(max_bytes=50)).problem is PhotoProblem.TOO_LARGE


def test_truncated_and_corrupt_files_are_unreadable(astronaut: Image.Image) -> None:
    jpeg = _encode(astronaut, "JPEG")
    png = _encode(astronaut, "PNG")
    for broken in (jpeg[: len(jpeg) // 2], png[: len(png) // 2], b"\xff\xd8\xff" + b"\x13" * 500, png[:40]):
        assert check_photo(broken, LIMITS).problem is PhotoProblem.UNREADABLE


def test_policy_photo_limits_come_from_the_photo_section() -> None:
    assert load_policy("kr").photo == PhotoLimits(2_000_000, 300, 300, 4000, 4000)
    assert load_policy("etias").photo == PhotoLimits()  # no [photo] section: keta's defaults


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("max_width = 4000", "max_width = 20000", "photo.max_width"),  # above the bomb guard's ceiling
        ("min_width = 300", "min_width = 5000", "photo"),  # minimum above maximum
        ("[photo]\n", "[photo]\ncolour = true\n", "photo.colour"),  # unknown key
    ],
)
def test_bad_photo_section_is_refused(old: str, new: str, key: str) -> None:
    text = resources.files("keta.policies").joinpath("kr.toml").read_text("utf-8")
    assert old in text
    with pytest.raises(PolicyFileError, match=rf"bad key '{re.escape(key)}'"):
        parse_policy(text.replace(old, new, 1))


def test_service_uses_the_policy_limits(astronaut: Image.Image) -> None:
    strict = replace(load_policy("kr"), photo=PhotoLimits(min_width=600, min_height=600))
    assert uploads.check_photo(_encode(astronaut, "JPEG"), strict).problem is PhotoProblem.TOO_SMALL
    assert uploads.check_photo(_encode(astronaut, "JPEG"), load_policy("kr")).ok
