"""Queries over applications and groups."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from keta.db.models import Application, Group


def get(session: Session, application_id: uuid.UUID) -> Application | None:
    return session.get(Application, application_id)


def by_reference(session: Session, reference: str) -> Application | None:
    """A purged application (retention) is found by no reference: its personal data is gone."""
    query = select(Application).where(Application.reference == reference, Application.purged_at.is_(None))
    return session.scalars(query).first()


# One constant row that a look-up outer-joins the table to: the answer is one row whether or not the
# reference exists (NULLs when it does not), so both cost the same result handling.
_ONE_ROW = select(literal(1).label("one")).subquery("one_row")


def proof_of(session: Session, reference: str) -> tuple[str | None, str | None]:
    """(nationality, passport_key) of the application with `reference`, or (None, None): only what a
    look-up compares — two strings, no type conversion — so a reference that exists costs the query
    what one that does not costs (keta.services.status, `keta bench lookup-timing`)."""
    on = (Application.reference == reference) & Application.purged_at.is_(None)
    query = select(Application.nationality, Application.passport_key).select_from(_ONE_ROW).outerjoin(Application, on)
    nationality, passport_key = session.execute(query).one()
    return nationality, passport_key


def group_proof_of(session: Session, reference: str) -> str | None:
    """The email_key of the group with `reference`, or None (one row either way, as proof_of)."""
    on = (Group.reference == reference) & Group.purged_at.is_(None)
    email_key: str | None = session.execute(select(Group.email_key).select_from(_ONE_ROW).outerjoin(Group, on)).scalar()
    return email_key


def group_by_reference(session: Session, reference: str) -> Group | None:
    return session.scalars(select(Group).where(Group.reference == reference, Group.purged_at.is_(None))).first()


def by_person_key(
    session: Session, person_keys: Sequence[str], *, exclude_statuses: Sequence[str] = ()
) -> list[Application]:
    """The applications of one person, whose index may be under any key of the keyring (rotation)."""
    query = select(Application).where(Application.person_key.in_(person_keys))
    if exclude_statuses:
        query = query.where(Application.status.not_in(exclude_statuses))
    return list(session.scalars(query.order_by(Application.submitted_at)))


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Application.status, func.count()).group_by(Application.status))
    return {status: count for status, count in rows}
