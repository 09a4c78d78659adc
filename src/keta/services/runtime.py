"""The process-wide parts a use case needs besides the session, bundled once by each edge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from keta.adapters.clock import Clock, local_date
from keta.adapters.crypto import Keyring
from keta.adapters.payments import PaymentProvider
from keta.domain.policy import Policy


@dataclass(frozen=True)
class Runtime:
    policy: Policy
    clock: Clock
    keyring: Keyring
    payments: PaymentProvider

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """Today in the scheme's own time zone — K-ETA's dates are KST dates."""
        return local_date(self.clock.now(), self.policy.timezone)
