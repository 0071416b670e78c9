"""Which app's sinks a log record reaches, and the process-wide bridge from ``logging``.

loguru has one logger per process; every PyJolt app adds its own sinks to it (the default sink
from ``DEFAULT_LOGGER`` and one per ``LOGGERS`` entry) and removes only those. So that two
apps in one process each keep their own output, every sink of an app takes only the records
that belong to that app:

1. a record logged through ``app.logger`` (or a logger bound from it) belongs to that app;
2. otherwise the record belongs to the app serving the current request, WebSocket or lifespan
   (``pyjolt.appcontext.current_app()``);
3. otherwise (a server's own lines, import-time library logs) to the app built or started
   last, while its sinks are open.

The bridge from the standard ``logging`` module (libraries, uvicorn) is installed once per
process and idempotently: it forwards a stdlib record to loguru when an app's sinks can take it,
and otherwise hands it to the handlers the logger had before, so uvicorn's own lines before the
first app starts and after the last one stops ("Application shutdown complete", "Finished server
process") are still written. Installing it also removes loguru's initial stderr handler once,
since the apps' default sinks replace it.
"""

from __future__ import annotations

import contextlib
import logging as std_logging
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from loguru import logger as _logger

from pyjolt.appcontext import current_app

if TYPE_CHECKING:
    from loguru import Logger

#: ``extra`` key that ties a record to its app (its value prints as the app's name).
APP_KEY = "pyjolt_app"


class AppTag(str):
    """The app's name, carrying its ``AppLog``: the value of ``extra[APP_KEY]``.

    It pickles as the plain name (enqueued sinks pickle records after the filters ran), and
    refers to its ``AppLog`` weakly (no reference cycle through the bound logger).
    """

    log_ref: weakref.ref[AppLog]

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        return str, (str(self),)


#: stdlib loggers whose own handlers the bridge takes over (and falls back to): uvicorn's,
#: hypercorn's and granian's.
SERVER_LOGGERS = (
    "uvicorn",
    "uvicorn.error",
    "uvicorn.access",
    "hypercorn.error",
    "hypercorn.access",
    "_granian",
    "granian.access",
)
#: set on a record once the bridge has taken it: a logger that propagates (hypercorn's error
#: logger) hands the same record to the root bridge too, which then leaves it alone
_BRIDGED = "pyjolt_bridged"


class AppLog:
    """One app's share of the process-wide loguru logger: its bound logger and its sinks."""

    def __init__(self, app: object, app_name: str) -> None:
        self.name = app_name
        self.sink_ids: list[int] = []
        self.open = False
        self._holds = 0
        #: ``app.logger``: bound with the app's name and this owner
        tag = AppTag(app_name)
        tag.log_ref = weakref.ref(self)
        self.logger: Logger = _logger.bind(logger_name=app_name, **{APP_KEY: tag})
        _APP_LOGS[app] = self
        # an app that is dropped without shutting down still removes its sinks: later, from
        # ordinary code, since a finalizer may run inside loguru's own (non-reentrant) lock
        weakref.finalize(app, self._orphan)

    def add(self, add_sinks: Callable[[], list[int]]) -> None:
        """Add this app's sinks (if they are not open) and make it the owner of stray records."""
        _remove_orphaned()
        install_bridge()
        _NEWEST[0] = weakref.ref(self)
        if self.open:
            return
        self.sink_ids = add_sinks()
        self.open = True

    def release(self) -> None:
        """Close the sinks at the end of a lifespan, unless ``hold`` keeps them for a server."""
        if not self._holds:
            self.close()

    @contextlib.contextmanager
    def hold(self, add_sinks: Callable[[], list[int]]) -> Iterator[None]:
        """Keep the sinks open for the block, past the lifespan; close them at its end."""
        self.add(add_sinks)
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
            if not self._holds:
                self.close()

    def close(self) -> None:
        """Remove this app's sinks (waiting for enqueued ones to drain)."""
        self.open = False
        ids, self.sink_ids = self.sink_ids, []
        remove_sinks(ids)
        _remove_orphaned()

    def _orphan(self) -> None:
        """The app was dropped unclosed: hand its sinks over for removal (no lock taken here)."""
        self.open = False
        ids, self.sink_ids = self.sink_ids, []
        _ORPHANED.extend(ids)

    def owns(self, record: Any) -> bool:
        """Whether ``record`` belongs to this app (the rules in the module docstring)."""
        return record_owner(record) is self


