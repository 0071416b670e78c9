"""Chat calls and the tool loop against the fake OpenAI-compatible server."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from pydantic import BaseModel

from pyjolt.ai_interface import (
    AiInterface,
    AiServiceError,
    ChatResult,
    FailedToRunAiToolMethod,
    ToolRoundsExceeded,
    tool,
)
from tests.ai_interface.openai_fake_server import FakeOpenAI, tool_call
from tests.ai_interface.support import started


class Order(BaseModel):
    item: str
    quantity: int = 1


class Shop(AiInterface):
    """An interface with tools that record their calls."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @tool(description="Stock level of an item.")
    async def stock(self, item: str) -> dict[str, Any]:
        self.calls.append(("stock", {"item": item}))
        return {"item": item, "in_stock": 7}

    @tool(name="place_order")
    async def order(self, order: Order, express: bool = False) -> str:
        """Place an order."""
        self.calls.append(("place_order", {"order": order, "express": express}))
        return f"ordered {order.quantity} x {order.item}"

    @tool
    async def explode(self, reason: str) -> None:
        """Always fails."""
        raise RuntimeError(reason)

    @tool
    def blocking_lookup(self, code: int) -> int:
        """A plain (sync) tool; runs in a worker thread."""
        self.calls.append(("blocking_lookup", {"thread": threading.current_thread().name}))
        return code * 2


