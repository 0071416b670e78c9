"""Start-up and shutdown: ``@on_startup`` / ``@on_shutdown`` hooks and the app's lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, TypeVar

from pyjolt._internal.markers import collect_marked, marker

F = TypeVar("F", bound=Callable[..., Any])

HOOK_ATTR = "__pyjolt_lifecycle__"


on_startup = marker(
    HOOK_ATTR,
    "startup",
    "on_startup",
    "Run this app method at start-up, after the extensions have started (definition order).",
)
on_shutdown = marker(
    HOOK_ATTR,
    "shutdown",
    "on_shutdown",
    "Run this app method at shutdown, before the extensions close (definition order).",
)


def collect_hooks(obj: Any, kind: str) -> list[Callable[[], Awaitable[Any]]]:
    """Bound hook methods of ``kind`` (override rule and order: ``collect_marked``)."""
    return [getattr(obj, m.name) for m in collect_marked(type(obj), HOOK_ATTR) if m.mark == kind]


def build_lifespan(app: Any) -> Callable[[Any], Any]:
    """The lifespan: extensions start in order, then hooks; shutdown runs in reverse.

    A failing start-up step is logged and re-raised, so the server does not come up half-ready;
    whatever had started is closed again.
    """

    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.push_async_callback(app.release_logging)
            app.ensure_logging()
            for line in getattr(app, "startup_warnings", ()):
                app.logger.warning(line)
            try:
                for ext in app.extensions.values():
                    await ext.startup()
                    stack.push_async_callback(ext.shutdown)
                for hook in collect_hooks(app, "startup"):
                    await hook()
            except BaseException:
                app.logger.opt(exception=True).critical("application start-up failed")
                raise
            stack.push_async_callback(_run_all, collect_hooks(app, "shutdown"))
            yield

    return lifespan


async def _run_all(hooks: list[Callable[[], Awaitable[Any]]]) -> None:
    for hook in hooks:
        await hook()
