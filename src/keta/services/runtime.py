"""The process-wide parts a use case needs besides the session, bundled once by each edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from keta.adapters.clock import Clock, local_date
from keta.adapters.crypto import Keyring
from keta.adapters.mailer import ConsoleMailer, Mailer
from keta.adapters.payments import PaymentProvider
from keta.domain.policy import Policy
from keta.services.engine_cache import EngineCache


@dataclass(frozen=True)
class Runtime:
    policy: Policy
    clock: Clock
    keyring: Keyring
    payments: PaymentProvider
    # The name-screening engine (one in-memory index per process), rebuilt when watchlists change.
    screening: EngineCache = field(default_factory=EngineCache, compare=False)
    # Outgoing e-mail; edges pass `mailer_for(settings.env, settings.smtp_url)`. The default only logs.
    mailer: Mailer = field(default_factory=ConsoleMailer, compare=False)
    # How long an Idempotency-Key is honoured (KETA_IDEMPOTENCY_HOURS); older records are ignored.
    idempotency_window: timedelta = timedelta(hours=24)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """Today in the scheme's own time zone — K-ETA's dates are KST dates."""
        return local_date(self.clock.now(), self.policy.timezone)
