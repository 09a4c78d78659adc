"""Fixtures of the agency tests: a real SMTP server (aiosmtpd) and the worker's runtime delivering to
it, as tests/notifications has them; an agency with its key."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.agency.helpers import AgencyApi, create_agency
from tests.conftest import Database
from tests.notifications.conftest import inbox, runtime, smtp_server

from keta.services.runtime import Runtime

__all__ = ["inbox", "runtime", "smtp_server"]  # the SMTP fixtures, used by name


@pytest.fixture
def agency_key(database: Database, runtime: Runtime) -> str:
    return create_agency(database, runtime)


@pytest.fixture
def agency(client: TestClient, agency_key: str) -> AgencyApi:
    return AgencyApi(client, agency_key)
