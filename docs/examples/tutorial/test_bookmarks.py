"""Step 7: tests, next to the package (run ``pytest`` in this folder)."""

import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bookmarks import Application
from bookmarks.extensions import db
from bookmarks.models import Bookmark, User
from bookmarks.tasks import index_bookmark

from pyjolt.testing import PyJoltTestClient


@pytest.fixture
async def client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[PyJoltTestClient]:
    monkeypatch.setenv("SQL_DATABASE__DATABASE_URI", f"sqlite+aiosqlite:///{tmp_path}/test.db")
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    async with PyJoltTestClient(Application()) as client:
        await db.create_all(User, Bookmark)  # a fresh schema per test
        yield client


async def login(client: PyJoltTestClient, email: str) -> None:
    credentials = {"email": email, "password": "long enough"}
    assert (await client.post("/api/account/register", json=credentials)).status_code == 201
    assert (await client.post("/api/account/login", json=credentials)).status_code == 200


async def test_bookmarks_need_a_login(client: PyJoltTestClient) -> None:
    assert (await client.get("/api/bookmarks/")).status_code == 401


async def test_add_and_list(client: PyJoltTestClient) -> None:
    await login(client, "ada@example.com")
    res = await client.post("/api/bookmarks/", json={"url": "https://example.org/a", "title": "A"})
    assert res.status_code == 201
    bookmark_id = res.json()["id"]

    res = await client.get("/api/bookmarks/")
    assert res.headers["X-Cache"] == "MISS"
    assert [b["title"] for b in res.json()] == ["A"]
    assert (await client.get("/api/bookmarks/")).headers["X-Cache"] == "HIT"

    # the handler enqueued index_bookmark; run it here too, as a worker would (it is idempotent)
    assert await index_bookmark(bookmark_id) == "example.org"
    res = await client.get(f"/api/bookmarks/{bookmark_id}")
    assert res.json()["host"] == "example.org"


async def test_users_see_only_their_bookmarks(client: PyJoltTestClient) -> None:
    await login(client, "ada@example.com")
    res = await client.post("/api/bookmarks/", json={"url": "https://example.org/", "title": "A"})
    bookmark_id = res.json()["id"]
    await client.post("/api/account/logout")
    await login(client, "bob@example.com")
    assert (await client.get(f"/api/bookmarks/{bookmark_id}")).status_code == 404
    assert (await client.get("/api/bookmarks/")).json() == []
