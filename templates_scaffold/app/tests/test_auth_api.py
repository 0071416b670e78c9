"""Tests of the login, logout and rate limit of the login route."""

import pytest
from pyjolt.auth import create_password_hash
from pyjolt.testing import PyJoltTestClient

from app.api.models.user_model import User
from app.extensions import db


@pytest.fixture
async def ada(client: PyJoltTestClient) -> None:
    async with db.session_scope() as session:
        session.add(
            User(
                email="ada@example.com",
                fullname="Ada",
                password_hash=create_password_hash("s3cret!"),
            )
        )


async def test_login_then_logout(client: PyJoltTestClient, ada: None) -> None:
    assert (await client.get("/api/v1/me")).status_code == 401
    res = await client.post(
        "/api/v1/login", json={"email": "ada@example.com", "password": "s3cret!"}
    )
    assert res.status_code == 200
    assert res.json()["email"] == "ada@example.com"
    cookie = res.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    me = await client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["fullname"] == "Ada"

    assert (await client.post("/api/v1/logout")).status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_wrong_password_or_unknown_user_is_401(client: PyJoltTestClient, ada: None) -> None:
    for email, password in (("ada@example.com", "wrong"), ("bob@example.com", "s3cret!")):
        res = await client.post("/api/v1/login", json={"email": email, "password": password})
        assert res.status_code == 401
        assert "set-cookie" not in res.headers
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_sixth_login_attempt_in_a_minute_is_429(client: PyJoltTestClient, ada: None) -> None:
    wrong = {"email": "ada@example.com", "password": "wrong"}
    for _ in range(5):
        assert (await client.post("/api/v1/login", json=wrong)).status_code == 401
    res = await client.post(
        "/api/v1/login", json={"email": "ada@example.com", "password": "s3cret!"}
    )
    assert res.status_code == 429
    assert int(res.headers["retry-after"]) > 0
