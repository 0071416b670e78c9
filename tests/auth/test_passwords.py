"""Password hashes: Argon2 round trips, odd passwords, old bcrypt hashes and upgrades."""

from __future__ import annotations

from typing import Any

import bcrypt
import pytest
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from pyjolt.auth import (
    PasswordHasher,
    check_password_hash,
    check_password_hash_and_update_async,
    check_password_hash_async,
    create_password_hash,
    hash_password_async,
    password_needs_rehash,
)
from tests.auth.support import configured_auth


def test_round_trip_and_wrong_password() -> None:
    hashed = create_password_hash("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert check_password_hash("correct horse battery staple", hashed)
    assert not check_password_hash("correct horse battery stapler", hashed)
    assert not check_password_hash("", hashed)
    assert create_password_hash("same") != create_password_hash("same")  # salted


def test_extension_methods() -> None:
    auth = configured_auth()
    hashed = auth.create_password_hash("pw")
    assert auth.check_password_hash("pw", hashed)
    assert not auth.check_password_hash("pW", hashed)
    assert not auth.password_needs_rehash(hashed)


@pytest.mark.parametrize(
    "password",
    [
        "x" * 199 + "y",  # 200 bytes: longer than bcrypt's 72
        "é" * 100,  # 200 bytes of UTF-8
        "pässwörd 🔑 密码",
        "nul\x00inside",
        "lone surrogate \ud800",
        "",
        " ",
    ],
    ids=["200-bytes", "200-bytes-utf8", "unicode", "nul", "surrogate", "empty", "space"],
)
def test_odd_passwords_round_trip(password: str) -> None:
    hashed = create_password_hash(password)
    assert check_password_hash(password, hashed)
    assert not check_password_hash(password + "!", hashed)


def test_long_passwords_use_every_byte() -> None:
    hashed = create_password_hash("x" * 199 + "y")
    assert not check_password_hash("x" * 199 + "z", hashed)
    assert not check_password_hash("x" * 72, hashed)


def test_unicode_forms_are_distinct() -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    hashed = create_password_hash(composed)
    assert check_password_hash(composed, hashed)
    assert not check_password_hash(decomposed, hashed)


@pytest.mark.parametrize(
    "bad_hash",
    ["", "not a hash", "$argon2id$v=19$m=65536,t=3,p=4$garbage", "$2b$04$short", None, 12],
)
def test_malformed_hashes_are_refusals(bad_hash: Any) -> None:
    assert check_password_hash("pw", bad_hash) is False


def test_non_string_password_is_a_refusal() -> None:
    hashed = create_password_hash("pw")
    assert check_password_hash(None, hashed) is False  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        create_password_hash(None)  # type: ignore[arg-type]


async def test_old_bcrypt_hash_verifies_and_upgrades() -> None:
    old = bcrypt.hashpw(b"hunter2", bcrypt.gensalt(4)).decode()
    assert check_password_hash("hunter2", old)
    assert not check_password_hash("hunter3", old)
    assert password_needs_rehash(old)
    ok, upgraded = await check_password_hash_and_update_async("hunter2", old)
    assert ok
    assert upgraded is not None
    assert upgraded.startswith("$argon2id$")
    assert check_password_hash("hunter2", upgraded)
    assert not password_needs_rehash(upgraded)
    assert await check_password_hash_and_update_async("hunter2", upgraded) == (True, None)
    assert await check_password_hash_and_update_async("nope", old) == (False, None)


def test_old_bcrypt_hash_of_a_long_password() -> None:
    password = "p" * 100
    # older bcrypt libraries silently hashed only the first 72 bytes
    old = bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(4)).decode()
    assert check_password_hash(password, old)
    assert not check_password_hash("q" + password[1:], old)


def test_outdated_argon2_parameters_need_rehash() -> None:
    weak = PasswordHasher(PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8192),)))
    old = weak.hash("pw")
    assert password_needs_rehash(old)
    assert check_password_hash("pw", old)
    assert not password_needs_rehash(create_password_hash("pw"))


async def test_async_forms() -> None:
    hashed = await hash_password_async("s3cret")
    assert await check_password_hash_async("s3cret", hashed)
    assert not await check_password_hash_async("s3cre7", hashed)
    assert not await check_password_hash_async("s3cret", "garbage")


def test_unknown_user_costs_a_real_password_check() -> None:
    """``verify(password, None)`` (no such user) checks against a dummy Argon2 hash, so it
    costs what a wrong password costs: login timing does not reveal which users exist."""
    from pyjolt.auth.passwords import PasswordHasher

    hasher = PasswordHasher()
    calls: list[str] = []
    real = hasher.password_hash.verify

    def counting(secret: Any, hashed: Any) -> bool:
        calls.append(str(hashed))
        return real(secret, hashed)

    hasher.password_hash.verify = counting  # type: ignore[method-assign]
    assert hasher.verify("guess", None) is False
    assert hasher.verify("guess", "") is False
    assert len(calls) == 2
    assert all(c.startswith("$argon2id$") for c in calls)
