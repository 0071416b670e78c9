"""OpenAPI 3.1 document and offline API docs (Swagger UI, ReDoc).

Config keys read: ``OPEN_API`` and ``DEBUG`` (the routes exist only when both are on, or with
``OPEN_API`` and ``OPEN_API_IN_PRODUCTION`` to publish them with DEBUG off deliberately),
``OPEN_API_URL`` (default ``/openapi``), ``OPEN_API_DESCRIPTION``, ``APP_NAME``, ``VERSION``
(the ``info`` block) and ``MAX_BODY_SIZE`` (whether 413 is documented).

Apps mounted with ``app.mount(path, other)`` are documented under ``path`` when they publish a
document (PyJolt, FastAPI); others are named in a note in ``info.description``.
"""

from __future__ import annotations

from pyjolt.openapi.assets import UiAssets, find_redoc, find_swagger_ui
from pyjolt.openapi.compat import downgrade_document
from pyjolt.openapi.document import DocumentBuilder, build_document
from pyjolt.openapi.routes import openapi_routes

__all__ = [
    "DocumentBuilder",
    "UiAssets",
    "build_document",
    "downgrade_document",
    "find_redoc",
    "find_swagger_ui",
    "openapi_routes",
]
