"""The ``Cache`` extension: ``@cache.cache`` on handlers, plus a small manual API."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar, cast, overload

from pyjolt._internal.breaker import CircuitBreaker
from pyjolt.appcontext import AppProtocol
from pyjolt.caching.base import BaseCacheBackend
from pyjolt.caching.config import CacheConfig
from pyjolt.caching.keys import NoIdentity, handler_name, response_key, user_identity
from pyjolt.caching.payload import (
    apply_payload,
    is_cacheable,
    is_payload,
    to_payload,
)
from pyjolt.controller import injects
from pyjolt.extension import BaseExtension, ExtensionState, HealthCheck, namespace
from pyjolt.request import Request
from pyjolt.response import SERIALIZER_SCOPE_KEY, Response
from pyjolt.serialization import Serializer, dumps

P = ParamSpec("P")
R = TypeVar("R")
Handler = Callable[P, Awaitable[R]]

#: Methods whose answers are cached; others always reach the handler.
CACHED_METHODS = frozenset({"GET", "HEAD"})
#: Seconds between two log lines about the same kind of backend failure.
ERROR_LOG_INTERVAL = 30.0
CACHE_HEADER = "X-Cache"


class CacheState(ExtensionState[CacheConfig]):
    """One cache of one app: its namespace, backend, and failure and in-flight bookkeeping."""

    def __init__(self, app: AppProtocol, config: CacheConfig, namespace: str) -> None:
        super().__init__(app, config)
        self.namespace = namespace
        self.backend: BaseCacheBackend | None = None
        #: skips the backend after a failure; one probe per ``RETRY_AFTER`` (set by Cache)
        self.breaker = CircuitBreaker(config.RETRY_AFTER)
        self.last_logged: dict[str, float] = {}
        self.suppressed: dict[str, int] = {}
        self.flights: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, dict[str, asyncio.Future[dict[str, Any] | None]]
        ] = weakref.WeakKeyDictionary()


class Cache(BaseExtension[CacheConfig]):
    """Response cache backed by memory (default), SQLite or Redis.

    Config section ``CACHE`` (``<variable_prefix>CACHE`` with a prefix; flat keys such as
    ``MY_PREFIX_CACHE_BACKEND`` work too):

    - ``BACKEND``: a ``BaseCacheBackend`` subclass or import string (default memory).
    - ``DURATION``: default lifetime of an entry in seconds (300).
    - ``KEY_PREFIX``: namespace in Redis/SQLite (default ``pyjolt:<APP_NAME>:<section>:``,
      so two caches, or two apps sharing a Redis, never share or clear each other's entries).
    - ``REDIS_URL``, ``REDIS_PASSWORD``, ``REDIS_TIMEOUT`` (seconds, 2.0): Redis backend.
    - ``SQLITE_PATH`` (``./pyjolt_cache.db``, relative to ``BASE_PATH``), ``SQLITE_TABLE``
      (``cache_entries``),
      ``SQLITE_WAL_CHECKPOINT_MODE`` (``PASSIVE``), ``SQLITE_WAL_CHECKPOINT_EVERY`` (100).
    - ``MAX_ENTRIES``: memory backend size bound (1024).
    - ``REDIS_MAX_CONNECTIONS`` (50), ``REDIS_IDLE_TIMEOUT`` (60 s): Redis pool bound, and
      how long an unused pooled connection stays open.
    - ``RETRY_AFTER``: after a backend error, requests skip the cache this long (5.0 s).

    A backend that is down never takes the app down (a circuit breaker): after a failed
    read or write, requests skip the cache at once (the handler runs, its answer is not
    stored) and one warning is logged; after ``RETRY_AFTER`` seconds one request at a time
    tries the backend again (the others keep skipping it): success puts the cache back in
    use, failure skips it for another ``RETRY_AFTER``. A Redis operation is one attempt of at
    most ``REDIS_TIMEOUT`` seconds.
    """

    default_configs_name = "CACHE"
    config_model = CacheConfig
    state_class = CacheState

    def __init__(
        self, variable_prefix: str | None = None, *, configs_name: str | None = None
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)

    # -- lifecycle ------------------------------------------------------------------------
    def init_app(self, app: AppProtocol) -> None:
        """Validate the section, register, and build the configured backend."""
        super().init_app(app)
        state = self._state(app)
        backend_cls: type[BaseCacheBackend] = state.config.BACKEND
        built = backend_cls.from_config(
            state.config,
            state.namespace,
            app=app,
            variable_prefix=self.variable_prefix,
            section=self.configs_name,
        )
        state.backend = self.build_backend(backend_cls, built, BaseCacheBackend)  # type: ignore[type-abstract]

    def make_state(self, app: AppProtocol, config: CacheConfig) -> CacheState:
        state = CacheState(app, config, config.KEY_PREFIX or namespace(app, self.configs_name))
        state.breaker = CircuitBreaker(
            config.RETRY_AFTER,
            on_open=lambda exc: self._circuit_opened(state, exc),
            on_close=lambda seconds, probes: self._circuit_closed(state, seconds, probes),
        )
        return state

    def _state(self, app: AppProtocol | None = None) -> CacheState:
        return self._state_as(CacheState, app)

    @classmethod
    def settings_for(cls, app: AppProtocol, variable_prefix: str = "") -> CacheConfig:
        """The validated ``<variable_prefix>CACHE`` section (for ``configure_from_app``)."""
        config: CacheConfig = cls.registered_state(app, variable_prefix).config
        return config

    def health_checks(self) -> dict[str, HealthCheck]:
        """``cache:<configs_name>``: the backend answers (a Redis ``PING``)."""
        return {f"cache:{self.configs_name}": self.backend.ping}

    async def startup(self) -> None:
        """Connect the backend; if it is unreachable, log it and run uncached meanwhile."""
        state = self._state()
        try:
            await self.backend.connect()
        except Exception as exc:
            state.breaker.trip()
            self.logger.error(
                "{}: cache backend {} is unavailable at start-up: {}: {}. The app runs without "
                "this cache until the backend is reachable.",
                self.configs_name,
                self.backend.describe(),
                type(exc).__name__,
                exc,
            )
        else:
            self.logger.debug(
                "{}: cache backend {} ready", self.configs_name, self.backend.describe()
            )

    async def shutdown(self) -> None:
        try:
            await self.backend.disconnect()
        except Exception as exc:
            self.logger.warning(
                "{}: closing cache backend {} failed: {}",
                self.configs_name,
                self.backend.describe(),
                exc,
            )

    @property
    def backend(self) -> BaseCacheBackend:
        """The current app's backend (built by ``init_app``)."""
        backend = self._state().backend
        if backend is None:
            raise RuntimeError("Cache is not initialised: list it in EXTENSIONS")
        return backend

    @property
    def namespace(self) -> str:
        """The current app's namespace of this cache (``pyjolt:<APP_NAME>:<section>:``)."""
        return self._state().namespace

    # -- manual API -----------------------------------------------------------------------
    async def get(self, key: str) -> dict[str, Any] | None:
        """The value stored under ``key`` (None if absent, expired or the backend is down)."""
        return await self._read(key)

    async def set(
        self, key: str, value: Response[Any] | dict[str, Any], duration: int | None = None
    ) -> None:
        """Store a response (as a replayable payload) or a JSON-compatible dict.

        ``duration`` defaults to ``DURATION``. A backend failure is logged, not raised.
        """
        payload = to_payload(value) if isinstance(value, Response) else dict(value)
        await self._write(key, payload, duration or self.config.DURATION)

    async def delete(self, key: str) -> None:
        """Remove the entry under ``key``.

        Backend errors are raised: an invalidation must not fail silently.
        """
        await self.backend.delete(key)

    async def clear(self) -> None:
        """Remove every entry of this cache's namespace (errors are raised)."""
        await self.backend.clear()

    # -- the decorator --------------------------------------------------------------------
    @overload
    def cache(self, fn: Handler[P, R], *, duration: int | None = None) -> Handler[P, R]: ...
    @overload
    def cache(
        self, fn: None = None, *, duration: int | None = None
    ) -> Callable[[Handler[P, R]], Handler[P, R]]: ...

    def cache(self, fn: Any = None, *, duration: int | None = None) -> Any:
        """Cache a handler's successful responses: ``@cache.cache(duration=60)``.

        Apply it as the bottom-most decorator. GET/HEAD answers with status 2xx, 301 or 308
        and no ``Set-Cookie`` are stored; the key covers the handler, method, route
        parameters, query string and, when ``req.user`` is set, the user. Responses carry
        ``X-Cache: HIT`` or ``MISS``.
        """
        if duration is not None and (isinstance(duration, bool) or duration <= 0):
            raise ValueError(
                f"cache duration must be a positive number of seconds, got {duration!r}"
            )

        def decorate(handler: Handler[P, R]) -> Handler[P, R]:
            if not inspect.iscoroutinefunction(inspect.unwrap(handler)):
                raise TypeError(f"@cache.cache needs an async handler, got {handler!r}")
            return self._wrap(handler, duration)

        return decorate(fn) if fn is not None else decorate

    def _wrap(self, handler: Handler[P, R], duration: int | None) -> Handler[P, R]:
        name = handler_name(handler)

        @functools.wraps(handler)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            req = _find_request(args, kwargs)
            if req is None:
                self._log_error("no-request", f"{name}: not cached: the handler must take `req`")
                return await handler(*args, **kwargs)
            if req.method not in CACHED_METHODS:
                return await handler(*args, **kwargs)
            try:
                identity = user_identity(req.user)
            except NoIdentity as exc:
                self._log_error("identity", f"{name}: not cached: {exc}")
                return await handler(*args, **kwargs)
            key = response_key(name, req.method, req.route_parameters, req.query_string, identity)
            payload = await self._read(key)
            if payload is not None and is_payload(payload):
                return cast(R, self._replay(req, payload))
            flights = self._state().flights.setdefault(asyncio.get_running_loop(), {})
            pending = flights.get(key)
            if pending is not None:
                payload = await asyncio.shield(pending)
                if payload is not None:
                    return cast(R, self._replay(req, payload))
                return await handler(*args, **kwargs)
            future: asyncio.Future[dict[str, Any] | None] = (
                asyncio.get_running_loop().create_future()
            )
            flights[key] = future
            payload = None
            try:
                result: Any = await handler(*args, **kwargs)
                # Plain return values become responses exactly as the app would make them.
                if result is None:
                    result = req.res
                elif not isinstance(result, Response):
                    result = req.res.json(result)
                if is_cacheable(result) and _same_identity(req, identity):
                    serializer = req.scope.get(SERIALIZER_SCOPE_KEY, dumps)
                    payload = _payload_or_none(result, serializer)
                result.headers[CACHE_HEADER] = "MISS"
                self.record("miss")
            finally:
                if flights.get(key) is future:
                    del flights[key]
                future.set_result(payload)
            if payload is not None:
                await self._write(key, payload, duration or self.config.DURATION)
            return cast(R, result)

        return injects(wrapper, cache={"extension": self.configs_name, "duration": duration})

    def _replay(self, req: Request, payload: dict[str, Any]) -> Response[Any]:
        res = apply_payload(req.res, payload)
        res.headers[CACHE_HEADER] = "HIT"
        self.record("hit")
        return res

    # -- backend calls that never fail a request ------------------------------------------
    async def _read(self, key: str) -> dict[str, Any] | None:
        state = self._state()
        backend = state.backend
        if backend is None:
            return None
        try:
            return await state.breaker.call(lambda: backend.get(key))
        except Exception:  # logged once per outage by the breaker's on_open
            return None

    async def _write(self, key: str, payload: dict[str, Any], duration: int) -> None:
        state = self._state()
        backend = state.backend
        if backend is None:
            return
        with contextlib.suppress(Exception):  # logged once per outage (on_open)
            await state.breaker.call(lambda: backend.set(key, payload, duration))

    def _circuit_opened(self, state: CacheState, exc: BaseException) -> None:
        self.logger.warning(
            "{}: cache backend {} failed: {}: {}; requests skip the cache, one tries it again "
            "every {}s",
            self.configs_name,
            state.backend.describe() if state.backend is not None else "?",
            type(exc).__name__,
            exc,
            state.config.RETRY_AFTER,
        )

    def _circuit_closed(self, state: CacheState, seconds: float, probes: int) -> None:
        self.logger.info(
            "{}: cache backend answers again (after {:.1f}s, {} tries)",
            self.configs_name,
            seconds,
            probes,
        )

    def _log_error(self, kind: str, message: str) -> None:
        state = self._state()
        now = time.monotonic()
        last = state.last_logged.get(kind)
        if last is not None and now - last < ERROR_LOG_INTERVAL:
            state.suppressed[kind] = state.suppressed.get(kind, 0) + 1
            return
        state.last_logged[kind] = now
        suppressed = state.suppressed.pop(kind, 0)
        if suppressed:
            message += f" ({suppressed} similar errors not logged)"
        self.logger.error("{}", message)


def _payload_or_none(res: Response[Any], serializer: Serializer) -> dict[str, Any] | None:
    try:
        return to_payload(res, serializer)
    except Exception:
        return None  # a body that does not fit its model: the app reports it when sending


def _same_identity(req: Request, identity: str | None) -> bool:
    """False when the handler loaded a user after the key was made: its answer belongs to
    that user, not to everyone sharing the key (e.g. anonymous requests)."""
    try:
        return user_identity(req.user) == identity
    except NoIdentity:
        return False


def _find_request(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Request | None:
    if len(args) > 1 and isinstance(args[1], Request):
        return args[1]
    for value in (*args, *kwargs.values()):
        if isinstance(value, Request):
            return value
    return None
