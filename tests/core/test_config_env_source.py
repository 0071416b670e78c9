"""The config's environment source reads only the variables that are set, with the stock
source's results; configs it cannot read that way (prefix, aliases) keep the stock source."""

import json

import pytest
from pydantic import Field
from pydantic_settings import EnvSettingsSource, SettingsConfigDict, SettingsError

from pyjolt import BaseConfig
from pyjolt._internal.env_source import PresentKeysEnvSource
from pyjolt.config import load_config


class Cfg(BaseConfig):
    ITEMS: list[int] = [1]
    SECTION: dict[str, int] = {"A": 1}
    NAME: str = "class"


ENVIRON = {
    "NAME": "env",
    "PORT": "9000",
    "DEBUG": "yes",
    "ITEMS": "[2, 3]",
    "CORS_ALLOW_ORIGINS": json.dumps(["https://app.example"]),
    "SECTION": json.dumps({"B": 2}),
    "NOT_A_FIELD": "x",
}


def test_same_values_as_the_stock_source(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ENVIRON.items():
        monkeypatch.setenv(key, value)
    stock = EnvSettingsSource(Cfg, case_sensitive=True)
    fast = PresentKeysEnvSource(Cfg, case_sensitive=True)
    assert fast() == stock()
    assert fast()["ITEMS"] == [2, 3]
    config = load_config(Cfg)
    assert (config.NAME, config.PORT, config.DEBUG, config.ITEMS) == ("env", 9000, True, [2, 3])
    assert config.CORS_ALLOW_ORIGINS == ["https://app.example"]


def test_bad_json_names_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ITEMS", "[2,")
    with pytest.raises(SettingsError, match='field "ITEMS"'):
        load_config(Cfg)


def test_prefix_and_aliases_use_the_stock_source(monkeypatch: pytest.MonkeyPatch) -> None:
    class Prefixed(BaseConfig):
        model_config = SettingsConfigDict(env_prefix="MYAPP_")
        NAME: str = "class"

    class Aliased(BaseConfig):
        NAME: str = Field("class", validation_alias="OTHER_NAME")

    monkeypatch.setenv("NAME", "unprefixed")
    monkeypatch.setenv("MYAPP_NAME", "prefixed")
    monkeypatch.setenv("OTHER_NAME", "aliased")
    assert load_config(Prefixed).NAME == "prefixed"
    assert load_config(Aliased).NAME == "aliased"
