"""One pure-ASGI layer for request IDs, the access log, the request metrics and, when they are
on, the security headers.

One layer (not four) keeps the per-request cost small: one ``send`` wrapper, one timer, and the
headers to add (security headers, request ID) appended in one go.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from time import perf_counter
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt.logging import REQUEST_ID
from pyjolt.observability.routes import route_template
from pyjolt.request import REQUEST_SCOPE_KEY

if TYPE_CHECKING:
    from pyjolt._internal.security_headers import HeaderBlock
    from pyjolt.observability.accesslog import AccessLog
    from pyjolt.observability.metrics import HttpMetrics

_VALID_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
#: where the request ID is kept in the scope (``request.state.request_id``)
STATE_KEY = "request_id"


class RequestIds:
    """New request IDs: 32 hex characters, unique, not secret. A random 64-bit prefix per
    process (made anew in a forked child) and a counter: no system call, no big random
    number a request."""

    def __init__(self) -> None:
        self._new_prefix()
        os.register_at_fork(after_in_child=self._new_prefix)

    def _new_prefix(self) -> None:
        self.prefix = f"{random.getrandbits(64):016x}"
        self.counter = itertools.count(random.getrandbits(32))

    def next(self) -> str:
        return f"{self.prefix}{next(self.counter) & 0xFFFFFFFFFFFFFFFF:016x}"


#: one per process (the fork hook is registered once)
_IDS = RequestIds()


class ObserveMiddleware:
    """Request ID in and out, one access-log line and the request metrics per HTTP request;
    the security headers too when given (``security``: this layer replaces theirs)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        request_id_header: str | None,
        access_log: AccessLog | None,
        metrics: HttpMetrics | None,
        security: HeaderBlock | None = None,
    ) -> None:
        self.app = app
        self.header = request_id_header.lower().encode("latin-1") if request_id_header else None
        self.access = access_log
        self.metrics = metrics
        self.security = security
        self.timed = metrics is not None or access_log is not None
        self.ids = _IDS

    def _request_id(self, scope: Scope, header: bytes) -> str:
        for key, value in scope["headers"]:
            if key == header:
                incoming: str = value.decode("latin-1")
                if _VALID_ID.fullmatch(incoming):
                    return incoming
                break  # too long or odd characters: never echo it, make a new one
        return self.ids.next()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = perf_counter()
        security = self.security
        extra = security.for_scope(scope) if security is not None else None
        header = self.header
        rid = token = None
        if header is not None:
            rid = self._request_id(scope, header)
            scope.setdefault("state", {})[STATE_KEY] = rid
            pair = (header, rid.encode("latin-1"))
            extra = [pair] if extra is None else [*extra, pair]
            token = REQUEST_ID.set(rid)
        status = 500  # what the server answers if nothing was sent

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if security is not None:
                    message["headers"] = security.added_to(message.get("headers"), extra or [])
                elif extra is not None:
                    message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        metrics = self.metrics
        if metrics is not None:
            metrics.in_flight(1)
        try:
            await self.app(scope, receive, observed_send)
        finally:
            if token is not None:
                REQUEST_ID.reset(token)
            if self.timed:
                seconds = perf_counter() - start
                route = route_template(scope)
                if metrics is not None:
                    metrics.finished(scope["method"], route, status, seconds)
                if self.access is not None:
                    self._log(scope, route, status, seconds, rid)

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
