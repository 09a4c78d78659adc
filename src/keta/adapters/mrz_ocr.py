"""Reading the machine-readable zone of a passport bio page (TD3) from an uploaded image.

1. Find the band: the two lowest text lines spanning most of the page (OpenCV morphology),
   straightened and binarised.
2. Cut it into glyphs. OCR-B is monospaced and every MRZ glyph is one blob, so a good band has
   44 per line; the filler '<' is recognised by its shape. Tesseract reads long filler runs as
   'KKK<K' and miscounts them, so when the geometry holds, the fillers are erased and tesseract
   (Debian's, stock `eng` model, whitelist [A-Z0-9]) only reads the letters and digits, which are put
   back into the non-filler cells. Otherwise tesseract reads the whole band ([A-Z0-9<], psm 6).
3. Repair with the field layout and the five check digits (`keta.adapters.mrz_repair`); the
   whole-band read is repaired too, and when both repairs pass but disagree nothing is trusted.

Nothing is downloaded. OCR text is personal data and is never logged.
"""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, Final

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from keta.adapters.images import PhotoLimits, decode_image
from keta.adapters.mrz_repair import TD3_LINE_LENGTH, normalise_length, repair_td3
from keta.domain.mrz import MrzData, parse_td3

# A bio-page photo or scan may be larger and heavier than a face photo.
PAGE_LIMITS: Final = PhotoLimits(max_bytes=15_000_000, min_width=400, min_height=250, max_width=8000, max_height=8000)
_LETTERS_DIGITS: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_WORK_WIDTH: Final = 1200  # the page is scaled to this width to find the band
_TESSERACT_TIMEOUT_S: Final = 30
Gray = NDArray[Any]  # 8-bit grey levels; OpenCV's stubs do not carry the dtype through
Box = tuple[int, int, int, int]  # x, y, width, height


class MrzReadProblem(StrEnum):
    NOT_FOUND = "not_found"  # no MRZ band on the image (or no image we can decode)
    UNREADABLE = "unreadable"  # a band, but not two 44-character lines
    CHECK_DIGITS_FAILED = "check_digits_failed"  # two lines, but no repair passes every check digit
    OCR_UNAVAILABLE = "ocr_unavailable"  # tesseract is not installed on this server


@dataclass(frozen=True, slots=True)
class MrzReadResult:
    lines: tuple[str, str] | None
    problem: MrzReadProblem | None
    data: MrzData | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def tesseract_path() -> str | None:
    return shutil.which("tesseract")


def read_mrz(data: bytes, *, today: date | None = None) -> MrzReadResult:
    """The two TD3 lines of a passport bio-page image, repaired and validated, or a problem code."""
    binary = tesseract_path()
    if binary is None:
        return MrzReadResult(None, MrzReadProblem.OCR_UNAVAILABLE)
    image = decode_image(data, PAGE_LIMITS)
    if not isinstance(image, Image.Image):
        return MrzReadResult(None, MrzReadProblem.NOT_FOUND)
    band = find_band(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2GRAY))
    if band is None:
        return MrzReadResult(None, MrzReadProblem.NOT_FOUND)
    reads = read_band(binary, band)
    if not reads:
        return MrzReadResult(None, MrzReadProblem.UNREADABLE)
    day = today or datetime.now(tz=UTC).date()
    trusted = []
    for read in reads:
        repaired = repair_td3(*read)
        parsed = parse_td3(*repaired, today=day) if repaired else None
        if repaired and parsed and parsed.valid:
            trusted.append((repaired, parsed.data))
    # Two reads whose repairs both pass yet differ: the check digits cannot tell which is right.
    if not trusted or len({lines[1] for lines, _ in trusted}) > 1:
        return MrzReadResult(None, MrzReadProblem.CHECK_DIGITS_FAILED)
    return MrzReadResult(trusted[0][0], None, trusted[0][1])