_APP_LOGS: weakref.WeakKeyDictionary[object, AppLog] = weakref.WeakKeyDictionary()
#: Sinks of apps dropped without closing, removed by the next ``add`` or ``close``.
_ORPHANED: list[int] = []


def _remove_orphaned() -> None:
    while _ORPHANED:
        remove_sinks([_ORPHANED.pop()])


_NEWEST: list[weakref.ref[AppLog] | None] = [None]


def app_log(app: object) -> AppLog | None:
    """The ``AppLog`` of a built app (None for an object that is not one)."""
    return _APP_LOGS.get(app)


def record_owner(record: Any) -> AppLog | None:
    """The app a loguru record belongs to, or None."""
    tag = record["extra"].get(APP_KEY)
    if isinstance(tag, AppTag):
        return tag.log_ref()
    return _unbound_owner()


def _unbound_owner() -> AppLog | None:
    app = current_app()
    if app is not None:
        owner = _APP_LOGS.get(app)
        if owner is not None:
            return owner
    ref = _NEWEST[0]
    return ref() if ref is not None else None


def remove_sinks(sink_ids: list[int]) -> None:
    """Remove loguru sinks by id (already removed ones are ignored); waits for enqueued sinks."""
    for sink_id in sink_ids:
        with contextlib.suppress(ValueError):
            _logger.remove(sink_id)


class InterceptHandler(std_logging.Handler):
    """Routes standard ``logging`` records into loguru, with their logger name.

    While no app's sinks can take a record, it goes to ``fallback``: the handlers the logger
    had before the bridge (uvicorn's own), so nothing is lost around an app's lifetime.
    """

    def __init__(self, fallback: tuple[std_logging.Handler, ...] = ()) -> None:
        super().__init__()
        self.fallback = fallback

    def emit(self, record: std_logging.LogRecord) -> None:
        if record.__dict__.get(_BRIDGED):
            return
        record.__dict__[_BRIDGED] = True
        if self is _ROOT_BRIDGE and _written_below(record.name):
            # A logger that set up its own handlers after the bridge took over (hypercorn's,
            # made at its first line, in the worker) has written the record already: take it
            # over now, so that its next lines go through the app's sinks, once.
            install_bridge()
            return
        owner = _unbound_owner()
        if owner is None or not owner.open:
            for handler in self.fallback:
                if record.levelno >= handler.level:
                    handler.handle(record)
            return
        try:
            level: str | int = _logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        # depth 6: emit <- Handler.handle <- callHandlers <- Logger.handle <- _log <- info
        _logger.bind(logger_name=record.name).opt(exception=record.exc_info, depth=6).log(
            level, record.getMessage()
        )


def _written_below(name: str) -> bool:
    """True when a logger between ``name`` and the root has handlers of its own (not the
    bridge): the record reaching the root bridge was written there already."""
    std: std_logging.Logger | None = std_logging.getLogger(name)
    while std is not None and std.parent is not None:  # the root has no parent
        if any(not isinstance(h, InterceptHandler) for h in std.handlers):
            return True
        if not std.propagate:
            return False
        std = std.parent
    return False


_ROOT_BRIDGE = InterceptHandler()
_LOGURU_DEFAULT_DROPPED: list[bool] = [False]


def install_bridge() -> None:
    """Route stdlib logging (and uvicorn's loggers) into loguru; idempotent, once per process.

    Run again at each app start: a server that configures logging after the app was built
    (``uvicorn.run(app)``) replaces its loggers' handlers, and they are taken over again.
    """
    if not _LOGURU_DEFAULT_DROPPED[0]:
        _LOGURU_DEFAULT_DROPPED[0] = True
        with contextlib.suppress(ValueError):
            _logger.remove(0)  # loguru's initial stderr handler: the apps' sinks replace it
    root = std_logging.getLogger()
    if _ROOT_BRIDGE not in root.handlers:
        root.addHandler(_ROOT_BRIDGE)
    for name in SERVER_LOGGERS:
        std = std_logging.getLogger(name)
        bridges = [h for h in std.handlers if isinstance(h, InterceptHandler)]
        own = tuple(h for h in std.handlers if not isinstance(h, InterceptHandler))
        if not own:
            # Nothing to take over: the records propagate (to "uvicorn" or the root bridge), or
            # the server switched the logger off (--no-access-log: no handlers, no propagation;
            # uvicorn checks hasHandlers() per request, so adding one would turn lines back on).
            continue
        fallback = tuple(h for b in bridges for h in b.fallback) + own
        std.handlers = [InterceptHandler(fallback)]
