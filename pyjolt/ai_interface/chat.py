"""The chat loop: ask the model, run the tools it asks for, send results back, repeat."""

from __future__ import annotations

import functools
from collections.abc import AsyncGenerator, Mapping, Sequence
from typing import Any

import anyio.to_thread
from pydantic import ValidationError

from pyjolt.ai_interface.exceptions import (
    AiServiceError,
    FailedToRunAiToolMethod,
    ToolRoundsExceeded,
)
from pyjolt.ai_interface.results import ChatResult, ChatStream, ToolCallRecord, add_usage
from pyjolt.ai_interface.tools import ToolSpec
from pyjolt.ai_interface.transport import AiTransport
from pyjolt.serialization import dumps

CHAT_PATH = "chat/completions"

Messages = str | Sequence[Mapping[str, Any]]


def normalize_messages(messages: Messages) -> list[dict[str, Any]]:
    """A prompt string becomes one user message; mappings are copied."""
    if isinstance(messages, str):
        return [{"role": "user", "content": messages}]
    return [dict(message) for message in messages]


def _tool_content(value: Any) -> str:
    return value if isinstance(value, str) else dumps(value).decode("utf-8")


def _assistant_message(message: Mapping[str, Any]) -> dict[str, Any]:
    """The assistant turn as it goes back into the history (portable keys only)."""
    turn: dict[str, Any] = {"role": "assistant", "content": message.get("content")}
    if message.get("tool_calls"):
        turn["tool_calls"] = [
            {
                "id": call.get("id", ""),
                "type": call.get("type", "function"),
                "function": {
                    "name": (call.get("function") or {}).get("name", ""),
                    "arguments": _raw_arguments((call.get("function") or {}).get("arguments")),
                },
            }
            for call in message["tool_calls"]
        ]
    return turn


def _raw_arguments(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else dumps(value).decode("utf-8")


class ChatLoop:
    """One chat exchange; built per call by :class:`AiInterface`."""

    def __init__(
        self,
        owner: Any,
        transport: AiTransport,
        payload: dict[str, Any],
        messages: list[dict[str, Any]],
        tools: Mapping[str, ToolSpec],
        max_rounds: int,
    ) -> None:
        self.owner = owner
        self.transport = transport
        self.payload = payload
        self.history = messages
        self.start = len(messages)
        self.tools = tools
        self.max_rounds = max_rounds
        self.records: list[ToolCallRecord] = []
        self.usage: dict[str, int] = {}
        self.rounds = 0

    def _request(self) -> dict[str, Any]:
        return {**self.payload, "messages": self.history}

    def _result(self, message: dict[str, Any], finish: str | None, model: str | None) -> ChatResult:
        return ChatResult(
            message=message,
            tool_calls=self.records,
            messages=self.history,
            new_messages=self.history[self.start :],
            finish_reason=finish,
            usage=self.usage,
            model=model,
            rounds=self.rounds,
        )

    async def run(self) -> ChatResult:
        """Run rounds until the model answers without asking for tools."""
        while True:
            data = await self.transport.post_json(CHAT_PATH, self._request())
            add_usage(self.usage, data.get("usage"))
            choices = data.get("choices")
            if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
                raise AiServiceError(f"the AI service answered without choices: {data!r:.300}")
            choice = choices[0]
            turn = _assistant_message(choice.get("message") or {})
            self.history.append(turn)
            if not turn.get("tool_calls") or not self.tools:
                return self._result(turn, choice.get("finish_reason"), data.get("model"))
            await self._run_tools(turn["tool_calls"])

    async def stream(self, sink: ChatStream) -> AsyncGenerator[str, None]:
        """Like :meth:`run`, yielding the text deltas; sets ``sink.result`` at the end."""
        while True:
            parts: list[str] = []
            calls: dict[int, dict[str, Any]] = {}
            finish: str | None = None
            model: str | None = None
            async for event in self.transport.stream_events(CHAT_PATH, self._request()):
                add_usage(self.usage, event.get("usage"))
                model = event.get("model") or model
                for choice in event.get("choices") or ():
                    if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                        continue
                    finish = choice.get("finish_reason") or finish
                    delta = choice.get("delta") or {}
                    text = delta.get("content")
                    if text:
                        parts.append(text)
                        yield text
                    for part in delta.get("tool_calls") or ():
                        slot = calls.setdefault(
                            part.get("index", len(calls)),
                            {
                                "id": "",
                                "type": "function",
                                "function": {"name": "", "arguments": ""},
                            },
                        )
                        slot["id"] = part.get("id") or slot["id"]
                        function = part.get("function") or {}
                        slot["function"]["name"] += function.get("name") or ""
                        slot["function"]["arguments"] += _raw_arguments(function.get("arguments"))
            turn: dict[str, Any] = {"role": "assistant", "content": "".join(parts) or None}
            if calls:
                turn["tool_calls"] = [calls[index] for index in sorted(calls)]
            self.history.append(turn)
            if not calls or not self.tools:
                sink.result = self._result(turn, finish, model)
                return
            await self._run_tools(turn["tool_calls"])

    async def _run_tools(self, calls: list[dict[str, Any]]) -> None:
        if self.rounds >= self.max_rounds:
            raise ToolRoundsExceeded(self.max_rounds)
        self.rounds += 1
        for call in calls:
            record = await self._run_call(call)
            self.records.append(record)
            content = (
                _tool_content(record.result)
                if record.error is None
                else dumps({"error": record.error, **(record.error_details or {})}).decode("utf-8")
            )
            self.history.append({"role": "tool", "tool_call_id": record.id, "content": content})

    async def _run_call(self, call: Mapping[str, Any]) -> ToolCallRecord:
        function = call.get("function") or {}
        name = str(function.get("name") or "")
        record = ToolCallRecord(
            id=str(call.get("id") or ""),
            name=name,
            raw_arguments=_raw_arguments(function.get("arguments")),
            round=self.rounds,
        )
        spec = self.tools.get(name)
        if spec is None:
            record.error = f"unknown tool {name!r}"
            record.error_details = {"available_tools": sorted(self.tools)}
            return record
        try:
            arguments = spec.parse_arguments(record.raw_arguments)
        except ValidationError as exc:
            record.error = "invalid arguments; nothing was run, call the tool again with valid ones"
            record.error_details = {
                "details": exc.errors(include_url=False, include_context=False, include_input=False)
            }
            return record
        record.arguments = arguments
        method = getattr(self.owner, spec.attribute)
        try:
            if spec.is_coroutine:
                record.result = await method(**arguments)
            else:
                record.result = await anyio.to_thread.run_sync(
                    functools.partial(method, **arguments)
                )
        except Exception as exc:
            raise FailedToRunAiToolMethod(spec.name, arguments) from exc
        return record
