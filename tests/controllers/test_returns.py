"""Declared success status, what a handler may return, and signature checks at start-up."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from loguru import logger
from pydantic import BaseModel
from starlette.responses import PlainTextResponse, StreamingResponse

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import (
    Controller,
    Descriptor,
    after_request,
    delete,
    get,
    injects,
    open_api_docs,
    path,
    post,
    produces,
)
from pyjolt.openapi import build_document
from pyjolt.testing import make_app
from tests.registration import assert_refused, route_controller


class NoteIn(BaseModel):
    text: str


class NoteOut(BaseModel):
    id: int
    text: str


class Problem(BaseModel):
    message: str
    code: int


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Opaque:
    """Neither JSON encoder knows it."""


@path("/notes")
class NotesApi(Controller):
    @post("/", status_code=HttpStatus.CREATED)
    async def create(self, req: Request, note: NoteIn) -> Response[NoteOut]:
        return req.res.json({"id": 1, "text": note.text})

    @post("/plain", status_code=201)
    async def create_plain(self, req: Request, note: NoteIn) -> NoteOut:
        return NoteOut(id=2, text=note.text)

    @post("/override", status_code=201)
    async def create_exists(self, req: Request) -> Response[NoteOut]:
        return req.res.json({"message": "exists"}).status(409)

    @delete("/<int:note_id>", status_code=204)
    async def remove(self, req: Request, note_id: int) -> None:
        return None

    @delete("/body/<int:note_id>", status_code=204)
    async def remove_with_body(self, req: Request, note_id: int) -> dict[str, bool]:
        return {"ignored": True}

    @get("/<int:note_id>")
    @open_api_docs(Descriptor(status=HttpStatus.UNPROCESSABLE_ENTITY, body=Problem))
    async def read(self, req: Request, note_id: int) -> Response[NoteOut]:
        if note_id == 404:
            return req.res.json({"message": "no such note"}).status(404)
        if note_id == 401:
            return req.res.json({"status": "error", "message": "Login required"}).status(401)
        if note_id == 422:
            return req.res.json({"message": "bad", "code": 7, "extra": 1}).status(422)
        if note_id == 423:
            return req.res.json({"message": "bad"}).status(422)
        return req.res.json({"id": note_id, "text": "hi", "secret": "dropped"})

    @get("/dict")
    async def a_dict(self, req: Request) -> dict[str, Any]:
        return {"ok": True}

    @get("/list")
    async def a_list(self, req: Request) -> list[int]:
        return [1, 2]

    @get("/dataclass")
    async def a_dataclass(self, req: Request) -> Point:
        return Point(1, 2)

    @get("/starlette-text")
    async def starlette_text(self, req: Request) -> PlainTextResponse:
        return PlainTextResponse("plain", status_code=202, headers={"x-kind": "text"})

    @get("/starlette-stream")
    async def starlette_stream(self, req: Request) -> StreamingResponse:
        async def chunks() -> Any:
            yield b"a"
            yield b"b"

        return StreamingResponse(chunks(), media_type="text/plain")

    @get("/tuple")
    async def a_tuple(self, req: Request) -> Any:
        return {"ok": True}, 201

    @get("/unawaited")
    @produces(MediaType.TEXT_HTML)
    async def unawaited(self, req: Request) -> Any:
        return req.res.html("page.html", {})

    @get("/coroutine")
    async def coroutine(self, req: Request) -> Any:
        async def load() -> dict[str, int]:
            return {"a": 1}

        return load()

    @get("/opaque")
    async def opaque(self, req: Request) -> Any:
        return {"thing": Opaque()}

    @get("/generator")
    async def generator(self, req: Request) -> Any:
        def gen() -> Iterator[int]:
            yield 1

        return gen()

    @get("/uuid")
    async def a_uuid(self, req: Request) -> Any:
        return {"id": uuid.UUID(int=5)}


@pytest.fixture
def log_lines() -> Iterator[list[str]]:
    lines: list[str] = []
    sink = logger.add(lambda msg: lines.append(str(msg)), level="ERROR", format="{message}")
    yield lines
    logger.remove(sink)


async def test_declared_status(build_client: Any) -> None:
    client = await build_client(controllers=[NotesApi])
    res = await client.post("/notes/", json={"text": "x"})
    assert (res.status_code, res.json()) == (201, {"id": 1, "text": "x"})
    res = await client.post("/notes/plain", json={"text": "y"})
    assert (res.status_code, res.json()) == (201, {"id": 2, "text": "y"})
    res = await client.post("/notes/override")
    assert (res.status_code, res.json()) == (409, {"message": "exists"})
    for url in ("/notes/3", "/notes/body/3"):
        res = await client.delete(url)
        assert (res.status_code, res.content) == (204, b"")
        assert "content-length" not in res.headers and "content-type" not in res.headers
    # invalid body: still the framework's 422, not the declared status
    assert (await client.post("/notes/", json={"nope": 1})).status_code == 422


def test_declared_status_must_be_a_success() -> None:
    with pytest.raises(ValueError, match="status_code=404"):
        post("/", status_code=404)


def test_declared_status_is_documented() -> None:
    doc = build_document(make_app(controllers=[NotesApi]))
    create = doc["paths"]["/notes/"]["post"]["responses"]
    assert "200" not in create
    assert create["201"]["description"] == "Created"
    assert create["201"]["content"]["application/json"]["schema"]["$ref"].endswith("/NoteOut")
    assert {"400", "415", "422"} <= set(create)
    remove = doc["paths"]["/notes/{note_id}"]["delete"]["responses"]
    assert remove["204"] == {"description": "No content"}


async def test_plain_values_and_starlette_responses(build_client: Any) -> None:
    client = await build_client(controllers=[NotesApi])
    assert (await client.get("/notes/dict")).json() == {"ok": True}
    assert (await client.get("/notes/list")).json() == [1, 2]
    assert (await client.get("/notes/dataclass")).json() == {"x": 1, "y": 2}
    assert (await client.get("/notes/uuid")).json() == {"id": str(uuid.UUID(int=5))}
    res = await client.get("/notes/starlette-text")
    assert (res.status_code, res.text, res.headers["x-kind"]) == (202, "plain", "text")
    res = await client.get("/notes/starlette-stream")
    assert (res.status_code, res.text) == (200, "ab")
    assert res.headers["content-type"].startswith("text/plain")


async def test_response_model_checks_success_bodies_only(build_client: Any) -> None:
    client = await build_client(controllers=[NotesApi])
    res = await client.get("/notes/5")
    assert (res.status_code, res.json()) == (200, {"id": 5, "text": "hi"})
    res = await client.get("/notes/404")
    assert (res.status_code, res.json()) == (404, {"message": "no such note"})
    res = await client.get("/notes/401")
    assert (res.status_code, res.json()["message"]) == (401, "Login required")
    # a non-2xx status with a Descriptor body: validated and serialised through that model
    res = await client.get("/notes/422")
    assert (res.status_code, res.json()) == (422, {"message": "bad", "code": 7})


async def test_descriptor_mismatch_is_a_logged_500(build_client: Any, log_lines: list[str]) -> None:
    client = await build_client(controllers=[NotesApi])
    res = await client.get("/notes/423")
    assert res.status_code == 500
    assert any(
        "NotesApi.read: response body does not match the Descriptor of status 422" in line
        for line in log_lines
    )


@pytest.mark.parametrize(
    ("url", "returned", "fix"),
    [
        ("/notes/tuple", "returned tuple", "return req.res.json(body).status(code)"),
        ("/notes/unawaited", "returned PendingHtml", "await it: return await req.res.html"),
        ("/notes/coroutine", "returned coroutine", "add `await` before the call"),
        ("/notes/generator", "returned generator", "req.res.stream(iterator"),
        ("/notes/opaque", "cannot be encoded as JSON", "Object of type Opaque"),
    ],
)
async def test_wrong_returns_are_logged_500s(
    build_client: Any, log_lines: list[str], url: str, returned: str, fix: str
) -> None:
    for debug in (False, True):
        client = await build_client(controllers=[NotesApi], DEBUG=debug)
        res = await client.get(url)
        assert res.status_code == 500
        assert res.json() == {"status": "error", "message": "Internal server error", "data": None}
        assert "object at 0x" not in res.text
        assert any(returned in line and fix in line for line in log_lines), log_lines
        log_lines.clear()


async def test_after_hooks_see_starlette_responses(build_client: Any) -> None:
    @path("/hooked")
    class Hooked(Controller):
        @after_request
        async def stamp(self, res: Any) -> None:
            res.headers["x-after"] = "yes"

        @get("/")
        async def h(self, req: Request) -> PlainTextResponse:
            return PlainTextResponse("ok")

    client = await build_client(controllers=[Hooked])
    res = await client.get("/hooked/")
    assert (res.text, res.headers["x-after"]) == ("ok", "yes")


def test_converter_contradicting_the_annotation_fails_at_startup() -> None:
    async def h(self: Controller, req: Request, note_id: str) -> Response:
        return req.res

    async def key_as_int(self: Controller, req: Request, key: int) -> Response:
        return req.res

    async def compatible(self: Controller, req: Request, a: float, b: float | None, c: int) -> Any:
        return req.res.json([a, b, c])

    assert_refused(
        r"IntAsStr.h: path converter <int:note_id> in '/c/<int:note_id>' gives a int, "
        r"but the handler annotates note_id: str; annotate it int or change the converter",
        [route_controller("IntAsStr", "/c", get("/<int:note_id>"), h)],
    )
    uuid_as_int = route_controller("UuidAsInt", "/c", get("/<uuid:key>"), key_as_int)
    assert_refused(r"UuidAsInt.key_as_int: path converter <uuid:key>", [uuid_as_int])
    # int -> float, and a string that may hold an int
    make_app(controllers=[route_controller("Ok", "/c", get("/<int:a>/<float:b>/<c>"), compatible)])


def test_injected_name_the_handler_cannot_accept_fails_at_startup() -> None:
    def session_decorator(fn: Any) -> Any:
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, session="s", **kwargs)

        wrapper.__wrapped__ = fn  # type: ignore[attr-defined]
        return injects(wrapper, "session")

    async def h(self: Controller, req: Request) -> Response:
        return req.res

    assert_refused(
        r"NoSession.h: a decorator injects 'session' but the handler has no parameter "
        r"named 'session'; add `session` to its signature",
        [route_controller("NoSession", "/i", get("/"), h, session_decorator)],
    )

    async def takes_kwargs(self: Controller, req: Request, **kwargs: Any) -> Response:
        return req.res

    make_app(
        controllers=[
            route_controller("TakesKwargs", "/i", get("/"), takes_kwargs, session_decorator)
        ]
    )
