"""A small OpenAI-compatible HTTP server for the AI interface tests.

Starlette under uvicorn, in a thread, on 127.0.0.1. Tests script the answers of
``POST /v1/chat/completions`` in order (JSON answers, tool calls, SSE streams, errors, slow
answers); ``POST /v1/embeddings`` answers deterministically. Every request is recorded.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio
import anyio.lowlevel
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

API_KEY = "test-key"
MODEL = "fake-model"

_ids = itertools.count(1)


@dataclass
class JsonStep:
    body: dict[str, Any]
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class SseStep:
    events: list[str]  # raw SSE text blocks, sent one per chunk


@dataclass
class SlowStep:
    seconds: float
    then: JsonStep


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def tool_call(
    name: str, arguments: dict[str, Any] | str, call_id: str | None = None
) -> dict[str, Any]:
    """One tool call as the model sends it."""
    return {
        "id": call_id or f"call_{next(_ids)}",
        "type": "function",
        "function": {
            "name": name,
            "arguments": arguments if isinstance(arguments, str) else json.dumps(arguments),
        },
    }


def completion(message: dict[str, Any], finish_reason: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{next(_ids)}",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


def _chunk(delta: dict[str, Any], finish_reason: str | None = None) -> str:
    event = {
        "id": "chatcmpl-stream",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }
    return f"data: {json.dumps(event)}\n\n"


class FakeOpenAI:
    """The scripted server; ``base_url`` is what ``API_BASE_URL`` should be."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: deque[JsonStep | SseStep | SlowStep] = deque()
        self._requests: list[Recorded] = []
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
            ]
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting -------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self._script.clear()
            self._requests.clear()

    def _push(self, step: JsonStep | SseStep | SlowStep) -> None:
        with self._lock:
            self._script.append(step)

    def reply(self, content: str | None) -> None:
        """A final assistant answer."""
        self._push(JsonStep(completion({"role": "assistant", "content": content}, "stop")))

    def ask_tools(self, *calls: dict[str, Any], content: str | None = None) -> None:
        """An assistant turn asking for tool calls (see :func:`tool_call`)."""
        message = {"role": "assistant", "content": content, "tool_calls": list(calls)}
        self._push(JsonStep(completion(message, "tool_calls")))

    def error(
        self, status: int, message: str = "scripted error", headers: dict[str, str] | None = None
    ) -> None:
        body = {"error": {"message": message, "type": "scripted", "code": status}}
        self._push(JsonStep(body, status=status, headers=dict(headers or {})))

    def slow(self, seconds: float, content: str = "too late") -> None:
        """An answer sent after ``seconds`` (or never, if the client hangs up first)."""
        then = JsonStep(completion({"role": "assistant", "content": content}, "stop"))
        self._push(SlowStep(seconds, then))

    def stream(self, *deltas: str) -> None:
        """A streamed answer: one SSE event per delta, a keep-alive comment, then [DONE]."""
        events = [_chunk({"role": "assistant", "content": ""}), ": keep-alive\n\n"]
        events += [_chunk({"content": delta}) for delta in deltas]
        events += [_chunk({}, "stop"), "data: [DONE]\n\n"]
        self._push(SseStep(events))

    def stream_tool_call(self, name: str, arguments: dict[str, Any], pieces: int = 3) -> None:
        """A streamed tool call whose arguments arrive in ``pieces`` fragments."""
        text = json.dumps(arguments)
        size = max(1, -(-len(text) // pieces))
        call_id = f"call_{next(_ids)}"
        first = {
            "index": 0,
            "id": call_id,
            "type": "function",
            "function": {"name": name, "arguments": ""},
        }
        events = [_chunk({"role": "assistant", "content": None, "tool_calls": [first]})]
        for start in range(0, len(text), size):
            part = {"index": 0, "function": {"arguments": text[start : start + size]}}
            events.append(_chunk({"tool_calls": [part]}))
        events += [_chunk({}, "tool_calls"), "data: [DONE]\n\n"]
        self._push(SseStep(events))

    @property
    def requests(self) -> list[Recorded]:
        with self._lock:
            return list(self._requests)

    def chat_bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    # -- endpoints -------------------------------------------------------------------------
    async def _record(self, request: Request) -> tuple[dict[str, Any], Response | None]:
        body = await request.json()
        with self._lock:
            self._requests.append(Recorded(request.url.path, dict(request.headers), body))
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            error = {
                "error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}
            }
            return body, JSONResponse(error, status_code=401)
        return body, None

    async def _chat(self, request: Request) -> Response:
        body, denied = await self._record(request)
        if denied is not None:
            return denied
        with self._lock:
            step = self._script.popleft() if self._script else None
        if step is None:
            return JSONResponse({"error": {"message": "no scripted answer left"}}, status_code=418)
        if isinstance(step, SlowStep):
            with anyio.move_on_after(step.seconds):
                while (await request.receive())["type"] != "http.disconnect":
                    pass
            step = step.then
        if isinstance(step, SseStep):
            if not body.get("stream"):
                return JSONResponse({"error": {"message": "expected stream=true"}}, status_code=400)
            return StreamingResponse(_sse(step.events), media_type="text/event-stream")
        return JSONResponse(step.body, status_code=step.status, headers=step.headers)

    async def _embeddings(self, request: Request) -> Response:
        body, denied = await self._record(request)
        if denied is not None:
            return denied
        inputs: Sequence[str] = [body["input"]] if isinstance(body["input"], str) else body["input"]
        data = [
            {"object": "embedding", "index": i, "embedding": [float(len(text)), float(i), 0.5]}
            for i, text in enumerate(inputs)
        ]
        data.reverse()  # the client must order by index
        return JSONResponse({"object": "list", "data": data, "model": body["model"], "usage": {}})

    # -- server ----------------------------------------------------------------------------
    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,
            log_level="warning",
            lifespan="off",
            ws="none",
            http="h11",
            loop="asyncio",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        server = self._server
        self._thread = threading.Thread(target=lambda: server.run(sockets=[sock]), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake OpenAI server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(15)


async def _sse(events: list[str]) -> AsyncIterator[bytes]:
    for event in events:
        yield event.encode()
        await anyio.lowlevel.checkpoint()
