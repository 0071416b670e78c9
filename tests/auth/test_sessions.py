"""Login cookies that expire and hide the user ID; server-side sessions (Redis, PostgreSQL)
revoked by logout, by user and by token ID."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path, post
from pyjolt.testing import PyJoltTestClient, make_app
from tests.auth.support import SECRET, Auth, configured_auth
from tests.services import POSTGRES_URL, REDIS_URL, require_port


def _api(auth: Auth) -> type[Controller]:
    @path("/s")
    class SessionApi(Controller):
        @post("/login/<name>")
        async def login(self, req: Request, name: str) -> Response[Any]:
            return auth.login_user(req.res.json({"ok": True}), name)

        @post("/logout")
        async def logout(self, req: Request) -> Response[Any]:
            return auth.logout_user(req.res.json({"ok": True}))

        @get("/me")
        @auth.login_required
        async def me(self, req: Request) -> Response[Any]:
            return req.res.json({"name": req.user.name})

    return SessionApi


def _client(auth: Auth, **section: Any) -> PyJoltTestClient:
    app = make_app(
        controllers=[_api(auth)], EXTENSIONS=[auth], SECRET_KEY=SECRET, AUTHENTICATION=section
    )
    # https: the login cookie is Secure by default
    return PyJoltTestClient(app, base_url="https://testserver")


def _past(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - seconds)


async def test_login_cookie_hides_the_user_and_expires_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    auth = Auth()
    async with _client(auth) as client:
        login = await client.post("/s/login/carol")
        cookie = login.cookies["auth_cookie"]
        assert "carol" not in cookie
        assert "max-age=1209600" in login.headers["set-cookie"].lower()  # 14 days
        assert (await client.get("/s/me")).json() == {"name": "carol"}
        client.cookies.clear()
        with monkeypatch.context() as m:
            _past(m, 15 * 86400)
            old = auth.tokens.encode("carol")
        res = await client.get("/s/me", headers={"cookie": f"auth_cookie={old}"})
        assert res.status_code == 401
        with monkeypatch.context() as m:
            _past(m, 13 * 86400)
            recent = auth.tokens.encode("carol")
        res = await client.get("/s/me", headers={"cookie": f"auth_cookie={recent}"})
        assert res.status_code == 200


async def test_sliding_renewal(monkeypatch: pytest.MonkeyPatch) -> None:
    auth = Auth()
    async with _client(auth, COOKIE_SLIDING=True, COOKIE_MAX_AGE=1000) as client:
        with monkeypatch.context() as m:
            _past(m, 600)
            aged = auth.tokens.encode("carol")
        res = await client.get("/s/me", headers={"cookie": f"auth_cookie={aged}"})
        assert res.status_code == 200
        renewed = res.cookies.get("auth_cookie")
        assert renewed and renewed != aged
        assert time.time() - (auth.tokens.issued_at(renewed) or 0) < 60
        fresh = await client.get("/s/me", headers={"cookie": f"auth_cookie={renewed}"})
        assert "auth_cookie" not in fresh.cookies  # young cookies are left alone


@pytest.fixture(params=["redis", "postgresql"])
async def store_url(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    if request.param == "redis":
        require_port("127.0.0.1", 6379, "Redis")
        yield REDIS_URL
    else:
        require_port("127.0.0.1", 5432, "PostgreSQL")
        yield POSTGRES_URL


async def test_server_side_sessions_revoked_on_logout(store_url: str) -> None:
    auth = Auth()
    namespace = f"pyjolt_test_{uuid.uuid4().hex[:10]}"
    async with _client(auth, SESSION_STORE=store_url, SESSION_NAMESPACE=namespace) as client:
        login = await client.post("/s/login/carol")
        cookie = login.cookies["auth_cookie"]
        assert cookie.startswith("s1.") and "carol" not in cookie
        client.cookies.clear()
        me = {"cookie": f"auth_cookie={cookie}"}
        assert (await client.get("/s/me", headers=me)).json() == {"name": "carol"}
        out = await client.post("/s/logout", headers=me)
        assert out.status_code == 200
        client.cookies.clear()
        replay = await client.get("/s/me", headers=me)  # the cookie copied before logout
        assert replay.status_code == 401

        # revoke every session of a user (e.g. after a password change)
        one = (await client.post("/s/login/bob")).cookies["auth_cookie"]
        two = (await client.post("/s/login/bob")).cookies["auth_cookie"]
        client.cookies.clear()
        for c in (one, two):
            res = await client.get("/s/me", headers={"cookie": f"auth_cookie={c}"})
            assert res.status_code == 200
        assert await auth.revoke_sessions("bob") == 2
        for c in (one, two):
            res = await client.get("/s/me", headers={"cookie": f"auth_cookie={c}"})
            assert res.status_code == 401

        # a JWT with a jti, revoked in the same store
        token = auth.create_jwt_token({"sub": "carol", "jti": uuid.uuid4().hex})
        bearer = {"authorization": f"Bearer {token}"}
        assert (await client.get("/s/me", headers=bearer)).status_code == 200
        await auth.revoke_token(token)
        assert (await client.get("/s/me", headers=bearer)).status_code == 401
        # a session ID forged or from another store is no session
        forged = "s1." + auth.signer.sign("made-up", salt="pyjolt.auth.session")
        res = await client.get("/s/me", headers={"cookie": f"auth_cookie={forged}"})
        assert res.status_code == 401
    if store_url.startswith("postgresql"):
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(POSTGRES_URL)
        async with engine.begin() as conn:
            for table in ("sessions", "revoked_tokens"):
                await conn.execute(text(f'DROP TABLE IF EXISTS "{namespace}_{table}"'))
        await engine.dispose()


def test_revoking_without_a_store_says_what_to_set() -> None:
    from pyjolt.exceptions.errors import ConfigurationError

    auth = configured_auth()
    with pytest.raises(ConfigurationError, match="SESSION_STORE"):
        _ = auth.session_store
