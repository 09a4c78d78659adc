"""What CLI commands share: settings, an engine and a runtime, built once per command."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from keta.adapters.clock import SystemClock
from keta.adapters.crypto import install_keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.config import Settings
from keta.db.engine import make_engine
from keta.db.session import make_sessionmaker
from keta.services.runtime import Runtime


@dataclass(frozen=True)
class CliContext:
    settings: Settings
    engine: Engine
    factory: sessionmaker[Session]
    runtime: Runtime

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings) -> CliContext:
    runtime = Runtime(
        policy=load_policy(settings.policy),
        clock=SystemClock(),
        keyring=install_keyring(settings.data_key.get_secret_value()),
        payments=SandboxPayments(),
    )
    engine = make_engine(settings.database_url)
    return CliContext(settings, engine, make_sessionmaker(engine), runtime)
