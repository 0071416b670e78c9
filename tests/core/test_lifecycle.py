"""The lifespan: extensions start in order, then hooks; shutdown in reverse; failures close."""

import pytest

from pyjolt import BaseConfig, PyJolt, app, on_shutdown, on_startup
from pyjolt.extension import BaseExtension
from pyjolt.testing import PyJoltTestClient

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
