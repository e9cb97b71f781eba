"""Schemathesis drives every operation of /api/openapi.json, signed in as an officer: no server error, and
every answer in the shape the schema documents for its status (a 422 included)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from ipwatch.web.app import create_app

EXAMPLES = 25  # per operation; the whole run stays under ~15 s


@pytest.fixture
def signed_in(scene, client) -> dict[str, str]:
    """Headers of an officer's session: the cookie and the CSRF token the API wants on POSTs."""
    officer = client("officer")
    return {"Cookie": f"ipwatch_session={officer.cookies['ipwatch_session']}", "X-CSRF-Token": officer.csrf}


def test_no_operation_answers_with_a_server_error_or_outside_its_schema(scene, signed_in):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(scene.settings))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def exercise(case) -> None:  # noqa: ANN001
            case.call_and_validate(headers=signed_in, checks=[not_a_server_error, response_schema_conformance])

        exercise()


def test_the_schema_documents_every_api_operation_and_the_session_cookie(scene):
    from fastapi.testclient import TestClient

    document = TestClient(create_app(scene.settings)).get("/api/openapi.json").json()
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert {("GET", "/api/alerts"), ("GET", "/api/alerts/{alert_id}"), ("POST", "/api/alerts/{alert_id}/move"),
            ("POST", "/api/alerts/bulk"), ("POST", "/api/cases/{case_id}/notices"),
            ("GET", "/api/dashboard")} <= operations
    assert all(path.startswith("/api/") for _, path in operations)  # pages stay out of the API schema
    assert document["components"]["securitySchemes"]["APIKeyCookie"]["name"] == "ipwatch_session"
