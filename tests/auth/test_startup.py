"""Start-up checks: SECRET_KEY, config section, user_loader."""

from __future__ import annotations

from typing import Any

import pytest
from loguru import logger

from pyjolt.auth import Authentication
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import make_app
from tests.auth.support import SECRET, Auth


@pytest.fixture
def warnings_logged() -> Any:
    messages: list[str] = []
    sink = logger.add(lambda m: messages.append(str(m)), level="WARNING", format="{message}")
    yield messages
    logger.remove(sink)


def test_missing_secret_key_stops_startup() -> None:
    with pytest.raises(ConfigurationError, match="needs SECRET_KEY"):
        make_app(EXTENSIONS=[Auth()], DEBUG=False)


def test_weak_secret_key_stops_startup() -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY is too short"):
        make_app(EXTENSIONS=[Auth()], SECRET_KEY="Jf7ap54_Lhzcp1UCBfgWDHmZKY1Ft8V")
    with pytest.raises(ConfigurationError, match=r"SECRET_KEY_FALLBACKS\[0\]"):
        make_app(EXTENSIONS=[Auth()], SECRET_KEY=SECRET, SECRET_KEY_FALLBACKS=["old"])
    # HS512 needs a 64-byte key
    with pytest.raises(ConfigurationError, match="JWT_ALGORITHM HS512"):
        make_app(EXTENSIONS=[Auth()], SECRET_KEY=SECRET, AUTHENTICATION={"JWT_ALGORITHM": "HS512"})


def test_debug_allows_missing_or_weak_key_with_a_warning(warnings_logged: list[str]) -> None:
    auth = Auth()
    make_app(EXTENSIONS=[auth], DEBUG=True)
    assert any("SECRET_KEY is not set" in m for m in warnings_logged)
    assert auth.decode_signed_cookie(auth.create_signed_cookie_value("u")) == "u"
    weak = Auth()
    make_app(EXTENSIONS=[weak], DEBUG=True, SECRET_KEY="short-dev-key")
    assert any("too short" in m for m in warnings_logged)
    assert all("short-dev-key" not in m for m in warnings_logged)  # secrets stay out of logs
    assert weak.decode_signed_cookie(weak.create_signed_cookie_value("u")) == "u"


def test_user_loader_is_required() -> None:
    class Lazy(Authentication):
        pass

    with pytest.raises(ConfigurationError, match="must implement 'async def user_loader"):
        make_app(EXTENSIONS=[Lazy()], SECRET_KEY=SECRET)


def test_unknown_or_invalid_config_keys_are_named() -> None:
    with pytest.raises(ConfigurationError, match="COOKIE_MAXAGE"):
        make_app(EXTENSIONS=[Auth()], SECRET_KEY=SECRET, AUTHENTICATION={"COOKIE_MAXAGE": 1})
    with pytest.raises(ConfigurationError, match="JWT_ALGORITHM"):
        make_app(EXTENSIONS=[Auth()], SECRET_KEY=SECRET, AUTHENTICATION={"JWT_ALGORITHM": "RS256"})


def test_flat_config_keys() -> None:
    auth = Auth()
    make_app(
        EXTENSIONS=[auth],
        SECRET_KEY=SECRET,
        AUTHENTICATION_ERROR_MESSAGE="Please sign in",
        AUTHENTICATION_COOKIE_NAME="sid",
    )
    assert auth.authentication_message == "Please sign in"
    assert auth.config.COOKIE_NAME == "sid"


def test_one_instance_on_several_apps() -> None:
    auth = Auth()
    make_app(EXTENSIONS=[auth], SECRET_KEY=SECRET)
    first = auth.create_signed_cookie_value("u")
    make_app(
        EXTENSIONS=[auth],
        SECRET_KEY="H-h3GujobLlskv_r0I-DO78IyBrtaJfK-RZCJMDh9l_9TfL7fd9f",
        AUTHENTICATION={"COOKIE_MAX_AGE": 5},
    )
    assert auth.config.COOKIE_MAX_AGE == 5
    assert auth.decode_signed_cookie(first) is None  # the latest app's key is used
    assert auth.decode_signed_cookie(auth.create_signed_cookie_value("u")) == "u"
