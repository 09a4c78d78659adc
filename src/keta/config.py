"""One typed settings object; the only module that reads the environment.

Every variable has the `KETA_` prefix. Development mode (`keta demo`) and the test suite may use the
built-in public keys and the sandbox payment provider; production refuses both. Each refusal is
one line that names the variable to set (the guards live in keta.settings_guards).
"""

from __future__ import annotations

import ipaddress
import os
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from keta.domain.ratelimit import Rate, parse_rate
from keta.settings_guards import DEV_DATA_KEY, DEV_SECRET_KEY, InsecureSettings, first_problem

__all__ = ["DEV_DATA_KEY", "DEV_SECRET_KEY", "InsecureSettings", "Settings", "explicit_env"]

PaymentProviderName = Literal["sandbox", "gateway"]
ProxyNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KETA_", extra="ignore")

    env: Literal["development", "production", "test"] = "production"
    database_url: str = "sqlite:///./keta.db"
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    data_key: SecretStr = SecretStr(DEV_DATA_KEY)
    # Keys being rotated away from (comma-separated): they decrypt and find, never encrypt. Remove
    # them once `keta keys rotate --status` reports that no data is left under them.
    data_key_previous: SecretStr | None = None
    smtp_url: str | None = None
    # Development without SMTP: where each e-mail is written as a .eml file (default ./mailbox), also
    # listed at /dev/mailbox. Refused in production.
    mailbox_dir: str | None = None
    policy: str = "kr"
    embedded_worker: bool = True
    worker_poll_seconds: float = 0.5
    job_lease_seconds: int = 60
    # Each worker looks for due periodic jobs (expiry, escalation, reminders, purges) at most this often.
    scheduler_seconds: float = 30.0
    log_level: str = "INFO"
    # The back office: sessions end after this long without a request, and at this absolute limit.
    backoffice_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    backoffice_session_hours: int = Field(default=12, ge=1, le=24)
    # Payments: the sandbox simulates them (development and tests only); the gateway is real.
    payment_provider: PaymentProviderName | None = None
    payment_gateway_url: str | None = None
    payment_api_key: SecretStr | None = None
    payment_webhook_secret: SecretStr | None = None
    payment_timeout_seconds: float = 10.0
    # /docs, /redoc and /openapi.json: on|off; by default on in development and tests, off in production.
    api_docs: bool | None = None
    # /metrics: with a token, only `Authorization: Bearer <token>` reads it; without one it is open in
    # development and tests and absent (404) in production.
    metrics_token: SecretStr | None = None
    # Stored `Idempotency-Key` answers are replayed for this many hours, then purged by the scheduler.
    idempotency_hours: int = Field(default=24, ge=1, le=24 * 30)
    # A request body must arrive whole within this many seconds (and never stall 15 s), else 408.
    body_timeout_seconds: float = Field(default=60.0, ge=1, le=600)
    # The address travellers reach keta at (https://eta.example.org): return URLs given to the
    # gateway and enrolment links printed by the CLI are built from it, never from a request's Host header.
    public_url: str | None = None
    # Where rate-limit counters live: "database" (shared by every process on the database),
    # "redis://host:port/db" (shared), or "memory://" (one process only). See keta.services.ratelimits.
    rate_limit_url: str = "database"
    # Rate limits, each "HITS/SECONDS": at most HITS requests per key in a window of SECONDS; past
    # that 429 with Retry-After (keta.web.throttle). "Client" is the remote address (see trusted_proxies).
    # Look-ups: API and portal status of an application or a group, and every request that proves a
    # passport number or e-mail for a reference (withdraw, travel update, payment) — per client...
    rate_limit_lookup_client: str = "60/600"
    # ...and per reference, from every client together (guessing the passport number of one reference).
    rate_limit_lookup_reference: str = "10/600"
    rate_limit_submission_client: str = "30/3600"  # applications and groups submitted (API and portal)
    rate_limit_payment_client: str = "30/3600"  # checkouts started (API and portal)
    rate_limit_login_client: str = "20/600"  # back-office sign-in attempts (accounts also lock on their own)
    # Behind a reverse proxy every request comes from the proxy: list its addresses here
    # (comma-separated IPs or CIDR networks, e.g. "10.0.0.5, 10.1.0.0/24"). Only when the peer is one
    # of them is X-Forwarded-For read: the client is its right-most address that is not a listed
    # proxy. Empty (the default): X-Forwarded-For is ignored, so no client can choose its own address.
    trusted_proxies: str = ""
    # The carrier check's audit records commit without waiting for the disk (keta.db.engine,
    # make_lean_engine); true makes every check wait until its record is flushed.
    carrier_audit_synchronous: bool = False
    # A read replica for the carrier check's reads (its keys, the authorizations); its audit records
    # and rate-limit counts still go to KETA_DATABASE_URL. Unset: the check reads the primary.
    carrier_database_url: str | None = None
    # Mounts the hidden constant endpoint `keta bench carrier` measures its ceiling against.
    bench_endpoints: bool = False

    @field_validator("rate_limit_url")
    @classmethod
    def _known_rate_limit_store(cls, value: str) -> str:
        if value not in ("database", "memory://") and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("use database, memory:// or redis://host:port/db")
        return value

    @field_validator(
        "rate_limit_lookup_client",
        "rate_limit_lookup_reference",
        "rate_limit_submission_client",
        "rate_limit_payment_client",
        "rate_limit_login_client",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        return str(parse_rate(value))

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        _networks(value)  # a wrong entry fails at start-up, naming itself
        return value

    @model_validator(mode="after")
    def _refuse_unsafe_settings(self) -> Settings:
        problem = first_problem(self)
        if problem is not None:
            raise InsecureSettings(problem)
        return self

    @property
    def payments(self) -> PaymentProviderName:
        """The provider in use: as set, else the sandbox (production never gets here unset)."""
        return self.payment_provider or "sandbox"

    @property
    def previous_data_keys(self) -> tuple[str, ...]:
        raw = self.data_key_previous.get_secret_value() if self.data_key_previous else ""
        return tuple(part.strip() for part in raw.split(",") if part.strip())

    @property
    def uses_dev_keys(self) -> bool:
        secret, data = self.secret_key.get_secret_value(), self.data_key.get_secret_value()
        return secret == DEV_SECRET_KEY or data == DEV_DATA_KEY

    @property
    def base_url(self) -> str:
        """`public_url`, or the local address `keta serve` listens on by default (development)."""
        return self.public_url or "http://127.0.0.1:8000"

    @property
    def docs_enabled(self) -> bool:
        return self.api_docs if self.api_docs is not None else self.env != "production"

    @property
    def metrics_open(self) -> bool:
        """/metrics without a token: only outside production, and only when no token is set."""
        return self.metrics_token is None and self.env != "production"

    @property
    def rates(self) -> dict[str, Rate]:
        """The rate limits by name (lookup_client, lookup_reference, submission_client, …)."""
        prefix = "rate_limit_"
        names = ("lookup_client", "lookup_reference", "submission_client", "payment_client", "login_client")
        return {name: parse_rate(getattr(self, prefix + name)) for name in names}

    @property
    def proxy_networks(self) -> tuple[ProxyNetwork, ...]:
        return _networks(self.trusted_proxies)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _networks(text: str) -> tuple[ProxyNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise ValueError(f"KETA_TRUSTED_PROXIES: {exc} (comma-separated IP addresses or CIDR networks)") from None


def explicit_env() -> str | None:
    """KETA_ENV as set in the environment, or None when unset (`keta demo` refuses any other mode)."""
    return os.environ.get("KETA_ENV") or None
