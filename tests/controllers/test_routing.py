"""Routing: decorators, converters, verbs, HEAD, 405, slashes, url_for, start-up errors."""

import uuid
from typing import Any

import pytest

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import (
    Controller,
    consumes,
    delete,
    development,
    get,
    patch,
    path,
    post,
    produces,
    put,
)
from pyjolt.exceptions import RegistrationError
from pyjolt.testing import make_app
from tests.converters import ConverterRoutes
from tests.hooks_api import RAN, HookedApi
from tests.registration import assert_refused, route_controller


@path("/items", tags=["Items"])
class ItemsApi(ConverterRoutes):
    @get("/<int:item_id>")
    async def by_int(self, req: Request, item_id: int) -> Response:
        return req.res.json({"id": item_id, "type": type(item_id).__name__})

    @get("/name/<string:name>")
    async def by_string(self, req: Request, name: str) -> Response:
        return req.res.json({"name": name})

    @get("/plain/<name>")
    async def by_default(self, req: Request, name: str) -> Response:
        return req.res.json({"name": name, "params": req.route_parameters})

    @post("/")
    async def create(self, req: Request) -> Response:
        return req.res.json({"method": req.method}).status(HttpStatus.CREATED)

    @put("/<int:item_id>")
    async def replace(self, req: Request, item_id: int) -> Response:
        return req.res.json({"method": req.method, "id": item_id})

    @patch("/<int:item_id>")
    async def update(self, req: Request, item_id: int) -> Response:
        return req.res.json({"method": req.method, "id": item_id})

    @delete("/<int:item_id>")
    async def remove(self, req: Request, item_id: int) -> Response:
        return req.res.no_content()

    @get("/dev")
    @development
    async def dev_only(self, req: Request) -> Response:
        return req.res.text("dev")


async def test_converters_inject_typed_values(build_client: Any) -> None:
    client = await build_client(controllers=[ItemsApi])
    assert (await client.get("/items/42")).json() == {"id": 42, "type": "int"}
    assert (await client.get("/items/name/bob")).json() == {"name": "bob"}
    assert (await client.get("/items/plain/ann")).json() == {
        "name": "ann",
        "params": {"name": "ann"},
    }
    assert (await client.get("/items/price/2.5")).json() == {"value": 2.5}
    assert (await client.get("/items/files/a/b/c.txt")).json() == {"rest": "a/b/c.txt"}
    key = uuid.uuid4()
    assert (await client.get(f"/items/things/{key}")).json() == {"thing": str(key), "is_uuid": True}
    assert (await client.get("/items/notanint")).status_code == 404


async def test_each_verb_head_and_405(build_client: Any) -> None:
    client = await build_client(controllers=[ItemsApi])
    assert (await client.post("/items/")).status_code == 201
    assert (await client.put("/items/3")).json() == {"method": "PUT", "id": 3}
    assert (await client.patch("/items/3")).json() == {"method": "PATCH", "id": 3}
    res = await client.delete("/items/3")
    assert res.status_code == 204 and res.content == b""
    head = await client.head("/items/7")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(b'{"id":7,"type":"int"}'))
    res = await client.post("/items/7")
    assert res.status_code == 405
    assert set(res.headers["allow"].split(", ")) == {
        "GET",
        "HEAD",
        "PUT",
        "PATCH",
        "DELETE",
        "OPTIONS",
    }
    assert res.json()["status"] == "error"


async def test_development_routes_only_in_debug(build_client: Any) -> None:
    prod = await build_client(controllers=[ItemsApi])
    assert (await prod.get("/items/dev")).status_code == 404
    dev = await build_client(controllers=[ItemsApi], DEBUG=True)
    assert (await dev.get("/items/dev")).text == "dev"


@development
@path("/devtools")
class DevTools(Controller):
    @get("/")
    async def index(self, req: Request) -> Response:
        return req.res.text("tools")


async def test_development_controller(build_client: Any) -> None:
    assert (await (await build_client(controllers=[DevTools])).get("/devtools")).status_code == 404
    assert (
        await (await build_client(controllers=[DevTools], DEBUG=True)).get("/devtools")
    ).text == "tools"


@path("/s")
class SlashApi(Controller):
    @get("/a")
    async def a(self, req: Request) -> Response:
        return req.res.text("a")

    @get("/b/")
    async def b(self, req: Request) -> Response:
        return req.res.text("b")


async def test_trailing_slashes(build_client: Any) -> None:
    loose = await build_client(controllers=[SlashApi])
    for url in ("/s/a", "/s/a/", "/s/b", "/s/b/"):
        res = await loose.get(url)
        assert res.status_code == 200, url  # no redirect
    strict = await build_client(controllers=[SlashApi], STRICT_SLASHES=True)
    assert (await strict.get("/s/a")).status_code == 200
    assert (await strict.get("/s/a/")).status_code == 404
    assert (await strict.get("/s/b/")).status_code == 200
    assert (await strict.get("/s/b")).status_code == 404


