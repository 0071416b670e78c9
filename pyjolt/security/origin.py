"""Cross-site request forgery and cross-site websocket hijacking: checked by origin.

Unsafe requests (POST, PUT, PATCH, DELETE) that carry cookies and no bearer token must come
from the app's own origin or an origin listed in ``CSRF_TRUSTED_ORIGINS`` (or, explicitly, in
``CORS_ALLOW_ORIGINS``: the wildcard does not count). The browser says where a request comes
from in ``Sec-Fetch-Site``, ``Origin`` or ``Referer``; a request with none of them (curl, a
server, the test client) is not a browser's cross-site request and passes, as in Go's
``CrossOriginProtection``. Websocket handshakes get the same origin check, cookies or not.
With ``CSRF_REQUIRE_TOKEN`` form posts must also carry the token of ``csrf_token()``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from pyjolt._internal.asgi import header, own_origin
from pyjolt.controller.meta import EndpointMeta, Guard, get_endpoint_meta, update_endpoint_meta
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.exceptions.http import Forbidden

if TYPE_CHECKING:
    from pyjolt.request import AnyRequest, Request

F = TypeVar("F", bound=Callable[..., Any])

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_TYPES_B = (b"application/x-www-form-urlencoded", b"multipart/form-data")
CSRF_EXEMPT = "csrf_exempt"
_CSRF_HEADERS = frozenset((
    b"cookie", b"origin", b"host", b"authorization", b"referer", b"sec-fetch-site", b"content-type"
))  # fmt: skip
_SALT = "pyjolt.csrf"


def csrf_exempt(fn: F) -> F:
    """Skip the CSRF check for one handler (a webhook called by another site's server)."""
    meta = get_endpoint_meta(fn) or EndpointMeta()
    return update_endpoint_meta(fn, extras={**meta.extras, CSRF_EXEMPT: True})


class OriginPolicy:
    """Which origins may send unsafe requests and open websockets; built once per app."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        cors = [o for o in config.get("CORS_ALLOW_ORIGINS") or () if o != "*"]
        trusted = [*cors, *(config.get("CSRF_TRUSTED_ORIGINS") or ())]
        self.trusted = frozenset(o.rstrip("/") for o in trusted)
        self.websocket_trusted = self.trusted | frozenset(
            o.rstrip("/") for o in config.get("WEBSOCKET_ALLOWED_ORIGINS") or ()
        )
        self.csrf = bool(config.get("CSRF_ENABLED", True))
        self.websocket = bool(config.get("WEBSOCKET_ORIGIN_CHECK", True))
        self.require_token = bool(config.get("CSRF_REQUIRE_TOKEN", False))
        self.cookie_name = str(config.get("CSRF_COOKIE_NAME", "pyjolt_csrf"))
        self.field_name = str(config.get("CSRF_FIELD_NAME", "csrf_token"))
        self.header_name = str(config.get("CSRF_HEADER_NAME", "X-CSRF-Token")).lower().encode()
        self.max_age = int(config.get("CSRF_TOKEN_MAX_AGE", 3600 * 24))
        self.cookie_secure = bool(config.get("CSRF_COOKIE_SECURE", not config.get("DEBUG")))
        self.secret_key = config.get("SECRET_KEY")

    def foreign(
        self,
        scope: Any,
        origin: str | None,
        referer: str | None,
        fetch_site: str | None,
        trusted: frozenset[str],
    ) -> str | None:
        """Why this request is cross-site (None when it is not)."""
        if fetch_site in ("same-origin", "none"):
            return None
        if origin is None and referer:
            parts = urlsplit(referer)
            origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme else "null"
        if origin is None:
            if fetch_site in ("same-site", "cross-site"):
                return f"Sec-Fetch-Site: {fetch_site}"
            return None
        origin = origin.rstrip("/")
        if origin in trusted or (origin != "null" and origin == own_origin(scope)):
            return None
        return f"origin {origin!r}"

    # -- tokens --------------------------------------------------------------------------
    def _serializer(self) -> Any:
        if not self.secret_key:
            raise ConfigurationError("CSRF tokens need SECRET_KEY; set it in your config")
        from itsdangerous import URLSafeTimedSerializer

        return URLSafeTimedSerializer(self.secret_key, salt=_SALT)

    def token_for(self, req: Request) -> str:
        """A signed token bound to this client's CSRF cookie (set on ``req.res`` if new)."""
        secret = req.cookies.get(self.cookie_name) or req.state.__dict__.get("_csrf_secret")
        if not secret:
            secret = secrets.token_urlsafe(24)
            req.state._csrf_secret = secret
            req.res.set_cookie(
                self.cookie_name, secret, secure=self.cookie_secure, http_only=True,
                samesite="lax",
            )  # fmt: skip
        token: str = self._serializer().dumps(secret)
        return token

    def token_valid(self, token: str | None, secret: str | None) -> bool:
        if not token or not secret:
            return False
        from itsdangerous import BadSignature

        try:
            return bool(self._serializer().loads(token, max_age=self.max_age) == secret)
        except BadSignature:
            return False


def csrf_token(req: Request) -> str:
    """The CSRF token for a form of this client (``{{ csrf_token() }}`` in templates); send it
    as the ``csrf_token`` form field or the ``X-CSRF-Token`` header."""
    policy: OriginPolicy = req.app.origin_policy
    return policy.token_for(req)


def csrf_input(req: Request) -> Any:
    """``<input type="hidden" name="csrf_token" value="...">`` (``{{ csrf_input() }}``)."""
    from markupsafe import Markup, escape

    policy: OriginPolicy = req.app.origin_policy
    name, value = escape(policy.field_name), escape(policy.token_for(req))
    return Markup(f'<input type="hidden" name="{name}" value="{value}">')


class CsrfGuard(Guard):
    """Refuses cross-site unsafe requests that carry cookies (403) before any other guard."""

    priority = -1000
    openapi_responses = {403: "Cross-site request refused"}

    def __init__(self, policy: OriginPolicy) -> None:
        self.policy = policy
        #: the request headers the check reads: any other costs one set lookup
        self.read = _CSRF_HEADERS | {policy.header_name}

    async def check(self, req: AnyRequest) -> None:
        scope = req.scope
        if scope["method"] not in UNSAFE_METHODS:
            return
        cookie = origin = referer = fetch_site = token = ctype = host = None
        header_name = self.policy.header_name
        read = self.read
        for key, value in scope["headers"]:
            if key not in read:
                continue
            if key == b"cookie":
                cookie = value
            elif key == b"origin":
                origin = value
            elif key == b"host":
                host = value
            elif key == b"authorization":
                if value[:7].lower() == b"bearer ":
                    return  # a bearer token is not sent by a browser on its own
            elif key == b"referer":
                referer = value
            elif key == b"sec-fetch-site":
                fetch_site = value
            elif key == header_name:
                token = value
            elif key == b"content-type":
                ctype = value
        if cookie is None:
            return  # no ambient credentials: nothing to forge
        policy = self.policy
        if (
            origin is not None
            and host is not None
            and fetch_site in (None, b"same-origin")
            and origin == scope.get("scheme", "http").encode() + b"://" + host
        ):
            pass  # the common case, same origin: decided without decoding anything
        else:
            why = policy.foreign(
                scope,
                _text(origin),
                _text(referer),
                fetch_site.decode("latin-1").lower() if fetch_site else None,
                policy.trusted,
            )
            if why is not None:
                raise Forbidden(f"Cross-site request refused ({why}); see CSRF_TRUSTED_ORIGINS")
        if policy.require_token and ctype is not None and ctype.lower().startswith(FORM_TYPES_B):
            text_token = _text(token)
            if text_token is None:
                form = await req.form()  # type: ignore[union-attr]
                value = form.get(policy.field_name)
                text_token = value if isinstance(value, str) else None
            if not policy.token_valid(text_token, req.cookies.get(policy.cookie_name)):
                raise Forbidden("CSRF token missing or invalid")


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None


class WebSocketOriginGuard(Guard):
    """Refuses a websocket handshake from another origin before the handler runs."""

    priority = -1000

    def __init__(self, policy: OriginPolicy) -> None:
        self.policy = policy

    async def check(self, req: AnyRequest) -> None:
        scope = req.scope
        origin = header(scope, b"origin")
        if origin is None:
            return
        scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
        why = self.policy.foreign(
            {**scope, "scheme": scheme}, origin, None, None, self.policy.websocket_trusted
        )
        if why is not None:
            raise Forbidden(f"Websocket from {why} refused; see WEBSOCKET_ALLOWED_ORIGINS")


def origin_guards(policy: OriginPolicy, meta: EndpointMeta, websocket: bool) -> tuple[Guard, ...]:
    """The framework's own guards for one handler (none when switched off or exempt)."""
    if websocket:
        return (WebSocketOriginGuard(policy),) if policy.websocket else ()
    if not policy.csrf or meta.extras.get(CSRF_EXEMPT):
        return ()
    if not UNSAFE_METHODS.intersection(meta.http_methods):
        return ()
    return (CsrfGuard(policy),)
