"""Start-up and shutdown: ``@on_startup`` / ``@on_shutdown`` hooks, the app's lifespan, and its
start on a first request when it is served without the lifespan (``FirstCall``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any, Protocol, TypeVar, overload

from pyjolt._internal.markers import collect_marked, marker
from pyjolt.appcontext import AppProtocol
from pyjolt.enums import RunMode

F = TypeVar("F", bound=Callable[..., Any])

HOOK_ATTR = "__pyjolt_lifecycle__"
#: Set on hooks that also run when a CLI command starts the app (``@on_startup(cli=True)``).
HOOK_CLI_ATTR = "__pyjolt_lifecycle_cli__"

_startup = marker(HOOK_ATTR, "startup", "on_startup", "")
_shutdown = marker(HOOK_ATTR, "shutdown", "on_shutdown", "")

#: The app's lifespan: ``lifespan(app)`` is the context its start-up and shutdown run in.
Lifespan = Callable[[object], AbstractAsyncContextManager[None]]


def _hook(mark: Callable[[F], F], fn: F | None, cli: bool) -> F | Callable[[F], F]:
    def decorate(f: F) -> F:
        f = mark(f)
        setattr(f, HOOK_CLI_ATTR, cli)
        return f

    return decorate(fn) if fn is not None else decorate


@overload
def on_startup(fn: F, /) -> F: ...
@overload
def on_startup(*, cli: bool = False) -> Callable[[F], F]: ...
def on_startup(fn: F | None = None, /, *, cli: bool = False) -> F | Callable[[F], F]:
    """Run this app method at start-up, after the extensions have started (definition order).

    Hooks run when the app serves (a server, the test client). A CLI command
    (``python cli.py ...``) starts the extensions but runs a hook only when it opts in:
    ``@on_startup(cli=True)``.
    """
    return _hook(_startup, fn, cli)


@overload
def on_shutdown(fn: F, /) -> F: ...
@overload
def on_shutdown(*, cli: bool = False) -> Callable[[F], F]: ...
def on_shutdown(fn: F | None = None, /, *, cli: bool = False) -> F | Callable[[F], F]:
    """Run this app method at shutdown, before the extensions close (definition order); in a
    CLI command only with ``@on_shutdown(cli=True)``."""
    return _hook(_shutdown, fn, cli)


def collect_hooks(
    obj: object, kind: str, *, cli: bool = False
) -> list[Callable[[], Awaitable[object]]]:
    """Bound hook methods of ``kind`` (override rule and order: ``collect_marked``); with
    ``cli``, only those that opted in to CLI runs."""
    return [
        getattr(obj, m.name)
        for m in collect_marked(type(obj), HOOK_ATTR)
        if m.mark == kind and (not cli or getattr(m.function, HOOK_CLI_ATTR, False))
    ]


class _Starts(Protocol):
    async def startup(self) -> None: ...

    async def shutdown(self) -> None: ...


class LifespanApp(AppProtocol, Protocol):
    """What the lifespan needs of the app beyond ``AppProtocol``."""

    @property
    def extensions(self) -> Mapping[str, _Starts]: ...

    @property
    def startup_warnings(self) -> Sequence[str]: ...

    def ensure_logging(self) -> None: ...

    async def release_logging(self) -> None: ...


def build_lifespan(app: LifespanApp) -> Lifespan:
    """The lifespan: extensions start in order, then hooks; shutdown runs in reverse.

    A failing start-up step is logged and re-raised, so the server does not come up half-ready;
    whatever had started is closed again.
    """

    @asynccontextmanager
    async def lifespan(_: object) -> AsyncIterator[None]:
        # a CLI command starts the extensions; the app's hooks run only when they opt in
        cli = app.run_mode == RunMode.CLI
        async with AsyncExitStack() as stack:
            stack.push_async_callback(app.release_logging)
            app.ensure_logging()
            for line in app.startup_warnings:
                app.logger.warning(line)
            try:
                for ext in app.extensions.values():
                    await ext.startup()
                    stack.push_async_callback(ext.shutdown)
                for hook in collect_hooks(app, "startup", cli=cli):
                    await hook()
            except BaseException:
                app.logger.opt(exception=True).critical("application start-up failed")
                raise
            stack.push_async_callback(_run_all, collect_hooks(app, "shutdown", cli=cli))
            yield

    return lifespan


async def _run_all(hooks: list[Callable[[], Awaitable[object]]]) -> None:
    for hook in hooks:
        await hook()


class FirstCall:
    """An app served without its lifespan (mounted in another app that does not forward it):
    its first request starts the extensions and hooks, once; requests arriving meanwhile wait.

    The app awaits ``run(scope_type)`` on each call until ``done``; a first call that is the
    lifespan (or an app with nothing to start) needs nothing. ``stop()`` runs the shutdown of
    a start made this way (the parent's shutdown calls it); it cannot run by itself.
    """

    def __init__(self, app: LifespanApp, lifespan: Lifespan) -> None:
        self._app = app
        self._lifespan = lifespan
        #: the app got a call (a request, a WebSocket or its lifespan): it has started
        self.started = False
        #: ... and whatever that call started has finished starting
        self.done = False
        self._starting: asyncio.Event | None = None
        self._started_lifespan: AbstractAsyncContextManager[None] | None = None

    async def run(self, scope_type: str) -> None:
        """Before the app handles a call, until ``done``."""
        if self.started:
            if self._starting is not None:
                await self._starting.wait()
            return
        self.started = True
        if scope_type == "lifespan" or not self._has_startup_work():
            self.done = True
            return
        self._starting = asyncio.Event()
        try:
            await self._start()
        finally:
            self.done = True
            self._starting.set()

    def _has_startup_work(self) -> bool:
        return bool(self._app.extensions) or bool(collect_hooks(self._app, "startup"))

    async def _start(self) -> None:
        self._app.logger.warning(
            "{!r} got a request before its lifespan ran (mounted in another app?): started it "
            "now; its shutdown will not run. Forward the lifespan: FastAPI(lifespan=lambda _: "
            "pyjolt_app.router.lifespan_context(pyjolt_app))",
            self._app.app_name,
        )
        self._started_lifespan = self._lifespan(self._app)
        await self._started_lifespan.__aenter__()

    async def stop(self) -> None:
        """Run the shutdown of a lifespan ``run`` started; nothing otherwise."""
        started, self._started_lifespan = self._started_lifespan, None
        if started is not None:
            await started.__aexit__(None, None, None)
