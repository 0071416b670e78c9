"""Drive an ASGI app's lifespan without a server (what ``run_cli`` runs commands inside)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager, suppress
from typing import Any

from starlette.types import ASGIApp

Message = MutableMapping[str, Any]


class LifespanError(RuntimeError):
    """The app reported a failed start-up or shutdown."""


@asynccontextmanager
async def app_lifespan(app: ASGIApp) -> AsyncIterator[dict[str, Any]]:
    """Send ``lifespan.startup`` to ``app``, yield its lifespan state, then shut it down.

    An exception raised by the app's start-up or shutdown code propagates as it is (so a
    ``ConfigurationError`` keeps its message); a failure reported only as a message raises
    ``LifespanError``.
    """
    to_app: asyncio.Queue[Message] = asyncio.Queue()
    from_app: asyncio.Queue[Message] = asyncio.Queue()
    state: dict[str, Any] = {}
    scope: dict[str, Any] = {
        "type": "lifespan",
        "asgi": {"version": "3.0", "spec_version": "2.0"},
        "state": state,
    }

    async def receive() -> Message:
        return await to_app.get()

    async def send(message: Message) -> None:
        await from_app.put(message)

    task: asyncio.Task[None] = asyncio.ensure_future(app(scope, receive, send))
    try:
        await to_app.put({"type": "lifespan.startup"})
        await _expect(task, from_app, "startup")
    except BaseException:
        await _cancel(task)
        raise
    try:
        yield state
    finally:
        await to_app.put({"type": "lifespan.shutdown"})
        try:
            await _expect(task, from_app, "shutdown")
            await task
        finally:
            await _cancel(task)


async def _expect(task: asyncio.Task[Any], from_app: asyncio.Queue[Message], phase: str) -> None:
    """Wait for ``lifespan.<phase>.complete``; re-raise the app's own error when it failed."""
    getter = asyncio.ensure_future(from_app.get())
    try:
        await asyncio.wait({task, getter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not getter.done():
            getter.cancel()
            with suppress(asyncio.CancelledError):
                await getter
    if getter.done() and not getter.cancelled():
        message = getter.result()
        if message["type"] == f"lifespan.{phase}.complete":
            return
        if task.done() or message["type"] == f"lifespan.{phase}.failed":
            # Starlette sends *.failed and then re-raises: prefer the original exception.
            with suppress(asyncio.CancelledError):
                await asyncio.wait({task}, timeout=5)
            if task.done() and not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
            raise LifespanError(f"application {phase} failed: {message.get('message', '')}".strip())
        raise LifespanError(f"unexpected lifespan message during {phase}: {message['type']!r}")
    # The app returned (or raised) without answering.
    error = task.exception()
    if error is not None:
        raise error
    raise LifespanError(f"the application does not support the ASGI lifespan ({phase} unanswered)")


async def _cancel(task: asyncio.Task[Any]) -> None:
    if not task.done():
        task.cancel()
    with suppress(asyncio.CancelledError, Exception):
        await task
