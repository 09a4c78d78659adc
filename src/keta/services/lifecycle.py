"""Status changes go through here: the domain checks the transition, we record who and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from keta.db.models import Application, ApplicationEvent
from keta.domain.applications import Status, transition


def move(application: Application, to: Status, *, actor: str, reasons: Sequence[str], now: datetime) -> None:
    current = Status(application.status)
    application.status = transition(current, to).value
    record(application, current.value, to.value, actor=actor, reasons=reasons, now=now)


def record(
    application: Application,
    from_status: str | None,
    to_status: str,
    *,
    actor: str,
    reasons: Sequence[str],
    now: datetime,
) -> None:
    """One line of the application's history. Several steps of one transaction share `now`; their
    position keeps them in the order they happened."""
    application.events.append(
        ApplicationEvent(
            from_status=from_status, to_status=to_status, actor=actor, reasons=list(reasons), at=now,
            position=len(application.events) + 1,
        )
    )  # fmt: skip
