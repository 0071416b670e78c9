"""CORS: the global policy from config, per-endpoint ``@cors`` / ``@no_cors``, with preflight."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from starlette.datastructures import Headers
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt._internal.asgi import header, own_origin
from pyjolt.controller.meta import CorsOptions
from pyjolt.serialization import dumps

if TYPE_CHECKING:
    from starlette.routing import Router


class RoutedApp(Protocol):
    """The app CORS matches requests against (its router)."""

    @property
    def router(self) -> Router: ...


SAFE_HEADERS = frozenset({"accept", "accept-language", "content-language", "content-type"})


class CorsPolicy(NamedTuple):
    """An effective policy: the global config with one endpoint's overrides applied."""

    enabled: bool
    allow_origins: frozenset[str]
    allow_methods: frozenset[str]
    allow_headers: frozenset[str]
    expose_headers: tuple[str, ...]
    allow_credentials: bool
    max_age: int | None

    @property
    def any_origin(self) -> bool:
        return "*" in self.allow_origins

    def origin_allowed(self, origin: str) -> bool:
        return self.any_origin or origin in self.allow_origins

    def response_headers(self, origin: str) -> list[tuple[bytes, bytes]]:
        headers: list[tuple[bytes, bytes]] = []
        if self.any_origin:
            # The wildcard never grants credentials (and never echoes arbitrary origins).
            headers.append((b"access-control-allow-origin", b"*"))
        else:
            headers.append((b"access-control-allow-origin", origin.encode("latin-1")))
            headers.append((b"vary", b"Origin"))
            if self.allow_credentials:
                headers.append((b"access-control-allow-credentials", b"true"))
        if self.expose_headers:
            headers.append(
                (b"access-control-expose-headers", ", ".join(self.expose_headers).encode())
            )
        return headers

    def headers_allowed(self, requested: Iterable[str]) -> bool:
        allowed = self.allow_headers
        return "*" in allowed or all(h in allowed or h in SAFE_HEADERS for h in requested)


def make_policy(config: dict[str, Any], options: CorsOptions | None) -> CorsPolicy:
    opts = options or CorsOptions()

    def pick(value: Any, key: str) -> Any:
        return config[key] if value is None else value

    return CorsPolicy(
        enabled=bool(config["CORS_ENABLED"]) and not opts.disabled,
        allow_origins=frozenset(
            o.rstrip("/") for o in pick(opts.allow_origins, "CORS_ALLOW_ORIGINS")
        ),
        allow_methods=frozenset(m.upper() for m in pick(opts.allow_methods, "CORS_ALLOW_METHODS")),
        allow_headers=frozenset(h.lower() for h in pick(opts.allow_headers, "CORS_ALLOW_HEADERS")),
        expose_headers=tuple(pick(opts.expose_headers, "CORS_EXPOSE_HEADERS")),
        allow_credentials=bool(pick(opts.allow_credentials, "CORS_ALLOW_CREDENTIALS")),
        max_age=pick(opts.max_age, "CORS_MAX_AGE"),
    )


async def _refuse(
    send: Send, status: int, message: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = dumps({"status": "error", "message": message, "data": None})
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status, "headers": headers + (extra or [])}
    )
    await send({"type": "http.response.body", "body": body})


