"""Tokens, cookies, role guards (any decorator order), websocket guards and cache isolation."""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any

import jwt
import pytest
from itsdangerous import URLSafeTimedSerializer
from starlette.testclient import TestClient, WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect

from pyjolt.testing import PyJoltTestClient
from tests.auth.support import jwt_segment
from tests.robustness import robust_app
from tests.robustness.robust_app import SECRET, auth
from tests.robustness.support import assert_clean


def _claims(**extra: Any) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "alice", "iat": now, "exp": now + 60, **extra}


def bearer(token: str) -> dict[str, str]:
    return {"authorization": "Bearer " + token}


def _bad_tokens() -> dict[str, str]:
    good = auth.create_jwt_token({"sub": "alice"})
    head, _, sig = good.split(".")
    now = int(time.time())
    return {
        "tampered-signature": good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
        "swapped-payload": f"{head}.{jwt_segment(_claims(sub='alice', admin=True))}.{sig}",
        "expired": jwt.encode(_claims(iat=now - 100, exp=now - 10), SECRET, algorithm="HS256"),
        "alg-none": f"{jwt_segment({'alg': 'none', 'typ': 'JWT'})}.{jwt_segment(_claims())}.",
        "alg-None": f"{jwt_segment({'alg': 'None', 'typ': 'JWT'})}.{jwt_segment(_claims())}.",
        "wrong-key": jwt.encode(_claims(), "w" * 64, algorithm="HS256"),
        "other-hmac": jwt.encode(_claims(), SECRET * 2, algorithm="HS512"),
        "no-exp": jwt.encode({"sub": "alice", "iat": now}, SECRET, algorithm="HS256"),
        "iat-in-future": jwt.encode(_claims(iat=now + 999, exp=now + 2000), SECRET, "HS256"),
        "exp-not-a-number": jwt.encode(_claims(exp="never"), SECRET, algorithm="HS256"),
        "header-not-json": base64.urlsafe_b64encode(b"{nope").decode()
        + f".{jwt_segment(_claims())}.x",
        "two-parts": f"{head}.{jwt_segment(_claims())}",
        "empty": "",
        "huge": "A" * 20000,
    }


BAD_KINDS = [
    "tampered-signature",
    "swapped-payload",
    "expired",
    "alg-none",
    "alg-None",
    "wrong-key",
    "other-hmac",
    "no-exp",
    "iat-in-future",
    "exp-not-a-number",
    "header-not-json",
    "two-parts",
    "empty",
    "huge",
]


@pytest.mark.parametrize("kind", BAD_KINDS)
async def test_bad_tokens_are_401(client: PyJoltTestClient, kind: str) -> None:
    token = _bad_tokens()[kind]
    res = await client.get("/secure/me", headers=bearer(token))
    assert_clean(res, 401, message="Login required")
    assert res.headers.get("www-authenticate") == "Bearer"


async def test_good_token_and_odd_authorization_headers(client: PyJoltTestClient) -> None:
    res = await client.get("/secure/me", headers=bearer(auth.create_jwt_token({"sub": "bob"})))
    assert res.json() == {"user": "bob"}
    for value in ("Bearer", "Bearer  ", "Basic Zm9vOmJhcg==", "Bearer a b", "bearer"):
        assert_clean(await client.get("/secure/me", headers={"authorization": value}), 401)
    res = await client.get("/secure/me", headers={"authorization": b"Bearer \xff\xfe"})  # type: ignore[dict-item]
    assert_clean(res, 401)


OTHER_KEY = secrets.token_urlsafe(48)


def auth_for_key(key: str) -> Any:
    """An ``Authentication`` of another app, with another SECRET_KEY."""
    from pyjolt.testing import make_app
    from tests.robustness.robust_app import Auth

    other = Auth()
    make_app(EXTENSIONS=[other], SECRET_KEY=key)
    return other


async def test_cookie_forgeries_are_401(client: PyJoltTestClient) -> None:
    login = await client.post("/secure/login/alice")
    cookie = login.cookies["auth_cookie"]
    client.cookies.clear()
    set_cookie = login.headers["set-cookie"].lower()
    assert (
        "httponly" in set_cookie and "samesite=lax" in set_cookie and "max-age=3600" in set_cookie
    )
    ok = await client.get("/secure/me", headers={"cookie": f"auth_cookie={cookie}"})
    assert ok.json() == {"user": "alice"}
    # the login cookie is the user ID encrypted (it does not show "alice")
    assert cookie.startswith("t1.") and "alice" not in cookie
    token = cookie[3:]
    middle = len(token) // 2
    flipped = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    forged = {
        "tampered": f"t1.{flipped}",
        "truncated": cookie[:-4],
        "other-key": auth_for_key(secrets.token_urlsafe(48)).tokens.encode("alice"),
        "unsigned": "alice",
        "other-salt": URLSafeTimedSerializer(SECRET, salt="other").dumps("alice"),
        "other-key-signed": URLSafeTimedSerializer(
            secrets.token_urlsafe(48), salt="pyjolt.auth.cookie"
        ).dumps("alice"),
        "dots": "....",
        "huge": "A" * 6000,
    }
    for kind, value in forged.items():
        res = await client.get("/secure/me", headers={"cookie": f"auth_cookie={value}"})
        assert res.status_code == 401, kind


async def test_expired_cookie_is_401(client: PyJoltTestClient) -> None:
    signer = URLSafeTimedSerializer(SECRET, salt="pyjolt.auth.cookie")
    # itsdangerous reads the timestamp from the value: sign one "two hours ago"
    old = signer.dumps("alice")
    real_time = time.time
    try:
        time.time = lambda: real_time() - 7200  # type: ignore[assignment]
        old = signer.dumps("alice")
    finally:
        time.time = real_time  # type: ignore[assignment]
    res = await client.get("/secure/me", headers={"cookie": f"auth_cookie={old}"})
    assert_clean(res, 401)


