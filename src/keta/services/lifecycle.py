"""Status changes go through here: the domain checks the transition, we record who and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from keta.db.models import Application, ApplicationEvent
from keta.domain.applications import Status, transition


def move(application: Application, to: Status, *, actor: str, reasons: Sequence[str], now: datetime) -> None:
    current = Status(application.status)
    application.status = transition(current, to).value
    # Several moves in one transaction share `now`; a microsecond apart, the history keeps their order.
    last = application.events[-1].at if application.events else None
    at = now if last is None or now > last else last + timedelta(microseconds=1)
    application.events.append(
        ApplicationEvent(from_status=current.value, to_status=to.value, actor=actor, reasons=list(reasons), at=at)
    )
