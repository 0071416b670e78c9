"""Typed query, header and cookie parameters: values, defaults, 422 answers naming the place."""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

import pytest
from pydantic import BaseModel, Field

from pyjolt import Cookie, Header, Query, Request, Response
from pyjolt.controller import Controller, get, path, socket
from pyjolt.openapi import build_document
from pyjolt.request import AnyRequest
from pyjolt.testing import make_app
from tests.registration import assert_refused, route_controller


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Paging(BaseModel):
    """Several query keys grouped in one model."""

    offset: int = Field(0, ge=0)
    limit: int = Field(10, ge=1, le=100)
    sort: list[str] = []


@path("/notes")
class NotesApi(Controller):
    @get("/")
    async def search(
        self,
        req: Request,
        page: Annotated[int, Field(ge=1)] = 1,
        per_page: int = 10,
        tag: list[str] | None = None,
        color: Color = Color.RED,
        mode: Literal["full", "short"] = "full",
        ratio: float | None = None,
        exact: bool = False,
    ) -> Response:
        return req.res.json(
            {
                "page": page,
                "per_page": per_page,
                "tag": tag,
                "color": color.value,
                "mode": mode,
                "ratio": ratio,
                "exact": exact,
            }
        )

    @get("/required")
    async def required(self, req: Request, q: str, n: int) -> Response:
        return req.res.json({"q": q, "n": n})

    @get("/paged")
    async def paged(
        self, req: Request, paging: Annotated[Paging, Query()], q: str | None = None
    ) -> Response:
        return req.res.json({"paging": paging.model_dump(), "q": q})

    @get("/meta")
    async def meta(
        self,
        req: Request,
        request_id: Annotated[str, Header(alias="X-Request-Id")],
        x_tenant: Annotated[int | None, Header()] = None,
        session_id: Annotated[str | None, Cookie()] = None,
        theme: Annotated[Literal["dark", "light"], Cookie(alias="ui-theme")] = "light",
    ) -> Response:
        return req.res.json(
            {"request_id": request_id, "tenant": x_tenant, "session": session_id, "theme": theme}
        )

    @get("/no-request")
    async def no_request(self, page: int = 1) -> dict[str, int]:
        return {"page": page}

    @get("/<int:note_id>")
    async def one(self, req: Request, note_id: int, fields: list[str] | None = None) -> Response:
        return req.res.json({"id": note_id, "fields": fields})


def _errors(res: Any) -> list[tuple[list[Any], str]]:
    body = res.json()
    assert res.status_code == 422, body
    assert body["status"] == "error" and body["message"] == "Validation failed"
    return [(err["loc"], err["type"]) for err in body["data"]]


async def test_query_values_and_defaults(build_client: Any) -> None:
    client = await build_client(controllers=[NotesApi])
    res = await client.get("/notes/")
    assert res.json() == {
        "page": 1,
        "per_page": 10,
        "tag": None,
        "color": "red",
        "mode": "full",
        "ratio": None,
        "exact": False,
    }
    url = "/notes/?page=2&per_page=1&tag=a&tag=b&color=blue&mode=short&ratio=0.5&exact=true"
    assert (await client.get(url)).json() == {
        "page": 2,
        "per_page": 1,
        "tag": ["a", "b"],
        "color": "blue",
        "mode": "short",
        "ratio": 0.5,
        "exact": True,
    }
    # the spec's handlers without a request parameter get their query values too
    assert (await client.get("/notes/no-request?page=3")).json() == {"page": 3}
    assert (await client.get("/notes/7?fields=a&fields=b")).json() == {
        "id": 7,
        "fields": ["a", "b"],
    }


async def test_query_errors_name_location_and_key(build_client: Any) -> None:
    client = await build_client(controllers=[NotesApi])
    assert _errors(await client.get("/notes/?page=abc")) == [(["query", "page"], "int_parsing")]
    assert _errors(await client.get("/notes/?page=0")) == [
        (["query", "page"], "greater_than_equal")
    ]
    assert _errors(await client.get("/notes/?color=green&mode=tiny")) == [
        (["query", "color"], "enum"),
        (["query", "mode"], "literal_error"),
    ]
    assert _errors(await client.get("/notes/?exact=maybe")) == [
        (["query", "exact"], "bool_parsing")
    ]
    assert _errors(await client.get("/notes/required?q=x")) == [(["query", "n"], "missing")]
    assert _errors(await client.get("/notes/required")) == [
        (["query", "q"], "missing"),
        (["query", "n"], "missing"),
    ]
    assert (await client.get("/notes/required?q=x&n=3")).json() == {"q": "x", "n": 3}


async def test_a_model_groups_query_keys(build_client: Any) -> None:
    client = await build_client(controllers=[NotesApi])
    res = await client.get("/notes/paged?offset=5&limit=2&sort=a&sort=b&q=z")
    assert res.json() == {"paging": {"offset": 5, "limit": 2, "sort": ["a", "b"]}, "q": "z"}
    assert (await client.get("/notes/paged?sort=x")).json()["paging"] == {
        "offset": 0,
        "limit": 10,
        "sort": ["x"],
    }
    assert _errors(await client.get("/notes/paged?limit=500&offset=-1")) == [
        (["query", "offset"], "greater_than_equal"),
        (["query", "limit"], "less_than_equal"),
    ]


