"""Property-based run of schemathesis against the example app (through ASGI).

Bounded: a fixed number of examples per operation, no deadline, deterministic seed.
Checks: the app never answers 5xx, and every answer matches its documented schema.
"""

from __future__ import annotations

from typing import Any

from tests.services import require_module

schemathesis = require_module("schemathesis")

from openapi_example_app import create_app  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

from tests.openapi.conformance import bounded  # noqa: E402

EXAMPLES_PER_OPERATION = 25

schema = schemathesis.openapi.from_asgi("/openapi/specs.json", create_app())


@schema.parametrize()
@bounded(EXAMPLES_PER_OPERATION)
def test_api_conforms_to_its_document(case: Any) -> None:
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
