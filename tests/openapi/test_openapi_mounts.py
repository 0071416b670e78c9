"""Mounted apps: a PyJolt or FastAPI app's operations appear under the mount path; a plain
Starlette app is named in a note (it publishes no document)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from pydantic import BaseModel, create_model
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.openapi import build_document
from pyjolt.testing import PyJoltTestClient, make_app


class Item(BaseModel):
    id: int


@path("/items")
class ItemsApi(Controller):
    @get("/<int:item_id>")
    async def read(self, req: Request, item_id: int) -> Response[Item]:
        return req.res.json({"id": item_id})


@path("/v2")
class OtherItemsApi(Controller):
    @get("/<int:item_id>")
    async def read(self, req: Request, item_id: int, verbose: bool = False) -> Response[Item]:
        return req.res.json({"id": item_id})


class Gadget(BaseModel):
    name: str


#: another model named "Item" (the mounted app's), not the host's
OtherItem = create_model("Item", label=(str, ...))


def _fastapi() -> FastAPI:
    api = FastAPI(title="legacy")

    @api.get("/gadgets/{name}", response_model=Gadget)
    async def gadget(name: str) -> Any:
        return {"name": name}

    @api.get("/things", response_model=list[OtherItem])
    async def things() -> Any:
        return []

    return api


async def test_mounted_apps_in_the_document() -> None:
    app = make_app(controllers=[ItemsApi], DEBUG=True, APP_NAME="host")
    app.mount("/legacy", _fastapi())
    app.mount("/v", make_app(controllers=[OtherItemsApi], APP_NAME="inner"))
    app.mount("/copy", make_app(controllers=[ItemsApi], APP_NAME="copy"))
    app.mount("/plain", Starlette(routes=[Route("/", lambda r: PlainTextResponse("hi"))]))
    doc = build_document(app)
    validate(doc, cls=OpenAPIV31SpecValidator)
    assert {
        "/items/{item_id}",
        "/legacy/gadgets/{name}",
        "/legacy/things",
        "/v/v2/{item_id}",
    } <= set(doc["paths"])
    inner = doc["paths"]["/v/v2/{item_id}"]["get"]
    assert [p["name"] for p in inner["parameters"]] == ["item_id", "verbose"]
    copy = doc["paths"]["/copy/items/{item_id}"]["get"]
    assert copy["operationId"] == "ItemsApi.read_2"  # unique in the merged document
    schemas = doc["components"]["schemas"]
    assert schemas["Item"]["required"] == ["id"]
    assert schemas["legacy__Item"]["required"] == ["label"]
    things = doc["paths"]["/legacy/things"]["get"]["responses"]["200"]
    assert things["content"]["application/json"]["schema"]["items"]["$ref"].endswith(
        "/legacy__Item"
    )
    assert "Not documented here: the apps mounted at /plain" in doc["info"]["description"]
    assert not any(p.startswith("/static") or p.startswith("/openapi") for p in doc["paths"])
    async with PyJoltTestClient(app) as client:  # the paths are the ones served
        assert (await client.get("/legacy/gadgets/x")).json() == {"name": "x"}
        assert (await client.get("/v/v2/3")).json() == {"id": 3}
