""" "I lost my reference": the reference goes to the e-mail address on file, never to the page.

The traveller gives the passport's nationality and number and the e-mail address they applied
with. Applications of that passport whose e-mail on file is that address each get a reminder (the
mail job builds it, like every other message, so the address is read only inside the job). The
caller answers the same page whether anything matched or not: the look-up must not tell a stranger
whether someone applied, and the rate limit (web edge) keeps it from being used as an oracle.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.services import notifications, pii
from keta.services.runtime import Runtime

MAX_REMINDERS = 3  # the latest applications of one passport; older ones are past their use


def send_reference(session: Session, rt: Runtime, *, nationality: str, passport_number: str, email: str) -> int:
    """Queue a reminder for each matching application; how many (for tests and metrics, never shown)."""
    keys = pii.passport_keys(rt.keyring, nationality, passport_number)
    candidates = session.scalars(
        select(Application)
        .where(Application.passport_key.in_(keys))
        .order_by(Application.applied_on.desc())
        .limit(MAX_REMINDERS * 3)
    )
    wanted = email.strip().casefold()
    matched = [a for a in candidates if str(rt.keyring.decrypt(a.pii)["email"]).strip().casefold() == wanted]
    for application in matched[:MAX_REMINDERS]:
        notifications.reference_reminder(session, application, now=rt.now())
    session.flush()
    return len(matched[:MAX_REMINDERS])