class CORSMiddleware:
    """Pure ASGI CORS middleware. Requests without ``Origin`` (or same-origin) pass untouched."""

    def __init__(self, app: ASGIApp, *, pyjolt_app: RoutedApp, default: CorsPolicy) -> None:
        self.app = app
        self.pyjolt_app = pyjolt_app
        self.default = default
        #: (root_path, path, method) -> policy; routes are fixed once the app is built
        self._cache: dict[tuple[str, str, str], CorsPolicy] = {}

    def _policy(self, scope: Scope, method: str) -> CorsPolicy:
        key = (scope.get("root_path", ""), scope["path"], method)
        policy = self._cache.get(key)
        if policy is None:
            policy = self._match_policy(scope, method)
            if len(self._cache) >= 4096:
                self._cache.clear()  # bounded: paths with parameters are unbounded
            self._cache[key] = policy
        return policy

    def _match_policy(self, scope: Scope, method: str) -> CorsPolicy:
        probe = {**scope, "method": method}
        router = self.pyjolt_app.router
        candidates = getattr(router, "candidates", None)
        for route in candidates(probe) if candidates is not None else router.routes:
            match, _ = route.matches(probe)
            if match is Match.NONE:
                continue
            dispatcher = getattr(route, "dispatcher", None)
            if dispatcher is not None:
                policy: CorsPolicy | None = dispatcher.policies.get(method)
                if policy is None and method == "HEAD":
                    policy = dispatcher.policies.get("GET")
                if policy is None and dispatcher.policies:
                    # a method this path does not serve: judge it by the path's own @cors
                    # policy (its other methods), so the preflight answers 405 as the spec says
                    policy = next(iter(dispatcher.policies.values()))
                return policy or self.default
            return self.default
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = header(scope, b"origin")
        if origin is not None:
            answer = await self.cross_origin(scope, send, origin)
            if answer is None:
                return
            send = answer
        await self.app(scope, receive, send)

    async def cross_origin(self, scope: Scope, send: Send, origin: str) -> Send | None:
        """The CORS check of an HTTP request with an ``Origin`` header: the send to answer
        through (adding the CORS headers), or None when answered here (a preflight, a refusal).
        The app's outermost exception layer runs it itself (``ExceptionLayer.cross_origin``),
        so requests without ``Origin`` pass no CORS layer at all."""
        if origin == own_origin(scope):
            return send
        headers = Headers(scope=scope)
        method = scope["method"]
        requested = headers.get("access-control-request-method")
        if method == "OPTIONS" and requested:
            await self._preflight(scope, send, origin, requested.upper(), headers)
            return None
        policy = self._policy(scope, method)
        if not policy.enabled:
            return send
        if not policy.origin_allowed(origin.rstrip("/")):
            await _refuse(send, 403, f"Origin {origin!r} is not allowed")
            return None
        if method not in policy.allow_methods and method != "HEAD":
            await _refuse(send, 405, f"Method {method} is not allowed for cross-origin requests")
            return None
        extra = policy.response_headers(origin)

        def send_with_cors(message: Message) -> Awaitable[None]:
            # a plain function handing back send's awaitable: no coroutine per message
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            return send(message)

        return send_with_cors

    async def _preflight(
        self, scope: Scope, send: Send, origin: str, requested: str, headers: Headers
    ) -> None:
        policy = self._policy(scope, requested)
        if not policy.enabled:
            await _refuse(send, 403, "CORS is disabled for this endpoint")
            return
        if not policy.origin_allowed(origin.rstrip("/")):
            await _refuse(send, 403, f"Origin {origin!r} is not allowed")
            return
        if requested not in policy.allow_methods:
            allow = ", ".join(sorted(policy.allow_methods)).encode()
            await _refuse(send, 405, f"Method {requested} is not allowed", [(b"allow", allow)])
            return
        wanted = [
            h.strip().lower()
            for h in headers.get("access-control-request-headers", "").split(",")
            if h.strip()
        ]
        if not policy.headers_allowed(wanted):
            await _refuse(send, 403, "Request headers are not allowed")
            return
        out = policy.response_headers(origin)
        out.append(
            (b"access-control-allow-methods", ", ".join(sorted(policy.allow_methods)).encode())
        )
        if wanted:
            out.append((b"access-control-allow-headers", ", ".join(wanted).encode()))
        if policy.max_age is not None:
            out.append((b"access-control-max-age", str(policy.max_age).encode()))
        out.append((b"content-length", b"0"))
        await send({"type": "http.response.start", "status": 204, "headers": out})
        await send({"type": "http.response.body", "body": b""})
