"""The ``Cache`` extension: ``@cache.cache`` on handlers, plus a small manual API."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ParamSpec, TypeVar, cast, overload

from typing_extensions import Unpack

from pyjolt._internal.breaker import CircuitBreaker
from pyjolt.appcontext import AppProtocol
from pyjolt.caching.base import BaseCacheBackend, CacheSetup
from pyjolt.caching.config import CacheConfig
from pyjolt.caching.decorator import (
    CACHE_HEADER,
    CachedHandler,
    CacheKwargs,
    CacheOptions,
    check_tags,
    route_tags,
)
from pyjolt.caching.keys import handler_name
from pyjolt.caching.payload import apply_payload, to_payload
from pyjolt.controller import injects
from pyjolt.extension import BaseExtension, ExtensionState, HealthCheck, namespace
from pyjolt.request import Request
from pyjolt.response import Response

P = ParamSpec("P")
R = TypeVar("R")
Handler = Callable[P, Awaitable[R]]

#: Seconds between two log lines about the same kind of backend failure.
ERROR_LOG_INTERVAL = 30.0


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
    - ``MAX_ENTRIES``: most entries per namespace, on every backend (1024).
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
        prefix, section = self.variable_prefix, self.configs_name
        setup = CacheSetup(state.config, state.namespace, app, prefix, section)
        built = backend_cls.from_config(setup)
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
        """Check the handlers' tags; connect the backend (if it is unreachable, log it and
        run uncached meanwhile)."""
        state = self._state()
        check_tags(getattr(state.app, "handler_plans", ()), self.configs_name)
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
    def cache(self, fn: Handler[P, R], /) -> Handler[P, R]: ...
    @overload
    def cache(
        self, fn: None = None, /, **options: Unpack[CacheKwargs]
    ) -> Callable[[Handler[P, R]], Handler[P, R]]: ...

    def cache(self, fn: Any = None, /, **options: Unpack[CacheKwargs]) -> Any:
        """Cache a handler's answers as a shared cache would: ``@cache.cache(duration=60)``.

        Apply it as the bottom-most decorator. GET/HEAD answers with status 2xx, 301 or 308
        and no ``Set-Cookie`` are stored, for ``duration`` seconds (``DURATION``) or less when
        the answer's ``s-maxage``/``max-age`` says so. Answers marked ``private``,
        ``no-store``, ``no-cache`` or ``Vary: *`` are never stored; an answer's ``Vary``
        stores one variant per value of the named request headers. Responses carry
        ``X-Cache: HIT`` or ``MISS``.

        The key covers the handler, method and route values; the scheme and ``Host``; the
        proxy headers that name the host or URL (``X-Forwarded-Host``, ``Forwarded``,
        ``X-Forwarded-Proto``, ``X-Forwarded-Prefix``...), so a value reflected into an
        answer is only ever replayed to requests carrying the same value; the handler's
        declared header and cookie parameters; ``vary_on_headers``; ``key(req)`` (a string)
        and the query: ``query="declared"`` (default) counts only the query keys the handler
        declares as parameters, so unknown ones cannot make new entries; ``"all"`` counts
        every key (sorted by name; a repeated key's values keep their order, as a list
        parameter would read them); a list counts those keys. Other headers
        the handler reads must be named in ``vary_on_headers`` or in the answer's ``Vary``.

        Per user: a user set by a guard (``req.user``) is part of the key. When the handler
        uses the auth helpers (``current_user``, ``cookie_user_id``, ``decode_signed_cookie``,
        ``bearer_token``/``bearer_claims``, ``validate_jwt_token``), its answer is stored per
        credentials (login cookie, ``Authorization``), so each user and the anonymous get
        their own; with a salted ``decode_signed_cookie`` it is not stored. A request
        carrying credentials is never answered from an entry stored for one without (and
        back) unless ``public=True``; the answer to one with an ``Authorization`` header is
        stored only per user (a guard's ``req.user`` or the auth helpers), with
        ``public=True``, or when it says ``public``, ``s-maxage`` or ``must-revalidate``
        (RFC 9111). ``Expires`` caps the life too.

        ``tags`` (``"user:{user_id}"`` is filled from route values) name entries for
        :meth:`invalidate_tags`; :meth:`invalidate_route` drops one route's entries.
        """
        opts = CacheOptions.of(**options)

        def decorate(handler: Handler[P, R]) -> Handler[P, R]:
            if not inspect.iscoroutinefunction(inspect.unwrap(handler)):
                raise TypeError(f"@cache.cache needs an async handler, got {handler!r}")
            run = CachedHandler(self, handler_name(handler), handler, opts)

            @functools.wraps(handler)
            async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
                return cast(R, await run(args, kwargs))

            meta = {"extension": self.configs_name, "duration": opts.duration, "tags": opts.tags}
            return injects(wrapper, cache=meta)

        return decorate(fn) if fn is not None else decorate

    # -- invalidation ---------------------------------------------------------------------
    async def invalidate_tags(self, *tags: str) -> int:
        """Drop every entry carrying one of ``tags`` (in every process sharing the store).

        Returns how many keys were filed under them (an answer stored per ``Vary`` or per
        user counts each variant and the record naming them; keys already expired or evicted
        may be counted); backend errors are raised.
        """
        return await self.backend.invalidate_tags(tags)

    async def invalidate_route(self, handler: Callable[..., Any] | str, **route_values: Any) -> int:
        """Drop the entries of one route: all of them, or those with ``route_values``.

        ``handler`` is the cached handler (``Api.get_item``), its endpoint name
        (``"Api.get_item"``) or its ``"module:QualName"``. Backend errors are raised.
        """
        name = self._handler_name(handler)
        if not route_values:
            return await self.backend.invalidate_tags([f"route:{name}"])
        tags = route_tags(name, route_values)[1:]
        return await self.backend.invalidate_tags(tags, match_all=True)

    def _handler_name(self, handler: Callable[..., Any] | str) -> str:
        if not isinstance(handler, str):
            return handler_name(handler)
        if ":" in handler:
            return handler
        plans = getattr(self._state().app, "handler_plans", ())
        for plan in plans:
            if plan.name == handler:
                return handler_name(plan.func)
        known = sorted(p.name for p in plans)
        raise ValueError(f"no endpoint named {handler!r}; endpoints: {', '.join(known)}")

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

    async def _write(
        self, key: str, payload: dict[str, Any], duration: int, tags: Sequence[str] = ()
    ) -> None:
        state = self._state()
        backend = state.backend
        if backend is None:
            return

        def write() -> Awaitable[None]:
            if tags and backend.supports_tags:
                return backend.store(key, payload, duration, tags)
            return backend.set(key, payload, duration)

        with contextlib.suppress(Exception):  # logged once per outage (on_open)
            await state.breaker.call(write)

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
