""" "I lost my reference": the reference reaches the address on file through a real SMTP server, in
the language the traveller applied in, and nothing reaches any other address."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from tests.notifications.smtp_inbox import Inbox, parts
from tests.notifications.test_email_delivery import submit

from keta.i18n import gettext


def test_the_reference_is_mailed_to_the_address_on_file(
    client: TestClient, run_jobs: Callable[[], int], inbox: Inbox
) -> None:
    reference = submit(client)
    run_jobs()
    inbox.received.clear()
    form = {"nationality": "TUR", "passport_number": "U12345678", "email": "Ayse.Yilmaz@example.org"}
    assert client.post("/status/lost-reference", data=form).status_code == 200
    other = {**form, "email": "intruder@example.org"}
    assert client.post("/status/lost-reference", data=other).status_code == 200
    assert run_jobs() == 1
    [mail] = inbox.received
    assert mail.recipients == ["ayse.yilmaz@example.org"]
    assert mail.message["Subject"] == gettext("tr", "email.reference_reminder.subject", reference=reference)
    text = parts(mail.message)["text/plain"]
    assert reference in text
    assert gettext("tr", "email.reference_reminder.intro") in text
    assert gettext("tr", "email.reference_reminder.not_you") in text
