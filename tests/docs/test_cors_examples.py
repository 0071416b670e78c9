"""docs/topics/cors.md: the answers the page shows."""

from __future__ import annotations

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example

APP = "https://app.example.com"
OTHER = "https://evil.example"


async def test_cors_policy() -> None:
    example = load_example("cors/policy.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/api/items", headers={"Origin": APP})
        assert res.status_code == 200
        assert res.headers["Access-Control-Allow-Origin"] == APP
        assert res.headers["Access-Control-Allow-Credentials"] == "true"
        assert res.headers["Access-Control-Expose-Headers"] == "X-Total-Count"
        assert res.headers["Vary"] == "Origin"

        preflight = {"Origin": APP, "Access-Control-Request-Method": "POST"}
        res = await client.options("/api/items", headers=preflight)
        assert res.status_code == 204
        assert res.headers["Access-Control-Allow-Methods"] == "GET, POST"
        assert res.headers["Access-Control-Max-Age"] == "3600"

        res = await client.get("/api/items", headers={"Origin": OTHER})
        assert res.status_code == 403
        assert res.json()["message"] == "Origin 'https://evil.example' is not allowed"

        preflight = {"Origin": APP, "Access-Control-Request-Method": "DELETE"}
        res = await client.options("/api/items", headers=preflight)
        assert res.status_code == 405
        assert res.json()["message"] == "Method DELETE is not allowed"

        res = await client.get("/api/public", headers={"Origin": OTHER})
        assert res.status_code == 200
        assert res.headers["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in res.headers
        preflight = {"Origin": OTHER, "Access-Control-Request-Method": "GET"}
        res = await client.options("/api/public", headers=preflight)
        assert res.headers["Access-Control-Max-Age"] == "600"

        res = await client.get("/api/internal", headers={"Origin": OTHER})
        assert res.status_code == 200
        assert "Access-Control-Allow-Origin" not in res.headers

        res = await client.get("/api/items")  # no Origin: not a cross-origin request
        assert res.status_code == 200
        assert "Access-Control-Allow-Origin" not in res.headers
