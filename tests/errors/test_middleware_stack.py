"""The middleware stack: plain ASGI middleware see every answer, MiddlewareBase keeps the spec's
semantics, options inline, checked at build, late additions until start."""

from typing import Any

import pytest
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request as StarletteRequest
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt import Request, Response
from pyjolt.controller import get, path
from pyjolt.exceptions import (
    AuthenticationException,
    ConfigurationError,
    ExceptionHandler,
    NotFound,
    handles,
)
from pyjolt.middleware import MiddlewareBase
from pyjolt.testing import PyJoltTestClient, make_app
from tests.status_api import STATUS_REQUESTS, StatusApi, send_all

SEEN: list[int] = []


class StatusRecorder:
    """A plain ASGI middleware that records the status it sees (as metrics exporters do)."""

    def __init__(self, app: ASGIApp, tag: str = "") -> None:
        self.app = app
        self.tag = tag

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                SEEN.append(message["status"])
                if self.tag:
                    message["headers"] = [*message["headers"], (b"x-tag", self.tag.encode())]
            await send(message)

        await self.app(scope, receive, recording)


@path("/api")
class Api(StatusApi):
    """The status routes (``tests/status_api.py``), and one raising ValueError."""

    @get("/value")
    async def value(self, req: Request) -> Response:
        raise ValueError("from the handler")


async def test_plain_middleware_sees_real_statuses_of_error_answers(build_client: Any) -> None:
    SEEN.clear()
    client = await build_client(controllers=[Api], MIDDLEWARE=[StatusRecorder])
    await send_all(client)
    assert [status for _, _, status in STATUS_REQUESTS] == SEEN


async def test_gzip_compresses_a_large_404(build_client: Any) -> None:
    class BigNotFound(ExceptionHandler):
        @handles(NotFound)
        async def not_found(self, req: Request, exc: Exception) -> Response:
            return req.res.text("missing " * 1000).status(404)

    client = await build_client(
        controllers=[Api], MIDDLEWARE=[GZipMiddleware], EXCEPTION_HANDLERS=[BigNotFound]
    )
    res = await client.get("/nowhere", headers={"accept-encoding": "gzip"})
    assert res.status_code == 404
    assert res.headers["content-encoding"] == "gzip"
    assert res.text == "missing " * 1000


class Catcher(MiddlewareBase):
    async def middleware(self, req: Request) -> Response:
        try:
            return await self.next(req)
        except ValueError as exc:
            return req.res.json({"caught": str(exc)}).status(409)


class Raiser(MiddlewareBase):
    async def middleware(self, req: Request) -> Response:
        if req.headers.get("x-raise"):
            raise AuthenticationException("raised by middleware")
        return await self.next(req)


async def test_middleware_base_catches_handler_exception_and_answers_itself(
    build_client: Any,
) -> None:
    SEEN.clear()
    client = await build_client(controllers=[Api], MIDDLEWARE=[StatusRecorder, Catcher])
    res = await client.get("/api/value")
    assert res.status_code == 409 and res.json() == {"caught": "from the handler"}
    assert SEEN == [409]


async def test_middleware_base_raising_reaches_the_handlers_under_plain_middleware(
    build_client: Any,
) -> None:
    SEEN.clear()
    client = await build_client(controllers=[Api], MIDDLEWARE=[StatusRecorder, Raiser])
    res = await client.get("/api/items/1", headers={"x-raise": "1"})
    assert res.status_code == 401 and res.json()["message"] == "raised by middleware"
    assert SEEN == [401]


async def test_cors_headers_stay_on_error_answers(build_client: Any) -> None:
    client = await build_client(
        controllers=[Api], MIDDLEWARE=[StatusRecorder], CORS_ALLOW_ORIGINS=["https://a.example"]
    )
    for url in ("/nowhere", "/api/private", "/api/boom"):
        res = await client.get(url, headers={"origin": "https://a.example"})
        assert res.status_code >= 400
        assert res.headers["access-control-allow-origin"] == "https://a.example"


async def test_inline_options_as_middleware_object_and_pair(build_client: Any) -> None:
    client = await build_client(
        controllers=[Api],
        MIDDLEWARE=[
            Middleware(StatusRecorder, tag="object"),
            ("tests.errors.test_middleware_stack:StatusRecorder", {"tag": "pair"}),
        ],
    )
    res = await client.get("/api/items/1")
    assert res.headers.get_list("x-tag") == ["pair", "object"]


async def test_inline_options_override_the_config_section(build_client: Any) -> None:
    client = await build_client(
        controllers=[Api],
        MIDDLEWARE=[(StatusRecorder, {"tag": "inline"})],
        STATUS_RECORDER={"tag": "section"},
    )
    assert (await client.get("/api/items/1")).headers["x-tag"] == "inline"


def test_bad_middleware_options_stop_the_build_naming_the_entry() -> None:
    with pytest.raises(ConfigurationError, match=r"MIDDLEWARE\[1\].*SessionMiddleware.*secret_key"):
        make_app(
            controllers=[Api],
            MIDDLEWARE=[GZipMiddleware, "starlette.middleware.sessions:SessionMiddleware"],
        )
    with pytest.raises(ConfigurationError, match=r"MIDDLEWARE\[0\].*pair"):
        make_app(controllers=[Api], MIDDLEWARE=[(GZipMiddleware, 500)])


async def test_bad_options_added_late_fail_at_the_call() -> None:
    application = make_app(controllers=[Api])
    with pytest.raises(ConfigurationError, match=r"add_middleware\(StatusRecorder\)"):
        application.add_middleware(StatusRecorder, colour="red")


async def test_exception_handler_added_after_build_until_start() -> None:
    async def teapot(request: StarletteRequest, exc: Exception) -> PlainTextResponse:
        return PlainTextResponse("short and stout", status_code=418)

    application = make_app(controllers=[Api])
    application.add_exception_handler(ValueError, teapot)
    async with PyJoltTestClient(application) as client:
        res = await client.get("/api/value")
        assert res.status_code == 418 and res.text == "short and stout"
    with pytest.raises(RuntimeError, match="after an application has started"):
        application.add_exception_handler(KeyError, teapot)
