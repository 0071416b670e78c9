"""The indexed router: a 1,000-route app, and the same choices as Starlette's ordered matching."""

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.convertors import Convertor
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Host, Match, Mount, Route, Router, WebSocketRoute
from starlette.testclient import TestClient

from pyjolt import Request, Response
from pyjolt._compile.route_index import IndexedRouter
from pyjolt.controller import Controller, get, path, put
from pyjolt.testing import PyJoltTestClient, make_app
from tests.converters import ConverterRoutes
from tests.sockets import EchoSocket

CONTROLLERS, PER_CONTROLLER = 10, 100  # 1,000 paths


def _static(tag: str) -> Any:
    async def handler(self: Any, req: Request) -> Response:
        return req.res.json({"route": tag})

    return handler


def _param(tag: str) -> Any:
    async def handler(self: Any, req: Request, n: int) -> Response:
        return req.res.json({"route": tag, "n": n})

    return handler


def _big_controllers() -> list[type]:
    out = []
    for c in range(CONTROLLERS):
        members: dict[str, Any] = {}
        for i in range(PER_CONTROLLER):
            if i % 2:
                members[f"h{i}"] = get(f"/r{i}/<int:n>")(_param(f"{c}.{i}"))
                members[f"p{i}"] = put(f"/r{i}/<int:n>")(_param(f"{c}.{i}.put"))
            else:
                members[f"h{i}"] = get(f"/r{i}")(_static(f"{c}.{i}"))
        out.append(path(f"/c{c}")(type(f"Api{c}", (Controller,), members)))

    @path("/extra")
    class Extra(ConverterRoutes, EchoSocket):
        """The converter routes and the echo websocket next to the 1,000, and a trailing slash."""

        @get("/trail/")
        async def trail(self, req: Request) -> Response:
            return req.res.text("trail")

    out.append(Extra)
    return out


async def _sub_app(scope: Any, receive: Any, send: Any) -> None:
    await PlainTextResponse("mounted " + scope["path"])(scope, receive, send)


