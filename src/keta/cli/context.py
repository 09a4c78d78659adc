"""What CLI commands share: settings, an engine and a runtime, built once per command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import click
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import KeyringError, install_keyring
from keta.adapters.mailer import ConsoleMailer, MailerNotConfigured, mailer_for
from keta.adapters.policy_files import PolicyFileError, load_policy, policy_checksum
from keta.config import Settings
from keta.db.engine import make_engine
from keta.db.migrate import upgrade
from keta.db.session import make_sessionmaker, session_scope
from keta.domain.policy import Policy
from keta.services import audit, key_registry
from keta.services.pii import UnreadablePersonalData, carrier_keys_from_blob
from keta.services.runtime import Runtime
from keta.web.app import payments_for


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


def load_server_settings() -> Settings:
    """Settings for a long-running process (`serve`, `worker`): never the test suite's mode, and a
    warning line on stderr when development mode's public keys or simulated payments are in use."""
    settings = load_settings()
    if settings.env == "test":
        raise click.ClickException(
            "KETA_ENV=test is only for the test suite; use development (public dev keys, simulated payments) "
            "or production"
        )
    warning = development_warning(settings)
    if warning:
        click.echo(warning, err=True)
    return settings


def development_warning(settings: Settings) -> str | None:
    if settings.env != "development":
        return None
    uses = [
        *(["the public development keys (set KETA_SECRET_KEY and KETA_DATA_KEY)"] if settings.uses_dev_keys else []),
        *(["simulated sandbox payments"] if settings.payments == "sandbox" else []),
    ]
    if not uses:
        return None
    return f"warning: KETA_ENV=development uses {' and '.join(uses)}: never use it for real travellers' data"


def policy(name: str) -> Policy:
    try:
        return load_policy(name)
    except PolicyFileError as exc:
        raise click.ClickException(str(exc)) from None


def build(settings: Settings, *, sends_mail: bool = True) -> CliContext:
    """`sends_mail=False` for commands that never notify anyone (imports), so they run without SMTP.
    Refuses, in one line naming the setting, a keyring that cannot read the database's data."""
    try:
        mailer = mailer_for(settings.env, settings.smtp_url, settings.mailbox_dir) if sends_mail else ConsoleMailer()
        keyring = install_keyring(settings.data_key.get_secret_value(), settings.previous_data_keys)
    except (MailerNotConfigured, KeyringError) as exc:
        raise click.ClickException(str(exc)) from None
    clock = SystemClock()
    runtime = Runtime(
        policy=policy(settings.policy),
        clock=clock,
        keyring=keyring,
        payments=payments_for(settings, clock),
        mailer=mailer,
        idempotency_ttl=timedelta(hours=settings.idempotency_hours),
    )
    engine = make_engine(settings.database_url)
    factory = make_sessionmaker(engine)
    try:
        with session_scope(factory) as session:
            key_registry.check_and_register(session, keyring, now=clock.now())
            audit.policy_in_force(
                session, keyring, code=runtime.policy.code, checksum=policy_checksum(settings.policy), now=clock.now()
            )
    except key_registry.KeyringMismatch as exc:
        engine.dispose()
        raise click.ClickException(str(exc)) from None
    return CliContext(settings, engine, factory, runtime)


def migrate(settings: Settings, revision: str = "head") -> None:
    """Apply the migrations; data migrations that need the data key (carrier look-up keys of
    existing applications) get it from here."""
    keyring = install_keyring(settings.data_key.get_secret_value(), settings.previous_data_keys)
    try:
        upgrade(settings.database_url, revision, attributes={"carrier_keys": carrier_keys_from_blob(keyring)})
    except UnreadablePersonalData as exc:
        raise click.ClickException(str(exc)) from None
