"""Cookie login in PyJoltTestClient with the production cookie defaults (``Secure``)."""

from __future__ import annotations

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path, post
from tests.auth.support import SECRET, Auth


async def test_cookie_login_with_default_settings(build_client) -> None:
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
