"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the e-mail tests, and a runtime that sends to it."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from tests.conftest import TEST_DATA_KEY
from tests.notifications.smtp_inbox import Inbox

from keta.adapters.clock import FixedClock
from keta.adapters.crypto import install_keyring
from keta.adapters.mailer import SmtpMailer
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.config import DEV_SECRET_KEY
from keta.services.runtime import Runtime


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, str]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}?from=K-ETA%20%3Cno-reply%40keta.example%3E"
    finally:
        controller.stop()


@pytest.fixture
def inbox(smtp_server: tuple[Inbox, str]) -> Inbox:
    return smtp_server[0]


@pytest.fixture
def runtime(clock: FixedClock, smtp_server: tuple[Inbox, str]) -> Runtime:
    """The suite's runtime, delivering through the local SMTP server (the `run_jobs` worker uses it)."""
    return Runtime(
        policy=load_policy("kr"),
        clock=clock,
        keyring=install_keyring(TEST_DATA_KEY),
        payments=SandboxPayments(secret=DEV_SECRET_KEY, clock=clock),
        mailer=SmtpMailer(smtp_server[1]),
    )
