"""Shared pieces of the AI interface tests."""

from __future__ import annotations

from typing import Any, TypeVar

from pyjolt.ai_interface import AiInterface

A = TypeVar("A", bound=AiInterface)


async def started(build_client: Any, ai: A, config: dict[str, Any], **extra: Any) -> A:
    """``ai`` listed in a started app, its ``AI_INTERFACE`` section ``config`` plus ``extra``."""
    await build_client(EXTENSIONS=[ai], AI_INTERFACE={**config, **extra})
    return ai
