"""docs/topics/caching.md: the answers the page shows, on memory, SQLite and Redis."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example
from tests.services import REDIS_URL, require_port


@pytest.fixture(params=["memory", "sqlite", "redis"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    name: str = request.param
    if name == "sqlite":
        monkeypatch.setenv("CACHE__BACKEND", "pyjolt.caching.backends.sqlite:SqliteCacheBackend")
        monkeypatch.setenv("CACHE__SQLITE_PATH", str(tmp_path / "cache.db"))
    elif name == "redis":
        require_port("127.0.0.1", 6379, "Redis")
        monkeypatch.setenv("CACHE__BACKEND", "pyjolt.caching.backends.redis:RedisCacheBackend")
        monkeypatch.setenv("CACHE__REDIS_URL", REDIS_URL)
        monkeypatch.setenv("APP_NAME", f"Shop-docs-{tmp_path.name}")  # a namespace of its own
    return name


async def test_cached_answers(backend: str) -> None:
    example = load_example("caching/products.py")
    async with PyJoltTestClient(example.Application()) as client:
        await example.cache.clear()
        res = await client.get("/products/1")
        assert (res.status_code, res.json()) == (200, {"id": 1, "name": "Teapot"})
        assert res.headers["X-Cache"] == "MISS"
        res = await client.get("/products/1")
        assert res.json() == {"id": 1, "name": "Teapot"}
        assert res.headers["X-Cache"] == "HIT"
        assert example.LOOKUPS["count"] == 1
        assert (await client.get("/products/2")).headers["X-Cache"] == "MISS"

        assert (await client.get("/products?page=2")).headers["X-Cache"] == "MISS"
        res = await client.get("/products?page=2&utm_source=mail")
        assert res.headers["X-Cache"] == "HIT"  # an undeclared query key is not in the key
        assert res.json() == {"page": 2, "names": ["Kettle", "Teapot"]}

        for _ in range(2):
            res = await client.get("/products/1/stock")
            assert (res.json(), res.headers["X-Cache"]) == ({"in_stock": 3}, "MISS")

        res = await client.post("/products/1/rename/Samovar")
        assert res.json() == {"id": 1, "name": "Samovar"}
        res = await client.get("/products/1")
        assert (res.json(), res.headers["X-Cache"]) == ({"id": 1, "name": "Samovar"}, "MISS")
        res = await client.get("/products?page=2")
        assert (res.json()["names"], res.headers["X-Cache"]) == (["Kettle", "Samovar"], "MISS")
        assert (await client.get("/products/2")).headers["X-Cache"] == "HIT"  # not tagged
        await example.cache.clear()
