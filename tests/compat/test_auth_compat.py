"""0.111 auth: cookies signed the 0.111 way (``VALUE|urlsafe_b64(HMAC-SHA256)``) are accepted
only with ``ACCEPT_LEGACY_COOKIES`` and re-issued in the current format; ``AuthUtils`` works
and warns."""

from __future__ import annotations

import secrets
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.auth import Authentication
from pyjolt.controller import Controller, get, path
from pyjolt.request import AnyRequest
from pyjolt.testing import PyJoltTestClient, make_app
from tests.compat.support import signed_the_0111_way


class CookieAuth(Authentication):
    """The spec's user loader: ``self.decode_signed_cookie`` on the ``auth_cookie``."""

    async def user_loader(self, req: AnyRequest) -> Any:
        user_id = self.decode_signed_cookie(req.cookies.get("auth_cookie"))
        return {"id": user_id} if user_id else None


def me_api(auth: Authentication) -> type[Controller]:
    @path("/me")
    class Me(Controller):
        @get("/")
        @auth.login_required
        async def me(self, req: Request) -> Response[Any]:
            return req.response.json({"id": req.user["id"]})

    return Me


def build(auth: Authentication, key: str, **section: Any) -> Any:
    return make_app(
        controllers=[me_api(auth)],
        EXTENSIONS=[auth],
        SECRET_KEY=key,
        AUTHENTICATION=section,
    )


async def test_0111_cookie_refused_by_default() -> None:
    key = secrets.token_urlsafe(48)
    async with PyJoltTestClient(build(CookieAuth(), key)) as client:
        answer = await client.get(
            "/me", headers={"cookie": f"auth_cookie={signed_the_0111_way(7, key)}"}
        )
    assert answer.status_code == 401


async def test_0111_cookie_accepted_with_the_setting_and_reissued() -> None:
    key = secrets.token_urlsafe(48)
    auth = CookieAuth()
    legacy = signed_the_0111_way(42, key)
    async with PyJoltTestClient(build(auth, key, ACCEPT_LEGACY_COOKIES=True)) as client:
        first = await client.get("/me", headers={"cookie": f"auth_cookie={legacy}"})
        assert first.status_code == 200, first.text
        assert first.json() == {"id": "42"}
        # re-issued in the current format, under the same cookie name
        fresh = first.cookies.get("auth_cookie")
        assert fresh and fresh != legacy and "|" not in fresh
        assert auth.decode_signed_cookie(fresh) == "42"
        client.cookies.clear()
        second = await client.get("/me", headers={"cookie": f"auth_cookie={fresh}"})
        assert second.status_code == 200
        assert "set-cookie" not in second.headers
        # signed with another key, or tampered: still no user
        for bad in (
            signed_the_0111_way(42, secrets.token_urlsafe(48)),
            legacy.replace("42|", "43|"),
            "42|",
            "garbage",
        ):
            refused = await client.get("/me", headers={"cookie": f"auth_cookie={bad}"})
            assert refused.status_code == 401, bad


async def test_auth_utils_work_and_warn() -> None:
    with pytest.warns(DeprecationWarning, match=r"AuthUtils.*auth\.decode_signed_cookie"):
        from pyjolt.auth import AuthUtils
    key = secrets.token_urlsafe(48)
    cookie = AuthUtils.create_signed_cookie_value(5, key)
    assert AuthUtils.decode_signed_cookie(cookie, key) == "5"
    assert AuthUtils.decode_signed_cookie(cookie, secrets.token_urlsafe(48)) is None
    # 0.111 cookies: only while an app with this key has the setting on
    assert AuthUtils.decode_signed_cookie(signed_the_0111_way(5, key), key) is None
    hashed = AuthUtils.create_password_hash("hunter2")
    assert AuthUtils.check_password_hash("hunter2", hashed)
    assert not AuthUtils.check_password_hash("hunter3", hashed)
    token = AuthUtils.create_jwt_token({"sub": "5"}, key, expires_in=60)
    assert AuthUtils.validate_jwt_token(token, key)["sub"] == "5"  # type: ignore[index]
    assert AuthUtils.validate_jwt_token(token, secrets.token_urlsafe(48)) is None
    assert AuthUtils.validate_jwt_token("not.a.token", key) is None

    class UtilsAuth(Authentication):
        """A 0.111-style loader: the static helper with the app's key."""

        async def user_loader(self, req: AnyRequest) -> Any:
            user_id = AuthUtils.decode_signed_cookie(
                req.cookies.get("auth_cookie"), self.app.get_conf("SECRET_KEY")
            )
            return {"id": user_id} if user_id else None

    auth = UtilsAuth()
    async with PyJoltTestClient(build(auth, key, ACCEPT_LEGACY_COOKIES=True)) as client:
        answer = await client.get(
            "/me", headers={"cookie": f"auth_cookie={signed_the_0111_way(9, key)}"}
        )
        assert answer.status_code == 200
        assert answer.json() == {"id": "9"}
        fresh = answer.cookies.get("auth_cookie")
        assert fresh and AuthUtils.decode_signed_cookie(fresh, key) == "9"
