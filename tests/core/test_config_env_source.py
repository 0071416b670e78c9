"""How a config reads the environment: plain configs without pydantic-settings, with the values
pydantic-settings would give; configs that use its features (env files, prefixes, aliases,
custom sources) through pydantic-settings itself."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

from pyjolt import BaseConfig
from pyjolt._internal.settings_engine import PresentKeysEnvSource
from pyjolt.config import load_config
from pyjolt.exceptions import ConfigurationError


class Point(BaseModel):
    x: int = 0
    y: int = 0


class Shapes(BaseModel):
    """Fields of every kind pydantic-settings treats differently."""

    ITEMS: list[int] = [1]
    SECTION: dict[str, int] = {"A": 1}
    NAME: str = "class"
    RATIO: float = 1.0
    MAYBE_COUNT: int | None = None
    TAGS_OR_TEXT: list[str] | str = "x"
    MODE: Literal["a", "b"] = "a"
    POINT: Point = Point()
    ANYTHING: Any = None
    IDS: set[int] = set()
    PAIR: tuple[int, str] = (0, "")


class Cfg(BaseConfig, Shapes):
    pass


class Twin(BaseSettings, Shapes):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")


ENVIRON = {
    "NAME": "env",
    "PORT": "9000",
    "DEBUG": "yes",
    "ITEMS": "[2, 3]",
    "SECTION": json.dumps({"B": 2}),
    "RATIO": "2.5",
    "MAYBE_COUNT": "7",
    "TAGS_OR_TEXT": "plain text",
    "MODE": "b",
    "POINT": '{"x": 1, "y": 2}',
    "ANYTHING": "[1]",
    "IDS": "[1, 2, 2]",
    "PAIR": '[1, "a"]',
    "CORS_ALLOW_ORIGINS": json.dumps(["https://app.example"]),
    "NOT_A_FIELD": "x",
}


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ENVIRON.items():
        monkeypatch.setenv(key, value)


@pytest.mark.usefixtures("environ")
def test_plain_config_gets_pydantic_settings_values() -> None:
    config = load_config(Cfg)
    twin = Twin()
    for name in Shapes.model_fields.keys() - {"SECTION"}:
        assert getattr(config, name) == getattr(twin, name), name
    assert twin.SECTION == {"B": 2}
    assert config.SECTION == {"A": 1, "B": 2}  # sections merge over the class's dict
    assert (config.PORT, config.DEBUG) == (9000, True)
    assert config.CORS_ALLOW_ORIGINS == ["https://app.example"]
    assert not isinstance(config, BaseSettings)
    assert "NOT_A_FIELD" not in (config.model_extra or {})


@pytest.mark.usefixtures("environ")
def test_keyword_values_win_over_the_environment() -> None:
    given = {"NAME": "given", "SECTION": {"C": 3}, "POINT": {"y": 5}}
    config = load_config(Cfg, given)
    twin = Twin(**given)
    assert (config.NAME, config.POINT) == (twin.NAME, twin.POINT) == ("given", Point(x=1, y=5))
    assert twin.SECTION == {"B": 2, "C": 3}
    assert config.SECTION == {"A": 1, "B": 2, "C": 3}


def test_present_keys_source_matches_the_stock_one(environ: None) -> None:
    class Settings(Twin):
        model_config = SettingsConfigDict(case_sensitive=True)

    assert (
        PresentKeysEnvSource(Settings, case_sensitive=True)()
        == EnvSettingsSource(Settings, case_sensitive=True)()
    )


@pytest.mark.parametrize("value", ["[2,", "{1}", "not json"])
def test_bad_json_names_the_key_and_the_fix(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ITEMS", value)
    with pytest.raises(ConfigurationError, match="ITEMS") as info:
        load_config(Cfg)
    assert "JSON" in str(info.value)


def test_bad_json_in_an_env_file_is_a_configuration_error(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("ITEMS=[2,\n")

    class FromFile(Cfg):
        model_config = SettingsConfigDict(env_file=env_file)

    with pytest.raises(ConfigurationError, match='"ITEMS"'):
        load_config(FromFile)


def test_settings_features_go_through_pydantic_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("NAME=from-file\nOWN_KEY=kept\nSECTION__C=3\nPORT=9002\nDEBUG=true\n")

    class Prefixed(BaseConfig):
        model_config = SettingsConfigDict(env_prefix="MYAPP_")
        NAME: str = "class"

    class Aliased(BaseConfig):
        NAME: str = Field("class", validation_alias="OTHER_NAME")
        ITEMS: list[int] = []

    class FromFile(BaseConfig):
        model_config = SettingsConfigDict(env_file=env_file)
        NAME: str = "class"
        SECTION: dict[str, int] = {"A": 1}

    class FromFileChild(FromFile):
        APP_NAME = "child"

    class Custom(BaseConfig):
        NAME: str = "class"

        @classmethod
        def settings_customise_sources(
            cls, settings_cls: Any, init_settings: Any, **sources: Any
        ) -> Any:
            return (init_settings,)  # keyword values only: the environment is not read

    monkeypatch.setenv("NAME", "unprefixed")
    monkeypatch.setenv("MYAPP_NAME", "prefixed")
    monkeypatch.setenv("OTHER_NAME", "aliased")
    monkeypatch.setenv("ITEMS", "[4]")
    monkeypatch.setenv("PORT", "9003")  # the environment wins over the env file
    assert load_config(Prefixed).NAME == "prefixed"
    aliased = load_config(Aliased)
    assert (aliased.NAME, aliased.ITEMS) == ("aliased", [4])
    assert load_config(Custom).NAME == "class"
    monkeypatch.delenv("NAME")
    for cls in (FromFile, FromFileChild):
        config = load_config(cls)
        assert (config.NAME, config.SECTION) == ("from-file", {"A": 1, "C": 3})
        assert (config.PORT, config.DEBUG) == (9003, True)
        assert config.model_extra == {"OWN_KEY": "kept"}
        assert isinstance(config, BaseSettings)
    assert load_config(FromFileChild).APP_NAME == "child"
    assert not isinstance(load_config(Aliased), BaseSettings)


def test_a_misspelt_settings_option_stops_start_up(tmp_path: Path) -> None:
    class Misspelt(BaseConfig):
        model_config = {"env_fle": str(tmp_path / ".env")}

    with pytest.raises(ConfigurationError, match=r"'env_fle' is not .*; did you mean env_file"):
        load_config(Misspelt)


def test_a_plain_app_does_not_import_pydantic_settings(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from pyjolt import BaseConfig, PyJolt, app\n"
        "class Config(BaseConfig):\n"
        "    ITEMS: list[int] = []\n"
        "@app(__name__, configs=Config)\n"
        "class App(PyJolt):\n"
        "    pass\n"
        "built = App()\n"
        "print(built.configs['PORT'], built.configs['ITEMS'], 'pydantic_settings' in sys.modules)\n"
    )
    env = {**os.environ, "PORT": "9004", "DEBUG": "true", "SECRET_KEY": "x" * 40}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["9004", "[]", "False"]
    env["ITEMS"] = "[5]"  # a list value is parsed by pydantic-settings' own source
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["9004", "[5]", "True"]
