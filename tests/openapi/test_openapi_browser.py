"""The docs pages rendered in a real headless Chromium, against uvicorn on 127.0.0.1.

Needs Debian's ``chromium`` (``apt-get install -y chromium``): skipped when absent, failed
under PYJOLT_REQUIRE_SERVICES=1. The browser gets no network but the loopback server.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pyjolt.openapi import find_redoc, find_swagger_ui
from pyjolt.openapi.assets import _swagger_ui_bundle
from tests.services import HEADLESS_CHROMIUM_FLAGS, chromium_binary

HERE = Path(__file__).parent
EXPECTED_OPERATIONS = (
    "UsersApi.get_user",
    "UsersApi.create_user",
    "UsersApi.delete_user",
    "UsersApi.secret",
    "FilesApi.upload",
    "MiscApi.price",
    "MiscApi.items_a",
)
EXPECTED_PATHS = ("/api/users/{user_id}", "/api/files/{folder}", "/api/misc/prices/{amount}")


#: the example app imports its model modules by their own names: serve it from its folder
APP = ("openapi_example_app:create_app_from_env", "--app-dir", str(HERE), "--factory")


@pytest.fixture
def server(uvicorn_server: Callable[..., str]) -> str:
    chromium_binary()  # skip (or fail under PYJOLT_REQUIRE_SERVICES=1) before starting anything
    return uvicorn_server(*APP, "--log-level", "warning")


@pytest.fixture
def server_swagger_ui_4(uvicorn_server: Callable[..., str]) -> str:
    chromium_binary()
    env = {"PYJOLT_OPENAPI_SWAGGER": "bundle"}
    return uvicorn_server(*APP, "--log-level", "warning", env=env)


def dump_dom(url: str) -> str:
    """Load ``url`` in headless Chromium and return the DOM after scripts ran."""
    chromium = chromium_binary()
    with tempfile.TemporaryDirectory(prefix="pyjolt-chromium-") as profile:
        cmd = [
            chromium,
            *HEADLESS_CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ]
        done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode("utf-8", errors="replace")


def _assert_swagger_rendered(dom: str) -> None:
    assert "Unable to render this definition" not in dom
    assert '<h2 class="title">Example API' in dom
    ids = set(re.findall(r'id="operations-[^"-]+-([^"]+)"', dom))
    ids = {i.replace("\\.", ".") for i in ids}
    for operation in EXPECTED_OPERATIONS:
        assert operation in ids, (operation, sorted(ids))
    for url in EXPECTED_PATHS:
        assert f'data-path="{url}"' in dom, url
    assert "/api/internal" not in dom  # open_api_spec=False stays out of the page


def test_swagger_ui_shows_the_operations(server: str) -> None:
    chromium_binary()
    if find_swagger_ui() is None:
        pytest.skip("no Swagger UI package installed (the 'full' extra brings one)")
    dom = dump_dom(f"{server}/openapi/docs")
    _assert_swagger_rendered(dom)


def test_swagger_ui_4_from_swagger_ui_bundle_shows_the_operations(server_swagger_ui_4: str) -> None:
    chromium_binary()
    bundle = _swagger_ui_bundle()
    if bundle is None:
        pytest.skip("swagger-ui-bundle is not installed")
    dom = dump_dom(f"{server_swagger_ui_4}/openapi/docs")
    assert "static/swagger-ui/swagger-ui-bundle.js" in dom
    _assert_swagger_rendered(dom)


def test_redoc_shows_the_operations(server: str) -> None:
    chromium_binary()
    if find_redoc() is None:
        pytest.skip("openapi-ui-bundles (ReDoc) is not installed")
    dom = dump_dom(f"{server}/openapi/redoc")
    assert "Return one user." in dom
    for operation in EXPECTED_OPERATIONS:
        assert f"operation/{operation}" in dom, operation
