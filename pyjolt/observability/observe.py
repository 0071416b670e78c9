"""One pure-ASGI middleware for request IDs, the access log and the request metrics.

One layer (not three) keeps the per-request cost small: one ``send`` wrapper, one timer.
"""

from __future__ import annotations

import random
import re
import time
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt.logging import REQUEST_ID
from pyjolt.observability.routes import route_template
from pyjolt.request import REQUEST_SCOPE_KEY

if TYPE_CHECKING:
    from pyjolt.observability.accesslog import AccessLog
    from pyjolt.observability.metrics import HttpMetrics

_VALID_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
#: where the request ID is kept in the scope (``request.state.request_id``)
STATE_KEY = "request_id"


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
        self.metrics = metrics

    def _request_id(self, scope: Scope, header: bytes) -> str:
        for key, value in scope["headers"]:
            if key == header:
                incoming: str = value.decode("latin-1")
                if _VALID_ID.fullmatch(incoming):
                    return incoming
                break  # too long or odd characters: never echo it, make a new one
        # unique, not secret: a random 128-bit number, without uuid4's system call
        return f"{random.getrandbits(128):032x}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # what the server answers if nothing was sent
        header = self.header
        rid: str | None = None
        if header is not None:
            rid = self._request_id(scope, header)
            scope.setdefault("state", {})[STATE_KEY] = rid
            rid_bytes = rid.encode("latin-1")

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if header is not None:
                    message["headers"] = [*message.get("headers", ()), (header, rid_bytes)]
            await send(message)

        metrics = self.metrics
        if metrics is not None:
            metrics.started()
        token = REQUEST_ID.set(rid) if rid is not None else None
        try:
            await self.app(scope, receive, observed_send)
        finally:
            if token is not None:
                REQUEST_ID.reset(token)
            seconds = time.perf_counter() - start
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
            {
                "method": scope["method"],
                "route": route,
                "path": scope["path"],
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "request_id": rid,
                "client": client[0] if client else None,
                "user_id": None if user_id is None else str(user_id),
            }
        )
