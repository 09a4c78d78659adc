"""The job handlers keta ships. Importing this module registers them."""

from __future__ import annotations

import uuid

from keta.db.queue import SCREEN_APPLICATION
from keta.jobs.handlers import JobContext, handler
from keta.services.screening import screen_application


@handler(SCREEN_APPLICATION)
def screen(context: JobContext) -> None:
    screen_application(
        context.session, context.runtime, application_id=uuid.UUID(str(context.payload["application_id"]))
    )
