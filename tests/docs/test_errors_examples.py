"""docs/topics/errors.md: the answers the page shows."""

from __future__ import annotations

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_errors_and_handlers() -> None:
    example = load_example("errors/handlers.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/api/v1/items/0")
        assert res.status_code == 404
        assert res.json() == {"status": "error", "message": "Item 0 not found", "data": None}

        res = await client.get("/api/v1/items/101")
        assert res.status_code == 404
        assert res.json() == {"message": "Item 101 not found", "details": {"kind": "Item"}}

        res = await client.post("/api/v1/items/1/orders", json={"quantity": 9})
        assert res.status_code == 409
        assert res.json() == {
            "status": "error",
            "message": "Out of stock",
            "data": {"available": 5},
        }

        res = await client.post("/api/v1/items/1/orders", json={"quantity": "x"})
        assert res.status_code == 422
        assert res.json() == {
            "message": "Validation failed.",
            "details": {
                "quantity": "Input should be a valid integer, unable to parse string as an integer"
            },
        }

        res = await client.get("/api/v1/items/broken")
        assert res.status_code == 500
        assert res.json() == {"status": "error", "message": "Internal server error"}

        res = await client.get("/nope")
        assert res.status_code == 404
        assert res.json() == {"status": "error", "message": "No route for '/nope'", "data": None}

        res = await client.delete("/api/v1/items/1")
        assert res.status_code == 405
        assert res.headers["Allow"] == "GET, HEAD, OPTIONS"
