"""docs/topics/sql.md: the answers the page shows (on a temporary SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_users_in_sqlite(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SQL_DATABASE__DATABASE_URI", f"sqlite+aiosqlite:///{tmp_path}/users.db")
    example = load_example("sql/users.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.post(
            "/api/v1/users", json={"fullname": "Ada Lovelace", "email": "ada@example.com"}
        )
        assert res.status_code == 201
        assert res.json() == {"fullname": "Ada Lovelace", "email": "ada@example.com", "id": 1}
        for n in range(2, 4):
            await client.post(
                "/api/v1/users", json={"fullname": f"User {n}", "email": f"u{n}@example.com"}
            )

        res = await client.get("/api/v1/users/1")
        assert res.json() == {"fullname": "Ada Lovelace", "email": "ada@example.com", "id": 1}
        res = await client.get("/api/v1/users/99")
        assert (res.status_code, res.json()["message"]) == (404, "User 99 not found")

        res = await client.get("/api/v1/users?page=2&per_page=2")
        assert res.json() == {
            "items": [{"fullname": "User 3", "email": "u3@example.com", "id": 3}],
            "total": 3,
            "page": 2,
            "pages": 2,
            "per_page": 2,
            "has_next": False,
            "has_prev": True,
        }
        res = await client.get("/api/v1/users?per_page=500")
        assert res.status_code == 400
        assert res.json()["message"] == (
            "per_page must be at most 50 (got 500); the limit is SQL_DATABASE['MAX_PER_PAGE']"
        )

        # a failing handler rolls back: the duplicate e-mail is not stored
        res = await client.post(
            "/api/v1/users", json={"fullname": "Again", "email": "ada@example.com"}
        )
        assert res.status_code == 500
        assert (await client.get("/api/v1/users")).json()["total"] == 3
