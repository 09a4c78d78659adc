"""A drawn placeholder portrait for `keta demo`'s fictional travellers.

The demo's people do not exist, so they have no photo; a drawing would fail the face check (it looks
for a real face), so the demo stores this one directly, as the copy the check would have kept. It
is never used for anyone who applied.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw


@cache
def placeholder_portrait() -> bytes:
    """A 400 x 400 JPEG: a grey silhouette on a light background, no metadata."""
    image = Image.new("RGB", (400, 400), (236, 240, 244))
    draw = ImageDraw.Draw(image)
    draw.ellipse((130, 70, 270, 230), fill=(150, 160, 172))  # head
    draw.ellipse((70, 240, 330, 470), fill=(150, 160, 172))  # shoulders
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
