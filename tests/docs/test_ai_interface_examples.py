"""docs/topics/ai-interface.md: the answers the page shows, against a local OpenAI-like server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.ai_interface.openai_fake_server import API_KEY, FakeOpenAI, tool_call
from tests.docs.support import load_example


@pytest.fixture
def service(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    server.start()
    monkeypatch.setenv("AI_INTERFACE__API_KEY", API_KEY)
    monkeypatch.setenv("AI_INTERFACE__API_BASE_URL", server.base_url)
    yield server
    server.stop()


async def test_chat_with_a_tool(service: FakeOpenAI) -> None:
    example = load_example("ai_interface/assistant.py")
    service.ask_tools(tool_call("get_weather", {"city": "Ljubljana"}))
    service.reply("It is sunny in Ljubljana, 21 °C.")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.post(
            "/chats/1/messages", json={"text": "What is the weather in Ljubljana?"}
        )
        assert res.status_code == 200
        assert res.json() == {
            "reply": "It is sunny in Ljubljana, 21 °C.",
            "tools_used": ["get_weather"],
        }
        res = await client.post("/chats/2/messages", json={"text": "Hello?"})
        assert res.status_code == 404
        assert res.json()["message"] == "Chat context not found"

    first, second = service.chat_bodies()
    assert first["model"] == "gpt-4o-mini"
    assert [t["function"]["name"] for t in first["tools"]] == ["get_weather"]
    tool_message = second["messages"][-1]
    assert tool_message["role"] == "tool"
    assert json.loads(tool_message["content"]) == {
        "city": "Ljubljana",
        "sky": "sunny",
        "celsius": 21,
    }
    # the conversation was kept: system, user, assistant (tool call), tool, assistant
    assert [m["role"] for m in example.CHATS[1]] == [
        "system",
        "user",
        "assistant",
        "tool",
        "assistant",
    ]
    assert service.requests[0].headers["authorization"] == f"Bearer {API_KEY}"
