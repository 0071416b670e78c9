"""Production response headers (added by the outermost layer) and the host allow-list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp

from pyjolt._internal.security_headers import HeaderBlock, ServerErrorLayer

__all__ = [
    "HeaderBlock",
    "ServerErrorLayer",
    "security_headers",
    "wrap_hosts_and_proxies",
    "wrap_server_errors",
]


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


def wrap_server_errors(app: ASGIApp, config: Mapping[str, Any], *, debug: bool) -> ASGIApp:
    """The outermost layer: an unhandled exception becomes a 500 (the traceback page with
    ``debug``); with the security headers on, it adds them to every answer in the ``send``
    wrapper it has anyway (cheaper than a layer of their own)."""
    headers, hsts = security_headers(config)
    block = HeaderBlock(headers, hsts) if headers or hsts else None
    return ServerErrorLayer(app, debug=debug, block=block)
