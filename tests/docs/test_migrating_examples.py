"""docs/migrating.md: the 0.111 app and its modern form; FastAPI and PyJolt side by side."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pytest

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def _answers(client: Any) -> list[tuple[int, Any]]:
    return [
        (res.status_code, res.json() if res.content else None)
        for res in [
            await client.get("/api/items/"),
            await client.post("/api/items/"),
            await client.put("/api/items/"),
        ]
    ]


async def test_the_0111_app_runs_with_warnings_and_the_modern_one_without() -> None:
    with pytest.warns(DeprecationWarning, match="value_to_bool|status_code") as caught:
        legacy = load_example("migrating/legacy_0111.py").Application()
    messages = " ".join(str(w.message) for w in caught)
    assert "value_to_bool" in messages and "status_code" in messages
    async with PyJoltTestClient(legacy) as client:
        old = await _answers(client)

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        modern = load_example("migrating/modern.py").Application()
        async with PyJoltTestClient(modern) as client:
            new = await _answers(client)
    assert old == new
    assert [status for status, _ in new] == [200, 201, 405]


async def test_fastapi_and_pyjolt_side_by_side() -> None:
    fastapi = load_example("migrating/fastapi_notes.py")
    pyjolt = load_example("migrating/pyjolt_notes.py")
    transport = httpx.ASGITransport(app=fastapi.app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://test") as fa,
        PyJoltTestClient(pyjolt.Application()) as pj,
    ):
        for client in (fa, pj):  # the same answers where the page says so
            res = await client.get("/notes/1")
            assert (res.status_code, res.json()) == (200, {"text": "buy milk", "id": 1})
            res = await client.get("/notes/1", params={"upper": "true"})
            assert res.json() == {"text": "BUY MILK", "id": 1}
            res = await client.post("/notes", json={"text": "call mom"}, headers={"X-Client": "a"})
            assert (res.status_code, res.json()) == (201, {"text": "call mom", "id": 2})

        # ... and the differences the page lists
        assert (await fa.get("/notes/9")).json() == {"detail": "Note 9 not found"}
        assert (await pj.get("/notes/9")).json() == {
            "status": "error",
            "message": "Note 9 not found",
            "data": None,
        }
        res = await fa.post("/notes", json={})
        assert (res.status_code, res.json()["detail"][0]["loc"]) == (422, ["body", "text"])
        res = await pj.post("/notes", json={})
        assert res.status_code == 422
        assert res.json()["message"] == "Validation failed"
        assert res.json()["data"][0]["loc"] == ["text"]
        assert (await fa.get("/notes/x")).status_code == 422
        assert (await pj.get("/notes/x")).status_code == 404
        assert (await fa.post("/notes/", json={"text": "a"})).status_code == 307
        assert (await pj.post("/notes/", json={"text": "a"})).status_code == 201
