"""One typed settings object; the only module that reads the environment.

Every variable has the `KETA_` prefix. Development mode (`keta demo`, tests) may use the built-in
insecure keys; anything else refuses to start with them, naming the variable to set.
"""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"  # noqa: S105 - a marker refused outside development
DEV_DATA_KEY = "dev-insecure-data-key-change-me"


class InsecureSettings(ValueError):
    pass


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KETA_", extra="ignore")

    env: Literal["development", "production", "test"] = "production"
    database_url: str = "sqlite:///./keta.db"
    secret_key: SecretStr = SecretStr(DEV_SECRET_KEY)
    data_key: SecretStr = SecretStr(DEV_DATA_KEY)
    smtp_url: str | None = None
    policy: str = "kr"
    embedded_worker: bool = True
    worker_poll_seconds: float = 0.5
    job_lease_seconds: int = 60
    log_level: str = "INFO"
    # Where rate-limit counters live: "database" (shared by every process on the database),
    # "redis://host:port/db" (shared), or "memory://" (one process only). See keta.services.ratelimits.
    rate_limit_url: str = "database"
    # The carrier check's audit records commit without waiting for the disk (keta.db.engine,
    # make_lean_engine); true makes every check wait until its record is flushed.
    carrier_audit_synchronous: bool = False
    # Mounts the hidden constant endpoint `keta bench carrier` measures its ceiling against.
    bench_endpoints: bool = False

    @field_validator("rate_limit_url")
    @classmethod
    def _known_rate_limit_store(cls, value: str) -> str:
        if value not in ("database", "memory://") and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("use database, memory:// or redis://host:port/db")
        return value

    @model_validator(mode="after")
    def _refuse_insecure_defaults(self) -> Settings:
        if self.env == "production":
            for name, value, default in (
                ("KETA_SECRET_KEY", self.secret_key, DEV_SECRET_KEY),
                ("KETA_DATA_KEY", self.data_key, DEV_DATA_KEY),
            ):
                if value.get_secret_value() == default:
                    raise InsecureSettings(f"{name} must be set outside development (`keta demo` uses a dev key)")
                if len(value.get_secret_value()) < 16:
                    raise InsecureSettings(f"{name} must be at least 16 characters long")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
