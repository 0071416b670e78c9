"""docs/topics/auth.md: the answers the page shows."""

from __future__ import annotations

import secrets

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_logins_tokens_and_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    example = load_example("auth/login.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/api/me")
        assert res.status_code == 401
        assert res.json() == {"status": "error", "message": "Login required", "data": None}
        assert res.headers["WWW-Authenticate"] == "Bearer"

        res = await client.post("/auth/login", json={"name": "bob", "password": "nope"})
        assert res.status_code == 401
        assert res.json()["message"] == "Wrong name or password"

        res = await client.post("/auth/login", json={"name": "bob", "password": "battery staple"})
        assert (res.status_code, res.json()) == (200, {"logged_in": "bob"})
        cookie = res.headers["set-cookie"]
        assert cookie.startswith("auth_cookie=")
        assert "HttpOnly; Max-Age=1209600; Path=/; SameSite=lax; Secure" in cookie

        res = await client.get("/api/me")
        assert (res.status_code, res.json()) == (200, {"name": "bob", "roles": ["user"]})
        res = await client.get("/api/admin")
        assert res.status_code == 403
        assert res.json()["message"] == "Missing user role(s)"

        res = await client.post("/auth/logout", headers={"Origin": "https://evil.example"})
        assert res.status_code == 403  # CSRF: a cookie-carrying POST from another site
        res = await client.post("/auth/logout")
        assert res.status_code == 204
        assert (await client.get("/api/me")).status_code == 401

        res = await client.post("/auth/token", json={"name": "ada", "password": "correct horse"})
        token = res.json()["token"]
        res = await client.get("/api/admin", headers={"Authorization": f"Bearer {token}"})
        assert (res.status_code, res.json()) == (200, {"welcome": "ada"})


async def test_login_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    example = load_example("auth/login.py")
    async with PyJoltTestClient(example.Application()) as client:
        wrong = {"name": "bob", "password": "guess"}
        for _ in range(5):
            assert (await client.post("/auth/login", json=wrong)).status_code == 401
        res = await client.post("/auth/login", json=wrong)
        assert res.status_code == 429
        assert int(res.headers["Retry-After"]) > 0


async def test_production_hardening() -> None:
    example = load_example("auth/hardening.py")
    application = example.Application()
    async with PyJoltTestClient(application, base_url="https://example.com") as client:
        res = await client.get("/")
        assert (res.status_code, res.text) == (200, "home")
        assert res.headers["X-Content-Type-Options"] == "nosniff"
        assert res.headers["X-Frame-Options"] == "DENY"
        assert res.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert res.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert res.headers["Content-Security-Policy"] == "default-src 'self'"
        assert res.headers["Strict-Transport-Security"] == "max-age=31536000"

        res = await client.get("/", headers={"Host": "evil.test"})
        assert (res.status_code, res.text) == (400, "Invalid host header")

        client.cookies.set("session", "abc")
        res = await client.post("/settings", headers={"Origin": "https://evil.example"})
        assert res.status_code == 403
        assert res.json()["message"] == (
            "Cross-site request refused (origin 'https://evil.example'); see CSRF_TRUSTED_ORIGINS"
        )
        for origin in ("https://admin.example.com", "https://example.com"):
            res = await client.post("/settings", headers={"Origin": origin})
            assert (res.status_code, res.json()) == (200, {"saved": True})
        res = await client.post("/webhooks/payments", headers={"Origin": "https://pay.example"})
        assert (res.status_code, res.json()) == (200, {"received": True})
