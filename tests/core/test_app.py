"""The foundation: the app is a Starlette app, config, registry, lifespan, packaging rules."""

import json
import subprocess
import sys

import pytest
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route

from pyjolt import BaseConfig, PyJolt, Request, Response, app, on_shutdown, on_startup
from pyjolt.controller import Controller, get, path
from pyjolt.exceptions import ConfigurationError
from pyjolt.extension import BaseExtension
from pyjolt.testing import PyJoltTestClient, make_app


@path("/api")
class HelloApi(Controller):
    @get("/hello")
    async def hello(self, req: Request) -> Response:
        return req.res.json({"hello": "world", "app": self.app.app_name})

    @get("/big")
    async def big(self, req: Request) -> Response:
        return req.res.text("x" * 5000)


class Config(BaseConfig):
    APP_NAME: str = "Spec app"
    VERSION: str = "2.0"
    SECRET_KEY: str = "s" * 40
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


async def test_config_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_NAME", "From env")
    monkeypatch.setenv("DEBUG", "true")
    monkeypatch.setenv("MY_SECTION", json.dumps({"URI": "sqlite://", "SIZE": 3}))
    monkeypatch.setenv("DECLARED", json.dumps({"A": 2}))
    application = make_app(controllers=[HelloApi], DECLARED={"A": 1})
    assert application.app_name == "From env"
    assert application.debug is True
    assert application.get_conf("DECLARED") == {"A": 2}
    assert application.get_conf("MY_SECTION") == {"URI": "sqlite://", "SIZE": 3}


def test_bad_config_value_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(ConfigurationError, match=r"PORT.*not-a-port"):
        make_app()


def test_bad_import_string_names_key_and_index() -> None:
    with pytest.raises(
        ConfigurationError, match=r"CONTROLLERS\[1\] 'tests.core.test_app:Missing'.*no attribute"
    ):
        make_app(controllers=[HelloApi, "tests.core.test_app:Missing"])
    with pytest.raises(ConfigurationError, match=r"CONTROLLERS\[0\].*could not be found"):
        make_app(controllers=["no_such_module.api:Api"])
    with pytest.raises(
        ConfigurationError, match=r"EXCEPTION_HANDLERS\[0\].*expected an ExceptionHandler"
    ):
        make_app(EXCEPTION_HANDLERS=["tests.core.test_app:HelloApi"])


async def test_import_strings_resolve() -> None:
    application = make_app(controllers=["tests.core.test_app:HelloApi"])
    async with PyJoltTestClient(application) as client:
        assert (await client.get("/api/hello")).json()["hello"] == "world"


EVENTS: list[str] = []


class RecordingExtension(BaseExtension):  # type: ignore[type-arg]
    default_configs_name = "RECORDING"

    def __init__(self, name: str) -> None:
        super().__init__(configs_name=f"RECORDING_{name.upper()}")
        self.name = name
        self.started = False

    async def startup(self) -> None:
        self.started = True
        EVENTS.append(f"start {self.name}")

    async def shutdown(self) -> None:
        EVENTS.append(f"stop {self.name}")


async def test_lifespan_order() -> None:
    EVENTS.clear()
    first, second = RecordingExtension("a"), RecordingExtension("b")

    class Cfg(BaseConfig):
        EXTENSIONS: list = [first, second]

    @app(__name__, configs=Cfg)
    class Application(PyJolt):
        @on_startup
        async def zeta(self) -> None:
            EVENTS.append(f"hook zeta sees a started={first.started}")

        @on_startup
        async def alpha(self) -> None:
            EVENTS.append("hook alpha")

        @on_shutdown
        async def closing(self) -> None:
            EVENTS.append("hook closing")

    async with PyJoltTestClient(Application()):
        assert EVENTS == ["start a", "start b", "hook zeta sees a started=True", "hook alpha"]
    assert EVENTS[4:] == ["hook closing", "stop b", "stop a"]


async def test_failing_startup_fails_lifespan_and_closes_started_extensions() -> None:
    EVENTS.clear()
    ext = RecordingExtension("c")

    class Cfg(BaseConfig):
        EXTENSIONS: list = [ext]

    @app(__name__, configs=Cfg)
    class Application(PyJolt):
        @on_startup
        async def broken(self) -> None:
            raise RuntimeError("database unreachable")

    with pytest.raises(BaseException, match="database unreachable"):
        async with PyJoltTestClient(Application()):
            pass
    assert EVENTS == ["start c", "stop c"]


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


def test_config_values_keep_object_identity() -> None:
    import threading

    lock = threading.Lock()  # cannot be deep-copied

    class Cfg(BaseConfig):
        SECTION = {"NESTED": {"LOCK": lock}, "ITEMS": [lock]}

    @app(__name__, configs=Cfg)
    class Application(PyJolt):
        pass

    first, second = Application(), Application()
    assert first.get_conf("SECTION")["NESTED"]["LOCK"] is lock
    assert second.get_conf("SECTION")["ITEMS"][0] is lock
    assert first.get_conf("SECTION") is not second.get_conf("SECTION")  # containers are per app
