"""Paths, converters, methods, headers, query strings, static files and CORS under attack."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyjolt.testing import PyJoltTestClient
from tests.robustness.support import assert_clean


@pytest.mark.parametrize(
    "url",
    [
        "/api/items/-1",
        "/api/items/1.5",
        "/api/items/abc",
        "/api/price/nan",
        "/api/price/inf",
        "/api/price/-inf",
        "/api/price/1e400",
        "/api/things/not-a-uuid",
        "/api/things/12345678-1234-1234-1234-1234567890a",
        "/nope",
        "/api/../../etc/passwd",
    ],
)
async def test_converter_misses_are_404(client: PyJoltTestClient, url: str) -> None:
    assert_clean(await client.get(url), 404)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/items/" + "9" * 40, {"id": int("9" * 40)}),
        ("/api/items/%31", {"id": 1}),
        ("/api/items/007", {"id": 7}),
        ("/api/price/" + "9" * 400 + ".5", {"value": None}),  # inf: JSON null, not a 500
        ("/api/things/12345678-1234-1234-1234-1234567890AB", None),
        ("/api/hello/%00", {"name": "\x00"}),
        ("/api/hello/%ff", {"name": "\ufffd"}),
        ("/api/files/a/../b", None),
    ],
)
async def test_converter_edges_answer(client: PyJoltTestClient, url: str, expected: object) -> None:
    res = await client.get(url)
    assert res.status_code in (200, 404), res.text
    if expected is not None:
        assert res.json() == expected


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(segment=st.text(max_size=40))
async def test_fuzzed_path_segments(client: PyJoltTestClient, segment: str) -> None:
    from urllib.parse import quote

    for prefix in ("/api/items/", "/api/price/", "/api/things/", "/api/hello/", "/static/"):
        res = await client.get(prefix + quote(segment, safe=""))
        assert res.status_code in (200, 404, 405), (prefix, segment, res.text)
        assert "Traceback" not in res.text


@pytest.mark.parametrize(
    "url",
    [
        "/static/../robust_app.py",
        "/static/%2e%2e/robust_app.py",
        "/static/%2E%2E/%2E%2E/pyproject.toml",
        "/static/%252e%252e/robust_app.py",
        "/static/..%2frobust_app.py",
        "/static/..%5crobust_app.py",
        "/static/sub/..%5c..%5crobust_app.py",
        "/static/..\\robust_app.py",
        "/static/site.css%00.txt",
        "/static/site.css%00",
        "/static//etc/passwd",
        "/static/%2fetc%2fpasswd",
        "/static/",
        "/static/sub",
        "/static/nonexistent.css",
    ],
)
async def test_static_traversal_is_404(client: PyJoltTestClient, url: str) -> None:
    res = await client.get(url)
    assert_clean(res, 404)
    assert "BASE_CONFIG" not in res.text and "[tool" not in res.text


async def test_static_files_and_ranges(client: PyJoltTestClient) -> None:
    assert (await client.get("/static/sub/inner.txt")).text == "inner\n"
    head = await client.head("/static/site.css")
    assert head.status_code == 200 and head.content == b""
    res = await client.post("/static/site.css")
    assert_clean(res, 405)
    assert res.headers["allow"] == "GET, HEAD"
    assert (
        await client.get("/static/site.css", headers={"range": "bytes=999-1000"})
    ).status_code == 416
    for bad in ("bytes=garbage", "bytes=5-1", "items=0-1"):
        res = await client.get("/static/site.css", headers={"range": bad})
        assert res.status_code in (200, 400, 416), (bad, res.status_code)
    many = "bytes=" + ",".join(f"{i}-{i}" for i in range(300))
    assert (await client.get("/static/site.css", headers={"range": many})).status_code in (
        200,
        206,
        400,
        416,
    )
    res = await client.get(
        "/static/site.css", headers={"if-none-match": "garbage", "if-modified-since": "garbage"}
    )
    assert res.status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/api/items/3", "/api/query", "/api/page", "/secure/me", "/cached/public", "/api/items"],
)
async def test_head_and_options_on_every_route(client: PyJoltTestClient, url: str) -> None:
    head = await client.head(url)
    assert head.status_code in (200, 401, 405)
    assert head.content == b""
    options = await client.options(url)
    assert options.status_code == 204
    assert "OPTIONS" in options.headers["allow"]


async def test_unknown_and_wrong_methods(client: PyJoltTestClient) -> None:
    for method in ("PATCH", "BREW", "TRACE", "PROPFIND", "CONNECT"):
        res = await client.request(method, "/api/items/3")
        body = assert_clean(res, 405)
        assert res.headers["allow"] == "DELETE, GET, HEAD, OPTIONS, PUT"
        assert body["data"]["allowed"] == ["DELETE", "GET", "HEAD", "OPTIONS", "PUT"]
    assert_clean(await client.request("BREW", "/nope"), 404)
    assert_clean(await client.options("/nope"), 404)
    res = await client.get("/api/items")
    assert_clean(res, 405)
    assert res.headers["allow"] == "OPTIONS, POST"


async def test_query_strings(client: PyJoltTestClient) -> None:
    res = await client.get("/api/query?a=%ff%00&b&&=&c=%")
    assert res.status_code == 200
    assert res.json()["params"]["a"] == "\ufffd\x00"
    # enormous query string (the in-process client has no URL limit below 64 KiB)
    res = await client.get("/api/query", params={f"k{i}": "v" * 5 for i in range(3000)})
    assert res.status_code == 200
    assert len(res.json()["params"]) == 3000


async def test_duplicate_and_weird_headers(client: PyJoltTestClient) -> None:
    res = await client.get(
        "/api/headers",
        headers=[("x-dup", "a"), ("x-dup", "b"), ("user-agent", b"\xff\xfe")],  # type: ignore[list-item]
    )
    assert res.json() == {"ua": "\xff\xfe", "x": ["a", "b"]}
    res = await client.get(
        "/api/headers", headers={"cookie": 'a=b; ;;; =; c="open; auth_cookie=\x01'}
    )
    assert res.status_code == 200
    res = await client.get("/secure/me", headers={"cookie": b"auth_cookie=\xff\xfe"})  # type: ignore[dict-item]
    assert_clean(res, 401)
    res = await client.get("/api/headers", headers={"x-big": "a" * 60000})
    assert res.status_code == 200


async def test_template_output_is_escaped(client: PyJoltTestClient) -> None:
    res = await client.get("/api/page", params={"t": "<script>alert(1)</script>"})
    assert "<script>" not in res.text
    assert "&lt;script&gt;" in res.text


# -- CORS ----------------------------------------------------------------------------------
GOOD = "https://app.example"


def preflight(method: str, origin: str = GOOD, headers: str | None = None) -> dict[str, str]:
    out = {"origin": origin, "access-control-request-method": method}
    if headers is not None:
        out["access-control-request-headers"] = headers
    return out


async def test_cors_preflight_edges(client: PyJoltTestClient) -> None:
    ok = await client.options("/api/items", headers=preflight("POST", headers="content-type"))
    assert ok.status_code == 204
    assert ok.headers["access-control-allow-origin"] == GOOD
    assert ok.headers["access-control-allow-credentials"] == "true"
    for origin in (
        "https://evil.example",
        "null",
        "https://app.example.evil.com",
        "HTTPS://APP.EXAMPLE",
    ):
        res = await client.options("/api/items", headers=preflight("POST", origin))
        assert_clean(res, 403)
        assert "access-control-allow-origin" not in res.headers
    res = await client.options("/api/items", headers=preflight("TRACE"))
    assert_clean(res, 405)
    assert "allow" in res.headers
    res = await client.options(
        "/api/items", headers=preflight("POST", headers="x-evil, content-type")
    )
    assert_clean(res, 403)
    res = await client.options(
        "/api/items",
        headers={"origin": GOOD, "access-control-request-method": b"g\xffet"},  # type: ignore[dict-item]
    )
    assert res.status_code in (403, 405)
    assert_clean(res, res.status_code)


async def test_cors_per_route_and_simple_requests(client: PyJoltTestClient) -> None:
    res = await client.options("/c/special", headers=preflight("GET", "https://special.example"))
    assert res.status_code == 204
    assert_clean(await client.options("/c/special", headers=preflight("GET")), 403)
    assert_clean(await client.options("/c/none", headers=preflight("GET")), 403)
    res = await client.get("/api/items/3", headers={"origin": "https://evil.example"})
    assert_clean(res, 403)
    res = await client.get("/api/items/3", headers={"origin": b"\xff"})  # type: ignore[dict-item]
    assert_clean(res, 403)
    res = await client.get("/api/items/3", headers={"origin": GOOD})
    assert res.headers["access-control-allow-origin"] == GOOD
    assert res.headers["vary"] == "Origin"
    # error answers carry CORS headers too, so the browser shows the real error
    res = await client.get("/nope", headers={"origin": GOOD})
    assert_clean(res, 404)
    assert res.headers["access-control-allow-origin"] == GOOD


async def test_wildcard_never_echoes_with_credentials(make_client: object) -> None:
    async with make_client(CORS_ALLOW_ORIGINS=["*"], CORS_ALLOW_CREDENTIALS=True) as client:  # type: ignore[operator]
        res = await client.options("/api/items", headers=preflight("POST", "https://evil.example"))
        assert res.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in res.headers
