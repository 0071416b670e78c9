"""bench/ws_messages.py drives each bench app's websocket echo with ASGI messages: every app
answers every measured message, so its per-message instruction counts compare like with like."""

from __future__ import annotations

import asyncio

import pytest

from bench.ws_messages import TARGETS, echo_messages, load


@pytest.mark.parametrize("target", list(TARGETS.values()))
def test_every_app_echoes_every_message(target: str) -> None:
    answers = asyncio.run(echo_messages(load(target), 25, warmup=5))
    assert answers == ["ping"] * 25