async def test_a_thousand_routes_all_reachable_with_405_and_url_for() -> None:
    application = make_app(controllers=_big_controllers())
    routes = application.routes
    assert len(routes) >= CONTROLLERS * PER_CONTROLLER
    assert all(isinstance(r, BaseRoute) for r in routes)
    routes.insert(len(routes) // 2, Mount("/mounted", app=_sub_app))  # a mount among them
    async with PyJoltTestClient(application) as client:
        for c in range(CONTROLLERS):
            for i in range(PER_CONTROLLER):
                name = f"Api{c}.h{i}"
                if i % 2:
                    url = application.url_for(name, n=i)
                    assert url == f"/c{c}/r{i}/{i}"
                    assert (await client.get(url)).json() == {"route": f"{c}.{i}", "n": i}
                    put_url = application.url_for(f"Api{c}.p{i}", n=7)
                    assert (await client.put(put_url)).json()["route"] == f"{c}.{i}.put"
                    res = await client.post(url)
                    assert res.status_code == 405
                    assert res.headers["allow"] == "GET, HEAD, OPTIONS, PUT"
                    assert (await client.get(f"/c{c}/r{i}/x")).status_code == 404
                else:
                    url = application.url_for(name)
                    assert url == f"/c{c}/r{i}"
                    assert (await client.get(url)).json() == {"route": f"{c}.{i}"}
                    assert (await client.get(url + "/")).status_code == 200
                    res = await client.delete(url)
                    assert res.status_code == 405
                    assert res.headers["allow"] == "GET, HEAD, OPTIONS"
                assert str(application.url_path_for(name, **({"n": 1} if i % 2 else {})))
        assert (await client.get("/mounted/a/b")).text == "mounted /mounted/a/b"
        assert (await client.get("/extra/files/a/b.txt")).json() == {"rest": "a/b.txt"}
        assert (await client.get("/extra/trail")).text == "trail"
        assert (await client.get("/c0/nope")).status_code == 404
        assert (await client.head("/c9/r98")).status_code == 200
    with TestClient(application) as tc, tc.websocket_connect("/extra/ws") as ws:
        ws.send_text("hi")
        assert ws.receive_text() == "echo:hi"


# -- the same choices as Starlette's Router, route for route --------------------------------


class EvenConvertor(Convertor[int]):
    regex = "[0-9]*[02468]"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


async def _app(scope: Any, receive: Any, send: Any) -> None:  # never called
    raise AssertionError


def _endpoint(request: Any) -> Any:  # never called
    raise AssertionError


def _mixed_routes() -> list[BaseRoute]:
    from starlette.routing import compile_path

    even = Route("/even/{n}", _endpoint, name="even")
    # a custom converter: the index cannot tell where it ends, so it is checked for every path
    even.path_regex, even.path_format, even.param_convertors = compile_path("/even/{n:int}")
    even.param_convertors = {"n": EvenConvertor()}
    return [
        Route("/", _endpoint, name="root"),
        Route("/a", _endpoint, methods=["GET"], name="a-get"),
        Route("/a", _endpoint, methods=["POST"], name="a-post"),
        Route("/a/", _endpoint, name="a-slash"),
        Route("/a/{x}", _endpoint, name="a-x"),
        Route("/a/b", _endpoint, name="a-b"),
        Route("/a/{x:int}/c", _endpoint, methods=["PUT"], name="a-int-c"),
        Route("/a/{x}/c", _endpoint, name="a-x-c"),
        Route("/f/{name}.{ext}", _endpoint, name="file"),
        Route("/p/{rest:path}", _endpoint, name="rest"),
        Route("/p/{rest:path}/edit", _endpoint, name="rest-edit"),
        Route("/u/{key:uuid}", _endpoint, name="uuid"),
        Route("/n/{v:float}", _endpoint, name="float"),
        even,
        WebSocketRoute("/a", _app, name="ws-a"),
        WebSocketRoute("/w/{x}", _app, name="ws-x"),
        Mount("/m", app=_app, name="mount"),
        Mount("/m/{x}", routes=[Route("/y", _endpoint, name="y")], name="deep"),
        Host("api.example", app=_app, name="host"),
        Route("/z/{x}", _endpoint, name="late"),
        Mount("", app=_app, name="everything"),
        Route("/after-all", _endpoint, name="shadowed"),
    ]


PATHS = [
    "/",
    "",
    "/a",
    "/a/",
    "/a//",
    "/a/b",
    "/a/b/",
    "/a/zz",
    "/a/12/c",
    "/a/xy/c",
    "/a/xy/c/",
    "/f/x.txt",
    "/f/x",
    "/p/",
    "/p/a/b/c",
    "/p/a/b/edit",
    "/u/12345678-1234-1234-1234-1234567890ab",
    "/u/nope",
    "/n/1.5",
    "/n/x",
    "/even/4",
    "/even/5",
    "/w/1",
    "/m",
    "/m/",
    "/m/q/y",
    "/m/q/z",
    "/z/1",
    "/after-all",
    "/a\n",
    "/a/b\n",
    "/nothing/here",
]


def _choice(routes: list[BaseRoute] | tuple[BaseRoute, ...], scope: dict[str, Any]) -> Any:
    """What Starlette's Router.app picks: the first full match, else the first partial one."""
    partial = None
    for route in routes:
        match, child = route.matches(scope)
        if match is Match.FULL:
            return route, child
        if match is Match.PARTIAL and partial is None:
            partial = (route, child)
    return partial


def _scope(kind: str, path: str, method: str, host: str, root_path: str = "") -> dict[str, Any]:
    scope = {
        "type": kind,
        "path": path,
        "root_path": root_path,
        "headers": [(b"host", host.encode())],
        "query_string": b"",
    }
    if kind == "http":
        scope["method"] = method
    return scope


def _check(path: str, method: str, host: str, root_path: str = "") -> None:
    routes = _mixed_routes()
    indexed = IndexedRouter(routes)
    for kind in ("http", "websocket"):
        scope = _scope(kind, path, method, host, root_path)
        want = _choice(routes, scope)
        got = _choice(indexed.candidates(scope), scope)
        assert (want and want[0].name, want and want[1]) == (got and got[0].name, got and got[1]), (
            kind,
            path,
            method,
        )


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
@pytest.mark.parametrize("host", ["testserver", "api.example"])
def test_same_choice_as_starlette(path: str, method: str, host: str) -> None:
    _check(path, method, host)
    _check("/root" + path, method, host, root_path="/root")


SEGMENTS = st.sampled_from(["a", "b", "c", "m", "p", "edit", "12", "1.5", "x.txt", "", "y", "4"])


@settings(max_examples=300, deadline=None)
@given(segments=st.lists(SEGMENTS, max_size=5), method=st.sampled_from(["GET", "POST", "PUT"]))
def test_same_choice_as_starlette_fuzzed(segments: list[str], method: str) -> None:
    _check("/" + "/".join(segments), method, "testserver")


def test_url_path_for_and_mutations_match_starlette() -> None:
    routes = _mixed_routes()
    plain, indexed = Router(routes), IndexedRouter(routes)
    for name, params in [("a-x", {"x": "q"}), ("deep:y", {"x": "1"}), ("rest", {"rest": "a/b"})]:
        assert indexed.url_path_for(name, **params) == plain.url_path_for(name, **params)
    scope = _scope("http", "/added", "GET", "testserver")
    assert _choice(indexed.candidates(scope), scope)[0].name == "everything"
    indexed.routes.insert(0, Route("/added", _endpoint, name="added"))
    assert _choice(indexed.candidates(scope), scope)[0].name == "added"
    indexed.routes = [Route("/other", _endpoint, name="other")]
    assert _choice(indexed.candidates(scope), scope) is None
    assert str(indexed.url_path_for("other")) == "/other"


async def test_redirect_slashes_like_starlette() -> None:
    app = Starlette(routes=[Route("/r/{x}", _plain), Route("/s/", _plain)])
    app.router = IndexedRouter(app.router.routes)  # redirect_slashes on, as in Starlette
    with TestClient(app, follow_redirects=False) as tc:
        assert tc.get("/r/1/").headers["location"] == "http://testserver/r/1"
        assert tc.get("/s").headers["location"] == "http://testserver/s/"
        assert tc.get("/t").status_code == 404


async def _plain(request: Any) -> PlainTextResponse:
    return PlainTextResponse("ok")