async def test_before_and_after_hooks_in_definition_order(build_client: Any) -> None:
    RAN.clear()
    client = await build_client(controllers=[HookedApi])
    res = await client.get("/hooks")
    assert res.json() == {"seen": True}
    assert res.headers["x-after"] == "yes"
    assert RAN == ["zz_first", "aa_second", "handler", "after"]


class InheritedApi(HookedApi):
    @get("/extra")
    async def extra(self, req: Request) -> Response:
        return req.res.text("extra")


@path("/child")
class ChildApi(ItemsApi):
    pass


async def test_controllers_can_be_subclassed(build_client: Any) -> None:
    client = await build_client(controllers=[InheritedApi])
    assert (await client.get("/hooks/extra")).headers["x-after"] == "yes"
    assert (await client.get("/hooks")).status_code == 200
    child = await build_client(controllers=[ChildApi])
    assert (await child.get("/child/5")).json()["id"] == 5


def test_url_for() -> None:
    application = make_app(controllers=[ItemsApi])
    assert application.url_for("ItemsApi.by_int", item_id=5) == "/items/5"
    assert application.url_for("ItemsApi.files", rest="a/b") == "/items/files/a/b"
    assert application.url_for("ItemsApi.by_int", item_id=5, q="x y", tag=["a", "b"]) == (
        "/items/5?q=x+y&tag=a&tag=b"
    )
    with pytest.raises(Exception, match=r"ItemsApi\.nope"):
        application.url_for("ItemsApi.nope")
    with pytest.raises(ValueError, match="item_id"):
        application.url_for("ItemsApi.by_int")
    assert application.url_for("Static.get", filename="img/a.png") == "/static/img/a.png"
    # The compiled routes are named Starlette routes too.
    assert str(application.url_path_for("ItemsApi.by_int", item_id=8)) == "/items/8"
    assert str(application.url_path_for("ItemsApi.replace", item_id=8)) == "/items/8"


@path("/rp")
class RootPathApi(Controller):
    @get("/<int:n>")
    async def where(self, req: Request, n: int) -> Response:
        return req.res.text(self.app.url_for("RootPathApi.where", n=n + 1))


async def test_url_for_behind_root_path(build_client: Any) -> None:
    client = await build_client(controllers=[RootPathApi])
    assert (await client.get("/rp/1")).text == "/rp/2"
    from pyjolt.testing import PyJoltTestClient

    application = make_app(controllers=[RootPathApi])
    async with PyJoltTestClient(application, root_path="/prefix") as prefixed:
        assert (await prefixed.get("/rp/1")).text == "/prefix/rp/2"


def test_startup_errors() -> None:
    @path("/x")
    class Dup(Controller):
        @get("/a")
        async def one(self, req: Request) -> Response:
            return req.res

        @get("/a")
        async def two(self, req: Request) -> Response:
            return req.res

    with pytest.raises(
        RegistrationError,
        match=r"Dup.two and Dup.one both handle GET|Dup.one and Dup.two both handle GET",
    ):
        make_app(controllers=[Dup])

    async def weird(self: Controller, req: Request, a: str) -> Response:
        return req.res

    class Mystery:
        pass

    async def unfillable(self: Controller, req: Request, mystery: Mystery) -> Response:
        return req.res  # not a query value

    bad_converter = route_controller("BadConverter", "/x", get("/<weird:a>"), weird)
    assert_refused("unknown path converter 'weird'", [bad_converter])
    assert_refused(
        "'mystery' cannot be filled", [route_controller("U", "/x", get("/"), unfillable)]
    )


@path("/order")
class OrderA(Controller):
    @get("/")
    @produces(MediaType.APPLICATION_JSON)
    @consumes(MediaType.APPLICATION_JSON)
    async def h(self, req: Request) -> Response:
        return req.res.json({"ok": True})


@path("/order")
class OrderB(Controller):
    @consumes(MediaType.APPLICATION_JSON)
    @produces(MediaType.APPLICATION_JSON)
    @get("/")
    async def h(self, req: Request) -> Response:
        return req.res.json({"ok": True})


async def test_decorator_order_does_not_matter(build_client: Any) -> None:
    a, b = make_app(controllers=[OrderA]), make_app(controllers=[OrderB])
    pa, pb = a.handler_plans[0], b.handler_plans[0]
    assert (pa.path, pa.methods, pa.meta.consumes, pa.meta.produces) == (
        pb.path,
        pb.methods,
        pb.meta.consumes,
        pb.meta.produces,
    )
    for ctrl in (OrderA, OrderB):
        client = await build_client(controllers=[ctrl])
        assert (await client.get("/order")).json() == {"ok": True}
