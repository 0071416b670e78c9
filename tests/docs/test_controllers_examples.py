"""docs/topics/controllers.md: the answers the page shows."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_users_controller() -> None:
    example = load_example("controllers/users.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/api/v1/users/7")
        assert res.status_code == 200
        assert res.json() == {"id": 7, "seen_by": "UsersApi"}
        assert res.headers["X-Controller"] == "UsersApi"

        res = await client.post(
            "/api/v1/users", json={"email": "ada@example.com", "fullname": "Ada"}
        )
        assert res.status_code == 201
        assert res.json() == {"email": "ada@example.com", "fullname": "Ada"}

        res = await client.post("/api/v1/users", json={"email": "ada@example.com"})
        assert res.status_code == 422

        res = await client.delete("/api/v1/users/7")
        assert res.status_code == 204
        assert res.content == b""

        res = await client.get("/api/v1/users/7/link")
        assert res.json() == {"url": "/api/v1/users/7"}

        res = await client.put("/api/v1/users/7")
        assert res.status_code == 405
        assert set(res.headers["Allow"].split(", ")) >= {"GET", "DELETE"}


def test_users_websocket() -> None:
    example = load_example("controllers/users.py")
    with TestClient(example.Application()) as tc, tc.websocket_connect("/api/v1/users/ws") as ws:
        ws.send_text("hi")
        assert ws.receive_text() == "Echo: hi"


@pytest.mark.parametrize(("debug", "status"), [("false", 404), ("true", 200)])
async def test_development_routes(monkeypatch: pytest.MonkeyPatch, debug: str, status: int) -> None:
    monkeypatch.setenv("DEBUG", debug)
    example = load_example("controllers/development.py")
    async with PyJoltTestClient(example.Application()) as client:
        assert (await client.get("/tools/status")).json() == {"ok": True}
        res = await client.get("/tools/debug-info")
        assert res.status_code == status
        if status == 200:
            assert res.json() == {"debug": True}
