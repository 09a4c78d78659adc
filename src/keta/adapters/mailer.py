"""Outgoing e-mail: one `Mailer` protocol, an SMTP implementation, and two for development and tests.

`KETA_SMTP_URL` selects the transport (see `mailer_for`):

    smtp://[user:password@]host[:port][?starttls=1][&from=Sender%20<no-reply%40example.org>]
    smtps://[user:password@]host[:port][?from=...]

User and password are percent-decoded. Nothing here logs a recipient, a subject or a body: they
carry personal data. Failures raise (smtplib's own exceptions or `OSError`) so a job retries.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from keta.adapters.mailbox import MailboxMailer

log = logging.getLogger("keta.mail")

DEFAULT_SENDER = "keta <no-reply@localhost>"
# Per socket operation. Short: the job's transaction stays open while we talk to the server (on
# SQLite it holds the write lock), and a slow server is better retried than waited for.
SMTP_TIMEOUT_SECONDS = 10.0


class MailerNotConfigured(ValueError):
    pass


class Mailer(Protocol):
    sender: str
    """The From header (with an optional display name); its domain also names Message-IDs."""

    def send(self, message: EmailMessage) -> None:
        """Deliver `message` to its To addresses only; raise on any failure."""
        ...


def recipients(message: EmailMessage) -> list[str]:
    """The envelope recipients: the To header's addresses, nothing else (no Cc, no Bcc)."""
    return [address.addr_spec for address in message["To"].addresses]


def sender_domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


class SmtpMailer:
    """Delivers through an SMTP server, one connection per message (jobs are rare and independent)."""

    def __init__(self, url: str, *, timeout: float = SMTP_TIMEOUT_SECONDS) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise MailerNotConfigured("KETA_SMTP_URL must look like smtp://host:port or smtps://host:port")
        query = parse_qs(parts.query)
        self.implicit_tls = parts.scheme == "smtps"
        self.starttls = query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes")
        if self.implicit_tls and self.starttls:
            raise MailerNotConfigured("KETA_SMTP_URL: smtps:// already encrypts; drop ?starttls=1")
        self.host = parts.hostname
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = query.get("from", [DEFAULT_SENDER])[0]
        self.timeout = timeout
        self._context: ssl.SSLContext | None = None

    def tls_context(self) -> ssl.SSLContext:
        """Made once per mailer, and only when TLS is used: building one reads and parses the whole
        CA bundle (0.2-0.3 s of CPU here), which per message was most of an e-mail job's cost."""
        if self._context is None:
            self._context = ssl.create_default_context()
        return self._context

    def send(self, message: EmailMessage) -> None:
        client: smtplib.SMTP
        if self.implicit_tls:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self.tls_context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.starttls:
                client.starttls(context=self.tls_context())
            if self.username is not None:
                client.login(self.username, self.password or "")
            # Explicit recipients: a stray Cc/Bcc header can never widen the envelope.
            client.send_message(message, to_addrs=recipients(message))
        log.info("e-mail sent: message-id=%s", message["Message-ID"])


class ConsoleMailer:
    """Development: records in the log that a message would have been sent — never to whom or what."""

    def __init__(self, sender: str = DEFAULT_SENDER) -> None:
        self.sender = sender

    def send(self, message: EmailMessage) -> None:
        log.info(
            "e-mail not sent (no KETA_SMTP_URL): message-id=%s language=%s",
            message["Message-ID"],
            message["Content-Language"],
        )


class RecordingMailer:
    """Tests of other modules: keeps the messages in memory."""

    def __init__(self, sender: str = DEFAULT_SENDER) -> None:
        self.sender = sender
        self.sent: list[EmailMessage] = []
        self._lock = threading.Lock()

    def send(self, message: EmailMessage) -> None:
        with self._lock:
            self.sent.append(message)


DEFAULT_MAILBOX = "mailbox"


def mailer_for(env: str, smtp_url: str | None, mailbox_dir: str | None = None) -> Mailer:
    """The mailer for these settings. Without `KETA_SMTP_URL`, development writes each message to
    its local mailbox (`KETA_MAILBOX_DIR`, ./mailbox; keta.adapters.mailbox, read at /dev/mailbox)
    and tests only log, so `keta demo` needs no mail server; production refuses, as it does for dev
    keys: a traveller who never hears of a decision is worse than a service that does not start."""
    if smtp_url:
        return SmtpMailer(smtp_url)
    if env == "production":
        raise MailerNotConfigured("KETA_SMTP_URL must be set in production (e.g. smtp://mail.internal:587?starttls=1)")
    if env == "development":
        return MailboxMailer(Path(mailbox_dir or DEFAULT_MAILBOX), DEFAULT_SENDER)
    return ConsoleMailer()
