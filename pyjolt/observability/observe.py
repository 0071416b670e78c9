"""One pure-ASGI layer for request IDs, the access log and the request metrics.

One layer (not three) keeps the per-request cost small: one ``send`` wrapper (a plain function
handing on ``send``'s awaitable: no coroutine of its own), one timer, and what an answer's
method, route template and status mean for the metrics and the access line looked up once per
kind of answer. (The security headers are added by the app's outermost layer.)
"""

from __future__ import annotations

import itertools
import os
import random
import re
from bisect import bisect_left
from collections.abc import Awaitable, Iterator
from time import perf_counter
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt.logging import REQUEST_ID
from pyjolt.observability.accesslog import BatchedAccessLog
from pyjolt.observability.metrics import BUCKETS, METHODS
from pyjolt.observability.routes import TEMPLATE_ATTR, UNMATCHED, template_of
from pyjolt.request import REQUEST_SCOPE_KEY

if TYPE_CHECKING:
    from pyjolt.observability.accesslog import AccessLog
    from pyjolt.observability.metrics import HttpMetrics

_VALID_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
#: where the request ID is kept in the scope (``request.state.request_id``)
STATE_KEY = "request_id"
#: kinds of answer remembered per layer (method x route template x status: a few hundred)
_MAX_KINDS = 4096
_HEX2 = tuple(f"{i:02x}" for i in range(256))
Headers = list[tuple[bytes, bytes]]


class RequestIds:
    """New request IDs: 32 hex characters, unique, not secret (a correlation ID, not a token).

    A random 64-bit prefix per process (made anew in a forked child), a 56-bit block number
    (random start) and the block's 256 IDs made at once: no system call and no number
    formatting a request, and ``next`` stays in C (safe from several threads: a block is never
    handed out twice)."""

    def __init__(self) -> None:
        self.source: Iterator[str] = iter(())
        self._restart()
        os.register_at_fork(after_in_child=self._restart)

    def _restart(self) -> None:
        prefix = f"{random.getrandbits(64):016x}"

        def block(number: int) -> list[str]:
            head = f"{prefix}{number & 0xFFFFFFFFFFFFFF:014x}"
            return [head + tail for tail in _HEX2]

        blocks = map(block, itertools.count(random.getrandbits(48)))
        self.source = itertools.chain.from_iterable(blocks)


#: one per process (the fork hook is registered once)
_IDS = RequestIds()


class _Kind:
    """One kind of answer (method, route template, status): its metrics series and the start
    of its access line."""

    __slots__ = ("line", "route", "series")

    def __init__(self, route: str, series: Any, line: str) -> None:
        self.route = route
        self.series = series
        self.line = line


def _appended(raw: Any, extra: Headers) -> Headers:
    """A new header list: ``raw`` then ``extra`` (``raw`` may be a response object's own)."""
    return [*(raw or ()), *extra]


class ObserveMiddleware:
    """Request ID in and out, one access-log line and the request metrics per HTTP request."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        request_id_header: str | None,
        access_log: AccessLog | None,
        metrics: HttpMetrics | None,
    ) -> None:
        self.app = app
        self.header = request_id_header.lower().encode("latin-1") if request_id_header else None
        self.access = access_log
        # the default sink's plain lines: written from the kind's text and the duration only
        self.plain_log: BatchedAccessLog | None = None
        if isinstance(access_log, BatchedAccessLog) and not access_log.serialize:
            self.plain_log = access_log
        self.metrics = metrics
        self.local = None if metrics is None else metrics.local
        self.timed = metrics is not None or access_log is not None
        self.kinds: dict[tuple[str, str, int], _Kind] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        extra: Headers | None = None
        rid = token = None
        header = self.header
        if header is not None:
            for key, value in scope["headers"]:
                if key == header:
                    incoming = value.decode("latin-1")
                    if _VALID_ID.fullmatch(incoming):
                        rid = incoming
                    break  # too long or odd characters: never echo it, make a new one
            if rid is None:
                rid = next(_IDS.source)
            state = scope.get("state")
            if state is None:
                state = scope["state"] = {}
            state[STATE_KEY] = rid
            extra = [(header, rid.encode())]  # validated or made: ASCII
            token = REQUEST_ID.set(rid)
        status = 500  # what the server answers if nothing was sent

        def observed_send(message: Message) -> Awaitable[None]:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if extra is not None:
                    message["headers"] = _appended(message.get("headers"), extra)
            return send(message)

        local = self.local
        if local is not None:
            local.in_flight += 1
        elif self.metrics is not None:
            self.metrics.started()
        try:
            await self.app(scope, receive, observed_send)
        finally:
            if token is not None:
                REQUEST_ID.reset(token)
            if self.timed:
                end = perf_counter()
                seconds = end - start
                route = scope.get("route")
                if route is None:
                    template = UNMATCHED
                else:
                    template = getattr(route, TEMPLATE_ATTR, None) or template_of(route)
                kind = self.kinds.get((scope["method"], template, status))
                if kind is None:
                    kind = self._kind(scope["method"], template, status)
                if local is not None:  # one process's plain numbers, counted here (hot path)
                    local.in_flight -= 1
                    series = kind.series
                    series.count += 1
                    series.total += seconds
                    series.buckets[bisect_left(BUCKETS, seconds)] += 1
                elif self.metrics is not None:
                    self.metrics.finished(kind.series, seconds)
                if self.plain_log is not None:
                    self.plain_log.add(kind.line, seconds, end)
                elif self.access is not None:
                    self._log(scope, kind.route, status, seconds, rid)

    def _kind(self, method: str, route: str, status: int) -> _Kind:
        """What answers of this kind are counted in and start their access line with (kept
        for the methods of HTTP only: clients choose methods)."""
        series = None if self.metrics is None else self.metrics.series(method, route, status)
        kind = _Kind(route, series, f"{method} {route} {status} ")
        if method in METHODS and len(self.kinds) < _MAX_KINDS:
            self.kinds[(method, route, status)] = kind
        return kind

    def _log(self, scope: Scope, route: str, status: int, seconds: float, rid: str | None) -> None:
        assert self.access is not None
        client = scope.get("client")
        req: Any = scope.get(REQUEST_SCOPE_KEY)
        user = getattr(req, "_user", None) if req is not None else None
        user_id = getattr(user, "id", None) if user is not None else None
        self.access.write(
            (
                scope["method"],
                route,
                scope["path"],
                status,
                seconds,
                rid,
                client[0] if client else None,
                None if user_id is None else str(user_id),
            )
        )
