"""docs/getting-started.md: the answers the page shows, in-process and from a real uvicorn."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import EXAMPLES, load_example

FOLDER = EXAMPLES / "getting_started"


@pytest.fixture
def on_path() -> Iterator[Path]:
    """The example's folder on sys.path, as when you run pytest or uvicorn from it."""
    sys.path.insert(0, str(FOLDER))
    try:
        yield FOLDER
    finally:
        sys.path.remove(str(FOLDER))
        for name in ("hello", "test_hello"):
            sys.modules.pop(name, None)


async def test_the_pages_table() -> None:
    hello = load_example("getting_started/hello.py")
    async with PyJoltTestClient(hello.Application()) as client:
        res = await client.get("/api/hello/Ada")
        assert (res.status_code, res.json()) == (200, {"message": "Hello, Ada!"})
        res = await client.get("/api/hello/Ada", params={"polite": "true"})
        assert (res.status_code, res.json()) == (200, {"message": "Good day, Ada."})
        res = await client.get("/api/hello/Ada", params={"polite": "maybe"})
        assert res.status_code == 422
        assert res.json()["data"][0]["loc"] == ["query", "polite"]
        res = await client.post("/api/greetings", json={"name": "Ada"})
        assert (res.status_code, res.json()) == (201, {"name": "Ada", "text": "Hello"})
        res = await client.post("/api/greetings", json={"name": ""})
        assert res.status_code == 422
        assert res.json()["status"] == "error"
        assert res.json()["data"][0]["loc"] == ["name"]
        res = await client.post(
            "/api/greetings", content=b"{oops", headers={"Content-Type": "application/json"}
        )
        assert (res.status_code, res.json()["message"]) == (400, "Request body is not valid JSON")
        res = await client.put("/api/greetings")
        assert res.status_code == 405 and "POST" in res.headers["Allow"]
        assert (await client.get("/api/nope")).status_code == 404
        docs = await client.get("/openapi/docs")
        assert docs.status_code == 200 and "swagger-ui" in docs.text


async def test_docs_pages_need_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "false")
    hello = load_example("getting_started/hello.py")
    async with PyJoltTestClient(hello.Application()) as client:
        assert (await client.get("/openapi/docs")).status_code == 404
        assert (await client.get("/api/hello/Ada")).status_code == 200


async def test_the_pages_test_file_passes(on_path: Path) -> None:
    test_hello = load_example("getting_started/test_hello.py")
    await test_hello.test_hello()


def test_uvicorn_serves_it(on_path: Path, uvicorn_server: Callable[..., str]) -> None:
    base = uvicorn_server("hello:Application", "--factory", "--app-dir", str(on_path))
    res = httpx.get(base + "/api/hello/Ada", timeout=10)
    assert (res.status_code, res.json()) == (200, {"message": "Hello, Ada!"})
