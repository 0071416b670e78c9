"""Tests of hello.py, as they would sit in your project (run with ``pytest``)."""

from hello import Application

from pyjolt.testing import PyJoltTestClient


async def test_hello() -> None:
    async with PyJoltTestClient(Application()) as client:
        res = await client.get("/api/hello/Ada")
        assert res.status_code == 200
        assert res.json() == {"message": "Hello, Ada!"}

        res = await client.post("/api/greetings", json={"name": "Ada"})
        assert res.status_code == 201
        assert res.json() == {"name": "Ada", "text": "Hello"}

        res = await client.post("/api/greetings", json={"name": ""})
        assert res.status_code == 422
