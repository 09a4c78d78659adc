"""/metrics in the Prometheus text format. Counts are read from the database at scrape time, so
every API process reports the same truth and nothing is lost on restart.

Who may read it is a setting: with KETA_METRICS_TOKEN only a scraper sending it as a Bearer token;
without one, anyone in development and tests, and no one in production (the page does not exist).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from keta.config import Settings
from keta.db.repositories import applications as applications_repo
from keta.db.repositories import jobs as jobs_repo


def allowed(settings: Settings, authorization: str | None) -> bool:
    if settings.metrics_token is None:
        return settings.metrics_open
    scheme, _, sent = (authorization or "").partition(" ")
    expected = settings.metrics_token.get_secret_value()
    return (
        scheme.lower() == "bearer" and sent.isascii() and hmac.compare_digest(sent.strip().encode(), expected.encode())
    )


class DatabaseCollector(Collector):
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def collect(self) -> Iterator[GaugeMetricFamily]:
        with self.factory() as session:
            applications = applications_repo.count_by_status(session)
            jobs = jobs_repo.count_by_status(session)
        family = GaugeMetricFamily("keta_applications", "Applications by status", labels=["status"])
        for status, count in sorted(applications.items()):
            family.add_metric([status], count)
        yield family
        family = GaugeMetricFamily("keta_jobs", "Background jobs by status", labels=["status"])
        for status, count in sorted(jobs.items()):
            family.add_metric([status], count)
        yield family


def render(factory: sessionmaker[Session]) -> bytes:
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(factory))
    return generate_latest(registry)