def _long_lines(gray: Gray) -> list[tuple[float, Box]]:
    """(angle in degrees, bounding box) of text lines that span most of the page."""
    width = gray.shape[1]
    blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 9)))
    _, strokes = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    smeared = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (31, 3)))
    smeared = cv2.morphologyEx(smeared, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    contours, _ = cv2.findContours(smeared, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    lines = []
    for contour in contours:
        (_, _), (side_a, side_b), angle = cv2.minAreaRect(contour)
        if side_a < side_b:
            side_a, side_b, angle = side_b, side_a, angle - 90
        angle = (angle + 45) % 90 - 45  # the tilt of the long side, in [-45, 45)
        if side_a >= 0.6 * width and side_a / max(side_b, 1.0) >= 12:
            x, y, w, h = cv2.boundingRect(contour)
            lines.append((angle, (x, y, w, h)))
    return lines


def find_band(gray: Gray) -> Gray | None:
    """The MRZ band, straightened, upscaled and binarised (black text on white), or None."""
    scale = _WORK_WIDTH / gray.shape[1]
    work = cv2.resize(gray, (_WORK_WIDTH, max(1, round(gray.shape[0] * scale))), interpolation=cv2.INTER_AREA)
    lines = sorted(_long_lines(work), key=lambda line: line[1][1])[-2:]  # the two lowest long lines
    if len(lines) < 2:
        return None
    x0, y0 = min(box[0] for _, box in lines), min(box[1] for _, box in lines)
    x1, y1 = max(box[0] + box[2] for _, box in lines), max(box[1] + box[3] for _, box in lines)
    rotation = cv2.getRotationMatrix2D(((x0 + x1) / 2, (y0 + y1) / 2), float(np.median([a for a, _ in lines])), 1.0)
    straight = cv2.warpAffine(work, rotation, (work.shape[1], work.shape[0]), borderValue=255, flags=cv2.INTER_CUBIC)
    pad_x, pad_y = 12, max(8, (y1 - y0) // 6)
    band = straight[max(0, y0 - pad_y) : y1 + pad_y, max(0, x0 - pad_x) : x1 + pad_x]
    band = cv2.GaussianBlur(cv2.resize(band, None, fx=1.6, fy=1.6, interpolation=cv2.INTER_CUBIC), (3, 3), 0)
    _, binary = cv2.threshold(band, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return cv2.copyMakeBorder(binary, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)


def is_filler(mask: NDArray[np.bool_]) -> bool:
    """'<' by shape: its left edge is a point at mid-height, its right edge two stroke ends."""
    height, width = mask.shape
    if height < 8 or width < 6:
        return False
    edge = max(1, width // 5)
    left = np.flatnonzero(mask[:, :edge].any(axis=1))
    right = np.flatnonzero(mask[:, width - edge :].any(axis=1))
    if left.size == 0 or right.size == 0:
        return False
    left_is_point = (left[-1] - left[0] + 1) < 0.5 * height and 0.35 < left.mean() / height < 0.65
    right_is_open = right[0] < 0.2 * height and right[-1] > 0.8 * height
    right_middle = mask[int(0.4 * height) : int(0.6 * height) + 1, width - edge :].any()
    return bool(left_is_point and right_is_open and not right_middle)


def _glyph_rows(band: Gray) -> list[list[tuple[Box, bool]]] | None:
    """Two rows of 44 (box, is_filler) glyphs, or None when the band does not cut that cleanly."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats((band < 128).astype(np.uint8), connectivity=8)
    blobs = [i for i in range(1, count) if stats[i][3] >= 8]
    if not blobs:
        return None
    tall = float(np.median([stats[i][3] for i in blobs]))
    blobs = [i for i in blobs if stats[i][3] >= 0.5 * tall]
    centres = sorted((stats[i][1] + stats[i][3] / 2, i) for i in blobs)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(centres)]
    if not gaps or max(gaps) < 0.5 * tall:
        return None
    cut = gaps.index(max(gaps)) + 1
    rows = []
    for part in (centres[:cut], centres[cut:]):
        row = sorted((i for _, i in part), key=lambda i: stats[i][0])
        if len(row) != TD3_LINE_LENGTH:
            return None
        rows.append([(tuple(int(v) for v in stats[i][:4]), is_filler(_mask(labels, stats[i], i))) for i in row])
    return rows  # type: ignore[return-value]


def _mask(labels: NDArray[Any], stat: NDArray[Any], index: int) -> NDArray[np.bool_]:
    x, y, w, h = (int(v) for v in stat[:4])
    return np.asarray(labels[y : y + h, x : x + w] == index)


# Line 2 cells by what the layout allows there (fillers aside): read with that whitelist only.
_LINE2_DIGITS: Final = (9, *range(13, 20), *range(21, 28), 42, 43)
_LINE2_LETTERS: Final = (10, 11, 12, 20)
_DIGITS: Final = "0123456789"
_LETTERS: Final = _LETTERS_DIGITS[:26]
_MAX_SINGLE_READS: Final = 24  # glyphs read one by one when a group is miscounted


def _cells(binary: str, band: Gray, row: list[tuple[Box, bool]], picks: list[int], whitelist: str) -> str | None:
    """Read the glyphs `picks` of `row` (none a filler), set side by side at their own pitch; None on a miscount."""
    if not picks:
        return ""
    top = min(box[1] for box, _ in row)
    height = max(box[1] + box[3] for box, _ in row) - top
    pitch = max(box[2] for box, _ in row) + max(6, height // 4)
    canvas = np.full((height + 40, pitch * len(picks) + 40), 255, dtype=np.uint8)
    widest = max(box[2] for box, _ in row)
    for slot, index in enumerate(picks):
        x, y, w, h = row[index][0]
        left = 20 + slot * pitch + (widest - w) // 2  # centred in its cell, as printed (monospace)
        canvas[20 + y - top : 20 + y - top + h, left : left + w] = band[y : y + h, x : x + w]
    text = "".join(ocr(binary, canvas, whitelist, psm="7"))
    if len(text) == len(picks):
        return text
    if len(picks) > _MAX_SINGLE_READS:
        return None
    # Miscounted: one glyph at a time, slower but it cannot merge or split glyphs.
    gap = pitch - max(box[2] for box, _ in row)
    singles = []
    for slot in range(len(picks)):
        left = 20 + slot * pitch - gap // 2
        glyph = cv2.copyMakeBorder(canvas[:, left : left + pitch], 0, 0, 20, 20, cv2.BORDER_CONSTANT, value=255)
        read = "".join(ocr(binary, glyph, whitelist, psm="8"))  # "one word": psm 10 drops some letters
        singles.append(read if len(read) == 1 else "".join(ocr(binary, glyph, whitelist, psm="10")))
    return "".join(singles) if all(len(char) == 1 for char in singles) else None


def _read_glyphs(binary: str, band: Gray, rows: list[list[tuple[Box, bool]]]) -> tuple[str, str] | None:
    first, second = ["<" if filler else "" for _, filler in rows[0]], ["<" if filler else "" for _, filler in rows[1]]
    plan = [(first, rows[0], [i for i, c in enumerate(first) if not c], _LETTERS)]
    for positions, whitelist in ((_LINE2_DIGITS, _DIGITS), (_LINE2_LETTERS, _LETTERS)):
        plan.append((second, rows[1], [i for i in positions if not second[i]], whitelist))
    rest = [i for i, c in enumerate(second) if not c and i not in _LINE2_DIGITS and i not in _LINE2_LETTERS]
    plan.append((second, rows[1], rest, _LETTERS_DIGITS))
    for line, row, picks, whitelist in plan:
        text = _cells(binary, band, row, picks, whitelist)
        if text is None:
            return None
        for index, char in zip(picks, text, strict=True):
            line[index] = char
    return "".join(first), "".join(second)


def read_band(binary: str, band: Gray) -> list[tuple[str, str]]:
    """Up to two independent 44-character reads (not yet repaired): glyph by glyph, then the whole band."""
    reads = []
    rows = _glyph_rows(band)
    glyphs = _read_glyphs(binary, band, rows) if rows is not None else None
    if glyphs is not None:
        reads.append(glyphs)
    lines = [line for line in ocr(binary, band, _LETTERS_DIGITS + "<") if len(line) >= TD3_LINE_LENGTH // 2]
    if glyphs and lines and len(lines[-1]) == TD3_LINE_LENGTH:
        # Line 1 has no check digit to arbitrate: the glyph read's, whose fillers come from their shape, wins.
        reads.append((glyphs[0], lines[-1]))
    elif not glyphs and len(lines) >= 2 and (whole := normalise_length(lines[-2], lines[-1])):
        reads.append(whole)
    return reads


def ocr(binary: str, band: Gray, whitelist: str, *, psm: str = "6") -> list[str]:
    """Tesseract's lines (spaces removed): one uniform block of text (psm 6), `whitelist` characters only."""
    buffer = io.BytesIO()
    Image.fromarray(band).save(buffer, format="PNG")
    command = [binary, "stdin", "stdout", "-l", "eng", "--psm", psm, "--oem", "1"]
    for setting in (f"tessedit_char_whitelist={whitelist}", "load_system_dawg=0", "load_freq_dawg=0"):
        command += ["-c", setting]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread per call: the web server runs calls in parallel
    try:
        # The executable comes from PATH (shutil.which) and every argument is a constant: nothing user-supplied.
        done = subprocess.run(  # noqa: S603
            command, input=buffer.getvalue(), capture_output=True, timeout=_TESSERACT_TIMEOUT_S, check=False, env=env
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:
        return []
    return [
        line.replace(" ", "") for line in done.stdout.decode("ascii", errors="replace").splitlines() if line.strip()
    ]
