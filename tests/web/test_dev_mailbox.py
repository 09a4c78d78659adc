"""Development's local mailbox: an application's e-mail, sent by the real job through the mailer the
settings pick, lands as an .eml file and on /dev/mailbox; production has neither (no route, and the
setting is refused)."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from tests.conftest import NOW, TEST_DATA_KEY, Database
from tests.factories import application_json
from tests.fake_gateway import FakeGateway
from tests.web.test_security_headers import gateway, production_settings  # noqa: F401 - the fixture

from keta.adapters.clock import FixedClock
from keta.config import Settings
from keta.jobs.runner import Worker
from keta.web.app import create_app


def test_development_mail_lands_in_the_mailbox_and_on_its_page(
    database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    mailbox = tmp_path / "mailbox"
    settings = Settings(env="development", database_url=database.url, data_key=TEST_DATA_KEY, mailbox_dir=str(mailbox))
    app = create_app(settings, clock=clock, start_worker=False)
    with TestClient(app) as client:
        assert "No e-mail yet" in client.get("/dev/mailbox").text
        sent = client.post("/api/v1/applications", json=application_json())
        assert sent.status_code == 201, sent.text
        reference = sent.json()["reference"]
        assert Worker(app.state.sessionmaker, app.state.runtime).run_until_idle() >= 1
        files = sorted(mailbox.glob("*.eml"))
        assert files, "no .eml file written"
        message = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
        assert message["To"] and reference in message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        inbox = client.get("/dev/mailbox")
        assert inbox.status_code == 200 and files[0].name in inbox.text
        shown = client.get(f"/dev/mailbox/{files[0].name}")
        assert shown.status_code == 200 and reference in shown.text
        assert client.get("/dev/mailbox/..%2F..%2Fetc%2Fpasswd").status_code == 404
        assert client.get("/dev/mailbox/missing.eml").status_code == 404


def test_tests_mode_has_no_mailbox_page(client: TestClient) -> None:
    assert client.get("/dev/mailbox").status_code == 404


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_production_has_no_mailbox_and_refuses_the_setting(database: Database, gateway: FakeGateway) -> None:  # noqa: F811
    app = create_app(production_settings(database, gateway), clock=FixedClock(NOW), start_worker=False)
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/dev/mailbox").status_code == 404
    with pytest.raises(ValidationError, match="KETA_MAILBOX_DIR is for development only"):
        production_settings(database, gateway, mailbox_dir="mailbox")
