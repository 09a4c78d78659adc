"""The in-memory screening engine, one per process, rebuilt when the active watchlists change."""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy.orm import Session

from keta.db.repositories import watchlists as watchlists_repo
from keta.screening.engine import Engine

log = logging.getLogger("keta.screening")


class EngineCache:
    """One engine per process, rebuilt when the active watchlist versions change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._signature: str | None = None

    def get(self, session: Session, thresholds: dict[str, float], weights: dict[str, float] | None = None) -> Engine:
        signature = watchlists_repo.active_versions_signature(session)
        with self._lock:
            if self._engine is None or signature != self._signature:
                started = time.perf_counter()
                self._engine = Engine.build(
                    watchlists_repo.iter_active_entries(session), thresholds=thresholds, weights=weights
                )
                self._signature = signature
                log.info(
                    "screening index built: %d entries in %.1fs", len(self._engine.index), time.perf_counter() - started
                )
            return self._engine
