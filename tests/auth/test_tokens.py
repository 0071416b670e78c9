"""JWT helpers: round trip, expiry, tampering, alg none, wrong algorithm, garbage, bearer."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
import pytest

from pyjolt.auth import bearer_token
from tests.auth.support import OTHER_SECRET, SECRET, configured_auth, jwt_segment

LONG_SECRET = "1o7mCeo5fC_DY-1F58zBYmYLk7VQJcJSjya1Dd-t5JVUnXl-ou630g7wom7UTSdd"


def test_round_trip_sets_iat_and_exp() -> None:
    auth = configured_auth()
    before = int(time.time())
    claims = auth.validate_jwt_token(auth.create_jwt_token({"sub": "bob", "roles": ["user"]}, 120))
    assert claims is not None
    assert claims["sub"] == "bob"
    assert claims["roles"] == ["user"]
    assert before <= claims["iat"] <= before + 5
    assert claims["exp"] == claims["iat"] + 120
    header = jwt.get_unverified_header(auth.create_jwt_token({}))
    assert header["alg"] == "HS256"


def test_expired_token_gives_none() -> None:
    auth = configured_auth()
    assert auth.validate_jwt_token(auth.create_jwt_token({"sub": "bob"}, expires_in=-10)) is None
    now = int(time.time())
    stale = jwt.encode({"sub": "bob", "iat": now - 100, "exp": now - 50}, SECRET, algorithm="HS256")
    assert auth.validate_jwt_token(stale) is None


def test_tokens_without_exp_or_iat_are_refused() -> None:
    auth = configured_auth()
    now = int(time.time())
    assert auth.validate_jwt_token(jwt.encode({"sub": "x"}, SECRET, algorithm="HS256")) is None
    no_iat = jwt.encode({"sub": "x", "exp": now + 60}, SECRET, algorithm="HS256")
    assert auth.validate_jwt_token(no_iat) is None
    ok = jwt.encode({"sub": "x", "exp": now + 60, "iat": now}, SECRET, algorithm="HS256")
    assert auth.validate_jwt_token(ok) is not None


def test_tampered_token_gives_none() -> None:
    auth = configured_auth()
    token = auth.create_jwt_token({"sub": "bob", "roles": ["user"]})
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["admin"]
    assert auth.validate_jwt_token(f"{header}.{jwt_segment(claims)}.{signature}") is None
    assert auth.validate_jwt_token(f"{header}.{payload}.{signature[::-1]}") is None
    assert configured_auth(SECRET_KEY=OTHER_SECRET).validate_jwt_token(token) is None


def test_alg_none_is_refused() -> None:
    auth = configured_auth()
    now = int(time.time())
    claims = {"sub": "alice", "iat": now, "exp": now + 60}
    unsigned = f"{jwt_segment({'alg': 'none', 'typ': 'JWT'})}.{jwt_segment(claims)}."
    assert auth.validate_jwt_token(unsigned) is None
    pyjwt_unsigned = jwt.encode(claims, None, algorithm="none")  # type: ignore[arg-type]
    assert auth.validate_jwt_token(pyjwt_unsigned) is None


def test_wrong_algorithm_is_refused() -> None:
    now = int(time.time())
    claims = {"sub": "alice", "iat": now, "exp": now + 60}
    hs512 = jwt.encode(claims, LONG_SECRET, algorithm="HS512")
    pinned_256 = configured_auth(SECRET_KEY=LONG_SECRET)
    assert pinned_256.validate_jwt_token(hs512) is None
    pinned_512 = configured_auth(SECRET_KEY=LONG_SECRET, AUTHENTICATION={"JWT_ALGORITHM": "HS512"})
    assert pinned_512.validate_jwt_token(hs512) is not None
    assert pinned_512.validate_jwt_token(pinned_256.create_jwt_token({"sub": "x"})) is None
    assert jwt.get_unverified_header(pinned_512.create_jwt_token({}))["alg"] == "HS512"


@pytest.mark.parametrize(
    "garbage",
    ["", "abc", "a.b.c", "..", "Bearer x.y.z", "\x00\xff", "é.é.é", b"\xff\xfe", None, 42, {}],
)
def test_garbage_gives_none(garbage: Any) -> None:
    assert configured_auth().validate_jwt_token(garbage) is None


def test_key_rotation_and_issuer() -> None:
    old = configured_auth(SECRET_KEY=OTHER_SECRET).create_jwt_token({"sub": "bob"})
    rotated = configured_auth(SECRET_KEY_FALLBACKS=[OTHER_SECRET])
    assert rotated.validate_jwt_token(old) is not None
    assert configured_auth().validate_jwt_token(old) is None
    strict = configured_auth(AUTHENTICATION={"JWT_ISSUER": "pyjolt-tests", "JWT_AUDIENCE": "api"})
    token = strict.create_jwt_token({"sub": "bob"})
    claims = strict.validate_jwt_token(token)
    assert claims is not None
    assert (claims["iss"], claims["aud"]) == ("pyjolt-tests", "api")
    # a token of the same key without the issuer/audience is refused
    assert strict.validate_jwt_token(configured_auth().create_jwt_token({"sub": "bob"})) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer   abc", "abc"),
        ("BEARER abc ", "abc"),
        ("Basic dXNlcjpwYXNz", None),
        ("Bearer", None),
        ("Bearer ", None),
        ("Bearer a b", None),
        ("", None),
    ],
)
def test_bearer_token(header: str, expected: str | None) -> None:
    assert bearer_token({"authorization": header}) == expected
    assert bearer_token({}) is None
