"""Passport bio-page MRZ reading: pages rendered here in OCR-B, roughed up, read back with tesseract."""

from __future__ import annotations

import io
import random
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from keta.adapters import mrz_ocr
from keta.adapters.mrz_repair import normalise_length, repair_line2, repair_td3
from keta.domain.mrz import render_td3

OCR_B = Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf")
TODAY = date(2026, 1, 1)
ICAO = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TURKISH = render_td3(
    issuing_state="TUR",
    surname="Öztürk",
    given_names="Ayşe Gül",
    document_number="U12345678",
    nationality="TUR",
    birth_date=date(1990, 2, 28),
    sex="X",
    expiry_date=date(2031, 2, 27),
)
MORE = [
    render_td3(
        issuing_state="D",
        surname="Müller-Lüdenscheidt",
        given_names="Jürgen",
        document_number="C01X00T47",
        nationality="D",
        birth_date=date(1964, 8, 12),
        sex="M",
        expiry_date=date(2029, 10, 31),
    ),
    render_td3(
        issuing_state="FRA",
        surname="de la Fontaine",
        given_names="Zoé Océane",
        document_number="18ZB05281",
        nationality="FRA",
        birth_date=date(2001, 12, 5),
        sex="F",
        expiry_date=date(2033, 1, 9),
        personal_number="SO1234I5",
    ),
]

needs_ocr = pytest.mark.skipif(mrz_ocr.tesseract_path() is None, reason="tesseract is not installed (make system-deps)")
needs_font = pytest.mark.skipif(not OCR_B.exists(), reason=f"the OCR-B font is missing ({OCR_B}; make system-deps)")


def bio_page(lines: tuple[str, str], *, seed: int, angle: float, blur: float = 0.8, noise: float = 12.0) -> bytes:
    """A 125 x 88 mm bio page at 10 px/mm: header, photo box, printed fields, the MRZ in OCR-B."""
    page = Image.new("RGB", (1250, 880), (236, 232, 222))
    pen = ImageDraw.Draw(page)
    label, value = ImageFont.truetype(OCR_B, 16), ImageFont.truetype(OCR_B, 22)
    pen.text((60, 40), "PASSPORT  PASSEPORT  PASAPORT", font=value, fill=(60, 60, 90))
    pen.rectangle((60, 110, 360, 500), fill=(190, 190, 200))
    for row, caption in enumerate(["Surname", "Given names", "Nationality", "Date of birth", "Sex", "Date of expiry"]):
        pen.text((420, 110 + row * 62), caption, font=label, fill=(90, 90, 110))
        pen.text((420, 132 + row * 62), "SPECIMEN 12 JAN 1990", font=value, fill=(20, 20, 30))
    mrz = ImageFont.truetype(OCR_B, 36)
    pen.text((50, 700), lines[0], font=mrz, fill=(15, 15, 15))
    pen.text((50, 765), lines[1], font=mrz, fill=(15, 15, 15))
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(255, 255, 255))
    pixels = np.asarray(page.filter(ImageFilter.GaussianBlur(blur))).astype(np.int16)
    pixels += np.random.default_rng(seed).normal(0, noise, pixels.shape).astype(np.int16)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


PAGES = [(ICAO, 1.5), (ICAO, -2.0), (TURKISH, 1.0), (TURKISH, -1.5), (TURKISH, 2.0)]


@needs_ocr
@needs_font
@pytest.mark.parametrize(("lines", "angle"), PAGES, ids=[f"{p[0][0][2:5]}-{p[1]}" for p in PAGES])
def test_rendered_bio_page_is_read_exactly(lines: tuple[str, str], angle: float) -> None:
    result = mrz_ocr.read_mrz(bio_page(lines, seed=random.Random(lines[1]).randrange(1000), angle=angle), today=TODAY)
    assert result.problem is None
    assert result.lines == lines
    assert result.data is not None and result.data.issuing_state == lines[0][2:5].strip("<")


@needs_ocr
@needs_font
@pytest.mark.parametrize(
    ("lines", "angle"), [(MORE[0], 2.0), (MORE[0], -1.0), (MORE[1], -1.0)], ids=["D1", "D2", "FRA"]
)
def test_letters_and_digits_that_look_alike_are_read_or_refused_never_guessed(
    lines: tuple[str, str], angle: float
) -> None:
    # 'C01X00T47' (the German specimen) and 'SO1234I5' mix O/0 and I/1, which tesseract's stock model
    # confuses in OCR-B; a wrong repair can pass the check digits, so a close call must be refused.
    result = mrz_ocr.read_mrz(bio_page(lines, seed=7, angle=angle), today=TODAY)
    assert result.lines in (None, lines)
    assert result.lines is not None or result.problem is mrz_ocr.MrzReadProblem.CHECK_DIGITS_FAILED


@needs_ocr
@needs_font
def test_page_without_mrz_is_not_found() -> None:
    page = Image.new("RGB", (1250, 880), (236, 232, 222))
    ImageDraw.Draw(page).text((60, 40), "HOLIDAY PHOTO", font=ImageFont.truetype(OCR_B, 30), fill="black")
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    assert mrz_ocr.read_mrz(buffer.getvalue()).problem is mrz_ocr.MrzReadProblem.NOT_FOUND


@needs_ocr
def test_not_an_image_is_not_found() -> None:
    assert mrz_ocr.read_mrz(b"%PDF-1.7 not a picture").problem is mrz_ocr.MrzReadProblem.NOT_FOUND


def test_without_tesseract_the_code_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mrz_ocr, "tesseract_path", lambda: None)
    assert mrz_ocr.read_mrz(b"").problem is mrz_ocr.MrzReadProblem.OCR_UNAVAILABLE


# The repair on its own: typical OCR confusions, placed where the layout does or does not allow them.


def test_letters_in_digit_fields_and_digits_in_letter_fields_are_fixed() -> None:
    misread = ("P<UT0ER1KSS0N<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<", "L898902C36UT074O8I22F12O4IS9ZE184226B<<<<<1O")
    assert repair_td3(*misread) == ICAO


def test_ambiguous_document_number_is_settled_by_its_check_digit() -> None:
    # 'O'/'0' and 'C'/'<' are both legal in a document number: only the check digits decide.
    assert repair_line2("L8989O2C36UTO7408122F1204159ZE184226B<<<<<10") == ICAO[1]
    # Fillers read as K at the end of a number field are padding (K and '<' weigh the same: 0).
    assert repair_line2("L898902C36UTO7408122F1204159ZE184226BKKKKK10") == ICAO[1]


def test_a_repair_with_an_equally_good_rival_is_refused() -> None:
    # B->8 in 'ZE184226B' and 2->Z in '...226B' each fix the check digits with one change: no guess.
    assert repair_line2("L898902C36UTO7408122F1204159ZE1842268KKKKK10") is None


def test_filler_lookalikes_in_line_one_and_length() -> None:
    raw = "P<UTOERIKSSON<<ANNA<MARIA<K<<<<KKKKK<<<<<<<KKX"
    assert normalise_length(raw, ICAO[1]) == ICAO


def test_wrong_check_digit_is_not_repaired_away() -> None:
    assert repair_line2(ICAO[1][:19] + "3" + ICAO[1][20:]) is None  # birth-date check digit 2 -> 3
    assert repair_line2(ICAO[1][:43] + "1") is None  # composite
    assert repair_td3("X" + ICAO[0][1:], ICAO[1]) is None
