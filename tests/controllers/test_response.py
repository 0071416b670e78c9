"""Response builder: every method, cookies, files with Range, Response[Model]."""

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import Controller, get, path, produces


class PublicUser(BaseModel):
    id: int
    fullname: str


class Row:
    def __init__(self) -> None:
        self.id = 9
        self.fullname = "From ORM"
        self.password = "secret"


@path("/res")
class ResponseApi(Controller):
    @get("/json")
    async def json(self, req: Request) -> Response:
        return req.res.json({"a": [1, 2]}).status(HttpStatus.ACCEPTED)

    @get("/text")
    async def text(self, req: Request) -> Response:
        return req.res.text("héllo").set_header("x-extra", "1")

    @get("/empty")
    async def empty(self, req: Request) -> Response:
        return req.res.no_content()

    @get("/redirect")
    async def redirect(self, req: Request) -> Response:
        return req.res.redirect("/res/text")

    @get("/redirect-301")
    async def redirect_301(self, req: Request) -> Response:
        return req.res.redirect("/res/text", HttpStatus.MOVED_PERMANENTLY)

    @get("/cookies")
    async def cookies(self, req: Request) -> Response:
        return (
            req.res.json({"ok": True})
            .set_cookie("session", "abc", max_age=60, secure=True)
            .set_cookie("theme", "dark", http_only=False, samesite="strict")
            .delete_cookie("old")
        )

    @get("/file")
    async def file(self, req: Request) -> Response:
        return req.res.send_file(self.app.get_conf("FILE_TO_SEND"))

    @get("/model")
    async def model(self, req: Request) -> Response[PublicUser]:
        return req.res.json({"id": 1, "fullname": "Ann", "password": "hunter2"})

    @get("/orm")
    async def orm(self, req: Request) -> Response[PublicUser]:
        return req.res.json(Row())

    @get("/bad-model")
    async def bad_model(self, req: Request) -> Response[PublicUser]:
        return req.res.json({"id": "not a number"})

    @get("/produces")
    @produces(MediaType.TEXT_CSV)
    async def produces_csv(self, req: Request) -> Response:
        return req.res.bytes(b"a,b\n1,2\n", MediaType.TEXT_CSV)

    @get("/mismatch")
    @produces(MediaType.APPLICATION_JSON)
    async def mismatch(self, req: Request) -> Response:
        return req.res.text("not json")

    @get("/implicit")
    async def implicit(self, req: Request) -> dict[str, int]:
        return {"plain": 1}


async def test_json_text_empty_and_headers(build_client: Any) -> None:
    client = await build_client(controllers=[ResponseApi])
    res = await client.get("/res/json")
    assert (res.status_code, res.json(), res.headers["content-type"]) == (
        202,
        {"a": [1, 2]},
        "application/json",
    )
    res = await client.get("/res/text")
    assert res.text == "héllo" and res.headers["content-type"] == "text/plain; charset=utf-8"
    assert res.headers["x-extra"] == "1"
    res = await client.get("/res/empty")
    assert res.status_code == 204 and res.content == b"" and "content-length" not in res.headers
    assert (await client.get("/res/implicit")).json() == {"plain": 1}


async def test_redirects(build_client: Any) -> None:
    client = await build_client(controllers=[ResponseApi])
    res = await client.get("/res/redirect")
    assert res.status_code == 303 and res.headers["location"] == "/res/text"
    assert (await client.get("/res/redirect-301")).status_code == 301
    followed = await client.get("/res/redirect", follow_redirects=True)
    assert followed.text == "héllo"


async def test_several_cookies_give_several_headers(build_client: Any) -> None:
    client = await build_client(controllers=[ResponseApi])
    res = await client.get("/res/cookies")
    cookies = res.headers.get_list("set-cookie")
    assert len(cookies) == 3
    session = next(c for c in cookies if c.startswith("session="))
    assert "Max-Age=60" in session and "HttpOnly" in session and "Secure" in session
    assert "SameSite=lax" in session
    theme = next(c for c in cookies if c.startswith("theme="))
    assert "HttpOnly" not in theme and "SameSite=strict" in theme
    old = next(c for c in cookies if c.startswith("old="))
    assert "Max-Age=0" in old


async def test_send_file_streams_with_range(build_client: Any, tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_bytes(b"0123456789" * 1000)
    client = await build_client(controllers=[ResponseApi], FILE_TO_SEND=str(target))
    res = await client.get("/res/file")
    assert res.status_code == 200 and len(res.content) == 10_000
    assert res.headers["content-type"].startswith("text/plain")
    part = await client.get("/res/file", headers={"range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.content == b"0123456789"
    assert part.headers["content-range"] == "bytes 10-19/10000"


async def test_response_model_drops_unknown_fields(build_client: Any) -> None:
    client = await build_client(controllers=[ResponseApi])
    assert (await client.get("/res/model")).json() == {"id": 1, "fullname": "Ann"}
    assert (await client.get("/res/orm")).json() == {"id": 9, "fullname": "From ORM"}


async def test_response_model_mismatch_is_a_logged_server_error(
    build_client: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    client = await build_client(controllers=[ResponseApi])
    res = await client.get("/res/bad-model")
    assert res.status_code == 500
    assert res.json()["message"] == "Internal server error"
    assert "ResponseApi.bad_model" in capfd.readouterr().err


async def test_produces(build_client: Any, capfd: pytest.CaptureFixture[str]) -> None:
    client = await build_client(controllers=[ResponseApi])
    res = await client.get("/res/produces")
    assert res.headers["content-type"] == "text/csv"
    res = await client.get("/res/mismatch")
    assert res.text == "not json"
    assert "ResponseApi.mismatch is declared to produce application/json" in capfd.readouterr().err


@path("/hooks")
class HookApi(Controller):
    @get("/before-send")
    async def before_send(self, req: Request) -> Response:
        res = req.res.json({"n": 1})
        order: list[str] = []

        async def late() -> None:
            order.append("late")  # added while the hooks run: not run for this answer

        async def first() -> None:
            order.append("first")
            res.set_header("x-order", ",".join(order))
            res.before_send(late)

        return res.before_send(first)


async def test_before_send_hooks_run_before_the_answer(build_client: Any) -> None:
    """A hook runs before the body is sent (its header is in the answer); a hook it adds
    itself is not run, and the answer is still the JSON body."""
    client = await build_client(controllers=[HookApi])
    res = await client.get("/hooks/before-send")
    assert res.status_code == 200
    assert res.json() == {"n": 1}
    assert res.headers["x-order"] == "first"
