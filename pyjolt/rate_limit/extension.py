"""``RateLimiter``: per-client request limits on the ``limits`` library (memory or Redis)."""

from __future__ import annotations

import asyncio
import math
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pyjolt.appcontext import AppProtocol
from pyjolt.controller.meta import (
    EndpointMeta,
    Guard,
    add_guard,
    get_endpoint_meta,
    update_endpoint_meta,
)
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.exceptions.http import BaseHttpException, TooManyRequests
from pyjolt.extension import BaseExtension, ExtensionState
from pyjolt.rate_limit.config import RateLimitConfig, check_limits

if TYPE_CHECKING:
    from pyjolt.request import AnyRequest

F = TypeVar("F", bound=Callable[..., Any])
KeyFunc = Callable[[Any], str]
EXEMPT = "rate_limit_exempt"


def _client_ip(req: Any) -> str:
    client = req.scope.get("client")
    return str(client[0]) if client else "unknown"


def _user_or_ip(req: Any) -> str:
    user = getattr(req, "user", None)
    if user is None:
        return "ip:" + _client_ip(req)
    ident = getattr(user, "id", None)
    return "user:" + str(ident if ident is not None else user)


@dataclass(eq=False, kw_only=True)
class _State(ExtensionState[RateLimitConfig]):
    """What the limiter knows about one app."""

    storage: Any
    strategy: Any
    prefix: str
    defaults: tuple[Any, ...]
    #: when the "storage unavailable" warning was last logged (monotonic seconds)
    warned_at: float = field(default=0.0, init=False)


class RateLimiter(BaseExtension[RateLimitConfig]):
    """Rate limits: ``@limiter.limit("5/minute")`` on a handler, ``DEFAULT_LIMITS`` for all.

    Over the limit → 429 with ``Retry-After``. Config section ``RATE_LIMIT``:
    ``STORAGE_URL`` (``memory://`` or ``redis://...``: Redis shares counters across workers),
    ``DEFAULT_LIMITS``, ``STRATEGY``, ``KEY`` (``ip`` or ``user``), ``FAIL_OPEN``,
    ``KEY_PREFIX``, ``TIMEOUT``.
    """

    default_configs_name = "RATE_LIMIT"
    config_model = RateLimitConfig

    def __init__(
        self, *, configs_name: str | None = None, variable_prefix: str | None = None
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)
        #: per-app state, dropped with the app
        self._states: weakref.WeakKeyDictionary[Any, _State] = weakref.WeakKeyDictionary()

    def make_state(self, app: AppProtocol, config: RateLimitConfig) -> _State:
        try:
            import limits
            from limits.aio import strategies
            from limits.aio.storage import MemoryStorage, RedisStorage
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ImportError('rate limits need: pip install "pyjolt[ratelimit]"') from exc
        url = config.STORAGE_URL
        if url.startswith(("redis://", "rediss://")):
            storage: Any = RedisStorage(
                "async+" + url,
                implementation="redispy",
                socket_timeout=config.TIMEOUT,
                socket_connect_timeout=config.TIMEOUT,
            )
        elif url.startswith("memory://"):
            storage = MemoryStorage()
        else:
            raise ConfigurationError(
                f"{self.configs_name}['STORAGE_URL']: {url!r} is not supported; use "
                "'memory://' or 'redis://host:6379/0'"
            )
        kind: Any = {
            "fixed-window": strategies.FixedWindowRateLimiter,
            "moving-window": strategies.MovingWindowRateLimiter,
            "sliding-window-counter": strategies.SlidingWindowCounterRateLimiter,
        }[config.STRATEGY]
        prefix = config.KEY_PREFIX or f"pyjolt:ratelimit:{app.app_name}:{self.configs_name}"
        state = _State(
            app,
            config,
            storage=storage,
            strategy=kind(storage),
            prefix=prefix,
            defaults=tuple(limits.parse_many("; ".join(config.DEFAULT_LIMITS)))
            if config.DEFAULT_LIMITS
            else (),
        )
        self._states[app] = state
        return state

    def limits_state(self, app: AppProtocol) -> _State:
        """The limiter's state for ``app`` (start-up error when it is not registered there)."""
        try:
            return self._state_as(_State, app)
        except RuntimeError as exc:
            raise ConfigurationError(
                f"{type(self).__name__} ({self.configs_name}) is used by a route but not listed "
                "in EXTENSIONS; add it there"
            ) from exc

    # -- decorators ---------------------------------------------------------------------
    def limit(
        self, limit_value: str, *, key: str | KeyFunc | None = None, scope: str | None = None
    ) -> Callable[[F], F]:
        """Limit a handler (or a controller class): ``@limiter.limit("5/minute")``.

        ``key``: ``"ip"``, ``"user"`` or a function of the request returning a string
        (default: the ``KEY`` setting). ``scope``: share one counter between handlers that
        name the same scope (default: one counter per handler).
        """
        check_limits(limit_value)

        def decorator(fn: F) -> F:
            name = scope or str(getattr(fn, "__qualname__", repr(fn)))
            result: F = add_guard(fn, _LimitGuard(self, limit_value, key, name))
            return result

        return decorator

    def exempt(self, fn: F) -> F:
        """Leave a handler out of ``DEFAULT_LIMITS`` (health checks, static pages)."""
        meta = get_endpoint_meta(fn) or EndpointMeta()
        return update_endpoint_meta(fn, extras={**meta.extras, EXEMPT: True})

    def route_guards(self, app: AppProtocol, meta: EndpointMeta) -> Sequence[Guard]:
        state = self.limits_state(app)
        if not state.defaults or meta.extras.get(EXEMPT) or meta.websocket:
            return ()
        return (_Bound(self, state, state.defaults, None, "default", priority=-10),)

    async def reset(self) -> None:
        """Forget every counter of every app (tests, or after changing limits)."""
        for state in self._states.values():
            await state.storage.reset()


