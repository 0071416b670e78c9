"""What chat calls give back: the final message, the tool calls made, the transcript."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import Any, Self


@dataclass
class ToolCallRecord:
    """One tool call the model asked for.

    Attributes:
        id: the call's id (echoed in the tool message).
        name: the tool's name.
        raw_arguments: the arguments as the model sent them (JSON text).
        arguments: the validated arguments, or None when they were invalid.
        result: what the tool returned (None when it did not run).
        error: why the call was not run (invalid arguments, unknown tool), as told to the model.
        error_details: the details sent with ``error`` (validation errors, available tools).
        round: the tool round (1-based) the call belongs to.
    """

    id: str
    name: str
    raw_arguments: str
    arguments: dict[str, Any] | None = None
    result: Any = None
    error: str | None = None
    error_details: dict[str, Any] | None = None
    round: int = 1

    @property
    def executed(self) -> bool:
        """Whether the tool ran."""
        return self.error is None


@dataclass
class ChatResult:
    """The outcome of one chat exchange (all tool rounds included).

    Attributes:
        message: the final assistant message (``{"role": "assistant", "content": ...}``).
        tool_calls: every tool call the model asked for, in order.
        messages: the whole conversation: the input followed by the new messages.
        new_messages: only the messages this exchange added (assistant and tool turns).
        finish_reason: the final choice's ``finish_reason``.
        usage: token usage summed over all rounds.
        model: the model that answered.
        rounds: the number of tool rounds run.
    """

    message: dict[str, Any]
    tool_calls: list[ToolCallRecord] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    new_messages: list[dict[str, Any]] = field(default_factory=list)
    finish_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    model: str | None = None
    rounds: int = 0

    @property
    def content(self) -> str | None:
        """The text of the final assistant message."""
        content = self.message.get("content")
        return content if isinstance(content, str) or content is None else str(content)

    def json(self) -> Any:
        """The final answer parsed as JSON (for ``RESPONSE_FORMAT`` ``json_object``)."""
        if self.content is None:
            raise ValueError("the assistant message has no content to parse")
        return json.loads(self.content)


class ChatStream:
    """An async iterator of the answer's text deltas; ``result`` is set once it is consumed.

    Use ``async with ai.stream(...) as stream: async for text in stream: ...`` (or close it
    with ``await stream.aclose()``) when you may stop early, so the HTTP stream is released.
    """

    def __init__(self) -> None:
        self._gen: AsyncGenerator[str, None] | None = None
        #: The :class:`ChatResult`, available after the last delta.
        self.result: ChatResult | None = None

    def bind(self, gen: AsyncGenerator[str, None]) -> None:
        self._gen = gen

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> str:
        if self._gen is None:
            raise StopAsyncIteration
        return await self._gen.__anext__()

    async def aclose(self) -> None:
        """Stop the stream and release its connection."""
        if self._gen is not None:
            await self._gen.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def add_usage(total: dict[str, int], usage: Any) -> None:
    """Add one answer's integer usage counters to ``total``."""
    if not isinstance(usage, dict):
        return
    for key, value in usage.items():
        if isinstance(value, int) and not isinstance(value, bool):
            total[key] = total.get(key, 0) + value
