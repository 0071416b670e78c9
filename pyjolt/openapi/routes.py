"""The routes serving the document and the offline docs pages under ``OPEN_API_URL``.

- ``{OPEN_API_URL}/specs.json``: the OpenAPI 3.1 document (``?compat=3.0``: the 3.0 rendition
  that Swagger UI 4 needs);
- ``{OPEN_API_URL}/docs``: Swagger UI; ``{OPEN_API_URL}/redoc``: ReDoc;
- ``{OPEN_API_URL}/static/...``: their JavaScript and CSS, from installed Python packages.

The application adds these routes only when ``OPEN_API`` and ``DEBUG`` are both on, or when
``OPEN_API_IN_PRODUCTION`` publishes them with DEBUG off.
"""

from __future__ import annotations

import html
import json
from typing import Literal

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from pyjolt.openapi.assets import (
    REDOC_INSTALL_HINT,
    SWAGGER_INSTALL_HINT,
    UiAssets,
    find_redoc,
    find_swagger_ui,
)
from pyjolt.openapi.compat import downgrade_document
from pyjolt.openapi.document import DocumentedApp, build_document

Auto = Literal["auto"]

#: The start of both docs pages (no placeholders: the pages are filled with str.format).
_HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
"""

_SWAGGER_PAGE = (
    _HEAD
    + """<title>{title} - API docs</title>
<link rel="stylesheet" href="{static}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{static}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: {spec_url},
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
}});
</script>
</body>
</html>
"""
)

_REDOC_PAGE = (
    _HEAD
    + """<title>{title} - API reference</title>
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<redoc spec-url={spec_url_attr} hide-download-button></redoc>
<script src="{static}/redoc.standalone.js"></script>
</body>
</html>
"""
)

_MISSING_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{title} - API docs</title></head>
<body>
<h1>{ui} is not installed</h1>
<p>The docs page serves {ui} from a Python package, with no CDN. Install it with:</p>
<pre>{hint}</pre>
<p>The OpenAPI document itself is at <a href="{spec_url_attr}">{spec_url_text}</a>.</p>
</body>
</html>
"""


def _base(request: Request, url: str) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/") + url


def normalise_url(url: str) -> str:
    """``OPEN_API_URL`` with one leading slash and no trailing slash."""
    return "/" + url.strip("/") if url.strip("/") else ""


def _script_json(value: str) -> str:
    return json.dumps(value).replace("</", "<\\/")


def openapi_routes(
    app: DocumentedApp,
    *,
    swagger_ui: UiAssets | Auto | None = "auto",
    redoc: UiAssets | Auto | None = "auto",
) -> list[BaseRoute]:
    """The document and docs routes of ``app``, under its ``OPEN_API_URL``.

    Args:
        app: the PyJolt app.
        swagger_ui: the Swagger UI assets to serve (found among installed packages by default;
            None: the page says how to install them).
        redoc: the same for ReDoc.
    """
    base = normalise_url(str(app.get_conf("OPEN_API_URL", "/openapi")))
    title = html.escape(str(app.get_conf("APP_NAME", "PyJolt app")))
    swagger = find_swagger_ui() if swagger_ui == "auto" else swagger_ui
    redoc_assets = find_redoc() if redoc == "auto" else redoc
    compat = swagger is not None and swagger.major < 5

    async def specs(request: Request) -> Response:
        doc = build_document(app, root_path=str(request.scope.get("root_path", "")))
        if request.query_params.get("compat") == "3.0":
            doc = downgrade_document(doc)
        return Response(json.dumps(doc).encode(), media_type="application/json")

    def _missing(request: Request, ui: str, hint: str) -> HTMLResponse:
        spec_url = _base(request, f"{base}/specs.json")
        return HTMLResponse(
            _MISSING_PAGE.format(
                title=title,
                ui=ui,
                hint=html.escape(hint),
                spec_url_attr=html.escape(spec_url, quote=True),
                spec_url_text=html.escape(spec_url),
            )
        )

    async def docs(request: Request) -> HTMLResponse:
        if swagger is None:
            return _missing(request, "Swagger UI", SWAGGER_INSTALL_HINT)
        spec_url = _base(request, f"{base}/specs.json" + ("?compat=3.0" if compat else ""))
        return HTMLResponse(
            _SWAGGER_PAGE.format(
                title=title,
                static=html.escape(_base(request, f"{base}/static/swagger-ui"), quote=True),
                spec_url=_script_json(spec_url),
            )
        )

    async def redoc_page(request: Request) -> HTMLResponse:
        if redoc_assets is None:
            return _missing(request, "ReDoc", REDOC_INSTALL_HINT)
        return HTMLResponse(
            _REDOC_PAGE.format(
                title=title,
                static=html.escape(_base(request, f"{base}/static/redoc"), quote=True),
                spec_url_attr='"'
                + html.escape(_base(request, f"{base}/specs.json"), quote=True)
                + '"',
            )
        )

    routes: list[BaseRoute] = [
        Route(f"{base}/specs.json", specs, methods=["GET"], name="openapi_specs"),
        Route(f"{base}/docs", docs, methods=["GET"], name="openapi_docs"),
        Route(f"{base}/redoc", redoc_page, methods=["GET"], name="openapi_redoc"),
    ]
    for prefix, assets, name in (
        ("swagger-ui", swagger, "openapi_swagger_ui"),
        ("redoc", redoc_assets, "openapi_redoc_static"),
    ):
        if assets is not None:
            static = StaticFiles(directory=assets.directory)
            routes.append(Mount(f"{base}/static/{prefix}", static, name=name))
    return routes
