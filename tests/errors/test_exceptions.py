"""Exception handlers, built-in error answers, aborts, the 500 path, the body limit."""

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from pyjolt import HttpStatus, MediaType, Request, Response, abort, html_abort
from pyjolt.controller import Controller, consumes, get, max_body_size, path, post
from pyjolt.exception import AborterException
from pyjolt.exceptions import (
    AuthenticationException,
    BaseHttpException,
    CustomException,
    ExceptionHandler,
    NotFound,
    UnauthorizedException,
    handles,
)


class EntityNotFound(CustomException):
    status_code = HttpStatus.NOT_FOUND


class SpecificNotFound(EntityNotFound):
    pass


class PlainError(Exception):
    pass


@path("/err")
class ErrorApi(Controller):
    @get("/specific")
    async def specific(self, req: Request) -> Response:
        raise SpecificNotFound("user 7 is gone", data={"id": 7})

    @get("/abort")
    async def do_abort(self, req: Request) -> Response:
        abort("nope", status_code=HttpStatus.CONFLICT, data={"why": "dup"})

    @get("/html-abort")
    async def do_html_abort(self, req: Request) -> Response:
        html_abort("error.html", status_code=HttpStatus.NOT_FOUND, data={"thing": "<page>"})

    @get("/auth")
    async def auth(self, req: Request) -> Response:
        raise AuthenticationException()

    @get("/roles")
    async def roles(self, req: Request) -> Response:
        raise UnauthorizedException()

    @get("/crash")
    async def crash(self, req: Request) -> Response:
        raise PlainError("database password is hunter2")

    @post("/upload")
    @consumes(MediaType.APPLICATION_JSON)
    async def upload(self, req: Request) -> Response:
        body = await req.body()
        return req.res.json({"size": len(body)})

    @post("/small")
    @consumes(MediaType.APPLICATION_JSON)
    @max_body_size(10)
    async def small(self, req: Request, data: dict[str, Any]) -> Response:
        return req.res.json(data)


class BaseCatcher(ExceptionHandler):
    @handles(EntityNotFound)
    async def not_found(self, req: Request, exc: EntityNotFound) -> Response:
        return req.res.json({"caught": type(exc).__name__, "message": exc.message}).status(
            exc.status_code
        )

    @handles(AborterException)
    async def aborted(self, req: Request, exc: AborterException) -> Response:
        return req.res.json({"aborted": exc.message, "data": exc.data}).status(exc.status_code)


async def test_handler_for_base_class_catches_subclass(build_client: Any) -> None:
    client = await build_client(controllers=[ErrorApi], EXCEPTION_HANDLERS=[BaseCatcher])
    res = await client.get("/err/specific")
    assert res.status_code == 404
    assert res.json() == {"caught": "SpecificNotFound", "message": "user 7 is gone"}
    res = await client.get("/err/abort")
    assert res.status_code == 409 and res.json() == {"aborted": "nope", "data": {"why": "dup"}}


async def test_default_bodies(build_client: Any) -> None:
    client = await build_client(controllers=[ErrorApi])
    res = await client.get("/err/specific")
    assert res.status_code == 404
    assert res.json() == {"status": "error", "message": "user 7 is gone", "data": {"id": 7}}
    assert (await client.get("/err/abort")).json() == {
        "status": "error",
        "message": "nope",
        "data": {"why": "dup"},
    }
    auth = await client.get("/err/auth")
    assert auth.status_code == 401 and auth.json()["message"] == "Login required"
    roles = await client.get("/err/roles")
    assert roles.status_code == 403 and roles.json()["message"] == "Missing user role(s)"
    missing = await client.get("/nowhere")
    assert missing.status_code == 404 and missing.json()["status"] == "error"


async def test_html_abort_renders_template(build_client: Any, tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "error.html").write_text(
        "<h1>Missing {{ data.thing }} ({{ status_code }})</h1>"
    )
    client = await build_client(controllers=[ErrorApi], BASE_PATH=str(tmp_path))
    res = await client.get("/err/html-abort")
    assert res.status_code == 404
    assert res.headers["content-type"].startswith("text/html")
    assert res.text == "<h1>Missing &lt;page&gt; (404)</h1>"


async def test_unhandled_exception_without_debug(
    build_client: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    client = await build_client(controllers=[ErrorApi])
    res = await client.get(
        "/err/crash",
        headers={"authorization": "Bearer top-secret-token", "cookie": "session=cookie-secret"},
    )
    assert res.status_code == 500
    assert res.json() == {"status": "error", "message": "Internal server error"}
    err = capfd.readouterr().err
    assert "CRITICAL" in err and "GET /err/crash" in err and "PlainError" in err
    assert "top-secret-token" not in err and "cookie-secret" not in err


async def test_unhandled_exception_with_debug(build_client: Any) -> None:
    client = await build_client(controllers=[ErrorApi], DEBUG=True)
    res = await client.get("/err/crash", headers={"accept": "text/html"})
    assert res.status_code == 500
    assert "PlainError" in res.text  # Starlette's debug page, with the traceback


class Catchall(ExceptionHandler):
    @handles(Exception)
    async def anything(self, req: Request, exc: Exception) -> Response:
        return req.res.json({"handled": type(exc).__name__}).status(500)

    @handles(NotFound)
    async def nf(self, req: Request, exc: NotFound) -> Response:
        return req.res.text("custom 404").status(404)


async def test_user_handlers_for_exception_and_not_found(build_client: Any) -> None:
    client = await build_client(controllers=[ErrorApi], EXCEPTION_HANDLERS=[Catchall])
    assert (await client.get("/err/crash")).json() == {"handled": "PlainError"}
    assert (await client.get("/missing")).text == "custom 404"


async def _chunks(total: int, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    sent = 0
    while sent < total:
        chunk = b"x" * min(size, total - sent)
        sent += len(chunk)
        yield chunk


async def test_oversized_body_is_413_without_reading_it_all(build_client: Any) -> None:
    client = await build_client(controllers=[ErrorApi], MAX_BODY_SIZE=100_000)
    ok = await client.post(
        "/err/upload", content=b"y" * 1000, headers={"content-type": "application/json"}
    )
    assert ok.json() == {"size": 1000}
    read: list[int] = []

    async def counted() -> AsyncIterator[bytes]:
        async for chunk in _chunks(5_000_000):
            read.append(len(chunk))
            yield chunk

    res = await client.post(
        "/err/upload", content=counted(), headers={"content-type": "application/json"}
    )
    assert res.status_code == 413
    assert res.json()["status"] == "error"
    # The server stopped reading just past the limit (one chunk over at most).
    assert sum(read) <= 100_000 + 64 * 1024
    declared = await client.post(
        "/err/upload", content=b"z" * 200_000, headers={"content-type": "application/json"}
    )
    assert declared.status_code == 413


async def test_per_route_body_limit(build_client: Any) -> None:
    client = await build_client(controllers=[ErrorApi])
    assert (await client.post("/err/small", json={"a": 1})).json() == {"a": 1}
    assert (await client.post("/err/small", json={"a": "x" * 50})).status_code == 413


def test_base_http_exception_is_usable_directly() -> None:
    exc = BaseHttpException("teapot", status_code=418, data=[1])
    assert exc.to_dict() == {"status": "error", "message": "teapot", "data": [1]}
