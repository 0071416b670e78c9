"""The OpenAPI 3.1 document of the example app: valid, complete, and pinned by a snapshot."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from openapi_example_app import CONTROLLERS, create_app
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from pydantic import BaseModel

from pyjolt import MediaType
from pyjolt.controller import Controller, Guard, add_guard, consumes, get, max_body_size, path, post
from pyjolt.openapi import build_document
from pyjolt.testing import make_app


class Payload(BaseModel):
    text: str


class HttpError(BaseModel):
    """A user model with the name of the built-in error body."""

    code: int


SNAPSHOT = Path(__file__).parent / "snapshots" / "example_app.json"


def _op(doc: dict[str, Any], method: str, url: str) -> dict[str, Any]:
    operation: dict[str, Any] = doc["paths"][url][method]
    return operation


def test_document_is_valid_openapi_31(document: dict[str, Any]) -> None:
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)


def test_document_matches_snapshot(document: dict[str, Any]) -> None:
    """Pins the document's shape. Regenerate with PYJOLT_UPDATE_SNAPSHOTS=1 after a deliberate
    change, and review the diff."""
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if os.environ.get("PYJOLT_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert json.loads(SNAPSHOT.read_text(encoding="utf-8")) == json.loads(text)


def test_info_comes_from_config(document: dict[str, Any]) -> None:
    assert document["info"] == {
        "title": "Example API",
        "version": "2.5.0",
        "description": "Every OpenAPI feature of PyJolt",
    }
    assert "servers" not in document


def test_path_parameters_are_typed_from_converters(document: dict[str, Any]) -> None:
    def schema(method: str, url: str) -> dict[str, Any]:
        (param,) = _op(document, method, url)["parameters"]
        assert param["in"] == "path"
        assert param["required"] is True
        result: dict[str, Any] = param["schema"]
        return result

    assert schema("get", "/api/users/{user_id}")["type"] == "integer"
    assert schema("get", "/api/misc/prices/{amount}")["type"] == "number"
    assert schema("get", "/api/misc/search/{term}")["type"] == "string"
    assert schema("get", "/api/misc/pages/{page}") == {"type": "string"}
    assert schema("post", "/api/files/{folder}") == {"type": "string", "format": "uuid"}


def test_request_bodies_json_form_and_multipart(document: dict[str, Any]) -> None:
    json_body = _op(document, "post", "/api/users/")["requestBody"]
    assert json_body["required"] is True
    assert json_body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/UserCreate"
    }
    form = _op(document, "put", "/api/users/{user_id}")["requestBody"]["content"]
    assert (
        form["application/x-www-form-urlencoded"]["schema"]["$ref"]
        == "#/components/schemas/UserForm"
    )
    multipart = _op(document, "post", "/api/files/{folder}")["requestBody"]["content"]
    assert multipart["multipart/form-data"]["schema"]["$ref"] == "#/components/schemas/UploadForm"
    upload = document["components"]["schemas"]["UploadForm"]["properties"]["file"]
    assert upload["type"] == "string"
    assert upload["format"] == "binary"
    list_body = _op(document, "post", "/api/misc/items/a")["requestBody"]["content"][
        "application/json"
    ]
    assert list_body["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/openapi_models_a__Item"},
    }


def test_success_responses(document: dict[str, Any]) -> None:
    ok = _op(document, "get", "/api/users/{user_id}")["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/User"}
    listing = _op(document, "get", "/api/users/")["responses"]["200"]["content"]["application/json"]
    assert listing["schema"] == {"type": "array", "items": {"$ref": "#/components/schemas/User"}}
    # A 2xx Descriptor replaces the default 200 and keeps the Response[Model] body.
    created = _op(document, "post", "/api/users/")["responses"]
    assert "200" not in created
    assert created["201"]["description"] == "User created"
    assert created["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/User"
    }
    assert _op(document, "delete", "/api/users/{user_id}")["responses"]["204"] == {
        "description": "No content"
    }
    html = _op(document, "get", "/api/misc/pages/{page}")["responses"]["200"]["content"]
    assert html == {"text/html": {"schema": {"type": "string"}}}


def test_descriptor_and_builtin_error_responses(document: dict[str, Any]) -> None:
    get_user = _op(document, "get", "/api/users/{user_id}")["responses"]
    assert set(get_user) == {"200", "404"}
    assert get_user["404"]["description"] == "User not found"
    assert get_user["404"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorResponse"
    )
    create = _op(document, "post", "/api/users/")["responses"]
    assert {"400", "413", "415", "422"} <= set(create)
    assert create["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ValidationFailed"
    )
    assert create["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/HttpError")
    assert not {"400", "413", "415", "422"} & set(_op(document, "get", "/api/users/")["responses"])


def test_413_only_when_a_limit_applies() -> None:
    @path("/b")
    class LimitApi(Controller):
        @post("/limited")
        @consumes(MediaType.APPLICATION_JSON)
        async def limited(self, req: Any, data: Payload) -> None: ...

        @post("/unlimited")
        @max_body_size(None)
        async def unlimited(self, req: Any, data: Payload) -> None: ...

    doc = build_document(make_app(controllers=[LimitApi]))
    assert "413" in doc["paths"]["/b/limited"]["post"]["responses"]
    assert "413" not in doc["paths"]["/b/unlimited"]["post"]["responses"]
    assert "422" in doc["paths"]["/b/unlimited"]["post"]["responses"]
    no_limit = build_document(make_app(controllers=[LimitApi], MAX_BODY_SIZE=None))
    assert "413" not in no_limit["paths"]["/b/limited"]["post"]["responses"]


def test_tags_summary_description_and_operation_ids(document: dict[str, Any]) -> None:
    get_user = _op(document, "get", "/api/users/{user_id}")
    assert get_user["tags"] == ["users"]
    assert get_user["summary"] == "Return one user."
    assert get_user["description"] == "Users above id 1000 do not exist."
    assert _op(document, "put", "/api/users/{user_id}")["tags"] == ["users", "forms"]
    assert _op(document, "get", "/api/misc/prices/{amount}")["tags"] == ["MiscApi"]
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert _op(document, "get", "/api/misc/ping")["operationId"] == "MiscApi.ping.get"
    assert _op(document, "post", "/api/misc/ping")["operationId"] == "MiscApi.ping.post"
    assert {t["name"] for t in document["tags"]} == {"users", "forms", "files", "MiscApi"}


def test_same_named_models_do_not_collide(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    a = schemas["openapi_models_a__Item"]
    b = schemas["openapi_models_b__Item"]
    assert set(a["properties"]) == {"sku", "quantity"}
    assert set(b["properties"]) == {"label", "price"}
    refs = json.dumps(document["paths"])
    for name in schemas:
        if name not in ("HttpError", "ValidationFailed"):
            assert f"#/components/schemas/{name}" in refs or name in json.dumps(schemas), name


def test_every_ref_resolves(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    names = set(document["components"]["schemas"])

    for ref in re.findall(r'"#/components/schemas/([^"]+)"', text):
        assert ref in names


def test_security_from_guards(document: dict[str, Any]) -> None:
    secret = _op(document, "get", "/api/users/{user_id}/secret")
    assert secret["security"] == [{"bearerAuth": []}]
    assert secret["responses"]["401"]["description"] == "Login required"
    assert document["components"]["securitySchemes"] == {
        "bearerAuth": {"type": "http", "scheme": "bearer"}
    }
    assert "security" not in _op(document, "get", "/api/users/{user_id}")


def test_hidden_routes_are_left_out(document: dict[str, Any]) -> None:
    assert "/api/users/hidden" not in document["paths"]  # open_api_spec=False on the method
    assert not any(p.startswith("/api/internal") for p in document["paths"])  # ... on the class
    assert "/api/users/live" not in document["paths"]  # websocket
    assert "/api/misc/dev" in document["paths"]  # @development, DEBUG on
    production = build_document(create_app(DEBUG=False))
    assert "/api/misc/dev" not in production["paths"]
    assert "/api/misc/ping" in production["paths"]


def test_document_is_built_once_and_servers_follow_root_path(example_app: Any) -> None:
    first = build_document(example_app)
    assert build_document(example_app) is first
    behind_proxy = build_document(example_app, root_path="/proxy/")
    assert behind_proxy["servers"] == [{"url": "/proxy"}]
    assert build_document(example_app, root_path="")["servers"] == [{"url": "/"}]
    assert "servers" not in first


def test_empty_app_document_is_valid() -> None:
    doc = build_document(make_app(controllers=[]))
    validate(doc, cls=OpenAPIV31SpecValidator)
    assert doc["paths"] == {}


@pytest.mark.parametrize("controller", CONTROLLERS)
def test_each_controller_alone_gives_a_valid_document(controller: type) -> None:
    validate(
        build_document(make_app(controllers=[controller], DEBUG=True)), cls=OpenAPIV31SpecValidator
    )


def test_user_model_named_like_builtin_error_does_not_overwrite_it() -> None:
    @path("/e")
    class ErrApi(Controller):
        @get("/")
        async def one(self, req: Any) -> Any:
            return None

        @post("/")
        async def two(self, req: Any, data: HttpError) -> Any:
            return None

    doc = build_document(make_app(controllers=[ErrApi]))
    schemas = doc["components"]["schemas"]
    assert set(schemas["HttpError"]["properties"]) == {"code"}
    assert schemas["pyjolt__HttpError"]["required"] == ["status", "message"]
    validate(doc, cls=OpenAPIV31SpecValidator)


class _SchemeGuard(Guard):
    def __init__(self, *names: str) -> None:
        self.openapi_security = tuple({n: []} for n in names)
        self.names = names

    def openapi_components(self) -> Mapping[str, Mapping[str, Any]]:
        return {n: {"type": "apiKey", "in": "header", "name": f"X-{n}"} for n in self.names}

    async def check(self, req: Any) -> None:
        return None


def test_security_alternatives_of_each_guard_combine() -> None:
    @path("/s")
    class SecApi(Controller):
        @get("/either")
        async def either(self, req: Any) -> None: ...

        @get("/both")
        async def both(self, req: Any) -> None: ...

    add_guard(SecApi.either, _SchemeGuard("cookieAuth", "bearerAuth"))
    add_guard(SecApi.either, _SchemeGuard("cookieAuth", "bearerAuth"))  # same guard twice
    add_guard(SecApi.both, _SchemeGuard("cookieAuth", "bearerAuth"))
    add_guard(SecApi.both, _SchemeGuard("apiKey"))
    doc = build_document(make_app(controllers=[SecApi]))
    validate(doc, cls=OpenAPIV31SpecValidator)
    assert doc["paths"]["/s/either"]["get"]["security"] == [{"cookieAuth": []}, {"bearerAuth": []}]
    assert doc["paths"]["/s/both"]["get"]["security"] == [
        {"apiKey": [], "cookieAuth": []},
        {"apiKey": [], "bearerAuth": []},
    ]
    assert set(doc["components"]["securitySchemes"]) == {"cookieAuth", "bearerAuth", "apiKey"}
