"""Signed cookie values: round trip, tampering, purposes, expiry and key rotation."""

from __future__ import annotations

import time
from typing import Any

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from tests.auth.support import OTHER_SECRET, SECRET, Auth, configured_auth


def _signed_in_the_past(
    key: str, value: str, seconds: int, salt: str = "pyjolt.auth.cookie"
) -> str:
    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds

    return URLSafeTimedSerializer(key, salt=salt, signer=PastSigner).dumps(value)


def test_round_trip_gives_strings() -> None:
    auth = configured_auth()
    assert auth.decode_signed_cookie(auth.create_signed_cookie_value("user-1")) == "user-1"
    assert auth.decode_signed_cookie(auth.create_signed_cookie_value(42)) == "42"


def test_tampered_or_garbage_values_give_none() -> None:
    auth = configured_auth()
    signed = auth.create_signed_cookie_value("user-1")
    payload, _, signature = signed.rpartition(".")
    # Change the first character: the last one of unpadded base64 carries padding bits, so
    # changing it can leave the signature's bytes as they were.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert auth.decode_signed_cookie(f"{payload}.{flipped}") is None
    forged = auth.create_signed_cookie_value("admin").split(".")[0]
    assert auth.decode_signed_cookie(forged + signed[signed.index(".") :]) is None
    for garbage in ("", "abc", "a.b.c", "....", "\x00\xff", None):
        assert auth.decode_signed_cookie(garbage) is None
    # signed by another key
    assert configured_auth(SECRET_KEY=OTHER_SECRET).decode_signed_cookie(signed) is None


def test_purposes_do_not_mix() -> None:
    auth = configured_auth()
    reset = auth.create_signed_cookie_value("user-1", salt="password-reset")
    assert auth.decode_signed_cookie(reset) is None
    assert auth.decode_signed_cookie(reset, salt="password-reset") == "user-1"


def test_expiry_from_config_and_per_call() -> None:
    auth = configured_auth(AUTHENTICATION={"COOKIE_MAX_AGE": 60})
    old = _signed_in_the_past(SECRET, "user-1", seconds=120)
    assert auth.decode_signed_cookie(old) is None
    assert auth.decode_signed_cookie(old, max_age=600) == "user-1"
    assert auth.decode_signed_cookie(auth.create_signed_cookie_value("user-1")) == "user-1"
    # by default values expire after 14 days (issue: cookies signed 400 days ago were accepted)
    default = configured_auth()
    assert default.decode_signed_cookie(_signed_in_the_past(SECRET, "u", 15 * 86400)) is None
    assert default.decode_signed_cookie(_signed_in_the_past(SECRET, "u", 13 * 86400)) == "u"
    # COOKIE_MAX_AGE=None: no expiry, chosen explicitly
    never = configured_auth(AUTHENTICATION={"COOKIE_MAX_AGE": None})
    assert never.decode_signed_cookie(_signed_in_the_past(SECRET, "u", seconds=10**7)) == "u"


def test_key_rotation() -> None:
    before = configured_auth(SECRET_KEY=OTHER_SECRET)
    old_cookie = before.create_signed_cookie_value("user-1")
    rotated = configured_auth(SECRET_KEY=SECRET, SECRET_KEY_FALLBACKS=[OTHER_SECRET])
    assert rotated.decode_signed_cookie(old_cookie) == "user-1"
    new_cookie = rotated.create_signed_cookie_value("user-1")
    # new values are signed with the new key only
    assert before.decode_signed_cookie(new_cookie) is None
    assert configured_auth(SECRET_KEY=SECRET).decode_signed_cookie(new_cookie) == "user-1"
    # once the old key is dropped, old values stop working
    assert configured_auth(SECRET_KEY=SECRET).decode_signed_cookie(old_cookie) is None


async def test_login_and_logout_cookie(build_client: Any) -> None:
    auth = Auth()

    @path("/session")
    class Session(Controller):
        @get("/login/<name>")
        async def login(self, req: Request, name: str) -> Response[Any]:
            return auth.login_user(req.res.json({}), name)

        @get("/logout")
        async def logout(self, req: Request) -> Response[Any]:
            return auth.logout_user(req.res.json({}))

        @get("/me")
        @auth.login_required
        async def me(self, req: Request) -> Response[Any]:
            return req.res.json({"name": req.user.name})

    client = await build_client(
        controllers=[Session],
        EXTENSIONS=[auth],
        SECRET_KEY=SECRET,
        AUTHENTICATION={"COOKIE_SECURE": False, "COOKIE_MAX_AGE": 3600},
    )
    login = await client.get("/session/login/bob")
    set_cookie = login.headers["set-cookie"]
    assert set_cookie.startswith("auth_cookie=")
    assert "HttpOnly" in set_cookie
    assert "Max-Age=3600" in set_cookie
    assert "SameSite=lax" in set_cookie
    assert (await client.get("/session/me")).json() == {"name": "bob"}
    await client.get("/session/logout")
    assert (await client.get("/session/me")).status_code == 401
