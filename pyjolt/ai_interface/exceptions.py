"""Errors of the AI interface; all are HTTP exceptions, so exception handlers can catch them."""

from __future__ import annotations

from typing import Any

from pyjolt.enums import HttpStatus
from pyjolt.exceptions.http import BaseHttpException


class AiInterfaceError(BaseHttpException):
    """Base class of the AI interface's errors (500 unless a subclass says otherwise)."""

    status_code = HttpStatus.INTERNAL_SERVER_ERROR
    default_message = "AI interface error"


class ChatContextNotFound(AiInterfaceError):
    """``chat_context_loader`` returned None for this request (404)."""

    status_code = HttpStatus.NOT_FOUND
    default_message = "Chat context not found"


class FailedToRunAiToolMethod(AiInterfaceError):
    """A tool method raised; the original exception is the ``__cause__``.

    Attributes:
        tool_name: the tool's name as the model knows it.
        arguments: the validated arguments the tool was called with.
    """

    default_message = "AI tool method failed"

    def __init__(
        self, tool_name: str, arguments: dict[str, Any] | None = None, message: str | None = None
    ) -> None:
        self.tool_name = tool_name
        self.arguments = dict(arguments or {})
        super().__init__(
            message or f"AI tool method {tool_name!r} failed", data={"tool": tool_name}
        )


class ToolRoundsExceeded(AiInterfaceError):
    """The model still asked for tools after the allowed number of rounds."""

    default_message = "The model asked for tools too many times"

    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        super().__init__(
            f"the model still asked for tools after {rounds} round(s)", data={"rounds": rounds}
        )


class AiServiceError(AiInterfaceError):
    """The AI service answered with an error, or could not be reached (502).

    Attributes:
        upstream_status: the service's HTTP status (None when it could not be reached).
        body: the service's error body (parsed JSON when possible).
    """

    status_code = HttpStatus.BAD_GATEWAY
    default_message = "The AI service failed"

    def __init__(
        self, message: str | None = None, upstream_status: int | None = None, body: Any = None
    ) -> None:
        self.upstream_status = upstream_status
        self.body = body
        super().__init__(message, data={"upstream_status": upstream_status})


class AiServiceTimeout(AiServiceError):
    """The AI service did not answer within ``TIMEOUT`` seconds (504)."""

    status_code = HttpStatus.GATEWAY_TIMEOUT
    default_message = "The AI service timed out"


__all__ = [
    "AiInterfaceError",
    "AiServiceError",
    "AiServiceTimeout",
    "ChatContextNotFound",
    "FailedToRunAiToolMethod",
    "ToolRoundsExceeded",
]
