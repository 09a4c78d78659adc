"""The messages themselves (every kind, every language) and the mailers, without a network."""

from __future__ import annotations

import dataclasses
import logging
import re
from email.message import EmailMessage
from importlib.resources import files
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import applicant, face_photo
from tests.notifications.smtp_inbox import parts
from tests.payments import pay_in_service

from keta.adapters.mailbox import MailboxMailer
from keta.adapters.mailer import (
    ConsoleMailer,
    MailerNotConfigured,
    RecordingMailer,
    SmtpMailer,
    mailer_for,
    recipients,
)
from keta.db.models import Job
from keta.email_templates import KINDS, Letter, render
from keta.i18n import KNOWN_LOCALES
from keta.services import notifications, submission
from keta.services.documents import ReportedDocument, add_reported
from keta.services.runtime import Runtime
from keta.services.screening import screen_application
from keta.services.submission import Representative


def deliver_all(session: Session, rt: Runtime) -> list[EmailMessage]:
    """Run every queued e-mail job's work directly, in order, through a recording mailer."""
    mailer = RecordingMailer("K-ETA <no-reply@keta.example>")
    rt = dataclasses.replace(rt, mailer=mailer)
    for job in session.scalars(select(Job).where(Job.kind == notifications.SEND_EMAIL).order_by(Job.created_at)):
        assert notifications.send(session, rt, dict(job.payload))
    return mailer.sent


def decide(session: Session, rt: Runtime, language: str, **overrides: object) -> None:
    application = submission.submit_application(
        session, rt, applicant=applicant(**overrides), language=language, photo=face_photo()
    )
    pay_in_service(session, rt, [application])
    screen_application(session, rt, application_id=application.id)


@pytest.mark.parametrize("language", sorted(KNOWN_LOCALES))
def test_every_kind_renders_completely_in_every_language(session: Session, runtime: Runtime, language: str) -> None:
    add_reported(session, [ReportedDocument("U30000000", "TUR")], source="test")
    decide(session, runtime, language)  # approved
    decide(session, runtime, language, passport__number="U30000000", passport__given_names="Refused")
    decide(session, runtime, language, passport__number="U30000001", passport__given_names="Review",
           background__infectious_disease=True)  # fmt: skip
    members = [applicant(passport__number=f"U4000000{i}", passport__given_names=f"Member{'ab'[i]}") for i in range(2)]
    representative = Representative("Demir", "Mehmet", "mehmet.demir@example.org", "+90 555")
    submission.submit_group(session, runtime, representative=representative, members=members, language=language)
    messages = deliver_all(session, runtime)
    kinds = [m["Subject"] for m in messages]
    assert len(kinds) == 7 and len(set(kinds)) == 7  # 3 submissions, 3 decisions, 1 group; all distinct
    for message in messages:
        assert message["Content-Language"] == language
        body = parts(message)
        assert set(body) == {"text/plain", "text/html"}
        for text in (message["Subject"], *body.values()):
            assert "email." not in text  # no msgid left untranslated
            assert "{" not in text and "$" not in text  # no placeholder left unfilled


def test_an_unknown_language_falls_back_to_english(session: Session, runtime: Runtime) -> None:
    # Swahili is not shipped (yet): the message falls back to English.
    submission.submit_application(session, runtime, applicant=applicant(), language="sw")
    [message] = deliver_all(session, runtime)
    assert message["Content-Language"] == "en"
    assert message["Subject"].endswith(" received")


def test_values_are_escaped_in_html_and_not_in_text(session: Session, runtime: Runtime) -> None:
    submission.submit_application(
        session, runtime, applicant=applicant(passport__given_names="Ayşe D'Arc"), language="en"
    )
    [message] = deliver_all(session, runtime)
    assert "Ayşe D&#x27;Arc" in parts(message)["text/html"]
    assert "Hello Ayşe D'Arc Yılmaz," in parts(message)["text/plain"]
    slots = dict.fromkeys(("intro", "delay", "check_status", "footer"), "&")
    letter = Letter("in_review", "en", "<Subject>", paragraphs={**slots, "greeting": "<b>"}, facts=[("<x>", "<y>")])
    text, html = render(letter)
    assert "<b>" in text and "<x>: <y>" in text
    assert "<b>" not in html and "&lt;b&gt;" in html and "&lt;x&gt;" in html and "&lt;Subject&gt;" in html


def test_payload_holds_no_personal_data(session: Session, runtime: Runtime) -> None:
    submission.submit_application(session, runtime, applicant=applicant(), language="tr")
    [job] = session.scalars(select(Job).where(Job.kind == notifications.SEND_EMAIL))
    assert set(job.payload) == {"event", "application_id", "message_id"}
    assert "ayse" not in str(job.payload).lower()


def test_console_mailer_logs_neither_recipient_nor_content(
    session: Session, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="keta.mail")
    submission.submit_application(session, runtime, applicant=applicant(), language="tr")
    [message] = deliver_all(session, runtime)
    ConsoleMailer().send(message)
    assert message["Message-ID"] in caplog.text
    for secret in ("ayse", "Ayşe", "Yılmaz", "başvurunuz"):
        assert secret not in caplog.text


def test_smtp_urls() -> None:
    plain = SmtpMailer("smtp://mail.internal")
    assert (plain.host, plain.port, plain.starttls, plain.implicit_tls, plain.username) == (
        "mail.internal",
        25,
        False,
        False,
        None,
    )
    submission_url = (
        "smtp://user%40x:p%40ss%3Aword@mail.internal:587?starttls=1&from=K-ETA%20%3Cno-reply%40k.example%3E"
    )
    tls = SmtpMailer(submission_url)
    assert (tls.port, tls.starttls, tls.username, tls.password) == (587, True, "user@x", "p@ss:word")
    assert tls.sender == "K-ETA <no-reply@k.example>"
    implicit = SmtpMailer("smtps://mail.internal")
    assert (implicit.port, implicit.implicit_tls) == (465, True)
    for bad in ("http://mail.internal", "smtp://", "smtps://mail.internal?starttls=1"):
        with pytest.raises(MailerNotConfigured):
            SmtpMailer(bad)


def test_mailer_selection() -> None:
    assert isinstance(mailer_for("development", None), MailboxMailer)  # ./mailbox, read at /dev/mailbox
    assert isinstance(mailer_for("test", ""), ConsoleMailer)
    assert isinstance(mailer_for("production", "smtp://mail.internal"), SmtpMailer)
    with pytest.raises(MailerNotConfigured, match="KETA_SMTP_URL"):
        mailer_for("production", None)


def test_envelope_is_the_to_header_only() -> None:
    message = EmailMessage()
    message["To"] = "A <a@example.org>"
    message["Cc"] = "c@example.org"
    message["Bcc"] = "b@example.org"
    assert recipients(message) == ["a@example.org"]


def test_the_template_lists_exactly_the_msgids_the_mail_code_uses() -> None:
    source = Path(notifications.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'"(email\.[a-z_.]+[a-z_])"', source))
    used |= {f"email.{kind}.{part}" for kind in KINDS for part in ("subject", "intro")}  # built from the kind
    with (files("keta") / "locale" / "messages.pot").open("rb") as handle:
        listed = {m.id for m in read_po(handle) if isinstance(m.id, str) and m.id.startswith("email.")}
    assert used == listed
