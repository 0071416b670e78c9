"""The rules of a shared cache (RFC 9111) and the request inputs an answer is keyed on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal

from pyjolt._compile.plan import HandlerPlan
from pyjolt.caching.keys import normalised_query
from pyjolt.request import PLAN_SCOPE_KEY, Request
from pyjolt.response import Response

QueryMode = Literal["declared", "all"] | Sequence[str]
KeyFunction = Callable[[Request], str]

#: Headers a proxy uses to tell the app which host or URL it serves. Apps reflect them into
#: absolute URLs, so they are always part of the key: a poisoned value stays with its sender.
FORWARDING_HEADERS = (
    "forwarded",
    "x-forwarded-host",
    "x-forwarded-proto",
    "x-forwarded-prefix",
    "x-forwarded-server",
    "x-host",
    "x-original-url",
    "x-rewrite-url",
)
#: Directives that forbid a shared cache to store an answer (``no-cache``: it could only be
#: replayed after revalidation, which this cache does not do).
_NOT_STORED = frozenset({"private", "no-store", "no-cache"})


def cache_control(values: Iterable[str]) -> dict[str, str | None]:
    """The directives of ``Cache-Control`` header values: lower-case name -> argument."""
    directives: dict[str, str | None] = {}
    for value in values:
        for part in value.split(","):
            name, sep, arg = part.strip().partition("=")
            if name:
                directives.setdefault(name.strip().lower(), arg.strip().strip('"') if sep else None)
    return directives


def _seconds(value: str | None) -> int | None:
    if value is None or not value.isdigit():
        return None
    return int(value)


def _until(expires: str) -> int:
    """Whole seconds from now until an ``Expires`` date (0 when past or not a date)."""
    try:
        when = parsedate_to_datetime(expires)
    except (TypeError, ValueError):
        return 0
    if when.tzinfo is None:
        return 0
    return max(0, int((when - datetime.now(UTC)).total_seconds()))


def vary_headers(res: Response[Any]) -> list[str] | None:
    """The request headers named by the answer's ``Vary`` (lower-case, sorted); None for
    ``Vary: *`` (the answer depends on things no cache can see)."""
    names: set[str] = set()
    for value in res.headers.getlist("vary"):
        for name in value.split(","):
            name = name.strip().lower()
            if name == "*":
                return None
            if name:
                names.add(name)
    return sorted(names)


def storable_for(res: Response[Any], duration: int) -> int | None:
    """Seconds a shared cache may keep ``res`` (at most ``duration``), or None: not stored.

    Not stored: ``private``, ``no-store``, ``no-cache`` and ``Vary: *`` answers, and those
    whose ``s-maxage`` (or else ``max-age``, or else ``Expires``) leaves no time. A shorter
    ``s-maxage``/``max-age``/``Expires`` shortens the entry's life.
    """
    directives = cache_control(res.headers.getlist("cache-control"))
    if _NOT_STORED.intersection(directives) or vary_headers(res) is None:
        return None
    limit = _seconds(directives.get("s-maxage"))
    if limit is None:
        limit = _seconds(directives.get("max-age"))
    if limit is None and "expires" in res.headers:
        limit = _until(res.headers["expires"])
    ttl = duration if limit is None else min(duration, limit)
    return ttl if ttl > 0 else None


def shareable_with_authorization(res: Response[Any]) -> bool:
    """Whether an answer to a request with ``Authorization`` may be stored by a shared cache:
    it says ``public``, ``s-maxage`` or ``must-revalidate`` (RFC 9111, 3.5)."""
    directives = cache_control(res.headers.getlist("cache-control"))
    return bool({"public", "s-maxage", "must-revalidate"}.intersection(directives))


def header_values(req: Request, names: Iterable[str]) -> list[tuple[str, str | None]]:
    """``(name, value)`` of each header (repeated ones joined; None when absent)."""
    out: list[tuple[str, str | None]] = []
    for name in names:
        values = req.headers.getlist(name)
        out.append((name, ",".join(" ".join(v.split()) for v in values) if values else None))
    return out


def _declared(plan: HandlerPlan | None) -> tuple[set[str], list[str], list[str]]:
    """The query keys, header names and cookie names the handler declares as parameters."""
    query: set[str] = set()
    headers: list[str] = []
    cookies: list[str] = []
    for spec in plan.params.specs if plan is not None and plan.params is not None else ():
        if spec.location == "query":
            query.update(key for key, _ in spec.fields) if spec.fields else query.add(spec.key)
        elif spec.location == "header":
            headers.append(spec.key.lower())
        else:
            cookies.append(spec.key)
    return query, sorted(headers), sorted(cookies)


def request_inputs(
    req: Request,
    *,
    query: QueryMode,
    vary_on_headers: Sequence[str],
    key: KeyFunction | None,
) -> list[Any]:
    """What a request's cached answer is keyed on, besides handler, method and route values.

    The scheme and ``Host``, the forwarding headers, the query (per ``query``), the
    handler's declared header and cookie parameters, ``vary_on_headers`` and ``key(req)``.
    """
    plan = req.scope.get(PLAN_SCOPE_KEY)
    declared_query, declared_headers, declared_cookies = _declared(
        plan if isinstance(plan, HandlerPlan) else None
    )
    pairs = normalised_query(req.query_string)
    if query == "declared":
        pairs = [pair for pair in pairs if pair[0] in declared_query]
    elif query != "all":
        wanted = set(query)
        pairs = [pair for pair in pairs if pair[0] in wanted]
    names = sorted({*FORWARDING_HEADERS, *declared_headers, *(h.lower() for h in vary_on_headers)})
    return [
        req.url.scheme,
        req.headers.get("host"),
        pairs,
        header_values(req, names),
        [(name, req.cookies.get(name)) for name in declared_cookies],
        key(req) if key is not None else None,
    ]