async def test_plain_chat(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    shop = await started(
        build_client,
        Shop(),
        ai_config,
        ORGANIZATION_ID="org-1",
        PROJECT_ID="proj-1",
        TEMPERATURE=0.2,
    )
    ai_server.reply("Hello there!")

    result = await shop.chat(
        [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    )

    assert isinstance(result, ChatResult)
    assert result.content == "Hello there!"
    assert result.message == {"role": "assistant", "content": "Hello there!"}
    assert result.tool_calls == []
    assert result.rounds == 0
    assert result.finish_reason == "stop"
    assert result.usage == {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    assert [m["role"] for m in result.messages] == ["system", "user", "assistant"]
    assert result.new_messages == [result.message]
    (request,) = ai_server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.headers["openai-organization"] == "org-1"
    assert request.headers["openai-project"] == "proj-1"
    assert request.body == {
        "model": "fake-model",
        "temperature": 0.2,
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
    }


async def test_per_call_options_and_json_format(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    shop = await started(build_client, Shop(), ai_config, RESPONSE_FORMAT={"type": "json_object"})
    ai_server.reply('{"answer": 42}')
    ai_server.reply("free text")

    result = await shop.chat("Answer in JSON", model="other", temperature=0, max_tokens=20)
    assert result.json() == {"answer": 42}
    second = await shop.chat("plain", response_format=None)
    assert second.content == "free text"

    first_body, second_body = ai_server.chat_bodies()
    assert first_body == {
        "model": "other",
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "max_tokens": 20,
        "messages": [{"role": "user", "content": "Answer in JSON"}],
    }
    assert "response_format" not in second_body


async def test_two_round_tool_loop(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    shop = await started(build_client, Shop(), ai_config, TOOL_CHOICE=True)
    ai_server.ask_tools(tool_call("stock", {"item": "tea"}, "call_a"))
    ai_server.ask_tools(
        tool_call(
            "place_order", {"order": {"item": "tea", "quantity": 2}, "express": True}, "call_b"
        ),
        tool_call("blocking_lookup", {"code": 21}, "call_c"),
    )
    ai_server.reply("Ordered 2 teas.")

    result = await shop.chat("Buy two teas if in stock")

    assert result.content == "Ordered 2 teas."
    assert result.rounds == 2
    assert [(r.name, r.round, r.executed) for r in result.tool_calls] == [
        ("stock", 1, True),
        ("place_order", 2, True),
        ("blocking_lookup", 2, True),
    ]
    assert result.tool_calls[1].arguments == {
        "order": Order(item="tea", quantity=2),
        "express": True,
    }
    assert result.tool_calls[2].result == 42
    assert shop.calls[:2] == [
        ("stock", {"item": "tea"}),
        ("place_order", {"order": Order(item="tea", quantity=2), "express": True}),
    ]
    assert shop.calls[2][1]["thread"] != threading.current_thread().name

    first, second, third = ai_server.chat_bodies()
    assert first["tool_choice"] == "auto"
    assert sorted(t["function"]["name"] for t in first["tools"]) == [
        "blocking_lookup",
        "explode",
        "place_order",
        "stock",
    ]
    # the tool results went back to the model, after the assistant turn that asked for them
    assert second["messages"][1:] == [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [tool_call("stock", {"item": "tea"}, "call_a")],
        },
        {"role": "tool", "tool_call_id": "call_a", "content": '{"item":"tea","in_stock":7}'},
    ]
    assert third["messages"][-2:] == [
        {"role": "tool", "tool_call_id": "call_b", "content": "ordered 2 x tea"},
        {"role": "tool", "tool_call_id": "call_c", "content": "42"},
    ]
    assert [m["role"] for m in result.new_messages] == [
        "assistant",
        "tool",
        "assistant",
        "tool",
        "tool",
        "assistant",
    ]


async def test_invalid_tool_arguments_are_reported_back_not_run(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    shop = await started(build_client, Shop(), ai_config, TOOL_CHOICE=True)
    ai_server.ask_tools(tool_call("place_order", {"order": {"quantity": "many"}}, "bad"))
    ai_server.ask_tools(
        tool_call("stock", "{not json", "broken"), tool_call("teleport", {}, "nope")
    )
    ai_server.reply("Sorry, I could not order.")

    result = await shop.chat("order something")

    assert result.content == "Sorry, I could not order."
    assert shop.calls == []
    assert [r.executed for r in result.tool_calls] == [False, False, False]
    bad = result.tool_calls[0]
    assert bad.arguments is None
    assert bad.result is None
    assert bad.error is not None
    assert bad.error.startswith("invalid arguments")

    second, third = ai_server.chat_bodies()[1:]
    reported = json.loads(second["messages"][-1]["content"])
    assert second["messages"][-1]["tool_call_id"] == "bad"
    assert reported["error"].startswith("invalid arguments")
    assert sorted((tuple(d["loc"]), d["type"]) for d in reported["details"]) == [
        (("order", "item"), "missing"),
        (("order", "quantity"), "int_parsing"),
    ]
    broken, unknown = (json.loads(m["content"]) for m in third["messages"][-2:])
    assert broken["details"][0]["type"] == "json_invalid"
    assert unknown == {
        "error": "unknown tool 'teleport'",
        "available_tools": ["blocking_lookup", "explode", "place_order", "stock"],
    }


async def test_failing_tool_raises_with_the_tool_name(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    shop = await started(build_client, Shop(), ai_config, TOOL_CHOICE=True)
    ai_server.ask_tools(tool_call("explode", {"reason": "boom"}))

    with pytest.raises(FailedToRunAiToolMethod) as info:
        await shop.chat("blow up")

    assert info.value.tool_name == "explode"
    assert info.value.arguments == {"reason": "boom"}
    assert "explode" in info.value.message
    assert isinstance(info.value.__cause__, RuntimeError)
    assert str(info.value.__cause__) == "boom"
    assert len(ai_server.requests) == 1


async def test_tools_restricted_per_call(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    shop = await started(build_client, Shop(), ai_config)  # TOOL_CHOICE False: no tools by default
    ai_server.reply("no tools")
    ai_server.ask_tools(tool_call("explode", {"reason": "not allowed"}, "x"))
    ai_server.reply("done")

    await shop.chat("hi")
    result = await shop.chat("check stock", tools=["stock"], tool_choice="required")

    default_body, restricted_body, _ = ai_server.chat_bodies()
    assert "tools" not in default_body
    assert "tool_choice" not in default_body
    assert [t["function"]["name"] for t in restricted_body["tools"]] == ["stock"]
    assert restricted_body["tool_choice"] == "required"
    # a tool outside the allowed set is not run, even if the model asks for it
    assert result.tool_calls[0].error == "unknown tool 'explode'"
    assert shop.calls == []
    with pytest.raises(ValueError, match="unknown AI tool"):
        await shop.chat("x", tools=["nope"])


async def test_tool_rounds_are_bounded(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    shop = await started(build_client, Shop(), ai_config, TOOL_CHOICE=True)
    for _ in range(3):
        ai_server.ask_tools(tool_call("stock", {"item": "tea"}))

    with pytest.raises(ToolRoundsExceeded) as info:
        await shop.chat("loop forever", max_tool_rounds=2)

    assert info.value.rounds == 2
    assert len(ai_server.requests) == 3
    assert len(shop.calls) == 2


async def test_service_errors_are_not_retried_by_default(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    shop = await started(build_client, Shop(), ai_config, API_KEY="wrong-key")
    with pytest.raises(AiServiceError) as info:
        await shop.chat("hi")
    assert info.value.upstream_status == 401
    assert "Incorrect API key" in info.value.message
    assert info.value.status_code == 502
    assert len(ai_server.requests) == 1
