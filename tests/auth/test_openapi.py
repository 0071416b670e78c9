"""Guarded routes declare their security schemes and 401/403 answers in the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pyjolt import Request, Response
from pyjolt.auth import login_required
from pyjolt.controller import Controller, get, path
from tests.auth.support import SECRET, Auth, admin_api


def _controllers(auth: Auth) -> list[type]:
    @path("/open")
    class Open(Controller):
        @get("/")
        async def index(self, req: Request) -> Response[Any]:
            return req.res.json({})

    @path("/me")
    @login_required
    class Me(Controller):
        @get("/")
        async def me(self, req: Request) -> Response[Any]:
            return req.res.json({})

    Admin = admin_api(auth)

    return [Open, Me, Admin]


async def _document(build_client: Any, auth: Auth, **config: Any) -> dict[str, Any]:
    client = await build_client(
        controllers=_controllers(auth),
        EXTENSIONS=[auth],
        SECRET_KEY=SECRET,
        DEBUG=True,
        OPEN_API=True,
        **config,
    )
    res = await client.get("/openapi/specs.json")
    assert res.status_code == 200
    doc: dict[str, Any] = res.json()
    return doc


async def test_security_and_error_answers(build_client: Any, auth: Auth) -> None:
    doc = await _document(
        build_client,
        auth,
        AUTHENTICATION={"COOKIE_NAME": "sid", "UNAUTHORIZED_ERROR_MESSAGE": "Admins only"},
    )
    schemes = doc["components"]["securitySchemes"]
    assert schemes["cookieAuth"] == {"type": "apiKey", "in": "cookie", "name": "sid"}
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    open_op = doc["paths"]["/open/"]["get"]
    assert "security" not in open_op
    assert not {"401", "403"} & set(open_op["responses"])
    me = doc["paths"]["/me/"]["get"]
    assert {name for req in me["security"] for name in req} == {"cookieAuth", "bearerAuth"}
    assert me["responses"]["401"]["description"] == "Login required"
    assert "403" not in me["responses"]
    admin = doc["paths"]["/admin/"]["get"]
    assert admin["responses"]["403"]["description"] == "Admins only"
    assert admin["responses"]["401"]["description"] == "Login required"


async def test_only_configured_schemes(build_client: Any, auth: Auth) -> None:
    doc = await _document(build_client, auth, AUTHENTICATION={"SECURITY_SCHEMES": ["bearer"]})
    assert set(doc["components"]["securitySchemes"]) == {"bearerAuth"}
    assert doc["paths"]["/admin/"]["get"]["security"] == [{"bearerAuth": []}]
    assert doc["paths"]["/me/"]["get"]["security"] == [{"bearerAuth": []}]
