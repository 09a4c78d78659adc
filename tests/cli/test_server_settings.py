"""What `keta serve`, `keta worker` and `keta demo` refuse before they start, each in one line:
production without a real payment provider, the test suite's mode, demo people in a real database,
and a production server on a demo database; and development's warning line."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from tests.conftest import NOW, Database
from tests.factories import applicant

from keta.cli import main
from keta.db.models import Application, InstanceFlag
from keta.db.repositories import instance
from keta.services import demo, submission
from keta.services.runtime import Runtime

PRODUCTION = {
    "KETA_ENV": "production",
    "KETA_DATABASE_URL": "postgresql://keta@db.invalid/keta",
    "KETA_SECRET_KEY": "Hq3vTz8LwY2nRc6KpX9mB4sJfD7gA1eU",
    "KETA_DATA_KEY": "Zr5Nc8Wq1Lm4Xv7Bt2Ky9Hs6Jd3Fp0Ga",
    "KETA_SMTP_URL": "smtp://mail.invalid:587",
    "KETA_PAYMENT_PROVIDER": "gateway",
    "KETA_PAYMENT_GATEWAY_URL": "https://pay.invalid/v1",
    "KETA_PAYMENT_API_KEY": "gw_live_key",
    "KETA_PAYMENT_WEBHOOK_SECRET": "whsec_Vb4Nq8Zt2Lr6Xm9Kc3Pw7Hy1Jd5Fs0",
    "KETA_PUBLIC_URL": "https://eta.example.org",
}


def run(monkeypatch: pytest.MonkeyPatch, env: dict[str, str | None], *args: str) -> tuple[int, str, str]:
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"KETA_PAYMENT_PROVIDER": "sandbox"}, "KETA_PAYMENT_PROVIDER=sandbox is refused in production"),
        ({"KETA_PAYMENT_PROVIDER": None}, "KETA_PAYMENT_PROVIDER must be set to gateway in production"),
        ({"KETA_PAYMENT_GATEWAY_URL": None}, "KETA_PAYMENT_GATEWAY_URL must be set"),
        ({"KETA_PAYMENT_WEBHOOK_SECRET": None}, "KETA_PAYMENT_WEBHOOK_SECRET must be set"),
        ({"KETA_DATA_KEY": PRODUCTION["KETA_SECRET_KEY"]}, "KETA_SECRET_KEY and KETA_DATA_KEY must be two"),
        ({"KETA_DATABASE_URL": "sqlite:///./keta.db"}, "KETA_DATABASE_URL must name a PostgreSQL database"),
    ],
)
@pytest.mark.parametrize("command", ["serve", "worker"])
def test_production_refuses_to_start_without_a_real_provider(
    monkeypatch: pytest.MonkeyPatch, command: str, changes: dict[str, str | None], message: str
) -> None:
    code, _, errors = run(monkeypatch, {**PRODUCTION, **changes}, command)
    assert code == 1
    assert errors.startswith(f"Error: {message}") and errors.count("\n") == 1, errors


def test_the_installed_command_prints_the_line_and_exits_non_zero() -> None:
    env = {**PRODUCTION, "KETA_PAYMENT_PROVIDER": "sandbox", "PATH": "/usr/bin:/bin"}
    completed = subprocess.run(
        [sys.executable, "-m", "keta", "serve"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 1
    assert completed.stderr.splitlines() == [
        "Error: KETA_PAYMENT_PROVIDER=sandbox is refused in production: it approves payments that never happened"
    ]


@pytest.mark.parametrize("command", [("serve",), ("worker", "--once")])
def test_the_test_suites_mode_is_refused_by_servers(monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]) -> None:
    code, _, errors = run(monkeypatch, {"KETA_ENV": "test"}, *command)
    assert code == 1
    assert errors.startswith("Error: KETA_ENV=test is only for the test suite")


def test_development_says_it_uses_the_public_keys_and_simulated_payments(
    monkeypatch: pytest.MonkeyPatch, database: Database
) -> None:
    env = {"KETA_ENV": "development", "KETA_DATABASE_URL": database.url}
    code, out, errors = run(monkeypatch, env, "worker", "--once")
    assert code == 0 and re.fullmatch(r"[0-9]+ jobs done\n", out)  # the periodic jobs due now
    assert errors == (
        "warning: KETA_ENV=development uses the public development keys (set KETA_SECRET_KEY and KETA_DATA_KEY) "
        "and simulated sandbox payments: never use it for real travellers' data\n"
    )


@pytest.mark.parametrize("mode", ["production", "test"])
def test_demo_runs_only_in_development_mode(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    code, _, errors = run(monkeypatch, {**PRODUCTION, "KETA_ENV": mode}, "demo")
    assert code == 1
    assert errors.startswith(f"Error: KETA_ENV={mode}: keta demo runs only in development mode")


def test_demo_never_seeds_a_database_with_data_it_did_not_make(
    monkeypatch: pytest.MonkeyPatch, database: Database, runtime: Runtime
) -> None:
    with database.factory() as session:
        submission.submit_application(session, runtime, applicant=applicant(), language="en")
        session.commit()
    code, _, errors = run(monkeypatch, {"KETA_ENV": None, "KETA_DATABASE_URL": database.url}, "demo", "--port", "1")
    assert code == 1
    warning, refusal = errors.splitlines()
    assert warning.startswith("warning: KETA_ENV=development uses the public development keys")
    assert refusal.startswith("Error: KETA_DATABASE_URL holds data keta demo did not create")
    with database.factory() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1
        assert session.get(InstanceFlag, "demo_database") is None


def test_the_demo_claims_only_an_empty_database_and_marks_it(database: Database, runtime: Runtime) -> None:
    with database.factory() as session:
        assert instance.state(session) == "empty"
        assert demo.claim_database(session, runtime) is True  # empty: marked, to be seeded
        session.commit()
    with database.factory() as session:
        assert instance.state(session) == "demo"
        assert session.get(InstanceFlag, "demo_database").set_at == NOW  # type: ignore[union-attr]
        demo.seed(session, runtime)
        session.commit()
    with database.factory() as session:
        assert demo.claim_database(session, runtime) is False  # its own, already seeded: start as it is
        paid = session.scalar(select(func.count()).select_from(Application).where(Application.payment_id.is_not(None)))
        assert paid == 7  # four individuals and a group of three, paid through the sandbox's signed events


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
@pytest.mark.parametrize("command", ["serve", "worker"])
def test_production_refuses_a_demo_database(
    monkeypatch: pytest.MonkeyPatch, database: Database, runtime: Runtime, command: str
) -> None:
    with database.factory() as session:
        instance.mark_as_demo(session, now=runtime.now())
        session.commit()
    code, _, errors = run(monkeypatch, {**PRODUCTION, "KETA_DATABASE_URL": database.url}, command)
    assert code == 1
    assert errors.startswith("Error: KETA_DATABASE_URL names a demo database")
