"""docs/topics/request-response.md: the answers the page shows."""

from __future__ import annotations

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_request_and_response() -> None:
    example = load_example("request_response/demo.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/demo/inspect/ada?page=2&tag=a", headers={"User-Agent": "docs"})
        assert res.json() == {
            "method": "GET",
            "path": "/demo/inspect/ada",
            "route_parameters": {"name": "ada"},
            "query_string": "page=2&tag=a",
            "query_params": {"page": "2", "tag": "a"},
            "agent": "docs",
        }

        res = await client.get("/demo/text")
        assert (res.status_code, res.text, res.headers["X-Kind"]) == (200, "plain text", "text")
        assert res.headers["content-type"].startswith("text/plain")

        res = await client.get("/demo/teapot")
        assert (res.status_code, res.json()) == (418, {"message": "short and stout"})

        res = await client.post("/demo/login", follow_redirects=False)
        assert res.status_code == 303
        assert res.headers["location"] == "/demo/text"
        cookies = res.headers.get_list("set-cookie")
        assert cookies[0] == "theme=dark; HttpOnly; Max-Age=3600; Path=/; SameSite=lax"
        assert cookies[1] == "lang=en; HttpOnly; Path=/; SameSite=strict"

        res = await client.post("/demo/logout")
        assert res.status_code == 204
        assert "theme=" in res.headers["set-cookie"]
        assert "Max-Age=0" in res.headers["set-cookie"]

        res = await client.get("/demo/numbers")
        assert res.text == "0\n1\n2\n"

        assert (await client.get("/demo/plain")).json() == {"answer": 42}

        res = await client.post(
            "/demo/upload", files={"file": ("../../etc/notes v1.txt", b"hello", "text/plain")}
        )
        assert res.json() == {"stored_as": "etc_notes_v1.txt", "size": 5}
