"""Serving the document and the offline docs pages; 404 unless OPEN_API and DEBUG are on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from openapi_example_app import create_app
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator, validate

from pyjolt.cli.runner import run_cli
from pyjolt.openapi import find_redoc, find_swagger_ui, openapi_routes
from pyjolt.openapi.assets import _swagger_ui_bundle
from pyjolt.testing import PyJoltTestClient

URLS = ("/openapi/specs.json", "/openapi/docs", "/openapi/redoc")


async def _get(app: Any, url: str, root_path: str = "") -> httpx.Response:
    transport = httpx.ASGITransport(app=app, root_path=root_path)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(url)


@pytest.mark.parametrize(
    "config",
    [
        {"DEBUG": False},
        {"DEBUG": True, "OPEN_API": False},
        {"DEBUG": False, "OPEN_API": False},
        {"DEBUG": False, "OPEN_API": False, "OPEN_API_IN_PRODUCTION": True},
    ],
)
async def test_docs_are_404_unless_open_api_and_debug(config: dict[str, Any]) -> None:
    async with PyJoltTestClient(create_app(**config)) as client:
        for url in (*URLS, "/openapi/static/swagger-ui/swagger-ui-bundle.js"):
            assert (await client.get(url)).status_code == 404, url
        assert (await client.get("/api/users/1")).status_code == 200


async def test_docs_published_with_debug_off_when_chosen() -> None:
    async with PyJoltTestClient(create_app(DEBUG=False, OPEN_API_IN_PRODUCTION=True)) as client:
        res = await client.get("/openapi/specs.json")
        assert res.status_code == 200 and "/api/users/{user_id}" in res.json()["paths"]
        assert (await client.get("/openapi/docs")).status_code == 200
        # still DEBUG off: no traceback page for an unknown route
        assert (await client.get("/nope")).json()["status"] == "error"


async def test_specs_json_is_served_with_servers_from_root_path() -> None:
    app = create_app()
    async with PyJoltTestClient(app) as client:
        res = await client.get("/openapi/specs.json")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/json")
    doc = res.json()
    validate(doc, cls=OpenAPIV31SpecValidator)
    assert doc["servers"] == [{"url": "/"}]
    assert "/api/users/{user_id}" in doc["paths"]
    mounted = await _get(app, "/proxy/openapi/specs.json", root_path="/proxy")
    assert mounted.json()["servers"] == [{"url": "/proxy"}]


async def test_custom_open_api_url() -> None:
    async with PyJoltTestClient(create_app(OPEN_API_URL="/api-docs/")) as client:
        assert (await client.get("/api-docs/specs.json")).status_code == 200
        assert (await client.get("/api-docs/docs")).status_code == 200
        assert (await client.get("/openapi/specs.json")).status_code == 404


async def test_swagger_ui_page_uses_local_assets_only() -> None:
    assets = find_swagger_ui()
    if assets is None:
        pytest.skip("no Swagger UI package installed (the 'full' extra brings one)")
    app = create_app()
    page = await _get(app, "/proxy/openapi/docs", root_path="/proxy")
    assert page.status_code == 200
    html = page.text
    assert '<script src="/proxy/openapi/static/swagger-ui/swagger-ui-bundle.js">' in html
    assert 'href="/proxy/openapi/static/swagger-ui/swagger-ui.css"' in html
    assert "validatorUrl: null" in html
    assert "http://" not in html
    assert "https://" not in html
    async with PyJoltTestClient(app) as client:
        js = await client.get("/openapi/static/swagger-ui/swagger-ui-bundle.js")
        css = await client.get("/openapi/static/swagger-ui/swagger-ui.css")
    assert js.status_code == 200
    assert "javascript" in js.headers["content-type"]
    assert len(js.content) == (assets.directory / "swagger-ui-bundle.js").stat().st_size
    assert css.status_code == 200


async def test_redoc_page_uses_local_assets() -> None:
    if find_redoc() is None:
        pytest.skip("openapi-ui-bundles is not installed (ReDoc)")
    app = create_app()
    page = await _get(app, "/openapi/redoc")
    assert page.status_code == 200
    assert '<script src="/openapi/static/redoc/redoc.standalone.js">' in page.text
    assert 'spec-url="/openapi/specs.json"' in page.text
    assert (await _get(app, "/openapi/static/redoc/redoc.standalone.js")).status_code == 200


async def test_docs_page_says_how_to_install_when_assets_are_missing() -> None:
    app = create_app()
    routes = openapi_routes(app, swagger_ui=None, redoc=None)
    app.router.routes[:0] = routes  # the missing-assets routes win over the installed ones
    page = await _get(app, "/openapi/docs")
    assert page.status_code == 200
    assert "Swagger UI is not installed" in page.text
    assert "pip install swagger-ui-bundle" in page.text
    assert "pyjolt[full]" in page.text
    assert 'href="/openapi/specs.json"' in page.text
    redoc = await _get(app, "/openapi/redoc")
    assert "pip install openapi-ui-bundles" in redoc.text


async def test_swagger_ui_4_gets_an_openapi_30_rendition() -> None:
    bundle = _swagger_ui_bundle()
    if bundle is None or bundle.major >= 5:
        pytest.skip("swagger-ui-bundle with Swagger UI 4 is not installed")
    app = create_app()
    app.router.routes[:0] = openapi_routes(app, swagger_ui=bundle)
    page = await _get(app, "/openapi/docs")
    assert '"/openapi/specs.json?compat=3.0"' in page.text
    compat = (await _get(app, "/openapi/specs.json?compat=3.0")).json()
    assert compat["openapi"] == "3.0.3"
    validate(compat, cls=OpenAPIV30SpecValidator)
    nickname = compat["components"]["schemas"]["User"]["properties"]["nickname"]
    assert nickname == {"type": "string", "nullable": True, "default": None, "title": "Nickname"}


def test_openapi_cli_command_writes_the_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(DEBUG=False)  # no server, no docs routes: the command still works
    target = tmp_path / "out" / "openapi.json"
    assert run_cli(app, ["openapi", "--output", str(target)]) == 0
    doc = json.loads(target.read_text(encoding="utf-8"))
    validate(doc, cls=OpenAPIV31SpecValidator)
    assert "/api/misc/dev" not in doc["paths"]
    assert run_cli(app, ["openapi"]) == 0
    assert json.loads(capsys.readouterr().out)["info"]["title"] == "Example API"
