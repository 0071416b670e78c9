"""``@cache.cache``: its options and what it does for one request (look up, run, store)."""

from __future__ import annotations

import asyncio
import string
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from pyjolt._internal.credentials import (
    OPAQUE,
    USER,
    credential_kind,
    credential_values,
    watch_credentials,
)
from pyjolt.caching.keys import NoIdentity, response_key, user_identity, variant_key
from pyjolt.caching.payload import is_cacheable, is_payload, to_payload
from pyjolt.caching.rules import (
    KeyFunction,
    QueryMode,
    header_values,
    request_inputs,
    shareable_with_authorization,
    storable_for,
    vary_headers,
)
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.request import Request
from pyjolt.response import SERIALIZER_SCOPE_KEY, Response
from pyjolt.serialization import dumps

if TYPE_CHECKING:
    from pyjolt.caching.extension import Cache

#: Methods whose answers are cached; others always reach the handler.
CACHED_METHODS = frozenset({"GET", "HEAD"})
CACHE_HEADER = "X-Cache"
#: Marks the record stored in place of an answer that has variants (per Vary / per user).
INDEX_VERSION = 1


class CacheKwargs(TypedDict, total=False):
    """The options of ``@cache.cache(...)`` (see ``Cache.cache``)."""

    duration: int | None
    public: bool
    query: QueryMode
    vary_on_headers: Sequence[str]
    key: KeyFunction | None
    tags: Sequence[str]


@dataclass(frozen=True)
class CacheOptions:
    """What ``@cache.cache(...)`` was given (checked when the decorator is applied)."""

    duration: int | None = None
    public: bool = False
    query: QueryMode = "declared"
    vary_on_headers: tuple[str, ...] = ()
    key: KeyFunction | None = None
    tags: tuple[str, ...] = ()

    @classmethod
    def of(cls, **options: Any) -> CacheOptions:
        """The options of a decorator call (sequences frozen into tuples)."""
        for name in ("vary_on_headers", "tags"):
            if name in options and not isinstance(options[name], str):
                options[name] = tuple(options[name])
        query = options.get("query")
        if query is not None and not isinstance(query, str):
            options["query"] = tuple(query)
        return cls(**options)

    def __post_init__(self) -> None:
        duration = self.duration
        if duration is not None and (isinstance(duration, bool) or duration <= 0):
            raise ValueError(
                f"cache duration must be a positive number of seconds, got {duration!r}"
            )
        query = self.query
        if not (query in ("declared", "all") or _strings(query)):
            raise ValueError(
                f"cache query= must be 'declared', 'all' or a list of query keys, got {query!r}"
            )
        if not _strings(self.vary_on_headers):
            raise ValueError(f"vary_on_headers= must be header names, got {self.vary_on_headers!r}")
        if not _strings(self.tags):
            raise ValueError(f"tags= must be strings, got {self.tags!r}")
        for tag in self.tags:
            tag_fields(tag)
        if self.key is not None and not callable(self.key):
            raise ValueError(f"key= must be a function of the request, got {self.key!r}")


def _strings(value: Any) -> bool:
    return not isinstance(value, str) and all(isinstance(v, str) for v in value)


def tag_fields(tag: str) -> set[str]:
    """The route values a tag names (``"user:{user_id}"`` -> ``{"user_id"}``)."""
    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(tag) if field is not None]
    except ValueError as exc:
        raise ValueError(f"tag {tag!r} is not a format string: {exc}") from None
    if any(not field.isidentifier() for field in fields):
        raise ValueError(f"tag {tag!r}: write route values as {{name}}, e.g. 'user:{{user_id}}'")
    return set(fields)


def check_tags(plans: Iterable[Any], extension: str) -> None:
    """Raise a ``ConfigurationError`` for a tag naming something that is not a route value
    of its handler (checked at start-up, when the routes are known)."""
    for plan in plans:
        info = plan.meta.extras.get("cache")
        if not isinstance(info, Mapping) or info.get("extension") != extension:
            continue
        for tag in info.get("tags", ()):
            missing = tag_fields(tag) - set(plan.path_params)
            if missing:
                raise ConfigurationError(
                    f"{plan.name}: @cache.cache tag {tag!r} names {', '.join(sorted(missing))}, "
                    f"which is not a route value of {plan.path!r}; use one of "
                    f"{sorted(plan.path_params) or 'none'} or a fixed tag"
                )


def route_tags(name: str, route_params: Mapping[str, Any]) -> list[str]:
    """The tags every entry of handler ``name`` carries: the route, and each route value."""
    return [f"route:{name}", *(f"route:{name}:{k}={v}" for k, v in route_params.items())]


def is_index(value: Any) -> bool:
    return isinstance(value, dict) and value.get("index") == INDEX_VERSION


def _variant_values(req: Request, index: Mapping[str, Any]) -> list[Any]:
    creds = credential_values(req.headers, req.cookies) if index.get("user") else []
    return [header_values(req, index.get("vary", [])), creds]


@dataclass
class _Entry:
    payload: dict[str, Any]
    ttl: int
    vary: list[str]
    per_user: bool


