"""docs/topics/openapi.md: the answers the page shows."""

from __future__ import annotations

import pytest

from pyjolt.openapi import find_swagger_ui
from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_openapi_document() -> None:
    example = load_example("openapi/books.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/openapi/specs.json")
        assert res.status_code == 200
        spec = res.json()
        assert spec["openapi"] == "3.1.0"
        assert spec["info"] == {
            "title": "Library",
            "version": "2.1",
            "description": "Books and their authors",
        }
        assert sorted(spec["paths"]) == ["/api/v1/books/", "/api/v1/books/{book_id}"]
        get_book = spec["paths"]["/api/v1/books/{book_id}"]["get"]
        assert get_book["summary"] == "Get a book"
        assert get_book["description"] == "Returns one book by its ID."
        assert get_book["tags"] == ["Books"]
        assert sorted(get_book["responses"]) == ["200", "404"]
        assert get_book["responses"]["404"] == {
            "description": "No such book",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}
            },
        }
        add_book = spec["paths"]["/api/v1/books/"]["post"]
        assert sorted(add_book["responses"]) == ["201", "400", "413", "415", "422"]
        assert {"Book", "BookIn", "ErrorResponse"} <= set(spec["components"]["schemas"])

        assert (await client.get("/openapi/specs.json?compat=3.0")).json()["openapi"] == "3.0.3"
        res = await client.get("/openapi/docs")
        assert res.status_code == 200
        if find_swagger_ui() is not None:  # the full extra's swagger-ui-bundle
            assert '<div id="swagger-ui"></div>' in res.text

        res = await client.get("/api/v1/books/1")
        assert res.json() == {"id": 1, "title": "Dune", "author": "Frank Herbert"}
        assert (await client.get("/api/v1/books/2")).status_code == 404
        res = await client.post("/api/v1/books", json={"title": "Emma", "author": "Jane Austen"})
        assert res.status_code == 201
        assert res.json() == {"id": 2, "title": "Emma", "author": "Jane Austen"}


async def test_no_docs_without_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "false")
    example = load_example("openapi/books.py")
    async with PyJoltTestClient(example.Application()) as client:
        assert (await client.get("/openapi/specs.json")).status_code == 404
    monkeypatch.setenv("OPEN_API_IN_PRODUCTION", "true")
    async with PyJoltTestClient(example.Application()) as client:
        assert (await client.get("/openapi/specs.json")).status_code == 200
