"""The ``AI_INTERFACE`` config section."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from pyjolt.extension import ExtensionConfig


class AiInterfaceConfig(ExtensionConfig):
    """Keys of the ``AI_INTERFACE`` section (the spec's names and defaults)."""

    #: Bearer token of the service (required; any non-empty string for a local server).
    API_KEY: str = Field(min_length=1)
    #: Base URL of the OpenAI-compatible API, up to and including ``/v1``.
    API_BASE_URL: str = "https://api.openai.com/v1"
    #: Sent as the ``OpenAI-Organization`` header when set.
    ORGANIZATION_ID: str | None = None
    #: Sent as the ``OpenAI-Project`` header when set.
    PROJECT_ID: str | None = None
    #: Seconds to wait for connecting and for each read of an answer.
    TIMEOUT: float = Field(default=30, gt=0)
    #: Chat model used when a call does not name one.
    MODEL: str = "gpt-3.5-turbo"
    #: Sampling temperature.
    TEMPERATURE: float = Field(default=1.0, ge=0, le=2)
    #: ``response_format`` of chat calls; None sends none (free text).
    RESPONSE_FORMAT: dict[str, Any] | None = Field(default_factory=lambda: {"type": "json_object"})
    #: Whether chat calls offer the interface's tools to the model by default.
    TOOL_CHOICE: bool = False
    #: Retries after a 429, a 5xx, a timeout or a connection error (0 = none).
    MAX_RETRIES: int = Field(default=0, ge=0)
    #: Name of the handler parameter that receives the chat context.
    CHAT_CONTEXT_NAME: str = Field(default="chat_context", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
