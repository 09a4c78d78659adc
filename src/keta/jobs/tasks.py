"""The job handlers keta ships. Importing this module registers them."""

from __future__ import annotations

import uuid

from keta.db.queue import RESCREEN_BATCH, RESCREEN_START, SCREEN_APPLICATION
from keta.jobs.handlers import JobContext, handler
from keta.services import key_rotation, notifications, rescreen, retention
from keta.services.screening import screen_application


@handler(SCREEN_APPLICATION)
def screen(context: JobContext) -> None:
    screen_application(
        context.session, context.runtime, application_id=uuid.UUID(str(context.payload["application_id"]))
    )


@handler(notifications.SEND_EMAIL)
def send_email(context: JobContext) -> None:
    """Deliver one queued e-mail; an SMTP failure raises, so the runner retries with back-off."""
    notifications.send(context.session, context.runtime, context.payload)


@handler(key_rotation.ROTATE_KEYS)
def rotate_keys(context: JobContext) -> None:
    """One batch of the key rotation; it enqueues the next one itself (keta.services.key_rotation)."""
    key_rotation.step(context.session, context.runtime, context.payload)


@handler(retention.RETENTION_PURGE)
def retention_purge(context: JobContext) -> None:
    """Daily: delete the personal data the policy's retention rule no longer allows (keta.services.retention)."""
    retention.job_step(context.session, context.runtime, context.payload)


@handler(RESCREEN_START)
def start_rescreen(context: JobContext) -> None:
    rescreen.start_run(context.session, context.runtime, trigger=str(context.payload["trigger"]))


@handler(RESCREEN_BATCH)
def rescreen_batch(context: JobContext) -> None:
    payload = context.payload
    after = payload.get("after")
    rescreen.run_batch(
        context.session,
        context.runtime,
        run_id=uuid.UUID(str(payload["run_id"])),
        after=str(after) if after is not None else None,
        last=str(payload["last"]),
        count=int(payload["count"]),
    )
