"""The e-mail templates: one plain-text and one HTML body per message kind, and the HTML layout.

Templates are `string.Template` files (`$name`); every word in them comes from the message catalogs
(msgids starting "email."), filled in by `keta.services.notifications` before rendering. A kind's
files are `<kind>.txt` and `<kind>.html`; the HTML body is wrapped in `_layout.html`. Values are
escaped for HTML here, so a name like "O'Brien <x>" is shown, not interpreted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from importlib.resources import files
from string import Template
from unicodedata import east_asian_width

from babel import Locale

KINDS = (
    "submitted",
    "group_submitted",
    "approved",
    "refused",
    "in_review",
    "revoked",
    "annulled",
    "information_requested",
    "redress_received",
    "redress_upheld",
    "renewal_reminder",
    "email_changed",
    "reference_reminder",
)


@dataclass
class Letter:
    """What one message says, already translated into `locale`."""

    kind: str
    locale: str
    subject: str
    paragraphs: dict[str, str] = field(default_factory=dict)  # template name -> sentence
    facts: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    members: list[tuple[str, str]] = field(default_factory=list)  # (name, reference)
    grounds: list[str] = field(default_factory=list)


@lru_cache
def _template(name: str) -> Template:
    return Template((files("keta") / "email_templates" / name).read_text(encoding="utf-8"))


def render(letter: Letter) -> tuple[str, str]:
    """The plain-text and HTML bodies of `letter`."""
    if letter.kind not in KINDS:
        raise ValueError(f"no e-mail template for {letter.kind!r}")
    width = max((_width(label) for label, _ in letter.facts), default=0)
    text = _template(f"{letter.kind}.txt").substitute(
        letter.paragraphs,
        facts="\n".join(f"  {label}:{' ' * (width - _width(label))} {value}" for label, value in letter.facts),
        members="\n".join(f"  - {name} ({reference})" for name, reference in letter.members),
        grounds="\n".join(letter.grounds),
    )
    body = _template(f"{letter.kind}.html").substitute(
        {name: escape(value) for name, value in letter.paragraphs.items()},
        facts="".join(
            f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>' for label, value in letter.facts
        ),
        members="".join(f"<li>{escape(name)} ({escape(reference)})</li>" for name, reference in letter.members),
        grounds="".join(f"<p><strong>{escape(ground)}</strong></p>" for ground in letter.grounds),
    )
    rtl = Locale.parse(letter.locale, sep="-").character_order == "right-to-left"
    html = _template("_layout.html").substitute(
        lang=escape(letter.locale), dir="rtl" if rtl else "ltr", title=escape(letter.subject), body=body
    )
    return _lines(text), html


def _width(text: str) -> int:
    """Columns in a monospaced font: Hangul and CJK characters take two, so Korean labels line up."""
    return sum(2 if east_asian_width(character) in "WF" else 1 for character in text)


def _lines(text: str) -> str:
    """Trailing spaces off (but not the "-- " signature separator), at most one blank line in a row
    (an empty block leaves none)."""
    out: list[str] = []
    for line in (line if line == "-- " else line.rstrip() for line in text.splitlines()):
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
