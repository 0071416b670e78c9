"""Fixtures of the AI interface tests: the fake OpenAI server and an interface to talk to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.ai_interface.openai_fake_server import API_KEY, FakeOpenAI


@pytest.fixture(scope="session")
def _fake_openai_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def ai_server(_fake_openai_server: FakeOpenAI) -> Iterator[FakeOpenAI]:
    """The fake server, with an empty script and request log."""
    _fake_openai_server.reset()
    yield _fake_openai_server
    _fake_openai_server.reset()


@pytest.fixture
def ai_config(ai_server: FakeOpenAI) -> dict[str, Any]:
    """An ``AI_INTERFACE`` section pointing at the fake server (free-text answers)."""
    return {
        "API_KEY": API_KEY,
        "API_BASE_URL": ai_server.base_url,
        "MODEL": "fake-model",
        "RESPONSE_FORMAT": None,
        "TIMEOUT": 5,
    }
