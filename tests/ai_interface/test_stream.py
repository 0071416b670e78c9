"""Streaming answers (SSE from the service), with tool rounds, and out of an SSE endpoint."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.ai_interface import (
    AiInterface,
    AiServiceError,
    ChatStream,
    FailedToRunAiToolMethod,
    tool,
)
from pyjolt.ai_interface.transport import iter_sse_data
from pyjolt.controller import Controller, get, path
from tests.ai_interface.openai_fake_server import FakeOpenAI


class Guide(AiInterface):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    @tool
    async def opening_hours(self, museum: str, weekday: int = 1) -> str:
        """Opening hours of a museum."""
        self.seen.append(f"{museum}/{weekday}")
        if museum == "closed":
            raise LookupError("no such museum")
        return "9-17"


async def test_streamed_answer(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    guide = Guide()
    await build_client(EXTENSIONS=[guide], AI_INTERFACE=ai_config)
    ai_server.stream("Hel", "lo, ", "world", "!")

    stream = guide.stream("Say hello")
    assert isinstance(stream, ChatStream)
    deltas = [delta async for delta in stream]

    assert deltas == ["Hel", "lo, ", "world", "!"]
    assert stream.result is not None
    assert stream.result.content == "Hello, world!"
    assert stream.result.finish_reason == "stop"
    (body,) = ai_server.chat_bodies()
    assert body["stream"] is True
    assert body["messages"] == [{"role": "user", "content": "Say hello"}]


async def test_stream_takes_the_options_of_chat(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    guide = Guide()
    await build_client(EXTENSIONS=[guide], AI_INTERFACE=ai_config)
    ai_server.stream("ok")

    async with guide.stream("hi", model="other", temperature=0, max_tokens=7) as stream:
        assert [delta async for delta in stream] == ["ok"]

    (body,) = ai_server.chat_bodies()
    assert (body["model"], body["temperature"], body["max_tokens"]) == ("other", 0, 7)
    chat_parameters = inspect.signature(guide.chat).parameters
    assert inspect.signature(guide.stream).parameters == chat_parameters
    assert list(chat_parameters)[:3] == ["messages", "tools", "tool_choice"]


async def test_streamed_tool_call_runs_between_streamed_parts(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    guide = Guide()
    await build_client(EXTENSIONS=[guide], AI_INTERFACE={**ai_config, "TOOL_CHOICE": True})
    ai_server.stream_tool_call("opening_hours", {"museum": "Louvre", "weekday": 3}, pieces=4)
    ai_server.stream("Open ", "9-17.")

    async with guide.stream("When is the Louvre open on Wednesday?") as stream:
        deltas = [delta async for delta in stream]

    assert deltas == ["Open ", "9-17."]
    assert guide.seen == ["Louvre/3"]
    assert stream.result is not None
    assert [(r.name, r.arguments) for r in stream.result.tool_calls] == [
        ("opening_hours", {"museum": "Louvre", "weekday": 3})
    ]
    second = ai_server.chat_bodies()[1]
    assistant, tool_message = second["messages"][-2:]
    assert assistant["tool_calls"][0]["function"] == {
        "name": "opening_hours",
        "arguments": '{"museum": "Louvre", "weekday": 3}',
    }
    assert tool_message == {
        "role": "tool",
        "tool_call_id": assistant["tool_calls"][0]["id"],
        "content": "9-17",
    }


async def test_failing_tool_in_a_stream(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    guide = Guide()
    await build_client(EXTENSIONS=[guide], AI_INTERFACE={**ai_config, "TOOL_CHOICE": True})
    ai_server.stream_tool_call("opening_hours", {"museum": "closed"})

    with pytest.raises(FailedToRunAiToolMethod) as info:
        async with guide.stream("hours?") as stream:
            [delta async for delta in stream]
    assert info.value.tool_name == "opening_hours"


async def test_stream_error_status(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    guide = Guide()
    await build_client(EXTENSIONS=[guide], AI_INTERFACE=ai_config)
    ai_server.error(404, "model not found")

    with pytest.raises(AiServiceError, match="model not found"):
        async with guide.stream("hi") as stream:
            [delta async for delta in stream]


async def test_stopping_early_releases_the_stream(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    guide = Guide()
    await build_client(EXTENSIONS=[guide], AI_INTERFACE=ai_config)
    ai_server.stream("one", "two", "three")
    ai_server.reply("the client still works")

    async with guide.stream("count") as stream:
        async for delta in stream:
            assert delta == "one"
            break
    assert stream.result is None
    assert (await guide.chat("again")).content == "the client still works"


async def test_sse_endpoint_streams_the_answer(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    guide = Guide()

    @path("/chat")
    class ChatApi(Controller):
        @get("/stream")
        async def stream_answer(self, req: Request) -> Response:
            async def events() -> AsyncIterator[str]:
                async with guide.stream(req.query_params["q"]) as stream:
                    async for delta in stream:
                        yield f"data: {delta}\n\n"
                yield "data: [END]\n\n"

            return req.res.stream(events(), media_type="text/event-stream")

    client = await build_client(controllers=[ChatApi], EXTENSIONS=[guide], AI_INTERFACE=ai_config)
    ai_server.stream("Streaming ", "works")

    response = await client.get("/chat/stream", params={"q": "go"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text == "data: Streaming \n\ndata: works\n\ndata: [END]\n\n"


async def _lines(*lines: str) -> AsyncIterator[str]:
    for line in lines:
        yield line


async def test_sse_parser() -> None:
    events = [
        data
        async for data in iter_sse_data(
            _lines(
                ": comment",
                "event: message",
                "data: first",
                "",
                "data:a",
                "data: b",
                "",
                "",
                "id: 3",
                "data: last",
            )
        )
    ]
    assert events == ["first", "a\nb", "last"]
