"""Append new messages to messages.pot and to every language's messages.po in one step.

Usage: python tools/add_messages.py NEW.json [--replace]

NEW.json maps each msgid to an object with "en" (the English text, also written into the template's
`#. English:` comment), optionally "comment" (a note for translators), and one entry per other
locale code (the translation).  Every known locale must be present: a half-translated catalog fails
`tests/web/test_i18n.py`, so this tool refuses it before writing anything.  With --replace an
existing msgid's texts are rewritten in place; without it an existing msgid is an error.

Also usable after a union merge of catalogs (`.gitattributes`): `--repair` rewrites every catalog
through Babel, which restores the blank lines and `msgstr ""` headers a union merge can drop.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "keta" / "locale"


def _read(path: Path, locale: str | None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def _write(path: Path, catalog: Catalog, brace_new: set[str] | None = None) -> None:
    """Write entries one per block (comments unwrapped, as the catalogs are kept), header unchanged."""
    original = path.read_text(encoding="utf-8")
    header = original[: original.index("\n\n", original.index('msgid ""')) + 2]
    # Babel recomputes format flags on reading; keep the brace-format flag the file declared.
    brace = set(re.findall(r'#, python-brace-format\nmsgid "([^"]+)"', original)) | (brace_new or set())
    blocks = []
    for message in catalog:
        if not message.id:
            continue
        section = "".join(f"# {comment}\n" for comment in message.user_comments)
        lines = ([section] if section else []) + [f"#. {comment}" for comment in message.auto_comments]
        lines += [f"#: {name}" + (f":{line}" if line else "") for name, line in message.locations]
        flags = set(message.flags) | ({"python-brace-format"} if message.id in brace else set())
        if flags - {"python-format"}:
            lines.append("#, " + ", ".join(sorted(flags - {"python-format"})))
        lines += [f"msgid {_quote(str(message.id))}", f"msgstr {_quote(str(message.string or ''))}"]
        blocks.append("\n".join(lines) + "\n")
    path.write_text(header + "\n".join(blocks), encoding="utf-8")


def _locales() -> list[str]:
    return sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def add(new: dict[str, dict[str, str]], replace: bool) -> None:
    locales = _locales()
    for msgid, texts in new.items():
        missing = [code for code in locales if code not in texts and code.replace("_", "-") not in texts]
        if missing:
            raise SystemExit(f"{msgid}: no text for {', '.join(missing)}")
    targets = [(LOCALE_DIR / "messages.pot", None, None)] + [
        (LOCALE_DIR / code / "LC_MESSAGES" / "messages.po", code, code) for code in locales
    ]
    brace_new: set[str] = set()
    for path, locale, code in targets:
        catalog = _read(path, locale)
        for msgid, texts in new.items():
            if msgid in catalog and not replace:
                raise SystemExit(f"{msgid} is already in {path.relative_to(LOCALE_DIR)} (use --replace)")
            english = texts["en"]
            comments = [f"English: {english}"] + ([texts["comment"]] if texts.get("comment") else [])
            text = "" if code is None else texts.get(code, texts.get(code.replace("_", "-"), ""))
            if re.search(r"\{[a-z_]+\}", english):
                brace_new.add(msgid)
            if msgid in catalog:
                message = catalog[msgid]
                message.string, message.auto_comments = text, comments
            else:
                catalog.add(msgid, text, auto_comments=comments)
        _write(path, catalog, brace_new)


def repair() -> None:
    paths = [LOCALE_DIR / "messages.pot", *sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if "<<<<<<<" in text or ">>>>>>>" in text:
            raise SystemExit(f"conflict markers left in {path}")
        locale = None if path.suffix == ".pot" else path.parent.parent.name
        _write(path, _read(path, locale))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--repair"]:
        repair()
        return
    if not argv:
        raise SystemExit(__doc__)
    new = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    add(new, replace="--replace" in argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
