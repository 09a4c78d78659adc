"""From the command line: list changes queue a re-screening, and `keta worker --once` runs it along
with the periodic jobs that are due."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from tests.approvals import approved
from tests.conftest import TEST_DATA_KEY, Database

from keta.cli import main
from keta.db.models import Job, ReviewCase
from keta.db.session import session_scope
from keta.jobs.schedule import PERIODIC
from keta.services.runtime import Runtime

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "watchlists"


@pytest.fixture
def keta(database: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KETA_DATABASE_URL", database.url)
    monkeypatch.setenv("KETA_DATA_KEY", TEST_DATA_KEY)  # the worker decrypts what the services wrote
    monkeypatch.setenv("KETA_ENV", "development")  # `keta worker` refuses the test environment
    return CliRunner()


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def triggers(database: Database) -> list[str]:
    with database.factory() as session:
        jobs = session.scalars(select(Job).where(Job.kind == "rescreen_start").order_by(Job.created_at))
        return [str(job.payload["trigger"]) for job in jobs]


def test_list_changes_queue_a_rescreening_that_a_worker_runs(
    keta: CliRunner, database: Database, runtime: Runtime
) -> None:
    with session_scope(database.factory) as session:
        holder = approved(session, runtime)  # passport U12345678 (TUR), on lost_v1.csv
    run(keta, "documents", "import", str(FIXTURES / "lost_v1.csv"), "--source", "sltd")
    assert triggers(database) == ["documents:sltd"]
    output = run(keta, "worker", "--once")
    assert output.endswith(" jobs done\n")
    with database.factory() as session:
        [case] = session.scalars(select(ReviewCase).where(ReviewCase.application_id == holder.id))
        assert (case.kind, case.status) == ("document_alert", "open")
        periodic = {job.kind for job in session.scalars(select(Job).where(Job.dedupe_key.is_not(None)))}
        assert periodic == {job.kind for job in PERIODIC}  # `--once` enqueued and ran what was due

    run(keta, "documents", "import", str(FIXTURES / "lost_v1.csv"), "--source", "sltd")  # nothing new
    run(keta, "watchlist", "import", str(FIXTURES / "small.jsonl"), "--list", "fiction")
    run(keta, "watchlist", "import", str(FIXTURES / "small_v2.jsonl"), "--list", "fiction")
    run(keta, "watchlist", "rollback", "fiction")
    assert triggers(database) == ["documents:sltd", "watchlist:fiction:1", "watchlist:fiction:2", "watchlist:fiction:1"]
