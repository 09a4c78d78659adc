"""Figures for supervisors and auditors, computed from clear columns only (status, dates, nationality,
ground, case states): no personal data is decrypted to count.

Each table is a list of (label, value) rows so that the page's chart, its table and its CSV download
show exactly the same numbers.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from keta.db.models import Application, ApplicationEvent, BorderEntry, ReviewCase
from keta.domain.applications import Status
from keta.services.cases import OPEN_STATES

Row = tuple[str, float]


@dataclass(frozen=True)
class Table:
    name: str  # also the CSV file's name and the msgid suffix of its title
    rows: list[Row]
    unit: str = "count"  # count | hours | share
    tally: str | None = None  # a row that counts what the others measure: in the table, not drawn

    @property
    def drawn(self) -> list[Row]:
        return [row for row in self.rows if row[0] != self.tally]


def applications_per_day(session: Session, *, since: date, until: date) -> Table:
    counts = dict(
        session.execute(
            select(Application.applied_on, func.count())
            .where(Application.applied_on >= since, Application.applied_on <= until)
            .group_by(Application.applied_on)
        ).all()
    )
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    return Table("applications_per_day", [(day.isoformat(), float(counts.get(day, 0))) for day in days])


def outcomes(session: Session, *, since: date) -> Table:
    rows = session.execute(
        select(Application.status, func.count()).where(Application.applied_on >= since).group_by(Application.status)
    ).all()
    total = sum(count for _, count in rows) or 1
    ordered = sorted(rows, key=lambda row: -row[1])
    return Table("outcomes", [(str(status), round(count / total, 4)) for status, count in ordered], unit="share")


def backlog(session: Session, *, now: datetime) -> Table:
    """Open cases by how long they have been open."""
    opened = session.scalars(select(ReviewCase.opened_at).where(ReviewCase.status.in_(OPEN_STATES))).all()
    buckets = {"under_24h": 0, "24h_to_72h": 0, "over_72h": 0}
    for at in opened:
        age = now - at
        key = "under_24h" if age < timedelta(hours=24) else ("24h_to_72h" if age <= timedelta(hours=72) else "over_72h")
        buckets[key] += 1
    return Table("backlog", [(key, float(count)) for key, count in buckets.items()])


def oldest_open_case(session: Session) -> datetime | None:
    return session.scalar(select(func.min(ReviewCase.opened_at)).where(ReviewCase.status.in_(OPEN_STATES)))


def decision_times(session: Session, *, since: date) -> Table:
    """Hours from payment to the (first) decision, for decisions made since `since`: median and p95."""
    paid = aliased(ApplicationEvent)
    rows = session.execute(
        select(paid.at, Application.decided_at)
        .join(paid, and_(paid.application_id == Application.id, paid.to_status == Status.PAID.value))
        .where(Application.decided_at.is_not(None), Application.decided_on >= since)
    ).all()
    hours = [(decided - paid_at).total_seconds() / 3600 for paid_at, decided in rows if decided and decided >= paid_at]
    if not hours:
        return Table("decision_times", [("median", 0.0), ("p95", 0.0), ("decisions", 0.0)], "hours", "decisions")
    p95 = statistics.quantiles(hours, n=20, method="inclusive")[-1] if len(hours) > 1 else hours[0]
    return Table(
        "decision_times",
        [("median", round(statistics.median(hours), 2)), ("p95", round(p95, 2)), ("decisions", float(len(hours)))],
        unit="hours",
        tally="decisions",
    )


def refusals_by_ground(session: Session, *, since: date) -> Table:
    rows = session.execute(
        select(Application.ground, func.count())
        .where(Application.status == Status.REFUSED.value, Application.decided_on >= since)
        .group_by(Application.ground)
        .order_by(func.count().desc())
    ).all()
    return Table("refusals_by_ground", [(str(ground or "automatic"), float(count)) for ground, count in rows])


def by_nationality(session: Session, *, since: date, limit: int = 20) -> Table:
    rows = session.execute(
        select(Application.nationality, func.count())
        .where(Application.applied_on >= since)
        .group_by(Application.nationality)
        .order_by(func.count().desc())
        .limit(limit)
    ).all()
    return Table("by_nationality", [(str(n), float(c)) for n, c in rows])


def refusals_by_nationality(session: Session, *, since: date, limit: int = 20) -> Table:
    rows = session.execute(
        select(Application.nationality, func.count())
        .where(Application.status == Status.REFUSED.value, Application.decided_on >= since)
        .group_by(Application.nationality)
        .order_by(func.count().desc())
        .limit(limit)
    ).all()
    return Table("refusals_by_nationality", [(str(n), float(c)) for n, c in rows])


def entries_per_day(session: Session, *, since: date, until: date) -> Table:
    """Entries recorded at the border (keta.services.border), by their local date."""
    counts = dict(
        session.execute(
            select(BorderEntry.entry_date, func.count())
            .where(BorderEntry.entry_date >= since, BorderEntry.entry_date <= until)
            .group_by(BorderEntry.entry_date)
        ).all()
    )
    days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
    return Table("entries_per_day", [(day.isoformat(), float(counts.get(day, 0))) for day in days])


def entries_by_port(session: Session, *, since: date) -> Table:
    rows = session.execute(
        select(BorderEntry.port, func.count())
        .where(BorderEntry.entry_date >= since)
        .group_by(BorderEntry.port)
        .order_by(func.count().desc(), BorderEntry.port)
    ).all()
    return Table("entries_by_port", [(str(port), float(count)) for port, count in rows])


def all_tables(session: Session, *, today: date, now: datetime, days: int) -> list[Table]:
    since = today - timedelta(days=days - 1)
    return [
        applications_per_day(session, since=since, until=today),
        outcomes(session, since=since),
        backlog(session, now=now),
        decision_times(session, since=since),
        refusals_by_ground(session, since=since),
        by_nationality(session, since=since),
        refusals_by_nationality(session, since=since),
        entries_per_day(session, since=since, until=today),
        entries_by_port(session, since=since),
    ]
