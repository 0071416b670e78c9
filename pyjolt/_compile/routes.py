"""Starlette routes: one route per path, dispatching by method, carrying all handler names."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import URLPath
from starlette.routing import NoMatchFound, Route
from starlette.types import Receive, Scope, Send

from pyjolt.exceptions.http import MethodNotAllowed

Endpoint = Callable[[Scope, Receive, Send], Awaitable[None]]


class MethodDispatcher:
    """ASGI app of one path: picks the handler by method; HEAD uses GET's handler."""

    def __init__(self, handlers: dict[str, Endpoint], policies: dict[str, Any]) -> None:
        self.handlers = dict(handlers)
        if "GET" in self.handlers and "HEAD" not in self.handlers:
            self.handlers["HEAD"] = self.handlers["GET"]
        #: method -> compiled CORS policy (read by the CORS middleware)
        self.policies = policies
        self.allowed = sorted({*self.handlers, "OPTIONS"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = self.handlers.get(scope["method"])
        if handler is not None:
            await handler(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            allow = ", ".join(self.allowed).encode()
            await send(
                {"type": "http.response.start", "status": 204, "headers": [(b"allow", allow)]}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        raise MethodNotAllowed(self.allowed)


class PyJoltRoute(Route):
    """A Starlette ``Route`` that knows every handler name on its path (for ``url_for``)."""

    def __init__(
        self,
        path: str,
        dispatcher: MethodDispatcher,
        names: list[str],
        *,
        strict_slashes: bool,
        include_in_schema: bool = True,
    ) -> None:
        super().__init__(
            path, dispatcher, methods=None, name=names[0], include_in_schema=include_in_schema
        )
        self.dispatcher = dispatcher
        self.names = frozenset(names)
        self.methods = set(dispatcher.allowed)
        if not strict_slashes and self.path != "/":
            pattern = self.path_regex.pattern
            body = pattern[:-1].rstrip("/") if pattern.endswith("$") else pattern
            self.path_regex = re.compile(body + "/?$")

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.dispatcher(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        if name not in self.names:
            raise NoMatchFound(name, path_params)
        return super().url_path_for(self.name, **path_params)


def build_url(
    route: Any, name: str, param_names: set[str], values: dict[str, Any], root_path: str
) -> str:
    """Path for ``name`` with path values filled in; other values become the query string."""
    path_values = {k: v for k, v in values.items() if k in param_names}
    missing = param_names - path_values.keys()
    if missing:
        raise ValueError(
            f"url_for({name!r}) is missing path parameter(s): {', '.join(sorted(missing))}"
        )
    query = {k: v for k, v in values.items() if k not in param_names}
    url = root_path.rstrip("/") + str(route.url_path_for(name, **path_values))
    if query:
        url += "?" + urlencode(query, doseq=True)
    return url
