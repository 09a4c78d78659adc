"""The outside services the benches play on loopback: keta's real gateway adapter and SMTP mailer
work against them, the gateway gives one checkout per idempotency key, the mail sink counts what
a crash made a worker send twice — and a plain SMTP connection builds no TLS context."""

from __future__ import annotations

from decimal import Decimal
from email.message import EmailMessage

import pytest

from keta.adapters.clock import SystemClock
from keta.adapters.mailer import SmtpMailer
from keta.adapters.payments.base import ProviderUnavailable
from keta.adapters.payments.gateway import HostedGatewayPayments
from keta.bench.outside import running_gateway, running_smtp_sink


def message(subject: str, to: str) -> EmailMessage:
    built = EmailMessage()
    built["Subject"], built["To"], built["From"], built["Message-ID"] = subject, to, "eta@example.org", "<1@x>"
    built.set_content("line one\n.\nline after a lone dot")
    return built


def test_the_mail_sink_counts_messages_and_repeats_through_the_real_mailer() -> None:
    with running_smtp_sink() as sink:
        mailer = SmtpMailer(sink.url)
        mailer.send(message("Approved", "a@example.org"))
        mailer.send(message("Approved", "a@example.org"))  # the same e-mail again, as after a crash
        mailer.send(message("Submitted", "a@example.org"))
        assert (sink.messages, sink.duplicates()) == (3, 1)
        assert sink.by_recipient_subject[("a@example.org", "Approved")] == 2
        assert mailer._context is None  # plain SMTP: the CA bundle was never read


def test_a_tls_context_is_built_once_per_mailer() -> None:
    mailer = SmtpMailer("smtp://mail.example.org:587?starttls=1")
    assert mailer.tls_context() is mailer.tls_context()


def test_the_stub_gateway_answers_keta_gateway_adapter_once_per_key() -> None:
    with running_gateway() as gateway:
        clock = SystemClock()
        payments = HostedGatewayPayments(url=gateway.url, api_key=gateway.api_key, webhook_secret="s" * 32, clock=clock)
        asked = {"amount": Decimal("10300"), "currency": "KRW", "description": "ETA application A1"}
        first = payments.create_checkout(payment_reference="P-1", return_url="https://eta.invalid/s", **asked)
        again = payments.create_checkout(payment_reference="P-1", return_url="https://eta.invalid/s", **asked)
        other = payments.create_checkout(payment_reference="P-2", return_url="https://eta.invalid/s", **asked)
        assert first == again and first.provider_reference != other.provider_reference
        assert first.redirect_url == f"{gateway.url}/pay/{first.provider_reference}"
        wrong_key = HostedGatewayPayments(url=gateway.url, api_key="not-it", webhook_secret="s" * 32, clock=clock)
        with pytest.raises(ProviderUnavailable):
            wrong_key.create_checkout(payment_reference="P-3", return_url="https://eta.invalid/s", **asked)
