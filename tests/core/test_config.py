"""Config: environment values, errors naming the key, values kept as given."""

import json

import pytest

from pyjolt import BaseConfig, PyJolt, app
from pyjolt.exceptions import ConfigurationError
from pyjolt.testing import make_app
from tests.core.support import HelloApi


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