class CachedHandler:
    """The per-request work of one cached handler."""

    def __init__(
        self, cache: Cache, name: str, handler: Callable[..., Awaitable[Any]], opts: CacheOptions
    ) -> None:
        self.cache, self.name, self.handler, self.opts = cache, name, handler, opts

    async def __call__(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        cache, handler, name = self.cache, self.handler, self.name
        req = _find_request(args, kwargs)
        if req is None:
            cache._log_error("no-request", f"{name}: not cached: the handler must take `req`")
            return await handler(*args, **kwargs)
        if req.method not in CACHED_METHODS:
            return await handler(*args, **kwargs)
        try:
            identity = user_identity(req.user)
            primary = self._primary_key(req, identity)
        except NoIdentity as exc:
            cache._log_error("identity", f"{name}: not cached: {exc}")
            return await handler(*args, **kwargs)
        except Exception as exc:
            cache._log_error("key", f"{name}: not cached: the cache key failed: {exc!r}")
            return await handler(*args, **kwargs)
        stored = await cache._read(primary)
        if is_index(stored):
            assert stored is not None
            stored = await cache._read(variant_key(primary, _variant_values(req, stored)))
        if stored is not None and is_payload(stored):
            return cache._replay(req, stored)
        flights = cache._state().flights.setdefault(asyncio.get_running_loop(), {})
        pending = flights.get(primary)
        if pending is not None:
            shared = await asyncio.shield(pending)
            if shared is not None:
                return cache._replay(req, shared)
            return await handler(*args, **kwargs)
        future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        flights[primary] = future
        entry = None
        try:
            with watch_credentials() as reads:
                result: Any = await handler(*args, **kwargs)
            # Plain return values become responses exactly as the app would make them.
            if result is None:
                result = req.res
            elif not isinstance(result, Response):
                result = req.res.json(result)
            if OPAQUE not in reads.kinds:
                entry = self._entry(req, result, identity, per_user=USER in reads.kinds)
            result.headers[CACHE_HEADER] = "MISS"
            cache.record("miss")
        finally:
            if flights.get(primary) is future:
                del flights[primary]
            # Requests waiting for this answer share it only when it is the same for them.
            plain = entry is not None and not entry.vary and not entry.per_user
            future.set_result(entry.payload if plain and entry is not None else None)
        if entry is not None:
            await self._store(req, primary, entry)
        return result

    def _primary_key(self, req: Request, identity: str | None) -> str:
        opts = self.opts
        inputs = request_inputs(
            req, query=opts.query, vary_on_headers=opts.vary_on_headers, key=opts.key
        )
        # A request with credentials never gets an answer stored for one without (and back),
        # nor one with an Authorization header an answer stored for a login cookie, unless
        # the route is declared public.
        credentials = None
        if not opts.public:
            credentials = credential_kind(req.headers, req.cookies)
        return response_key(
            self.name, req.method, req.route_parameters, [*inputs, identity, credentials]
        )

    def _entry(
        self, req: Request, res: Response[Any], identity: str | None, *, per_user: bool
    ) -> _Entry | None:
        """What to store for the handler's answer (None: nothing)."""
        if not is_cacheable(res):
            return None
        if not per_user:
            # A user loaded by other means than the auth helpers: its answer is not shared.
            try:
                if user_identity(req.user) != identity:
                    return None
            except NoIdentity:
                return None
        ttl = storable_for(res, self.opts.duration or self.cache.config.DURATION)
        if "authorization" in req.headers and not (identity or per_user or self.opts.public):
            # RFC 9111 3.5: unless keyed by user, only when the answer says a shared cache
            # may store it.
            ttl = ttl if ttl is not None and shareable_with_authorization(res) else None
        vary = vary_headers(res)
        if ttl is None or vary is None:
            return None
        try:
            payload = to_payload(res, req.scope.get(SERIALIZER_SCOPE_KEY, dumps))
        except Exception:
            return None  # a body that does not fit its model: the app reports it when sending
        return _Entry(payload, ttl, vary, per_user)

    async def _store(self, req: Request, primary: str, entry: _Entry) -> None:
        cache = self.cache
        tags = self._tags(req)
        if tags is None:
            return
        if not entry.vary and not entry.per_user:
            await cache._write(primary, entry.payload, entry.ttl, tags)
            return
        index = {"index": INDEX_VERSION, "vary": entry.vary, "user": entry.per_user}
        await cache._write(primary, index, entry.ttl, tags)
        key = variant_key(primary, _variant_values(req, index))
        await cache._write(key, entry.payload, entry.ttl, tags)

    def _tags(self, req: Request) -> list[str] | None:
        """The entry's tags: the route's, and the decorator's filled with route values."""
        params = req.route_parameters
        tags = route_tags(self.name, params)
        for tag in self.opts.tags:
            try:
                tags.append(string.Formatter().vformat(tag, (), params))
            except (KeyError, IndexError, ValueError) as exc:
                self.cache._log_error(
                    "tag",
                    f"{self.name}: not cached: tag {tag!r} names {exc} that is not a route "
                    f"parameter (route values: {sorted(params)})",
                )
                return None
        return tags


def _find_request(args: Sequence[Any], kwargs: Mapping[str, Any]) -> Request | None:
    if len(args) > 1 and isinstance(args[1], Request):
        return args[1]
    for value in (*args, *kwargs.values()):
        if isinstance(value, Request):
            return value
    return None
