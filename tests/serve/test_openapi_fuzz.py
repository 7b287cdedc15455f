"""schemathesis against the OpenAPI document: generated requests to every operation get no server error and no
response the document does not declare (status code, content type, body schema). Examples are bounded so that
the run stays short."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

CHECKS = [schemathesis.checks.not_a_server_error, schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance, schemathesis.checks.response_schema_conformance]
EXAMPLES = 6


def test_generated_requests_get_documented_answers(sample_client: TestClient) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", sample_client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate(checks=CHECKS)

        run()