async def test_headers_and_cookies(build_client: Any) -> None:
    client = await build_client(controllers=[NotesApi])
    res = await client.get(
        "/notes/meta",
        headers={"x-request-id": "r-1", "X-Tenant": "4", "Cookie": "session_id=s; ui-theme=dark"},
    )
    assert res.json() == {"request_id": "r-1", "tenant": 4, "session": "s", "theme": "dark"}
    res = await client.get("/notes/meta", headers={"X-Request-Id": "r-2"})
    assert res.json() == {"request_id": "r-2", "tenant": None, "session": None, "theme": "light"}
    assert _errors(await client.get("/notes/meta")) == [(["header", "X-Request-Id"], "missing")]
    res = await client.get(
        "/notes/meta", headers={"X-Request-Id": "r", "x-tenant": "no", "Cookie": "ui-theme=x"}
    )
    assert _errors(res) == [
        (["header", "x-tenant"], "int_parsing"),
        (["cookie", "ui-theme"], "literal_error"),
    ]


def test_parameters_in_the_openapi_document() -> None:
    doc = build_document(make_app(controllers=[NotesApi]))
    params = {(p["in"], p["name"]): p for p in doc["paths"]["/notes/"]["get"]["parameters"]}
    assert params[("query", "page")]["schema"] == {"type": "integer", "minimum": 1, "default": 1}
    assert params[("query", "page")]["required"] is False
    assert params[("query", "tag")]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert params[("query", "color")]["schema"]["$ref"].endswith("/Color")
    assert params[("query", "mode")]["schema"]["enum"] == ["full", "short"]
    assert params[("query", "exact")]["schema"]["type"] == "boolean"
    required = {p["name"]: p for p in doc["paths"]["/notes/required"]["get"]["parameters"]}
    assert required["q"]["required"] is True and required["n"]["schema"]["type"] == "integer"
    meta = {(p["in"], p["name"]): p for p in doc["paths"]["/notes/meta"]["get"]["parameters"]}
    assert set(meta) == {
        ("header", "X-Request-Id"),
        ("header", "x-tenant"),
        ("cookie", "session_id"),
        ("cookie", "ui-theme"),
    }
    assert meta[("header", "X-Request-Id")]["required"] is True
    assert meta[("cookie", "ui-theme")]["schema"]["enum"] == ["dark", "light"]
    paged = {p["name"]: p for p in doc["paths"]["/notes/paged"]["get"]["parameters"]}
    assert paged["limit"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 100,
        "default": 10,
    }
    assert paged["sort"]["schema"]["type"] == "array"
    answers = doc["paths"]["/notes/"]["get"]["responses"]
    assert answers["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ValidationFailed"
    )
    one = doc["paths"]["/notes/{note_id}"]["get"]["parameters"]
    assert [(p["in"], p["name"]) for p in one] == [("path", "note_id"), ("query", "fields")]


def test_handlers_without_parameters_read_nothing() -> None:
    app = make_app(controllers=[NotesApi])
    plans = {p.name: p for p in app.handler_plans}
    assert plans["NotesApi.search"].params is not None
    assert plans["NotesApi.one"].params is not None

    @path("/plain")
    class Plain(Controller):
        @get("/<int:x>")
        async def h(self, req: Request, x: int) -> Response:
            return req.res

    assert make_app(controllers=[Plain]).handler_plans[0].params is None


class Thing:
    """Not a value a request can carry."""


def test_marked_parameters_of_unreadable_types_fail_at_startup() -> None:
    async def h(self: Controller, req: Request, thing: Annotated[Thing, Header()]) -> Response:
        return req.res

    async def c(self: Controller, req: Request, c: Annotated[list[str], Cookie()]) -> Response:
        return req.res

    bad_header = route_controller("BadHeader", "/bad", get("/"), h)
    assert_refused(r"BadHeader.h: parameter 'thing' cannot be read", [bad_header])
    list_cookie = route_controller("ListCookie", "/bad", get("/"), c)
    assert_refused(r"ListCookie.c: parameter 'c': a cookie holds", [list_cookie])


def test_websocket_query_parameters() -> None:
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    @path("/ws")
    class Sock(Controller):
        @socket("/")
        async def chat(self, req: Any, room: int) -> None:
            await req.accept()
            await req.send_json({"room": room})
            await req.close()

    with TestClient(make_app(controllers=[Sock])) as client:
        with client.websocket_connect("/ws/?room=5") as ws:
            assert ws.receive_json() == {"room": 5}
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            client.websocket_connect("/ws/?room=x"),
        ):
            pass
        assert refused.value.code == 1008


def test_the_request_may_be_annotated_with_a_union() -> None:
    @path("/u")
    class UnionReq(Controller):
        @get("/")
        async def h(self, req: AnyRequest, page: int = 1) -> Response:
            return req.res  # type: ignore[return-value]

    plan = make_app(controllers=[UnionReq]).handler_plans[0]
    assert plan.takes_request
    assert plan.params is not None and [s.name for s in plan.params.specs] == ["page"]


def test_plain_query_reading_gives_what_query_params_get_gives() -> None:
    """The split of a query string without ``%`` or ``+`` (the fast path of query parameters)
    reads as Starlette's ``QueryParams.get``: repeats, blanks, ``=`` in values, empty parts,
    non-ASCII bytes; with ``%`` or ``+`` it is ``query_params`` itself."""
    import itertools

    from starlette.datastructures import QueryParams
    from starlette.requests import Request as StarletteRequest

    from pyjolt._compile.params import _query

    pieces = [b"a", b"b", b"=", b"&", b";", b"x=", b"==", "é".encode()]
    for parts in itertools.product(pieces, repeat=4):
        raw = b"".join(parts)
        scope = {"type": "http", "query_string": raw, "headers": []}
        expected, got = QueryParams(raw), _query(StarletteRequest(scope))
        assert set(got) == set(expected.keys()), raw
        assert all(got[key] == expected.get(key) for key in got), raw
    scope = {"type": "http", "query_string": b"q=a+b%21&q=c", "headers": []}
    assert _query(StarletteRequest(scope)).get("q") == "c"
    assert _query(StarletteRequest(scope)).getlist("q") == ["a b!", "c"]
