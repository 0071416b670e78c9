"""docs/topics/nosql.md: the answers the page shows, on mongoeco's MongoDB wire protocol."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.database.nosql.support import MongoecoServer, start_mongoeco
from tests.docs.support import load_example
from tests.services import require_service


@pytest.fixture(scope="module")
def mongo_uri() -> Iterator[str]:
    server: MongoecoServer = start_mongoeco()
    try:
        require_service(server.uri is not None, str(server.error))
        assert server.uri is not None
        yield server.uri
    finally:
        server.stop()


async def test_books(monkeypatch: pytest.MonkeyPatch, mongo_uri: str) -> None:
    monkeypatch.setenv("NOSQL_DATABASE__DATABASE_URI", mongo_uri)
    example = load_example("nosql/books.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.post("/books", json={"title": "Emma", "year": 1815})
        assert res.status_code == 201
        body = res.json()
        assert len(body.pop("id")) == 24
        assert body == {"title": "Emma", "year": 1815}
        await client.post("/books", json={"title": "Dune", "year": 1965})

        res = await client.get("/books?since=1900")
        assert res.json() == {"books": [{"title": "Dune", "year": 1965}], "count": 2}
        res = await client.get("/books")
        assert res.json()["books"] == [
            {"title": "Emma", "year": 1815},
            {"title": "Dune", "year": 1965},
        ]
        await example.nosqldb.execute_raw({"dropDatabase": 1})
