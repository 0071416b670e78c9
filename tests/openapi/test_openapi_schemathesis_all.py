"""schemathesis with every check (status codes, response schemas, negative data rejection,
positive data acceptance, ...) and both generation modes against an app with query, header and
cookie parameters and bodies. Bounded: a fixed number of examples, deterministic."""

from __future__ import annotations

from typing import Any

from tests.services import require_module

schemathesis = require_module("schemathesis")

from params_app import create_app  # noqa: E402

from tests.openapi.conformance import bounded  # noqa: E402

EXAMPLES_PER_OPERATION = 15

schema = schemathesis.openapi.from_asgi("/openapi/specs.json", create_app())


def test_the_app_has_enough_operations() -> None:
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 5
    with_params = [
        op for op in operations if any(p.location != "path" for p in op.iter_parameters())
    ]
    assert len(with_params) >= 3


@schema.parametrize()
@bounded(EXAMPLES_PER_OPERATION)
def test_every_check_passes(case: Any) -> None:
    case.call_and_validate()
