"""Cookie login in PyJoltTestClient with the production cookie defaults (``Secure``)."""

from __future__ import annotations

import pytest

import pyjolt.testing
from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path, post
from tests.auth.support import SECRET, Auth


@pytest.fixture(params=["httpx2", "httpx"])
def http_client_package(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both client packages the test client can run on (httpx2 first when installed)."""
    if request.param == "httpx":
        pytest.importorskip("httpx")  # a dependency of the testing extra's asgi tools
        monkeypatch.setattr(pyjolt.testing, "_has", lambda module: module != "httpx2")
    else:
        pytest.importorskip("httpx2")
    return str(request.param)


async def test_cookie_login_with_default_settings(build_client, http_client_package) -> None:
    auth = Auth()

    @path("/")
    class Api(Controller):
        @post("/login")
        async def login(self, req: Request) -> Response:
            return auth.login_user(req.res.json({"ok": True}), "alice")

        @get("/me")
        @auth.login_required
        async def me(self, req: Request) -> Response:
            return req.res.json({"user": req.user.name})

    client = await build_client(controllers=[Api], EXTENSIONS=[auth], SECRET_KEY=SECRET)
    assert auth.config.COOKIE_SECURE is True  # the production default, unchanged
    res = await client.post("/login")
    assert "secure" in res.headers["set-cookie"].lower()
    me = await client.get("/me")
    assert me.status_code == 200, me.text
    assert me.json() == {"user": "alice"}
