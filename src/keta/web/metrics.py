"""/metrics in the Prometheus text format. Counts are read from the database at scrape time, so
every API process reports the same truth and nothing is lost on restart."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from keta.db.repositories import applications as applications_repo
from keta.db.repositories import jobs as jobs_repo
from keta.services import deadlines, rescreen
from keta.services.runtime import Runtime


class DatabaseCollector(Collector):
    def __init__(self, factory: sessionmaker[Session], runtime: Runtime) -> None:
        self.factory, self.runtime = factory, runtime

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self.factory() as session:
            applications = applications_repo.count_by_status(session)
            jobs = jobs_repo.count_by_status(session)
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
            "keta_review_cases_deadline", "Cases in officers' hands that are late or close", labels=["urgency"]
        )
        family.add_metric(["late"], cases.late)
        family.add_metric(["close"], cases.close)
        yield family
        yield GaugeMetricFamily("keta_rescreen_runs_running", "Re-screening runs not finished", value=runs.running)
        yield GaugeMetricFamily(
            "keta_rescreen_waiting", "Valid authorizations still to be re-screened by running runs", value=runs.waiting
        )


def render(factory: sessionmaker[Session], runtime: Runtime) -> bytes:
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(factory, runtime))
    return generate_latest(registry)
