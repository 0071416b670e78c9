"""The app is a Starlette app: Starlette middleware, mounts, late middleware, a light import."""

import subprocess
import sys

import pytest
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from pyjolt import BaseConfig, PyJolt, app
from pyjolt.exceptions import ConfigurationError
from pyjolt.testing import PyJoltTestClient, make_app
from tests.core.support import HelloApi


class Config(BaseConfig):
    APP_NAME: str = "Spec app"
    VERSION: str = "2.0"
    SECRET_KEY: str = "U244RZmYe_tNhd4_TfVukIcqPEm-QQKGbDahuZ0ld-PWlbEcLzU4TlCgEt54uqi0"
    CONTROLLERS: list = [HelloApi]


def test_application_is_a_starlette_app() -> None:
    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    application = Application()
    assert isinstance(application, Starlette)
    assert application.app_name == "Spec app"
    assert application.version == "2.0"
    assert application.app is application
    assert application.get_conf("VERSION") == "2.0"
    assert application.get_conf("NOPE", 5) == 5
    with pytest.raises(ConfigurationError, match="NOPE"):
        application.get_conf("NOPE")
    assert application.configs["DEBUG"] is False  # safe by default


async def test_starlette_middleware_and_mounted_app() -> None:
    sub = Starlette(routes=[Route("/ping", lambda r: PlainTextResponse("pong"))])
    application = make_app(controllers=[HelloApi], MIDDLEWARE=[GZipMiddleware])
    application.router.routes.append(Mount("/sub", app=sub))
    async with PyJoltTestClient(application) as client:
        res = await client.get("/api/big", headers={"accept-encoding": "gzip"})
        assert res.headers["content-encoding"] == "gzip"
        assert res.text == "x" * 5000
        assert (await client.get("/sub/ping")).text == "pong"


async def test_add_middleware_until_start_then_starlettes_error() -> None:
    # issue 19 changed this: late additions work as in Starlette until the app starts
    application = make_app(controllers=[HelloApi])
    application.add_middleware(GZipMiddleware)
    async with PyJoltTestClient(application) as client:
        res = await client.get("/api/big", headers={"accept-encoding": "gzip"})
        assert res.headers["content-encoding"] == "gzip"
    with pytest.raises(RuntimeError, match="after an application has started"):
        application.add_middleware(GZipMiddleware)


def test_import_pyjolt_is_light() -> None:
    code = (
        "import sys, pyjolt, pyjolt.controller, pyjolt.exceptions, pyjolt.testing\n"
        "heavy = ['sqlalchemy', 'redis', 'pymongo', 'apscheduler', 'aiosmtplib', 'openai']\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