@pytest.mark.parametrize("route", ["/secure/admin-a", "/secure/admin-b", "/secure/admin-only"])
async def test_role_checks_whatever_the_decorator_order(
    client: PyJoltTestClient, route: str
) -> None:
    assert_clean(await client.get(route), 401)
    for user in ("bob", "carol", "mallory"):
        res = await client.get(route, headers=bearer(auth.create_jwt_token({"sub": user})))
        assert_clean(res, 401 if user == "mallory" else 403)
    res = await client.get(route, headers=bearer(auth.create_jwt_token({"sub": "alice"})))
    assert res.json() == {"admin": "alice"}


def _ws(app: Any, path: str, **kwargs: Any) -> tuple[str, Any]:
    with TestClient(app) as tc:
        try:
            with tc.websocket_connect(path, **kwargs) as ws:
                return "open", ws.receive()
        except WebSocketDisconnect as exc:
            return "closed", (exc.code, exc.reason)


def test_websocket_guards() -> None:
    app = robust_app.build()
    token = auth.create_jwt_token
    assert _ws(app, "/secure/ws") == ("closed", (1008, "Login required"))
    assert _ws(app, "/secure/ws", headers=bearer("garbage")) == ("closed", (1008, "Login required"))
    alg_none = f"{jwt_segment({'alg': 'none'})}.{jwt_segment(_claims())}."
    assert _ws(app, "/secure/ws", headers=bearer(alg_none))[0] == "closed"
    opened = _ws(app, "/secure/ws", headers=bearer(token({"sub": "bob"})))
    assert opened == ("open", {"type": "websocket.send", "text": "hi bob"})
    bob = _ws(app, "/secure/admin-ws", headers=bearer(token({"sub": "bob"})))
    assert bob == ("closed", (1008, "Missing user role(s)"))
    alice = _ws(app, "/secure/admin-ws", headers=bearer(token({"sub": "alice"})))
    assert alice[0] == "open"


def test_websocket_garbage_and_wrong_targets() -> None:
    app = robust_app.build()
    with TestClient(app) as tc:
        with tc.websocket_connect("/api/ws") as ws:
            ws.send_bytes(b"\xff\x00\xfe")
            assert ws.receive_bytes() == b"\xff\x00\xfe"
            ws.send_text("x" * 200_000)
            assert len(ws.receive_text()) == 200_005
            ws.send_text("\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
            assert ws.receive_text().startswith("echo:")
        for path in ("/nope-ws", "/api/items/3"):
            # refused with an HTTP 404 denial answer instead of an accept
            with pytest.raises(WebSocketDenialResponse) as info, tc.websocket_connect(path):
                pass
            assert info.value.status_code == 404
            assert "No route" in info.value.text and "Traceback" not in info.value.text
        assert tc.get("/api/ws").status_code == 404
        assert tc.get("/secure/ws").status_code == 404


# -- cache ---------------------------------------------------------------------------------
def _as(user: str | None) -> dict[str, str]:
    return bearer(auth.create_jwt_token({"sub": user})) if user else {}


async def test_cache_keeps_users_apart(client: PyJoltTestClient) -> None:
    alice = await client.get("/cached/me", headers=_as("alice"))
    bob = await client.get("/cached/me", headers=_as("bob"))
    assert alice.json()["user"] == "alice" and bob.json()["user"] == "bob"
    again = await client.get("/cached/me", headers=_as("alice"))
    assert again.json() == alice.json() and again.headers["x-cache"] == "HIT"
    assert_clean(await client.get("/cached/me"), 401)
    forged = await client.get("/cached/me", headers=bearer(_bad_tokens()["alg-none"]))
    assert_clean(forged, 401)


async def test_cache_never_shares_an_answer_made_for_a_user_loaded_late(
    client: PyJoltTestClient,
) -> None:
    # The handler loads the user itself (no guard): the key was made without a user.
    first = await client.get("/cached/maybe-user", headers=_as("alice"))
    assert first.json()["user"] == "alice"
    bob = await client.get("/cached/maybe-user", headers=_as("bob"))
    assert bob.json()["user"] == "bob"
    anonymous = await client.get("/cached/maybe-user")
    assert anonymous.json()["user"] is None


async def test_cache_query_normalisation(client: PyJoltTestClient) -> None:
    async def n(query: str) -> tuple[int, str]:
        res = await client.get("/cached/public?" + query)
        return res.json()["n"], res.headers["x-cache"]

    first = (await n("a=1&b=2"))[0]
    assert await n("b=2&a=1") == (first, "HIT")
    assert await n("a=%31&b=2") == (first, "HIT")
    ordered = (await n("a=1&a=2"))[0]
    assert (await n("a=2&a=1"))[0] != ordered  # repeated values keep their order
    assert (await n("a=1;b=2"))[0] not in (first, ordered)
    assert (await n("A=1&b=2"))[0] != first


async def test_cache_skips_set_cookie_and_separates_methods(client: PyJoltTestClient) -> None:
    one = await client.get("/cached/setcookie")
    two = await client.get("/cached/setcookie")
    assert one.headers["set-cookie"] != two.headers["set-cookie"]
    assert two.headers["x-cache"] == "MISS"
    head = await client.head("/cached/item/5")
    assert head.content == b""
    get = await client.get("/cached/item/5")
    assert get.json()["id"] == 5 and get.content
    assert (await client.get("/cached/item/005")).json() == get.json()
