"""CORS: global policy, per-route overrides, preflight, refusals, wildcard and credentials."""

from typing import Any

from tests.cors_api import CorsApi

ORIGIN = "https://app.example"


async def test_simple_request_and_preflight_under_global_policy(build_client: Any) -> None:
    client = await build_client(controllers=[CorsApi], CORS_ALLOW_ORIGINS=[ORIGIN], CORS_MAX_AGE=60)
    res = await client.get("/c/open", headers={"origin": ORIGIN})
    assert res.headers["access-control-allow-origin"] == ORIGIN
    assert res.headers["access-control-allow-credentials"] == "true"
    assert res.headers["vary"] == "Origin"
    pre = await client.options(
        "/c/open",
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "Content-Type, Authorization",
        },
    )
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert pre.headers["access-control-allow-headers"] == "content-type, authorization"
    assert pre.headers["access-control-max-age"] == "60"


async def test_disallowed_origin_403_and_method_405(build_client: Any) -> None:
    client = await build_client(
        controllers=[CorsApi], CORS_ALLOW_ORIGINS=[ORIGIN], CORS_ALLOW_METHODS=["GET", "OPTIONS"]
    )
    assert (
        await client.get("/c/open", headers={"origin": "https://evil.example"})
    ).status_code == 403
    pre = await client.options(
        "/c/open",
        headers={"origin": "https://evil.example", "access-control-request-method": "GET"},
    )
    assert pre.status_code == 403
    assert (await client.post("/c/open", headers={"origin": ORIGIN})).status_code == 405
    pre = await client.options(
        "/c/open", headers={"origin": ORIGIN, "access-control-request-method": "POST"}
    )
    assert pre.status_code == 405


async def test_same_origin_and_no_origin_are_never_refused(build_client: Any) -> None:
    client = await build_client(controllers=[CorsApi], CORS_ALLOW_ORIGINS=[ORIGIN])
    assert (await client.get("/c/open")).status_code == 200
    same = await client.get("/c/open", headers={"origin": "http://testserver"})
    assert same.status_code == 200 and "access-control-allow-origin" not in same.headers


async def test_per_route_overrides(build_client: Any) -> None:
    client = await build_client(controllers=[CorsApi], CORS_ALLOW_ORIGINS=[ORIGIN])
    special = await client.get("/c/special", headers={"origin": "https://special.example"})
    assert special.headers["access-control-allow-origin"] == "https://special.example"
    assert special.headers["access-control-expose-headers"] == "X-Total"
    assert (await client.get("/c/special", headers={"origin": ORIGIN})).status_code == 403
    pre = await client.options(
        "/c/special",
        headers={"origin": "https://special.example", "access-control-request-method": "GET"},
    )
    assert pre.status_code == 204 and pre.headers["access-control-max-age"] == "600"
    none = await client.get("/c/none", headers={"origin": "https://anyone.example"})
    assert none.status_code == 200 and "access-control-allow-origin" not in none.headers


async def test_wildcard_never_grants_credentials(build_client: Any) -> None:
    client = await build_client(
        controllers=[CorsApi], CORS_ALLOW_ORIGINS=["*"], CORS_ALLOW_CREDENTIALS=True
    )
    res = await client.get("/c/open", headers={"origin": "https://random.example"})
    assert res.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in res.headers


async def test_cors_headers_on_errors(build_client: Any) -> None:
    client = await build_client(controllers=[CorsApi], CORS_ALLOW_ORIGINS=[ORIGIN])
    for url, status in (("/c/crash", 500), ("/c/missing", 404)):
        res = await client.get(url, headers={"origin": ORIGIN})
        assert res.status_code == status
        assert res.headers["access-control-allow-origin"] == ORIGIN


async def test_cors_disabled_globally(build_client: Any) -> None:
    client = await build_client(controllers=[CorsApi], CORS_ENABLED=False)
    res = await client.get("/c/open", headers={"origin": "https://evil.example"})
    assert res.status_code == 200 and "access-control-allow-origin" not in res.headers
