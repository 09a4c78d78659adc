"""The name-screening step of the screening job: the applicant against every active watchlist.

The engine's index lives in memory, one per process, and is rebuilt when the set of active list
versions changes (an import flips a version atomically, so the signature changes exactly then).
A possible match never refuses on its own: it sends the application to an officer with the
explanation stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.domain.applicant import Applicant
from keta.domain.reasons import Reason
from keta.domain.screening.model import Match, PartialDate, Query, ScreeningOutcome
from keta.domain.screening.normalize import InvalidName
from keta.services.findings import Finding
from keta.services.runtime import Runtime


def applicant_query(application: Application, applicant: Applicant) -> Query:
    return passport_query(application.reference, applicant)


def passport_query(reference: str, applicant: Applicant) -> Query:
    """The applicant as the engine reads them (the re-screening benchmark builds the same queries)."""
    passport = applicant.passport
    return Query(
        id=reference,
        surname=passport.surname,
        given_names=passport.given_names,
        birth_date=PartialDate.of(passport.birth_date),
        nationality=passport.nationality,
        sex=passport.sex,
        passport_number=passport.number,
    )


def screen_names(session: Session, rt: Runtime, application: Application, applicant: Applicant) -> Finding | None:
    engine = rt.screening.get(session, dict(rt.policy.screening_thresholds), weights=dict(rt.policy.screening_weights))
    if not len(engine.index):
        return None
    try:
        result = engine.screen(applicant_query(application, applicant))
    except InvalidName:
        # A passport name we cannot read is itself a reason for a human to look.
        return Finding("review", (Reason.WATCHLIST_POSSIBLE_MATCH,), {"watchlist": {"error": "name_not_usable"}})
    if result.outcome is ScreeningOutcome.CLEAR:
        return None
    return Finding("review", (Reason.WATCHLIST_POSSIBLE_MATCH,), watchlist_detail(result.outcome, result.matches))


def watchlist_detail(outcome: ScreeningOutcome, matches: Sequence[Match]) -> dict[str, Any]:
    """What an officer reads about a possible match (sealed in the case; the back office and the
    "cleared" decision read `watchlist.matches[].entity_id`)."""
    return {
        "watchlist": {
            "outcome": outcome.value,
            "matches": [
                {"entity_id": m.entity_id, "score": m.score, "name": m.matched_name, "reasons": list(m.reasons)}
                for m in matches
            ],
        }
    }
