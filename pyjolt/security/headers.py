"""Production response headers and the host allow-list, as pure ASGI middleware."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def security_headers(config: Mapping[str, Any]) -> tuple[list[tuple[bytes, bytes]], bytes | None]:
    """The headers added to every answer, and the HSTS value (sent over HTTPS only).

    ``SECURITY_HEADERS`` None (the default) means on with DEBUG off, off with DEBUG on.
    """
    enabled = config.get("SECURITY_HEADERS")
    if enabled is None:
        enabled = not config.get("DEBUG", False)
    if not enabled:
        return [], None
    values = {
        b"x-content-type-options": "nosniff",
        b"x-frame-options": config.get("SECURITY_FRAME_OPTIONS"),
        b"referrer-policy": config.get("SECURITY_REFERRER_POLICY"),
        b"cross-origin-opener-policy": config.get("SECURITY_CROSS_ORIGIN_OPENER_POLICY"),
        b"content-security-policy": config.get("SECURITY_CONTENT_SECURITY_POLICY"),
    }
    headers = [(k, v.encode("latin-1")) for k, v in values.items() if v]
    hsts = None
    seconds = int(config.get("SECURITY_HSTS_SECONDS") or 0)
    if seconds > 0:
        value = f"max-age={seconds}"
        if config.get("SECURITY_HSTS_INCLUDE_SUBDOMAINS"):
            value += "; includeSubDomains"
        if config.get("SECURITY_HSTS_PRELOAD"):
            value += "; preload"
        hsts = value.encode("latin-1")
    return headers, hsts


class SecurityHeadersMiddleware:
    """Adds the configured headers to every HTTP answer, errors included; a header the
    handler set itself (a page that may be framed) is left as the handler set it."""

    def __init__(
        self, app: ASGIApp, *, headers: list[tuple[bytes, bytes]], hsts: bytes | None
    ) -> None:
        self.app = app
        self.headers = headers
        self.hsts = hsts
        self.names = frozenset(k for k, _ in headers) | {b"strict-transport-security"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers
        if self.hsts is not None and scope.get("scheme") == "https":
            extra = [*extra, (b"strict-transport-security", self.hsts)]
        names = self.names

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = message.get("headers")
                if not isinstance(raw, list):
                    raw = message["headers"] = list(raw or ())
                # ASGI header names are lower case; most answers set none of these
                present = [k for k, _ in raw if k in names]
                raw.extend([h for h in extra if h[0] not in present] if present else extra)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wrap_hosts_and_proxies(app: ASGIApp, config: Mapping[str, Any]) -> ASGIApp:
    """``ALLOWED_HOSTS`` (Starlette's TrustedHostMiddleware: other hosts get a 400) inside
    ``TRUSTED_PROXIES`` (uvicorn's ProxyHeadersMiddleware: ``X-Forwarded-For``/``-Proto`` from
    those addresses only set the client and scheme)."""
    hosts = list(config.get("ALLOWED_HOSTS") or ())
    if hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app = TrustedHostMiddleware(app, allowed_hosts=hosts, www_redirect=False)
    proxies = list(config.get("TRUSTED_PROXIES") or ())
    if proxies:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        proxied: Any = ProxyHeadersMiddleware(app, trusted_hosts=proxies)  # type: ignore[arg-type]
        return proxied  # type: ignore[no-any-return]
    return app
