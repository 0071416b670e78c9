"""Errors of the AI interface; all are HTTP exceptions, so exception handlers can catch them."""

from __future__ import annotations

from typing import Any

from pyjolt.enums import HttpStatus
from pyjolt.exceptions.http import BaseHttpException


class AiInterfaceError(
    BaseHttpException, status=HttpStatus.INTERNAL_SERVER_ERROR, message="AI interface error"
):
    """Base class of the AI interface's errors (500 unless a subclass says otherwise)."""


class ChatContextNotFound(
    AiInterfaceError, status=HttpStatus.NOT_FOUND, message="Chat context not found"
):
    """``chat_context_loader`` returned None for this request (404)."""


class FailedToRunAiToolMethod(AiInterfaceError, message="AI tool method failed"):
    """A tool method raised; the original exception is the ``__cause__``.

    Attributes:
        tool_name: the tool's name as the model knows it.
        arguments: the validated arguments the tool was called with.
    """

    def __init__(
        self, tool_name: str, arguments: dict[str, Any] | None = None, message: str | None = None
    ) -> None:
        self.tool_name = tool_name
        self.arguments = dict(arguments or {})
        super().__init__(
            message or f"AI tool method {tool_name!r} failed", data={"tool": tool_name}
        )


class ToolRoundsExceeded(AiInterfaceError, message="The model asked for tools too many times"):
    """The model still asked for tools after the allowed number of rounds."""

    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        super().__init__(
            f"the model still asked for tools after {rounds} round(s)", data={"rounds": rounds}
        )


class AiServiceError(
    AiInterfaceError, status=HttpStatus.BAD_GATEWAY, message="The AI service failed"
):
    """The AI service answered with an error, or could not be reached (502).

    Attributes:
        upstream_status: the service's HTTP status (None when it could not be reached).
        body: the service's error body (parsed JSON when possible).
    """

    def __init__(
        self, message: str | None = None, upstream_status: int | None = None, body: Any = None
    ) -> None:
        self.upstream_status = upstream_status
        self.body = body
        super().__init__(message, data={"upstream_status": upstream_status})


class AiServiceTimeout(
    AiServiceError, status=HttpStatus.GATEWAY_TIMEOUT, message="The AI service timed out"
):
    """The AI service did not answer within ``TIMEOUT`` seconds (504)."""


__all__ = [
    "AiInterfaceError",
    "AiServiceError",
    "AiServiceTimeout",
    "ChatContextNotFound",
    "FailedToRunAiToolMethod",
    "ToolRoundsExceeded",
]
