"""Sessions and the one place where CLI commands and jobs commit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: the web edge builds its response from objects after the commit.
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Commit on success, roll back on any exception, always close."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def autocommit_session(engine: Engine) -> Iterator[Session]:
    """A session on one connection of an engine from `keta.db.engine.make_lean_engine` (AUTOCOMMIT):
    every statement commits on its own, with no BEGIN/COMMIT round trips. Only for work where each
    statement is atomic by itself and no two need to commit together (the carrier check: read
    the key, read the look-up, insert the audit record)."""
    with engine.connect() as connection:
        session = Session(bind=connection, expire_on_commit=False, autoflush=False)
        try:
            yield session
            session.flush()  # anything added through the ORM; every statement has committed already
        finally:
            session.close()
