"""The receiving side of the e-mail tests: an aiosmtpd handler that keeps every accepted message."""

from __future__ import annotations

from dataclasses import dataclass, field
from email import message_from_bytes, message_from_string
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """What the server accepted; `fail_next` makes it answer the next deliveries with 451."""

    received: list[Received] = field(default_factory=list)
    fail_next: int = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        if self.fail_next > 0:
            self.fail_next -= 1
            return "451 4.3.0 Try again later"
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        # An SMTPUTF8 message carries raw UTF-8 headers (RFC 6532), which only a text parse reads back.
        utf8 = bool(getattr(envelope, "smtp_utf8", False))
        message = (
            message_from_string(content.decode("utf-8"), policy=default)
            if utf8
            else message_from_bytes(content, policy=default)
        )
        assert isinstance(message, EmailMessage)
        self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 OK"


def parts(message: EmailMessage) -> dict[str, str]:
    """content type → decoded text of each leaf part."""
    found: dict[str, str] = {}
    for part in message.walk():
        if not part.is_multipart():
            assert isinstance(part, EmailMessage)
            found[part.get_content_type()] = part.get_content()
    return found
