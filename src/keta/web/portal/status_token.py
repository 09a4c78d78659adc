"""The token that lets a traveller act on the application they just looked up, without the passport
number travelling in the page again.

After a successful status look-up (reference + passport number), the page carries a token sealed
with the data key (AES-GCM: it cannot be read, changed or made up outside this server) naming the
application and when it stops working, 30 minutes later. The answer and redress forms send it back;
the confirmation page after them (POST-redirect-GET) finds it in a short-lived cookie. A missing,
expired, changed or foreign token sends the traveller back to the look-up. It is also why these
forms need no separate CSRF token: another site cannot know it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from keta.db.models import Application
from keta.services.runtime import Runtime
from keta.web.portal.sealed import open_token, seal_token

TOKEN_LIFETIME = timedelta(minutes=30)
PURPOSE = "status_follow_up"  # a photo or group-draft token, sealed with the same key, is not one of these
SENT_COOKIE = "keta_status_sent"


def issue(rt: Runtime, application: Application, *, sent: str | None = None) -> str:
    """A token for this application; `sent` marks the one kept for the confirmation page."""
    expires = rt.now() + TOKEN_LIFETIME
    value = {"purpose": PURPOSE, "application": str(application.id), "expires": expires.isoformat()}
    return seal_token(rt, {**value, "sent": sent} if sent else value)


def opened(rt: Runtime, token: str) -> dict[str, str] | None:
    """The token's content when this server sealed it for this purpose and it has not expired."""
    value = open_token(rt, token)
    if value is None or value.get("purpose") != PURPOSE:
        return None
    try:
        expires = datetime.fromisoformat(str(value["expires"]))
        uuid.UUID(str(value["application"]))
    except (KeyError, ValueError):
        return None
    if expires.tzinfo is None or rt.now() >= expires:
        return None
    return {name: str(item) for name, item in value.items()}


def application_for(session: Session, rt: Runtime, token: str) -> Application | None:
    value = opened(rt, token)
    return session.get(Application, uuid.UUID(value["application"])) if value else None
