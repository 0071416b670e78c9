"""CSRF by origin (and token for forms), websocket origins: cross-site requests refused."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from pyjolt import MediaType, Request, Response
from pyjolt.controller import Controller, consumes, get, path, post, socket
from pyjolt.security import csrf_exempt
from pyjolt.testing import make_app

EVIL = "https://evil.example"
COOKIE = {"cookie": "session=alice-session"}


@path("/acct")
class AccountApi(Controller):
    @post("/transfer")
    async def transfer(self, req: Request) -> Response:
        return req.res.json({"done": True})

    @get("/form")
    async def form(self, req: Request) -> Response:
        return req.res.html_from_string("<form>{{ csrf_input() }}</form>")

    @post("/form")
    @consumes(MediaType.APPLICATION_X_WWW_FORM_URLENCODED)
    async def submit(self, req: Request) -> Response:
        return req.res.json({"submitted": True})

    @post("/webhook")
    @csrf_exempt
    async def webhook(self, req: Request) -> Response:
        return req.res.json({"hooked": True})

    @socket("/ws")
    async def ws(self, req: Any) -> None:
        await req.accept()
        await req.res.send({"type": "websocket.send", "text": "hi"})
        await req.close()


def _client(base_url: str = "http://testserver", **config: Any) -> TestClient:
    config.setdefault("SECRET_KEY", "Kq7vT2mXr9LpW4sN8cB1yH6dJ3fG5zA0uE-_oRiYtQwPlMnVbXcSdFgHj")
    return TestClient(make_app(controllers=[AccountApi], **config), base_url=base_url)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({**COOKIE, "origin": EVIL}, 403),  # the CORS wildcard does not allow it
        ({**COOKIE, "origin": "null"}, 403),
        ({**COOKIE, "sec-fetch-site": "cross-site", "origin": EVIL}, 403),
        ({**COOKIE, "sec-fetch-site": "cross-site"}, 403),
        ({**COOKIE, "referer": f"{EVIL}/page"}, 403),
        ({**COOKIE, "origin": "http://testserver"}, 200),
        ({**COOKIE, "origin": "http://testserver:8080"}, 403),  # another port, another origin
        ({**COOKIE, "sec-fetch-site": "same-origin", "origin": "http://testserver"}, 200),
        ({**COOKIE, "referer": "http://testserver/acct/form"}, 200),
        ({**COOKIE, "origin": EVIL, "authorization": "Bearer abc"}, 200),  # bearer: exempt
        ({"origin": EVIL}, 200),  # no cookie: nothing ambient to forge
        (COOKIE, 200),  # no Origin/Referer/Sec-Fetch-Site: not a browser's cross-site request
    ],
)
def test_cross_site_unsafe_requests(headers: dict[str, str], status: int) -> None:
    with _client() as client:
        res = client.post("/acct/transfer", headers=headers)
    assert res.status_code == status, res.text
    if status == 403:
        assert "Cross-site request refused" in res.json()["message"]


def test_trusted_and_explicit_cors_origins_pass() -> None:
    with _client(CSRF_TRUSTED_ORIGINS=["https://partner.example", "null"]) as client:
        for origin in ("https://partner.example", "null"):
            res = client.post("/acct/transfer", headers={**COOKIE, "origin": origin})
            assert res.status_code == 200
    with _client(CORS_ALLOW_ORIGINS=["https://app.example"]) as client:
        res = client.post("/acct/transfer", headers={**COOKIE, "origin": "https://app.example"})
        assert res.status_code == 200


def test_exempt_handler_and_switch_off() -> None:
    with _client() as client:
        assert client.post("/acct/webhook", headers={**COOKIE, "origin": EVIL}).status_code == 200
    with _client(CSRF_ENABLED=False) as client:
        res = client.post("/acct/transfer", headers={**COOKIE, "origin": EVIL})
        assert res.status_code == 200


def test_form_token_required_when_configured() -> None:
    # HTTPS: the CSRF cookie is Secure with DEBUG off
    with _client("https://testserver", CSRF_REQUIRE_TOKEN=True) as client:
        page = client.get("/acct/form")
        assert page.status_code == 200
        assert "pyjolt_csrf" in client.cookies
        token = page.text.split('value="')[1].split('"')[0]
        ok = client.post("/acct/form", data={"csrf_token": token, "x": "1"})
        assert ok.status_code == 200, ok.text
        assert ok.json() == {"submitted": True}
        missing = client.post("/acct/form", data={"x": "1"})
        assert missing.status_code == 403
        assert missing.json()["message"] == "CSRF token missing or invalid"
        forged = client.post("/acct/form", data={"csrf_token": token[:-2] + "xx"})
        assert forged.status_code == 403
        header = client.post("/acct/form", data={"x": "1"}, headers={"x-csrf-token": token})
        assert header.status_code == 200
    # a token is bound to the client's own CSRF cookie: it does not fit another client's
    with _client("https://testserver", CSRF_REQUIRE_TOKEN=True) as other:
        assert other.get("/acct/form").status_code == 200
        stolen = other.post("/acct/form", data={"csrf_token": token})
        assert stolen.status_code == 403


def _ws(client: TestClient, **headers: str) -> Any:
    try:
        with client.websocket_connect("/acct/ws", headers=headers) as ws:
            return ws.receive()["text"]
    except WebSocketDisconnect as exc:
        return exc.code


@pytest.mark.parametrize(
    ("origin", "outcome"),
    [(EVIL, 1008), ("null", 1008), ("http://testserver", "hi"), (None, "hi")],
)
def test_websocket_origin(origin: str | None, outcome: Any) -> None:
    with _client() as client:
        headers = {**COOKIE, **({"origin": origin} if origin else {})}
        assert _ws(client, **headers) == outcome


def test_websocket_allowed_origins() -> None:
    with _client(WEBSOCKET_ALLOWED_ORIGINS=["https://app.example", "null"]) as client:
        assert _ws(client, origin="https://app.example") == "hi"
        assert _ws(client, origin="null") == "hi"
        assert _ws(client, origin=EVIL) == 1008
