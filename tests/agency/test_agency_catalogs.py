"""The confirmation e-mail and page in every one of the 25 languages: translated, no raw msgid,
the agency and the reference in it, right-to-left where the language is."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.agency.helpers import AgencyApi, token_of
from tests.conftest import Database
from tests.factories import application_json
from tests.notifications.smtp_inbox import Inbox, parts

from keta.db.models import Application, Job
from keta.i18n import KNOWN_LOCALES, gettext
from keta.services import notifications
from keta.services.runtime import Runtime

RAW = re.compile(r"\b(?:email|portal|field|error)\.[a-z_]+\.[a-z_]")


def test_the_letter_and_the_page_in_every_language(
    client: TestClient,
    agency: AgencyApi,
    inbox: Inbox,
    database: Database,
    runtime: Runtime,
    run_jobs: Callable[[], int],
) -> None:
    filed = agency.request("POST", "/applications", json=application_json())
    reference = filed.json()["reference"]
    with database.factory() as session:
        [job] = session.scalars(select(Job).where(Job.kind == notifications.SEND_EMAIL))
        payload = dict(job.payload)
    run_jobs()
    link = re.search(r"http://\S+", parts(inbox.received[0].message)["text/plain"])
    assert link is not None
    token = token_of(link.group(0))
    subjects = set()
    for locale in sorted(KNOWN_LOCALES):
        with database.factory() as session:
            application = session.scalars(select(Application)).one()
            application.language = locale
            session.flush()
            message = notifications.build(session, runtime, payload)
            session.rollback()
        assert message is not None
        assert message["Content-Language"] == locale
        text = parts(message)["text/plain"]
        assert RAW.findall(text) == [] and RAW.findall(message["Subject"]) == [], locale
        assert reference in message["Subject"] and "Istanbul Travel" in text and token in text
        assert gettext(locale, "email.agency_filed.not_you") in text
        subjects.add(message["Subject"])

        page = client.get(f"/filing/confirm?t={token}&lang={locale}")
        assert page.status_code == 200
        assert f'<html lang="{locale}"' in page.text
        assert re.findall(r">[^<]*(?:portal|email)\.[a-z]", page.text) == [], locale
        assert "Istanbul Travel" in page.text and reference in page.text
    assert len(subjects) == len(KNOWN_LOCALES)  # each language its own words
    rtl = client.get(f"/filing/confirm?t={token}&lang=ar").text
    assert 'dir="rtl"' in rtl