class _LimitGuard(Guard):
    """What ``@limiter.limit`` records; bound to one app's state at start-up."""

    priority = -10
    limits_rate = True
    openapi_responses = {429: "Too many requests"}

    def __init__(
        self, limiter: RateLimiter, value: str, key: str | KeyFunc | None, name: str
    ) -> None:
        self.limiter, self.value, self.key, self.name = limiter, value, key, name

    def bind(self, app: AppProtocol) -> Guard:
        from limits import parse_many

        state = self.limiter.limits_state(app)
        # a per-user key needs the user: run after the login guards
        by_user = (self.key or state.config.KEY) == "user"
        return _Bound(
            self.limiter, state, tuple(parse_many(self.value)), self.key, self.name,
            priority=200 if by_user else -10,
        )  # fmt: skip

    async def check(self, req: AnyRequest) -> None:  # pragma: no cover - always bound
        raise RuntimeError("unbound rate limit guard")


class _Bound(Guard):
    limits_rate = True
    openapi_responses = {429: "Too many requests"}

    def __init__(
        self,
        limiter: RateLimiter,
        state: _State,
        items: tuple[Any, ...],
        key: str | KeyFunc | None,
        name: str,
        *,
        priority: int,
    ) -> None:
        self.limiter, self.state, self.items, self.name = limiter, state, items, name
        self.priority = priority
        kind = key or state.config.KEY
        self.key_func: KeyFunc = (
            kind if callable(kind) else (_user_or_ip if kind == "user" else _client_ip)
        )

    async def check(self, req: AnyRequest) -> None:
        state = self.state
        ident = self.key_func(req)
        try:
            async with asyncio.timeout(state.config.TIMEOUT):
                for item in self.items:
                    if not await state.strategy.hit(item, state.prefix, self.name, ident):
                        stats = await state.strategy.get_window_stats(
                            item, state.prefix, self.name, ident
                        )
                        wait = max(1, math.ceil(stats.reset_time - time.time()))
                        raise TooManyRequests(
                            f"Rate limit {item} exceeded; retry in {wait} s",
                            headers={"Retry-After": str(wait)},
                        )
        except BaseHttpException:
            raise
        except Exception as exc:
            self._storage_down(exc)

    def _storage_down(self, exc: Exception) -> None:
        state = self.state
        if not state.config.FAIL_OPEN:
            raise BaseHttpException("Rate limit storage unavailable", status_code=503) from exc
        now = time.monotonic()
        if now - state.warned_at > 30:  # one line per 30 s, not one per request
            state.warned_at = now
            state.app.logger.warning(
                "Rate limit storage unreachable ({}); requests are served without limits "
                "(FAIL_OPEN)",
                type(exc).__name__,
            )
