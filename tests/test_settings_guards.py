"""Every settings guard, each as a class of bad settings refused with one line naming the variable.

`CASES` names the guard each case must trip; a test checks that every guard in GUARDS has a case,
so a new guard without a test fails here."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from keta.config import DEV_DATA_KEY, DEV_SECRET_KEY, Settings
from keta.settings_guards import GUARDS, first_problem, key_weakness

SECRET = "Hq3vTz8LwY2nRc6KpX9mB4sJfD7gA1eU"
DATA = "Zr5Nc8Wq1Lm4Xv7Bt2Ky9Hs6Jd3Fp0Ga"
WEBHOOK = "whsec_Vb4Nq8Zt2Lr6Xm9Kc3Pw7Hy1Jd5Fs0"
PRODUCTION: dict[str, Any] = {
    "env": "production",
    "database_url": "postgresql://keta@db.internal/keta",
    "secret_key": SECRET,
    "data_key": DATA,
    "smtp_url": "smtp://mail.internal:587?starttls=1",
    "payment_provider": "gateway",
    "payment_gateway_url": "https://pay.example.com/v1",
    "payment_api_key": "gw_live_key",
    "payment_webhook_secret": WEBHOOK,
    "public_url": "https://eta.example.org",
}

# (guard, settings changed from PRODUCTION (None: unset), the variable the message starts with)
CASES: list[tuple[str, dict[str, Any], str]] = [
    ("dev_keys_outside_development", {"secret_key": None}, "KETA_SECRET_KEY must be set outside development"),
    ("dev_keys_outside_development", {"data_key": None}, "KETA_DATA_KEY must be set outside development"),
    ("weak_keys", {"secret_key": "Short-but-random-9x"}, "KETA_SECRET_KEY must be at least 32 characters"),
    ("weak_keys", {"data_key": "ab" * 20}, "KETA_DATA_KEY is too predictable: it has fewer than"),
    ("weak_keys", {"data_key": "Kq7#Lm2$Xv9!" * 3}, "KETA_DATA_KEY is too predictable: it repeats a pattern"),
    (
        "weak_keys",
        {"secret_key": "key-abcdefghijklmnop-7Qz#Wx2!RtY"},
        "KETA_SECRET_KEY is too predictable: it contains",
    ),
    (
        "weak_keys",
        {"secret_key": "9876543210-Qz#Wx2!Rt-Lm4$Pv8&YsQ"},
        "KETA_SECRET_KEY is too predictable: it contains",
    ),
    # The test suite's own mode checks the keys as production does (only the public dev keys pass).
    ("weak_keys", {"env": "test", "data_key": "test-data-key"}, "KETA_DATA_KEY must be at least 32"),
    ("same_key_twice", {"data_key": SECRET}, "KETA_SECRET_KEY and KETA_DATA_KEY must be two different keys"),
    (
        "previous_key_repeats_current",
        {"data_key_previous": f"Wm3Xq8Pz1Rt6Lk9Nb4Cv7Jh2Sd5Gf0Ya, {DATA}"},
        "KETA_DATA_KEY_PREVIOUS must not repeat KETA_DATA_KEY",
    ),
    ("sqlite_in_production", {"database_url": "sqlite:///./keta.db"}, "KETA_DATABASE_URL must name a PostgreSQL"),
    ("sandbox_in_production", {"payment_provider": "sandbox"}, "KETA_PAYMENT_PROVIDER=sandbox is refused"),
    ("sandbox_in_production", {"payment_provider": None}, "KETA_PAYMENT_PROVIDER must be set to gateway"),
    ("incomplete_gateway", {"payment_gateway_url": None}, "KETA_PAYMENT_GATEWAY_URL must be set"),
    ("incomplete_gateway", {"payment_api_key": None}, "KETA_PAYMENT_API_KEY must be set"),
    ("incomplete_gateway", {"payment_webhook_secret": None}, "KETA_PAYMENT_WEBHOOK_SECRET must be set"),
    ("incomplete_gateway", {"env": "development", "payment_api_key": ""}, "KETA_PAYMENT_API_KEY must be set"),
    ("weak_webhook_secret", {"payment_webhook_secret": "whsec_1"}, "KETA_PAYMENT_WEBHOOK_SECRET must be at least"),
    ("plain_http_gateway", {"payment_gateway_url": "http://pay.example.com"}, "KETA_PAYMENT_GATEWAY_URL must be an"),
    ("plain_http_gateway", {"payment_gateway_url": "ftp://pay.example.com"}, "KETA_PAYMENT_GATEWAY_URL must be an"),
    ("payment_timeout", {"payment_timeout_seconds": 0}, "KETA_PAYMENT_TIMEOUT_SECONDS must be between 1 and 60"),
    ("payment_timeout", {"payment_timeout_seconds": 600}, "KETA_PAYMENT_TIMEOUT_SECONDS must be between 1 and 60"),
    ("missing_public_url", {"public_url": None}, "KETA_PUBLIC_URL must be set in production"),
    ("missing_public_url", {"public_url": "http://eta.example.org"}, "KETA_PUBLIC_URL must be an https:// URL"),
    ("weak_metrics_token", {"metrics_token": "scrape-me"}, "KETA_METRICS_TOKEN must be at least 32 characters"),
    ("mailbox_outside_development", {"mailbox_dir": "./mailbox"}, "KETA_MAILBOX_DIR is for development only"),
]


def settings(changes: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in list(PRODUCTION):
        monkeypatch.delenv(f"KETA_{name.upper()}", raising=False)
    values = {name: value for name, value in {**PRODUCTION, **changes}.items() if value is not None}
    return Settings(**values)


@pytest.mark.parametrize(("guard", "changes", "message"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_guard_refuses_its_class_with_one_line_naming_the_variable(
    guard: str, changes: dict[str, Any], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValidationError) as refused:
        settings(changes, monkeypatch)
    text = refused.value.errors()[0]["msg"].removeprefix("Value error, ")
    assert text.startswith(message), text
    assert "\n" not in text
    values = {**PRODUCTION, **changes}
    tripped = [g.__name__ for g in GUARDS if g(Settings.model_construct(**_defaults(values))) is not None]
    assert tripped[0] == guard, tripped  # the named guard says it, not a neighbour by accident


def _defaults(values: dict[str, Any]) -> dict[str, Any]:
    """Field values as validation would make them, without running the guards."""
    made = {name: value for name, value in values.items() if value is not None}
    made.setdefault("secret_key", DEV_SECRET_KEY)
    made.setdefault("data_key", DEV_DATA_KEY)
    for name in (
        "secret_key", "data_key", "data_key_previous", "payment_api_key", "payment_webhook_secret", "metrics_token"
    ):  # fmt: skip
        if name in made:
            made[name] = SecretStr(made[name])
    return made


def test_every_guard_has_a_case() -> None:
    assert {guard.__name__ for guard in GUARDS} == {case[0] for case in CASES}


def test_complete_production_settings_pass_and_development_may_use_the_dev_keys_and_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    production = settings({}, monkeypatch)
    assert first_problem(production) is None and production.payments == "gateway"
    development = Settings(env="development")
    assert development.uses_dev_keys and development.payments == "sandbox"
    assert Settings(env="test").payments == "sandbox"


@pytest.mark.parametrize(
    "key",
    [
        "Hq3vTz8LwY2nRc6KpX9mB4sJfD7gA1eU",  # secrets.token_urlsafe(24)
        "3f9c2b7a1e8d4c6b0a5f9e2d7c1b8a43",  # secrets.token_hex(16): 16 possible characters
        "correct horse battery staple 2026 ok",
    ],
)
def test_random_keys_pass(key: str) -> None:
    assert key_weakness(key) is None
