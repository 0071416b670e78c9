"""The security headers layer: the header block precomputed at build, added to every answer.

Here, below the observability layer, which takes this layer's place when it is on (one
``send`` wrapper for both). The settings are read in ``pyjolt.security.headers``.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeaderBlock:
    """The security headers precomputed once at build: the plain set and the HTTPS set
    (with HSTS), and the names a handler may have set itself."""

    __slots__ = ("http", "https", "names")

    def __init__(self, headers: list[tuple[bytes, bytes]], hsts: bytes | None) -> None:
        self.http = list(headers)
        self.https = self.http if hsts is None else [*headers, (STS, hsts)]
        self.names = frozenset(k for k, _ in self.https)

    def for_scope(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        return self.https if scope.get("scheme") == "https" else self.http

    def added_to(self, raw: Any, extra: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """A new header list: ``raw`` and those of ``extra`` it does not set itself (a page
        that may be framed keeps its own ``X-Frame-Options``). ``raw`` is left alone: it may
        be a response object's own list."""
        headers: list[tuple[bytes, bytes]] = raw if isinstance(raw, list) else list(raw or ())
        names = self.names
        for key, _ in headers:  # ASGI header names are lower case; most answers set none
            if key in names:
                present = {k for k, _ in headers}
                return headers + [h for h in extra if h[0] not in present]
        return headers + extra


STS = b"strict-transport-security"


class SecurityHeadersMiddleware:
    """Adds the configured headers to every HTTP answer, errors included; a header the
    handler set itself (a page that may be framed) is left as the handler set it.

    When the built-in observability layer is on, it takes this layer's place (one send
    wrapper for both; see ``pyjolt.observability.install``).
    """

    def __init__(
        self, app: ASGIApp, *, headers: list[tuple[bytes, bytes]], hsts: bytes | None
    ) -> None:
        self.app = app
        self.block = HeaderBlock(headers, hsts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        block = self.block
        extra = block.for_scope(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = block.added_to(message.get("headers"), extra)
            await send(message)

        await self.app(scope, receive, send_with_headers)
