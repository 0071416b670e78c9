"""Broken config names its key; with DEBUG off no answer or CRITICAL log leaks internals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyjolt import BaseConfig, Request
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.middleware import MiddlewareBase
from pyjolt.testing import PyJoltTestClient, make_app
from tests.robustness import robust_app
from tests.robustness.support import assert_clean


@pytest.mark.parametrize(
    ("overrides", "names"),
    [
        ({"MAX_BODY_SIZE": -1}, ["MAX_BODY_SIZE"]),
        ({"MAX_BODY_SIZE": "ten"}, ["MAX_BODY_SIZE"]),
        ({"PORT": 99999}, ["PORT"]),
        ({"DEBUG": "maybe"}, ["DEBUG"]),
        ({"CORS_ALLOW_ORIGINS": "https://a.example"}, ["CORS_ALLOW_ORIGINS"]),
        ({"CORS_MAX_AGE": "soon"}, ["CORS_MAX_AGE"]),
        ({"STATIC_URL": 5}, ["STATIC_URL"]),
        ({"TEMPLATES_STRICT": "perhaps"}, ["TEMPLATES_STRICT"]),
        ({"REQUEST_CLASS": int}, ["REQUEST_CLASS"]),
        ({"DEFAULT_LOGGER": "loud"}, ["DEFAULT_LOGGER"]),
        ({"DEFAULT_LOGGER": {"LEVEL": "LOUD"}}, ["DEFAULT_LOGGER", "LOUD"]),
        ({"CONTROLLERS": ["nope.mod:Api"]}, ["CONTROLLERS[0]", "nope.mod"]),
        ({"CONTROLLERS": [42]}, ["CONTROLLERS[0]"]),
        ({"EXTENSIONS": "auth"}, ["EXTENSIONS"]),
        ({"MIDDLEWARE": ["nope:X"]}, ["MIDDLEWARE[0]"]),
        ({"EXCEPTION_HANDLERS": [int]}, ["EXCEPTION_HANDLERS[0]"]),
        ({"LOGGERS": ["nope:L"]}, ["LOGGERS[0]"]),
        ({"SECRET_KEY": "short"}, ["SECRET_KEY", "at least"]),
        ({"SECRET_KEY": None}, ["SECRET_KEY"]),
        ({"AUTHENTICATION": {"COOKIE_SAMESITE": "bogus"}}, ["COOKIE_SAMESITE"]),
        ({"AUTHENTICATION": {"JWT_ALGORITHM": "none"}}, ["JWT_ALGORITHM"]),
        ({"AUTHENTICATION": {"COOKIE_NAMEE": "x"}}, ["COOKIE_NAMEE"]),
        ({"AUTHENTICATION": "x"}, ["AUTHENTICATION"]),
        ({"CACHE": {"DURATION": -5}}, ["CACHE", "DURATION"]),
        ({"CACHE": {"BACKEND": "nope.mod:Backend"}}, ["CACHE", "BACKEND"]),
        ({"CACHE": {"MAX_ENTRIES": "lots"}}, ["MAX_ENTRIES"]),
    ],
)
def test_config_errors_name_the_key(overrides: dict[str, Any], names: list[str]) -> None:
    config = {**robust_app.BASE_CONFIG, **overrides}
    controllers = config.pop("CONTROLLERS", robust_app.CONTROLLERS)
    with pytest.raises(ConfigurationError) as info:
        make_app(controllers=controllers, **config)
    for name in names:
        assert name in str(info.value), str(info.value)


def test_config_class_overrides_keep_types() -> None:
    class MyRequest(Request):
        pass

    class Config(BaseConfig):
        REQUEST_CLASS = MyRequest
        MAX_BODY_SIZE = 1024
        DEBUG = "true"

    config = Config()
    assert config.REQUEST_CLASS is MyRequest
    assert config.DEBUG is True


class BodyReader(MiddlewareBase):
    async def middleware(self, req: Any) -> Any:
        await req.body()
        return await self.next(req)


async def _chunks() -> AsyncIterator[bytes]:
    for _ in range(20):
        yield b"x" * 8192


async def test_body_reading_middleware_is_held_to_the_limit(make_client: Any) -> None:
    async with make_client(MIDDLEWARE=[BodyReader]) as client:
        res = await client.post(
            "/api/raw", content=_chunks(), headers={"content-type": "application/json"}
        )
        assert_clean(res, 413)
        ok = await client.post("/api/raw", json={"a": 1})
        assert ok.json() == {"type": "dict"}


SECRETS = {
    "authorization": "Bearer tok-SECRET-1234567890",
    "cookie": "auth_cookie=cookie-SECRET-abcdef; other=sess-SECRET-99",
}
BODY_SECRET = "body-SECRET-password-hunter2"


@pytest.mark.parametrize(("method", "url"), [("GET", "/api/boom"), ("POST", "/api/boom")])
async def test_500_hides_traceback_and_secrets(
    client: PyJoltTestClient, captured_logs: list[str], method: str, url: str
) -> None:
    res = await client.request(
        method, url, headers=SECRETS, content=BODY_SECRET.encode() if method == "POST" else None
    )
    body = assert_clean(res, 500)
    assert body["message"] == "Internal server error"
    assert "kaboom" not in res.text and "SECRET" not in res.text
    critical = [line for line in captured_logs if line.startswith("CRITICAL")]
    assert len(critical) == 1, captured_logs
    assert "RuntimeError" in critical[0]  # the log keeps the traceback for the operator
    for secret in ("tok-SECRET", "cookie-SECRET", "sess-SECRET", BODY_SECRET):
        assert secret not in critical[0]


async def test_no_answer_contains_a_traceback(client: PyJoltTestClient) -> None:
    attempts = [
        ("GET", "/api/boom", {}),
        ("POST", "/api/items", {"content": b"{"}),
        (
            "POST",
            "/api/upload",
            {"content": b"--", "headers": {"content-type": "multipart/form-data"}},
        ),
        ("GET", "/api/items/x", {}),
        ("BREW", "/api/items/1", {}),
        ("GET", "/static/%2e%2e/x", {}),
        ("GET", "/secure/admin-a", {"headers": {"authorization": "Bearer x.y.z"}}),
    ]
    for method, url, kwargs in attempts:
        res = await client.request(method, url, **kwargs)
        assert res.status_code >= 400
        assert_clean(res, res.status_code)


async def test_debug_mode_does_show_the_error(make_client: Any) -> None:
    async with make_client(DEBUG=True) as client:
        res = await client.get("/api/boom", headers={"accept": "text/html"})
    assert res.status_code == 500
    assert "kaboom" in res.text  # proves the DEBUG False checks above can fail
