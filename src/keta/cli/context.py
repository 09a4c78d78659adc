"""What CLI commands share: settings, an engine and a runtime, built once per command."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import click
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import install_keyring
from keta.adapters.mailer import ConsoleMailer, MailerNotConfigured, mailer_for
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import PolicyFileError, load_policy
from keta.config import Settings
from keta.db.engine import make_engine
from keta.db.migrate import upgrade
from keta.db.session import make_sessionmaker
from keta.domain.policy import Policy
from keta.services.pii import UnreadablePersonalData, carrier_keys_from_blob
from keta.services.runtime import Runtime


@dataclass(frozen=True)
class CliContext:
    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    runtime: Runtime

    def close(self) -> None:
        self.engine.dispose()


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with a one-line error naming the variable instead of a traceback."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        variable = f"KETA_{where.upper()}"
        message = first["msg"].removeprefix("Value error, ")
        raise click.ClickException(f"{variable}: {message}" if where else message) from None


def policy(name: str) -> Policy:
    try:
        return load_policy(name)
    except PolicyFileError as exc:
        raise click.ClickException(str(exc)) from None


def build(settings: Settings, *, sends_mail: bool = True) -> CliContext:
    """`sends_mail=False` for commands that never notify anyone (imports), so they run without SMTP."""
    try:
        mailer = mailer_for(settings.env, settings.smtp_url) if sends_mail else ConsoleMailer()
    except MailerNotConfigured as exc:
        raise click.ClickException(str(exc)) from None
    runtime = Runtime(
        policy=policy(settings.policy),
        clock=SystemClock(),
        keyring=install_keyring(settings.data_key.get_secret_value()),
        payments=SandboxPayments(),
        mailer=mailer,
    )
    engine = make_engine(settings.database_url)
    return CliContext(settings, engine, make_sessionmaker(engine), runtime)


def migrate(settings: Settings, revision: str = "head") -> None:
    """Apply the migrations; data migrations that need the data key (carrier look-up keys of
    existing applications) get it from here."""
    keyring = install_keyring(settings.data_key.get_secret_value())
    try:
        upgrade(settings.database_url, revision, attributes={"carrier_keys": carrier_keys_from_blob(keyring)})
    except UnreadablePersonalData as exc:
        raise click.ClickException(str(exc)) from None
