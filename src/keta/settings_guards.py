"""The checks every Settings object passes, each answering with one line that names the variable.

They run when the settings are read, so `keta serve`, `keta worker` and `create_app` all refuse the
same things before touching a database or a socket. Order matters only for which problem is told
first; each guard is tested on its own (tests/test_settings_guards.py).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from keta.config import Settings

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"  # noqa: S105 - a public marker, refused in production
DEV_DATA_KEY = "dev-insecure-data-key-change-me"
MIN_KEY_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10  # `openssl rand -hex 16` (32 hex digits) has 14 on average; < 10 once in ~7,000
MAX_CONSECUTIVE_RUN = 7  # "abcdefgh" or "12345678" in a key is a keyboard, not randomness
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAKE_ONE = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"


class InsecureSettings(ValueError):
    pass


Guard = Callable[["Settings"], str | None]


def key_weakness(value: str) -> str | None:
    """Why `value` is not good enough as a key, or None. Catches the keys people type by hand."""
    if len(value) < MIN_KEY_LENGTH:
        return f"must be at least {MIN_KEY_LENGTH} characters long"
    if len(set(value)) < MIN_DISTINCT_CHARACTERS:
        return f"is too predictable: it has fewer than {MIN_DISTINCT_CHARACTERS} different characters"
    if any(value[period:] == value[:-period] for period in range(1, len(value) // 2 + 1)):
        return "is too predictable: it repeats a pattern"
    if _longest_consecutive_run(value) > MAX_CONSECUTIVE_RUN:
        return "is too predictable: it contains a run of consecutive characters (abcdefgh, 12345678)"
    return None


def _longest_consecutive_run(value: str) -> int:
    longest = run = 1
    step = 0
    for previous, current in pairwise(value):
        delta = ord(current) - ord(previous)
        if delta in (1, -1):
            run, step = (run + 1, step) if delta == step else (2, delta)
        else:
            run, step = 1, 0
        longest = max(longest, run)
    return longest


def _production(settings: Settings) -> bool:
    return settings.env == "production"


def dev_keys_outside_development(settings: Settings) -> str | None:
    if not _production(settings):
        return None
    if settings.secret_key.get_secret_value() == DEV_SECRET_KEY:
        return "KETA_SECRET_KEY must be set outside development (`keta demo` uses a public dev key)"
    if settings.data_key.get_secret_value() == DEV_DATA_KEY:
        return "KETA_DATA_KEY must be set outside development (`keta demo` uses a public dev key)"
    return None


def weak_keys(settings: Settings) -> str | None:
    for name, value, public in (
        ("KETA_SECRET_KEY", settings.secret_key.get_secret_value(), DEV_SECRET_KEY),
        ("KETA_DATA_KEY", settings.data_key.get_secret_value(), DEV_DATA_KEY),
    ):
        weakness = None if value == public else key_weakness(value)
        if weakness:
            return f"{name} {weakness}; {MAKE_ONE}"
    return None


def same_key_twice(settings: Settings) -> str | None:
    if settings.secret_key.get_secret_value() == settings.data_key.get_secret_value():
        return "KETA_SECRET_KEY and KETA_DATA_KEY must be two different keys"
    return None


def previous_key_repeats_current(settings: Settings) -> str | None:
    if settings.data_key.get_secret_value() in settings.previous_data_keys:
        return "KETA_DATA_KEY_PREVIOUS must not repeat KETA_DATA_KEY (it lists the keys being rotated away from)"
    return None


def sqlite_in_production(settings: Settings) -> str | None:
    if _production(settings) and settings.is_sqlite:
        return (
            "KETA_DATABASE_URL must name a PostgreSQL database in production "
            "(SQLite is for development: one writer at a time, on one machine)"
        )
    return None


def sandbox_in_production(settings: Settings) -> str | None:
    if not _production(settings):
        return None
    if settings.payment_provider is None:
        return "KETA_PAYMENT_PROVIDER must be set to gateway in production (the sandbox only simulates payments)"
    if settings.payment_provider == "sandbox":
        return "KETA_PAYMENT_PROVIDER=sandbox is refused in production: it approves payments that never happened"
    return None


def incomplete_gateway(settings: Settings) -> str | None:
    if settings.payment_provider != "gateway":
        return None
    for name, value in (
        ("KETA_PAYMENT_GATEWAY_URL", settings.payment_gateway_url),
        ("KETA_PAYMENT_API_KEY", settings.payment_api_key and settings.payment_api_key.get_secret_value()),
        ("KETA_PAYMENT_WEBHOOK_SECRET", settings.payment_webhook_secret),
    ):
        if not value:
            return f"{name} must be set when KETA_PAYMENT_PROVIDER=gateway"
    return None


def weak_webhook_secret(settings: Settings) -> str | None:
    secret = settings.payment_webhook_secret
    weakness = key_weakness(secret.get_secret_value()) if secret else None
    return f"KETA_PAYMENT_WEBHOOK_SECRET {weakness}" if weakness else None


def weak_metrics_token(settings: Settings) -> str | None:
    token = settings.metrics_token
    weakness = key_weakness(token.get_secret_value()) if token else None
    return f"KETA_METRICS_TOKEN {weakness}" if weakness else None


def plain_http_gateway(settings: Settings) -> str | None:
    if settings.payment_gateway_url and not _is_safe_url(settings.payment_gateway_url):
        return "KETA_PAYMENT_GATEWAY_URL must be an https:// URL (http:// only to localhost)"
    return None


def payment_timeout(settings: Settings) -> str | None:
    if not 1 <= settings.payment_timeout_seconds <= 60:
        return "KETA_PAYMENT_TIMEOUT_SECONDS must be between 1 and 60"
    return None


def missing_public_url(settings: Settings) -> str | None:
    if settings.public_url is not None and not _is_safe_url(settings.public_url):
        return "KETA_PUBLIC_URL must be an https:// URL (http:// only to localhost), e.g. https://eta.example.org"
    if _production(settings) and settings.public_url is None:
        return "KETA_PUBLIC_URL must be set in production (the gateway sends travellers back to it)"
    return None


def mailbox_outside_development(settings: Settings) -> str | None:
    if settings.mailbox_dir is not None and settings.env != "development":
        return "KETA_MAILBOX_DIR is for development only (it writes whole e-mails, personal data included, to files)"
    return None


def _is_safe_url(url: str) -> bool:
    parts = urlsplit(url)
    if not parts.hostname:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)


GUARDS: tuple[Guard, ...] = (
    dev_keys_outside_development,
    weak_keys,
    same_key_twice,
    previous_key_repeats_current,
    sqlite_in_production,
    sandbox_in_production,
    incomplete_gateway,
    weak_webhook_secret,
    weak_metrics_token,
    plain_http_gateway,
    payment_timeout,
    missing_public_url,
    mailbox_outside_development,
)


def first_problem(settings: Settings) -> str | None:
    for guard in GUARDS:
        problem = guard(settings)
        if problem is not None:
            return problem
    return None
