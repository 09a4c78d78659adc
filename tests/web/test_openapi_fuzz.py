"""Fuzzing in the suite: schemathesis sends generated requests (valid and invalid) to every JSON
operation of the app's own OpenAPI document, in-process over ASGI on a SQLite database of its own,
and holds every answer to that document: no 5xx, only documented statuses, bodies and headers as
documented — the project's error body (`{"error": {code, message, fields}}`), not FastAPI's `detail`.

Bounded (30 examples per operation, derandomized so a run is repeatable) to stay well under a
minute; the environment can ask for a deeper, random run. Rate limits are raised out of the way
here: the fuzzer is one client sending many requests, and the limits have their own class
(tests/ratelimit).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.conftest import GENEROUS_LIMITS, NOW, TEST_DATA_KEY
from tests.factories import face_base64, face_photo, member_json

from keta.adapters.clock import FixedClock
from keta.adapters.crypto import install_keyring
from keta.adapters.payments import SandboxPayments
from keta.adapters.policy_files import load_policy
from keta.config import DEV_SECRET_KEY, Settings
from keta.db.engine import make_engine
from keta.db.migrate import upgrade
from keta.db.session import make_sessionmaker, session_scope
from keta.services import submission
from keta.services.runtime import Runtime
from keta.web.app import create_app
from keta.web.fields import Flight
from keta.web.schemas import ApplicationIn, Surname

# Per operation; KETA_FUZZ_EXAMPLES=1000 KETA_FUZZ_RANDOM=1 for a deeper, fresh hunt by hand.
EXAMPLES = int(os.environ.get("KETA_FUZZ_EXAMPLES", "30"))
DERANDOMIZE = not os.environ.get("KETA_FUZZ_RANDOM")
EMAIL, PASSPORT = "rep@example.org", "U12345678"
FUZZING = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@dataclass(frozen=True)
class Known:
    """The application or group each operation on a reference works on, and what proves it: one each,
    so that a withdrawal fuzzed first leaves the travel update something to update."""

    reference: str
    proof: dict[str, str]


@pytest.fixture(scope="module")
def fuzz_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Known]]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{folder / 'fuzz.db'}"
    upgrade(url)
    clock = FixedClock(NOW)
    payments = SandboxPayments(secret=DEV_SECRET_KEY, clock=clock)
    rt = Runtime(load_policy("kr"), clock, install_keyring(TEST_DATA_KEY), payments)
    engine = make_engine(url)
    known: dict[str, Known] = {}
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            for index, label in enumerate(ON_A_REFERENCE):
                person = member_json(index)
                traveller = ApplicationIn.model_validate(person).to_domain()
                if label.split(" ", 1)[1].startswith("/api/v1/groups"):
                    group = submission.submit_group(
                        session,
                        rt,
                        members=[traveller],
                        language="en",
                        representative=submission.Representative("Demir", "Mehmet", EMAIL, "+90 555 010 2040"),
                        photos_by_member={0: face_photo()},
                    )
                    known[label] = Known(group.reference, {"email": EMAIL})
                else:
                    application = submission.submit_application(
                        session,
                        rt,
                        applicant=traveller,
                        language="en",
                        photo=None if label.endswith("/photo") else face_photo(),
                    )
                    proof = {"passport_number": person["passport"]["number"]}
                    if label.endswith("/photo"):  # the photo it waits for is part of a proven request
                        proof["photo_base64"] = face_base64()
                    known[label] = Known(application.reference, proof)
    finally:
        engine.dispose()
    return url, known


@pytest.fixture(scope="module")
def fuzzed_app(fuzz_database: tuple[str, dict[str, Known]]) -> Iterator[FastAPI]:
    url, _ = fuzz_database
    settings_ = Settings(env="test", database_url=url, data_key=TEST_DATA_KEY, **GENEROUS_LIMITS)
    yield create_app(settings_, clock=FixedClock(NOW), start_worker=False)


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: FastAPI) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)


# Every operation of the document, named here so that a new one joins the class knowingly (the
# first test fails until it is listed; the carrier and border APIs and the webhook are JSON operations too;
# the border and agency APIs answer 401 to the fuzzer, which has no staff or agency key).
OPERATIONS = [
    "POST /api/v1/eligibility",
    "POST /api/v1/applications",
    "POST /api/v1/applications/{reference}/payment",
    "PUT /api/v1/applications/{reference}/photo",
    "POST /api/v1/applications/{reference}/lookup",
    "POST /api/v1/applications/{reference}/withdraw",
    "PATCH /api/v1/applications/{reference}/travel",
    "POST /api/v1/groups",
    "POST /api/v1/groups/{reference}/payment",
    "POST /api/v1/groups/{reference}/lookup",
    "POST /api/v1/carrier/checks",
    "POST /api/v1/border/lookups",
    "POST /api/v1/border/entries",
    "GET /api/v1/agency/applications/{reference}",
    "POST /api/v1/agency/applications",
    "PUT /api/v1/agency/applications/{reference}/photo",
    "POST /api/v1/agency/applications/{reference}/payment",
    "GET /api/v1/agency/groups/{reference}",
    "POST /api/v1/agency/groups",
    "POST /api/v1/agency/groups/{reference}/payment",
    "POST /payments/webhook",
]


def test_the_class_lists_every_operation(api_schema: schemathesis.BaseSchema) -> None:
    found = [result.ok().label for result in api_schema.get_all_operations()]
    assert sorted(found) == sorted(OPERATIONS)


def test_no_operation_documents_fastapis_validation_body(api_schema: schemathesis.BaseSchema) -> None:
    document = api_schema.raw_schema
    assert "HTTPValidationError" not in str(document) and "ValidationError" not in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    shown = response["content"]["application/json"]["schema"]
                    assert shown == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)


@pytest.mark.parametrize("label", OPERATIONS)
def test_every_json_operation_answers_as_documented(api_schema: schemathesis.BaseSchema, label: str) -> None:
    method, path = label.split(" ", 1)
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @FUZZING
    def answers_as_documented(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    answers_as_documented()


# The agency's operations answer 401 without its key (tests/agency holds their answers to the document).
ON_A_REFERENCE = [label for label in OPERATIONS if "{reference}" in label and "/agency/" not in label]


@pytest.mark.parametrize("label", ON_A_REFERENCE)
def test_operations_on_a_real_reference_answer_as_documented(
    api_schema: schemathesis.BaseSchema, fuzz_database: tuple[str, dict[str, Known]], label: str
) -> None:
    """The same, on an application or a group that exists, half the time with the right proof: the
    successful answers are held to the document too, not only the refusals (and some must come)."""
    known = fuzz_database[1][label]
    method, path = label.split(" ", 1)
    operation = api_schema[path][method]
    statuses: list[int] = []

    @given(case=operation.as_strategy(), proven=st.booleans())
    @FUZZING
    def answers_as_documented(case: schemathesis.Case, proven: bool) -> None:
        case.path_parameters = {**(case.path_parameters or {}), "reference": known.reference}
        if proven and isinstance(case.body, dict):
            case.body = {**case.body, **known.proof}
        statuses.append(case.call_and_validate(checks=CHECKS).status_code)

    answers_as_documented()
    assert any(200 <= status < 300 for status in statuses), sorted(set(statuses))


def _patterns(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, item in node.items():
            if key == "pattern" and isinstance(item, str):
                yield item
            else:
                yield from _patterns(item)
    elif isinstance(node, list):
        for item in node:
            yield from _patterns(item)


def test_every_pattern_in_the_document_is_portable(api_schema: schemathesis.BaseSchema) -> None:
    """Found by the fuzzer: the name fields' pattern used Unicode classes (\\p{Cc}) that OpenAPI's regex
    dialect lacks, so no client (nor schemathesis) could use it. Patterns now stay within what
    ECMA-262 and Python both read alike: no \\p, and no \\d or \\w (Unicode-wide in pydantic's engine,
    ASCII in a browser's)."""
    patterns = list(_patterns(api_schema.raw_schema))
    assert patterns
    for pattern in patterns:
        re.compile(pattern)
        assert not re.search(r"\\[pPdDwW]", pattern), pattern


NAMES = TypeAdapter(Surname)


@pytest.mark.parametrize(
    "name",
    [
        "Yılmaz",
        "O'Brien",
        "Smith-Jones",
        "Nguyễn",
        "Ngu\u0303yen",
        "देवनागरी",
        "ณัฐวุฒิ",
        "محمد",
        "Вымыслов",
        "李",
        "Zo\u200be",
    ],
)
def test_names_of_every_script_with_their_marks_keep_passing_the_shape_check(name: str) -> None:
    assert NAMES.validate_python(name) == name  # a zero-width space passes here: the domain names it precisely


@pytest.mark.parametrize("name", ["Smith2", "Smith_Jones", "Smith  Jones", "-Smith", "Smith-", "Ⓐnna", "Ⅻ", "A.B"])
def test_digits_symbols_and_loose_separators_fail_it_as_invalid_format(name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        NAMES.validate_python(name)
    assert refused.value.errors()[0]["type"] == "string_pattern_mismatch"  # answered as invalid_format


def test_a_flight_number_takes_ascii_digits_only() -> None:
    flights = TypeAdapter(Flight)
    assert flights.validate_python("tk90") == "TK90"
    with pytest.raises(ValidationError):
        flights.validate_python("TK\u0669\u0660")  # Arabic-Indic nine, zero: \d in pydantic's engine
