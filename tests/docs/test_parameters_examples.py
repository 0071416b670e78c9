"""docs/topics/parameters.md: the answers the page shows."""

from __future__ import annotations

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_typed_parameters() -> None:
    example = load_example("parameters/notes.py")
    async with PyJoltTestClient(example.Application()) as client:
        client.cookies.set("theme", "dark")
        res = await client.get(
            "/notes?page=2&tag=a&tag=b&order=desc&color=red&limit=5",
            headers={"X-Request-Id": "r-1"},
        )
        assert res.status_code == 200
        assert res.json() == {
            "page": 2,
            "tag": ["a", "b"],
            "order": "desc",
            "color": "red",
            "request_id": "r-1",
            "theme": "dark",
            "limit": 5,
            "offset": 0,
        }
        client.cookies.clear()
        res = await client.get("/notes")
        assert res.json()["page"] == 1 and res.json()["theme"] == "light"

        res = await client.get("/notes?page=abc&order=up")
        assert res.status_code == 422
        assert res.json() == {
            "status": "error",
            "message": "Validation failed",
            "data": [
                {
                    "loc": ["query", "page"],
                    "msg": "Input should be a valid integer, unable to parse string as an integer",
                    "type": "int_parsing",
                },
                {
                    "loc": ["query", "order"],
                    "msg": "Input should be 'asc' or 'desc'",
                    "type": "literal_error",
                },
            ],
        }


async def test_body_and_declared_status() -> None:
    example = load_example("parameters/notes.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.post("/notes", json={"text": "hi"})
        assert (res.status_code, res.json()) == (201, {"id": 1, "text": "hi"})

        res = await client.post("/notes", json={"text": ""})
        assert res.status_code == 422
        assert res.json()["data"][0]["loc"] == ["text"]

        res = await client.post(
            "/notes", content=b"{bad", headers={"content-type": "application/json"}
        )
        assert (res.status_code, res.json()["message"]) == (400, "Request body is not valid JSON")

        res = await client.post("/notes", content=b"hi", headers={"content-type": "text/plain"})
        assert res.status_code == 415
