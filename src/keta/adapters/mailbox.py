"""Development's mailbox: each e-mail keta would send is written as one .eml file in a directory
(`KETA_MAILBOX_DIR`, `./mailbox` by default in development), which any mail client opens and
/dev/mailbox lists. Never used in production (keta.settings_guards refuses the setting there, and
keta.adapters.mailer only picks it for development): the files hold the whole message, personal
data included, which is fine for `keta demo`'s fictional people and nothing else.

The file name starts with a sortable UTC time and a counter, so the newest message sorts last and
two messages in the same microsecond never collide; its rest is random (the Message-ID could name
a person). Reading is bounded: a listing looks at the newest `LIST_LIMIT` files only.
"""

from __future__ import annotations

import itertools
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

LIST_LIMIT = 200
MAX_MESSAGE_BYTES = 5 * 1024 * 1024
_counter = itertools.count()


@dataclass(frozen=True, slots=True)
class Stored:
    name: str  # the file name, which is also its id on /dev/mailbox
    to: str
    subject: str
    date: str


class MailboxMailer:
    def __init__(self, directory: Path, sender: str) -> None:
        self.directory, self.sender = directory, sender

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{stamp}-{next(_counter) % 10_000:04d}-{secrets.token_hex(4)}.eml"
        partial = self.directory / f".{name}.part"
        partial.write_bytes(message.as_bytes(policy=policy.SMTP))
        partial.replace(self.directory / name)  # a reader never sees half a message


def _is_message_name(name: str) -> bool:
    return name.endswith(".eml") and not name.startswith(".") and "/" not in name and "\\" not in name


def _parse(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        raw = handle.read(MAX_MESSAGE_BYTES + 1)
    parsed = BytesParser(policy=policy.default).parsebytes(raw[:MAX_MESSAGE_BYTES])
    assert isinstance(parsed, EmailMessage)
    return parsed


def listing(directory: Path) -> list[Stored]:
    """The newest messages first."""
    if not directory.is_dir():
        return []
    names = sorted((p.name for p in directory.iterdir() if _is_message_name(p.name)), reverse=True)[:LIST_LIMIT]
    found = []
    for name in names:
        message = _parse(directory / name)
        found.append(Stored(name, str(message["To"] or ""), str(message["Subject"] or ""), str(message["Date"] or "")))
    return found


def read(directory: Path, name: str) -> tuple[Stored, str] | None:
    """One message and its plain-text body, or None for a name that is not a stored message."""
    if not _is_message_name(name) or not (directory / name).is_file():
        return None
    message = _parse(directory / name)
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    stored = Stored(name, str(message["To"] or ""), str(message["Subject"] or ""), str(message["Date"] or ""))
    return stored, str(text)
