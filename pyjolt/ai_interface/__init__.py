"""AI interface (experimental): chat with OpenAI-compatible services, with tools.

Install with ``pip install "pyjolt[ai_interface]"`` (httpx only).
"""

from __future__ import annotations

from pyjolt.ai_interface.config import AiInterfaceConfig
from pyjolt.ai_interface.exceptions import (
    AiInterfaceError,
    AiServiceError,
    AiServiceTimeout,
    ChatContextNotFound,
    FailedToRunAiToolMethod,
    ToolRoundsExceeded,
)
from pyjolt.ai_interface.interface import AiInterface
from pyjolt.ai_interface.results import ChatResult, ChatStream, ToolCallRecord
from pyjolt.ai_interface.tools import ToolSpec, tool

__all__ = [
    "AiInterface",
    "AiInterfaceConfig",
    "AiInterfaceError",
    "AiServiceError",
    "AiServiceTimeout",
    "ChatContextNotFound",
    "ChatResult",
    "ChatStream",
    "FailedToRunAiToolMethod",
    "ToolCallRecord",
    "ToolRoundsExceeded",
    "ToolSpec",
    "tool",
]
