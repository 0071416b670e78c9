"""Fixtures of the OpenAPI tests: the example app and its document."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
if str(HERE) not in sys.path:  # the example app imports its sibling model modules
    sys.path.insert(0, str(HERE))

from openapi_example_app import create_app  # noqa: E402

from pyjolt.openapi import build_document  # noqa: E402


@pytest.fixture
def example_app() -> Any:
    return create_app()


@pytest.fixture
def document(example_app: Any) -> dict[str, Any]:
    return build_document(example_app)
