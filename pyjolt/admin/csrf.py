"""CSRF protection of the dashboard's forms (sqladmin's own routes do not check any).

Every form the dashboard renders carries a token (``csrf_input`` in the templates); the
token is a random secret kept in the dashboard's signed session, so a page of another site
can neither read nor guess it. Every POST, PUT and PATCH must send it (form field
``csrf_token`` or header ``X-CSRF-Token``). sqladmin deletes rows with a script-sent DELETE,
which another site cannot send without a CORS preflight the dashboard never grants: a DELETE
passes with the token or with the browser's proof that it comes from the dashboard's own
origin (``Sec-Fetch-Site: same-origin`` or a matching ``Origin``). Any unsafe request from
another origin is refused, as by the app's own CSRF guard (``CSRF_TRUSTED_ORIGINS`` apply).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt._internal.asgi import header, own_origin
from pyjolt.security.origin import FORM_TYPES_B, UNSAFE_METHODS, OriginPolicy

FIELD = "csrf_token"
HEADER = b"x-csrf-token"
_SESSION_KEY = "pyjolt_admin_csrf"


def csrf_token(request: Request) -> str:
    """The token of this dashboard session (made and stored in the session on first use)."""
    token = request.session.get(_SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_SESSION_KEY] = token
    return token


def csrf_input(request: Request) -> Markup:
    """The hidden form field carrying :func:`csrf_token` (``{{ csrf_input(request) }}``)."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{escape(csrf_token(request))}">')


class CsrfMiddleware:
    """Refuses (403) unsafe requests without the session's token or from another origin.

    Sits inside sqladmin's session middleware, so the session is loaded when it runs.
    """

    def __init__(self, app: ASGIApp, policy: OriginPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        why = self.policy.foreign(
            scope,
            header(scope, b"origin"),
            header(scope, b"referer"),
            (header(scope, b"sec-fetch-site") or "").lower() or None,
            self.policy.trusted,
        )
        if why is not None:
            await _refuse(f"Cross-site request refused ({why})", scope, receive, send)
            return
        body: list[Message] = []
        token = header(scope, HEADER)
        if token is None and _is_form(scope):
            body = await _read_body(receive)
            form = await Request(scope, _replay(body, receive)).form()
            value = form.get(FIELD)
            token = value if isinstance(value, str) else None
            await form.close()  # its uploads are read again, from the replayed body
        expected = scope.get("session", {}).get(_SESSION_KEY)
        valid = isinstance(token, str) and isinstance(expected, str)
        valid = valid and hmac.compare_digest(str(token), str(expected))
        if not valid and not (scope["method"] == "DELETE" and _same_origin(scope)):
            await _refuse("CSRF token missing or invalid", scope, receive, send)
            return
        await self.app(scope, _replay(body, receive) if body else receive, send)


def _is_form(scope: Scope) -> bool:
    ctype = header(scope, b"content-type")
    return ctype is not None and ctype.lower().encode().startswith(FORM_TYPES_B)


def _same_origin(scope: Scope) -> bool:
    """What a browser says about a script's request from this origin."""
    if (header(scope, b"sec-fetch-site") or "").lower() == "same-origin":
        return True
    origin = header(scope, b"origin")
    return origin is not None and origin.rstrip("/") == own_origin(scope)


async def _read_body(receive: Receive) -> list[Message]:
    messages = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that hands out ``messages`` again, then the real one."""
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


async def _refuse(reason: str, scope: Scope, receive: Receive, send: Send) -> None:
    response: Any = PlainTextResponse(reason, status_code=403)
    await response(scope, receive, send)
