"""Production headers on every answer (errors too), HSTS over HTTPS, allowed hosts, proxies."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.security.headers import wrap_server_errors
from pyjolt.testing import make_app


@path("/")
class PageApi(Controller):
    @get("/hello")
    async def hello(self, req: Request) -> Response:
        return req.res.json({"client": req.client.host if req.client else None})

    @get("/framed")
    async def framed(self, req: Request) -> Response:
        return req.res.text("ok").set_header("X-Frame-Options", "SAMEORIGIN")

    @get("/boom")
    async def boom(self, req: Request) -> Response:
        raise RuntimeError("bug")

    @get("/starlette")
    async def starlette_answer(self, req: Request) -> Any:
        # a Starlette response returned as is, its own header list reused for every answer
        return SHARED_ANSWER


SHARED_ANSWER = PlainTextResponse("plain", headers={"x-own": "1"})


async def _mounted(scope: Any, receive: Any, send: Any) -> None:
    await PlainTextResponse("mounted")(scope, receive, send)


def _client(base_url: str = "http://testserver", **config: Any) -> TestClient:
    return TestClient(make_app(controllers=[PageApi], **config), base_url=base_url)


EXPECTED = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
}


@pytest.mark.parametrize("route", ["/hello", "/nowhere"])
def test_headers_on_200_and_404_with_debug_off(route: str) -> None:
    with _client(SECRET_KEY="Kq7vT2mXr9LpW4sN8cB1yH6dJ3fG5zA0uE-_oRiYtQwPlMnVbXcSdFgHj") as client:
        res = client.get(route)
    assert res.status_code in (200, 404)
    for key, value in EXPECTED.items():
        assert res.headers[key] == value
    assert "strict-transport-security" not in res.headers  # plain HTTP
    assert "content-security-policy" not in res.headers


@pytest.mark.parametrize("observed", [False, True])
def test_headers_on_foreign_answers_and_500(observed: bool) -> None:
    """A mounted app, a Starlette response returned as is, an unhandled error's 500, a CORS
    preflight; with the observability layer on too."""
    config: dict[str, Any] = {"REQUEST_ID": True, "ACCESS_LOG": True} if observed else {}
    app = make_app(controllers=[PageApi], CORS_ALLOW_ORIGINS=["https://ok.example"], **config)
    app.mount("/mounted", _mounted)
    preflight = {
        "origin": "https://ok.example",
        "access-control-request-method": "GET",
    }
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = [
            client.get("/mounted/x"),
            client.get("/starlette"),
            client.get("/starlette"),
            client.get("/boom"),
            client.options("/hello", headers=preflight),
            client.get("/framed"),
        ]
    assert [a.status_code for a in answers[:4]] == [200, 200, 200, 500]
    for res in answers[:5]:
        for key, value in EXPECTED.items():
            assert res.headers.get_list(key) == [value], (res.request.url, key)
        assert ("x-request-id" in res.headers) is observed
    assert answers[2].headers["x-own"] == "1"
    assert answers[5].headers.get_list("x-frame-options") == ["SAMEORIGIN"]
    assert len(SHARED_ANSWER.raw_headers) == 3  # its own list was not extended


@pytest.mark.parametrize("headers", [None, (), ((b"x-frame-options", b"SAMEORIGIN"),)])
def test_raw_answers_without_headers_or_with_a_tuple(headers: Any) -> None:
    """ASGI lets an answer leave its headers out or give any iterable of pairs."""

    async def raw(scope: Any, receive: Any, send: Any) -> None:
        start: dict[str, Any] = {"type": "http.response.start", "status": 204}
        if headers is not None:
            start["headers"] = headers
        await send(start)
        await send({"type": "http.response.body", "body": b""})

    app = make_app(controllers=[PageApi])
    app.mount("/raw", raw)
    with TestClient(app) as client:
        res = client.get("/raw/x")
    assert res.status_code == 204
    assert res.headers["x-content-type-options"] == "nosniff"
    framed = ["SAMEORIGIN"] if headers else ["DENY"]
    assert res.headers.get_list("x-frame-options") == framed


def test_hsts_over_https_and_csp_and_handler_override() -> None:
    with _client(
        "https://testserver", SECURITY_CONTENT_SECURITY_POLICY="default-src 'self'"
    ) as client:
        res = client.get("/hello")
        assert res.headers["strict-transport-security"] == "max-age=31536000"
        assert res.headers["content-security-policy"] == "default-src 'self'"
        framed = client.get("/framed")
        assert framed.headers.get_list("x-frame-options") == ["SAMEORIGIN"]


def test_debug_leaves_headers_off_and_setting_wins() -> None:
    with _client(DEBUG=True) as client:
        assert "x-frame-options" not in client.get("/hello").headers
    with _client(SECURITY_HEADERS=False) as client:
        assert "x-content-type-options" not in client.get("/hello").headers
    with _client(DEBUG=True, SECURITY_HEADERS=True, SECURITY_FRAME_OPTIONS=None) as client:
        headers = client.get("/hello").headers
        assert headers["x-content-type-options"] == "nosniff"
        assert "x-frame-options" not in headers


def test_allowed_hosts() -> None:
    with _client(ALLOWED_HOSTS=["testserver", "*.example.com"]) as client:
        assert client.get("/hello").status_code == 200
        assert client.get("/hello", headers={"host": "api.example.com"}).status_code == 200
        evil = client.get("/hello", headers={"host": "evil.example"})
        assert evil.status_code == 400
        assert evil.headers["x-frame-options"] == "DENY"


async def _failing(scope: Any, receive: Any, send: Any) -> None:
    raise RuntimeError("escaped every exception handler")


def test_outermost_500_carries_them() -> None:
    """An exception no handler answered (raised outside them): the last-resort 500 too."""
    defaults = make_app(controllers=[PageApi]).configs
    app = wrap_server_errors(_failing, defaults, debug=False)
    res = TestClient(app, raise_server_exceptions=False).get("/")
    assert res.status_code == 500
    for key, value in EXPECTED.items():
        assert res.headers.get_list(key) == [value]
    plain = wrap_server_errors(_failing, {**defaults, "SECURITY_HEADERS": False}, debug=False)
    res = TestClient(plain, raise_server_exceptions=False).get("/")
    assert res.status_code == 500
    assert "x-frame-options" not in res.headers


def test_trusted_proxies_only() -> None:
    forwarded = {"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https"}
    # the test client connects from "testclient"
    with _client(TRUSTED_PROXIES=["testclient"]) as client:
        res = client.get("/hello", headers=forwarded)
        assert res.json() == {"client": "203.0.113.9"}
        assert "strict-transport-security" in res.headers  # the proxy said HTTPS
    with _client(TRUSTED_PROXIES=["10.0.0.1"]) as client:
        res = client.get("/hello", headers=forwarded)
        assert res.json() == {"client": "testclient"}
        assert "strict-transport-security" not in res.headers
