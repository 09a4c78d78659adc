"""/metrics in the Prometheus text format. Counts are read from the database at scrape time, so
every API process reports the same truth and nothing is lost on restart.

`keta_rows_under_old_key` follows a key rotation: ciphertexts per table and column not yet under
the current key. Counting them scans the encrypted columns, so it is done only while a rotation is
pending (the keyring holds previous keys, or the key registry still has an unretired old key), and
at most once per `STALE_ROWS_SECONDS` per process; otherwise every column reports 0.

Who may read it is a setting: with KETA_METRICS_TOKEN only a scraper sending it as a Bearer token;
without one, anyone in development and tests, and no one in production (the page does not exist).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from keta.config import Settings
from keta.db.repositories import applications as applications_repo
from keta.db.repositories import jobs as jobs_repo
from keta.services import deadlines, key_registry, key_rotation, rescreen
from keta.services.encrypted import ENCRYPTED
from keta.services.runtime import Runtime

STALE_ROWS_SECONDS = 30.0


def allowed(settings: Settings, authorization: str | None) -> bool:
    if settings.metrics_token is None:
        return settings.metrics_open
    scheme, _, sent = (authorization or "").partition(" ")
    expected = settings.metrics_token.get_secret_value()
    return (
        scheme.lower() == "bearer" and sent.isascii() and hmac.compare_digest(sent.strip().encode(), expected.encode())
    )


class Metrics(Collector):
    def __init__(self, factory: sessionmaker[Session], runtime: Runtime) -> None:
        self.factory, self.runtime = factory, runtime
        self._stale: tuple[float, list[key_rotation.Stale]] | None = None

    def render(self) -> bytes:
        registry = CollectorRegistry()
        registry.register(self)
        return generate_latest(registry)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self.factory() as session:
            applications = applications_repo.count_by_status(session)
            jobs = jobs_repo.count_by_status(session)
            stale = self._stale_rows(session)
            cases = deadlines.deadline_counts(session, self.runtime)
            runs = rescreen.progress(session)
        family = GaugeMetricFamily("keta_applications", "Applications by status", labels=["status"])
        for status, count in sorted(applications.items()):
            family.add_metric([status], count)
        yield family
        family = GaugeMetricFamily("keta_jobs", "Background jobs by status", labels=["status"])
        for status, count in sorted(jobs.items()):
            family.add_metric([status], count)
        yield family
        family = GaugeMetricFamily(
            "keta_rows_under_old_key", "Ciphertexts not yet re-encrypted under the current data key",
            labels=["table", "column"],
        )  # fmt: skip
        for row in stale:
            family.add_metric([row.table, row.column], row.rows)
        yield family
        family = GaugeMetricFamily(
            "keta_review_cases_deadline", "Cases in officers' hands that are late or close", labels=["urgency"]
        )
        family.add_metric(["late"], cases.late)
        family.add_metric(["close"], cases.close)
        yield family
        yield GaugeMetricFamily("keta_rescreen_runs_running", "Re-screening runs not finished", value=runs.running)
        yield GaugeMetricFamily(
            "keta_rescreen_waiting", "Valid authorizations still to be re-screened by running runs", value=runs.waiting
        )

    def _stale_rows(self, session: Session) -> list[key_rotation.Stale]:
        keyring = self.runtime.keyring
        if not key_registry.rotation_pending(session, keyring):
            return [key_rotation.Stale(spec.name, name, 0) for spec in ENCRYPTED for name in spec.blobs]
        now = time.monotonic()
        if self._stale is None or now - self._stale[0] > STALE_ROWS_SECONDS:
            self._stale = (now, key_rotation.stale_rows(session, keyring))
        return self._stale[1]
