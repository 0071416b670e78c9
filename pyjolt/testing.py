"""Testing: ``PyJoltTestClient`` runs the app's lifespan and talks to it in-process."""

from __future__ import annotations

import http.cookiejar
from typing import Any, Self

from pyjolt._internal.imports import optional_import
from pyjolt.application import PyJolt, app
from pyjolt.config import BaseConfig


def make_app(controllers: list[Any] | None = None, **config: Any) -> PyJolt:
    """Build an app inline: config keys as keyword arguments (handy in tests)."""
    namespace: dict[str, Any] = {"__module__": __name__, **config}
    if controllers is not None:
        namespace["CONTROLLERS"] = list(controllers)
    namespace.setdefault("__annotations__", {})
    config_class = type("InlineConfig", (BaseConfig,), namespace)

    @app(__name__, configs=config_class)
    class InlineApp(PyJolt):
        pass

    return InlineApp()


class PyJoltTestClient:
    """An async HTTP client bound to the app, running its lifespan.

    ``async with PyJoltTestClient(app) as client: await client.get("/")``. Unhandled exceptions
    surface as 500 answers, as under a server. ``client.websocket_connect(path)`` opens a
    websocket (Starlette's TestClient, in a thread).
    """

    def __init__(
        self,
        application: PyJolt,
        base_url: str = "http://testserver",
        root_path: str = "",
        **client_kwargs: Any,
    ) -> None:
        self.app = application
        self.root_path = root_path
        self.base_url = base_url
        self._client_kwargs = client_kwargs
        self._client: Any = None
        self._lifespan: Any = None

    async def __aenter__(self) -> Self:
        httpx = (
            optional_import("httpx2", "testing")
            if _has("httpx2")
            else optional_import("httpx", "testing")
        )
        asgi_lifespan = optional_import("asgi_lifespan", "testing")
        self._lifespan = asgi_lifespan.LifespanManager(
            _state_per_request(self.app), startup_timeout=30, shutdown_timeout=30
        )
        await self._lifespan.__aenter__()
        transport = httpx.ASGITransport(
            app=self._lifespan.app, raise_app_exceptions=False, root_path=self.root_path
        )
        options = dict(self._client_kwargs)
        # the app answers in-process: cookies set with the production default `Secure` flag
        # are sent back over the http:// test URL too, so cookie logins work unchanged
        options.setdefault("cookies", http.cookiejar.CookieJar(policy=_InProcessCookiePolicy()))
        self._client = httpx.AsyncClient(transport=transport, base_url=self.base_url, **options)
        await self._client.__aenter__()
        return self

    def __getattr__(self, name: str) -> Any:
        # get/post/put/request/... come from the underlying httpx AsyncClient
        if self._client is None:
            raise AttributeError(
                f"{name}: use the client inside `async with PyJoltTestClient(app)`"
            )
        return getattr(self._client, name)

    async def __aexit__(self, *exc_info: Any) -> None:
        try:
            if self._client is not None:
                await self._client.__aexit__(*exc_info)
        finally:
            if self._lifespan is not None:
                await self._lifespan.__aexit__(*exc_info)

    def websocket_connect(self, path: str, **kwargs: Any) -> Any:
        """A websocket session (Starlette's test session, used as a sync context manager)."""
        from starlette.testclient import TestClient

        client = TestClient(self.app, base_url=self.base_url)
        return client.websocket_connect(path, **kwargs)


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


class _InProcessCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Cookie rules of a browser, except that ``Secure`` cookies also go back over ``http://``:
    the test client never leaves the process, so there is no network to protect them from.

    The flag is cleared when a cookie is stored, because httpx 0.28 copies the cookies into a
    jar with the default policy before each request (httpx2 keeps this jar and its policy)."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        cookie.secure = False
        return super().set_ok(cookie, request)

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return True


def _state_per_request(application: Any) -> Any:
    """Give each request its own shallow copy of the lifespan state, as servers do (ASGI
    spec); asgi-lifespan hands every request the same dict, so ``request.state`` set by one
    request (a loaded user, permissions) would be seen by the next."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan" and "state" in scope:
            scope = {**scope, "state": dict(scope["state"])}
        await application(scope, receive, send)

    return app
