"""SPEC: finer points: Response[Model] serialisation, @produces, OpenAPI exposure, websocket
guards, logger config, configurable static/template folders, hook order (DESIGN.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import (
    Controller,
    consumes,
    get,
    path,
    post,
    produces,
    socket,
)
from tests.hooks_api import RAN, HookedApi


class UserData(BaseModel):
    id: int
    fullname: str


@path("/s")
class SerialApi(Controller):
    @get("/model")
    @produces(MediaType.APPLICATION_JSON)
    async def model(self, req: Request) -> Response[UserData]:
        # extra keys are dropped: the body is serialised as UserData
        return req.response.json({"id": 1, "fullname": "A", "password": "x"}).status(HttpStatus.OK)

    @get("/text-as-json")
    @produces(MediaType.APPLICATION_JSON)
    async def text(self, req: Request) -> Response:
        return req.response.json({"a": 1})

    @get("/hidden", open_api_spec=False)
    async def hidden(self, req: Request) -> Response:
        return req.response.text("h")

    @post("/tagged", tags=["Extra"])
    async def tagged(self, req: Request) -> Response:
        return req.response.text("t")


@path("/nodocs", open_api_spec=False)
class HiddenApi(Controller):
    @get("/")
    async def x(self, req: Request) -> Response:
        return req.response.text("x")


async def test_response_model_serialisation(build_client: Any) -> None:
    c = await build_client(controllers=[SerialApi])
    res = await c.get("/s/model")
    assert res.json() == {"id": 1, "fullname": "A"}
    res = await c.get("/s/text-as-json")
    assert res.headers["content-type"].startswith("application/json")


async def test_openapi_only_in_debug_and_exclusions(build_client: Any) -> None:
    c = await build_client(controllers=[SerialApi, HiddenApi], DEBUG=False)
    assert (await c.get("/openapi/specs.json")).status_code == 404
    c = await build_client(controllers=[SerialApi, HiddenApi], DEBUG=True)
    spec = (await c.get("/openapi/specs.json")).json()
    assert "/s/model" in spec["paths"]
    assert "/s/hidden" not in spec["paths"]
    assert not any(p.startswith("/nodocs") for p in spec["paths"])
    assert "Extra" in spec["paths"]["/s/tagged"]["post"]["tags"]
    schemas = spec.get("components", {}).get("schemas", {})
    assert "UserData" in schemas
    assert spec["info"]["description"] == "Simple API"
    c = await build_client(
        controllers=[SerialApi], DEBUG=True, OPEN_API_URL="/docs-x", OPEN_API_DESCRIPTION="D"
    )
    res = await c.get("/docs-x/specs.json")
    assert res.status_code == 200 and res.json()["info"]["description"] == "D"
    c = await build_client(controllers=[SerialApi], DEBUG=True, OPEN_API=False)
    assert (await c.get("/openapi/specs.json")).status_code == 404


async def test_hooks_run_in_definition_order(build_client: Any) -> None:
    RAN.clear()
    c = await build_client(controllers=[HookedApi])
    await c.get("/hooks/")
    assert RAN == ["zz_first", "aa_second", "handler", "after"]


async def test_configurable_static_and_templates(build_client: Any, tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.txt").write_text("A")
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "t.html").write_text("T={{ v }}")

    @path("/t")
    class TApi(Controller):
        @get("/")
        @produces(MediaType.TEXT_HTML)
        async def x(self, req: Request) -> Response:
            return await req.response.html("t.html", {"v": 1})

        @get("/u")
        async def u(self, req: Request) -> Response:
            return req.response.text(self.app.url_for("Static.get", filename="a.txt"))

    c = await build_client(
        controllers=[TApi],
        BASE_PATH=str(tmp_path),
        STATIC_DIR="/assets",
        STATIC_URL="/files",
        TEMPLATES_DIR="/views",
    )
    assert (await c.get("/files/a.txt")).text == "A"
    assert (await c.get("/t/u")).text == "/files/a.txt"
    assert (await c.get("/t/")).text == "T=1"


def test_websocket_guard(spec_env: Path) -> None:
    from starlette.testclient import TestClient
    from starlette.websockets import WebSocketDisconnect

    from pyjolt.testing import make_app
    from tests.spec.specapp.authentication import auth
    from tests.spec.specapp.extensions import db

    @path("/w")
    class WsApi(Controller):
        @socket("/ws")
        @auth.login_required
        async def ws(self, req: Request) -> None:
            await req.accept()
            await req.res.send({"type": "websocket.send", "text": "hi"})
            await req.close()

    application = make_app(
        controllers=[WsApi], EXTENSIONS=[db, auth], DEBUG=True, SECRET_KEY="k" * 40
    )
    with (
        TestClient(application) as tc,
        pytest.raises(WebSocketDisconnect),
        tc.websocket_connect("/w/ws") as ws,
    ):
        ws.receive_text()


async def test_default_logger_stdout_sink(build_client: Any, capsys: Any) -> None:
    from pyjolt import LogLevel

    @path("/l")
    class LApi(Controller):
        @get("/")
        async def x(self, req: Request) -> Response:
            self.app.logger.info("hello-from-handler")
            return req.response.text("x")

    c = await build_client(
        controllers=[LApi],
        APP_NAME="logapp",
        DEFAULT_LOGGER={
            "SINK": "STDOUT",
            "LEVEL": LogLevel.DEBUG,
            "FORMAT": "{extra[logger_name]} | {message}",
            "COLORIZE": False,
            "BACKTRACE": True,
            "DIAGNOSE": True,
            "SERIALIZE": False,
            "ENCODING": "utf-8",
        },
    )
    await c.get("/l/")
    out = capsys.readouterr().out
    assert "logapp | hello-from-handler" in out


class FormData(BaseModel):
    name: str
    age: int


@path("/f")
class FormApi(Controller):
    @post("/urlencoded")
    @consumes(MediaType.APPLICATION_X_WWW_FORM_URLENCODED)
    async def urlencoded(self, req: Request, data: FormData) -> Response:
        return req.response.json(data)

    @post("/multipart")
    @consumes(MediaType.MULTIPART_FORM_DATA)
    async def multipart(self, req: Request, data: FormData) -> Response:
        return req.response.json(data)


async def test_consumes_form_bodies(build_client: Any) -> None:
    c = await build_client(controllers=[FormApi])
    res = await c.post("/f/urlencoded", data={"name": "a", "age": "3"})
    assert res.json() == {"name": "a", "age": 3}
    res = await c.post("/f/multipart", data={"name": "b", "age": "4"}, files={"f": b"x"})
    assert res.json() == {"name": "b", "age": 4}
    res = await c.post("/f/urlencoded", data={"name": "a"})
    assert res.status_code == 422


async def test_cors_config_keys(build_client: Any) -> None:
    c = await build_client(controllers=[SerialApi], CORS_ENABLED=False)
    res = await c.get("/s/model", headers={"origin": "https://o.example"})
    assert res.status_code == 200 and "access-control-allow-origin" not in res.headers
    c = await build_client(
        controllers=[SerialApi],
        CORS_ALLOW_ORIGINS=["https://ok.example"],
        CORS_ALLOW_METHODS=["GET"],
        CORS_EXPOSE_HEADERS=["X-Total"],
        CORS_ALLOW_CREDENTIALS=True,
        CORS_MAX_AGE=600,
    )
    res = await c.get("/s/model", headers={"origin": "https://ok.example"})
    assert res.headers["access-control-allow-origin"] == "https://ok.example"
    assert res.headers["access-control-allow-credentials"] == "true"
    assert "x-total" in res.headers["access-control-expose-headers"].lower()
    res = await c.get("/s/model", headers={"origin": "https://bad.example"})
    assert res.status_code == 403
    res = await c.post("/s/tagged", headers={"origin": "https://ok.example"})
    assert res.status_code == 405
    res = await c.options(
        "/s/model",
        headers={"origin": "https://ok.example", "access-control-request-method": "GET"},
    )
    assert res.status_code in (200, 204)
    assert res.headers["access-control-max-age"] == "600"
