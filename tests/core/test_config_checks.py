"""Start-up config checks: misspelt keys, sections and env variables; merged env overrides;
production secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from pyjolt import BaseConfig, PyJolt, app
from pyjolt.exceptions import ConfigurationError
from pyjolt.extension import BaseExtension, ExtensionConfig
from pyjolt.testing import make_app

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "V9cTq2rXw7LmB4sZ8nKd1PfH6yJ3gRt5uEo0aWiN_QxCvMbY-zSlDhGkF"


class WidgetConfig(ExtensionConfig):
    URL: str = "memory://"
    TIMEOUT: float = Field(5.0, gt=0)
    RETRIES: int = 3


class Widget(BaseExtension[WidgetConfig]):
    """A small extension with a config section (``WIDGET``)."""

    default_configs_name = "WIDGET"
    config_model = WidgetConfig


def _error(**config: Any) -> str:
    with pytest.raises(ConfigurationError) as info:
        make_app(**config)
    return str(info.value)


# -- misspelt keys --------------------------------------------------------------------------


def test_misspelt_top_level_key_stops_startup() -> None:
    message = _error(CONTROLERS=[])
    assert (
        message.splitlines()[0] == "CONTROLERS is not a PyJolt setting; did you mean CONTROLLERS?"
    )
    assert "CUSTOM_CONFIG_KEYS" in message  # how to keep a deliberate key
    assert "CORS_ALLOW_ORIGIN is not a PyJolt setting; did you mean CORS_ALLOW_ORIGINS?" in _error(
        CORS_ALLOW_ORIGIN=["https://a.example"]
    )
    assert "debug is not a PyJolt setting; did you mean DEBUG?" in _error(debug=True)
    assert "MIDDLEWARES is not a PyJolt setting; did you mean MIDDLEWARE?" in _error(MIDDLEWARES=[])


def test_every_misspelling_is_reported_at_once() -> None:
    lines = _error(CONTROLERS=[], EXCEPTION_HANDLER=[]).splitlines()
    assert "CONTROLERS is not a PyJolt setting; did you mean CONTROLLERS?" in lines
    assert "EXCEPTION_HANDLER is not a PyJolt setting; did you mean EXCEPTION_HANDLERS?" in lines


def test_own_keys_stay_allowed() -> None:
    application = make_app(
        MY_SERVICE_URL="https://svc.example", PAYMENT_PROVIDER={"KEY": 1}, ADMIN_EMAIL="a@b.c"
    )
    assert application.get_conf("MY_SERVICE_URL") == "https://svc.example"
    assert application.get_conf("PAYMENT_PROVIDER") == {"KEY": 1}


def test_deliberate_exceptions_are_listed_in_custom_config_keys() -> None:
    assert "HOSTS is not a PyJolt setting; did you mean HOST?" in _error(HOSTS=["a", "b"])
    application = make_app(HOSTS=["a", "b"], CUSTOM_CONFIG_KEYS=["HOSTS"])
    assert application.get_conf("HOSTS") == ["a", "b"]


def test_misspelt_section_of_a_listed_extension() -> None:
    message = _error(EXTENSIONS=[Widget()], WIGDET={"URL": "redis://x"})
    assert "WIGDET is not a PyJolt section; did you mean WIDGET?" in message
    # flat keys (SECTION_KEY) are checked too
    message = _error(EXTENSIONS=[Widget()], WIDGET_TIMEOTU=3)
    assert "WIDGET_TIMEOTU is not a PyJolt setting; did you mean WIDGET_TIMEOUT?" in message
    # the same name is not questioned when no extension reads it
    assert make_app(WIGDET={"URL": "x"}).get_conf("WIGDET") == {"URL": "x"}


def test_misspelt_key_inside_a_section() -> None:
    message = _error(EXTENSIONS=[Widget()], WIDGET={"TIMEOTU": 3})
    assert "WIDGET['TIMEOTU'] is not a setting of WIDGET; did you mean TIMEOUT?" in message
    message = _error(EXTENSIONS=[Widget()], WIDGET={"COLOUR": "red"})
    assert "WIDGET['COLOUR'] is not a setting of WIDGET; its keys are RETRIES, TIMEOUT, URL" in (
        message
    )


def test_extension_validation_suggests_the_close_key() -> None:
    widget = Widget()
    with pytest.raises(ConfigurationError, match=r"WIDGET\['URLS'\].*did you mean URL\?"):
        widget.validate_config({"URLS": ["a"]})


@pytest.mark.parametrize(
    ("variable", "expected"),
    [
        (
            "WIDGET__TIMOUT",
            "environment variable WIDGET__TIMOUT: TIMOUT is not a setting of WIDGET; "
            "did you mean WIDGET__TIMEOUT?",
        ),
        (
            "WIDGTE__TIMEOUT",
            "environment variable WIDGTE__TIMEOUT: WIDGTE is not a PyJolt section; "
            "did you mean WIDGET__TIMEOUT?",
        ),
    ],
)
def test_misspelt_section_key_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, variable: str, expected: str
) -> None:
    monkeypatch.setenv(variable, "2")
    assert expected in _error(EXTENSIONS=[Widget()])


def test_environment_section_key_sets_one_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIDGET__TIMEOUT", "2.5")
    widget = Widget()
    make_app(EXTENSIONS=[widget], WIDGET={"URL": "redis://cache", "RETRIES": 7})
    assert widget.config.TIMEOUT == 2.5
    assert widget.config.URL == "redis://cache"
    assert widget.config.RETRIES == 7


# -- environment overrides merge -------------------------------------------------------------

SECTION = {
    "DATABASE_URI": "sqlite+aiosqlite:///app.db",
    "ALEMBIC_MIGRATION_DIR": "/srv/app/migrations",
    "SHOW_SQL": False,
}


def test_section_key_variable_changes_only_that_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQL_DATABASE__DATABASE_URI", "postgresql+asyncpg://db/prod")
    application = make_app(SQL_DATABASE=dict(SECTION))
    assert application.get_conf("SQL_DATABASE") == {
        **SECTION,
        "DATABASE_URI": "postgresql+asyncpg://db/prod",
    }


def test_whole_section_json_merges_over_the_class(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SQL_DATABASE", json.dumps({"DATABASE_URI": "sqlite+aiosqlite:///x.db"}))
    monkeypatch.setenv("SQL_DATABASE__SHOW_SQL", "true")
    section = make_app(SQL_DATABASE=dict(SECTION)).get_conf("SQL_DATABASE")
    assert section == {
        "DATABASE_URI": "sqlite+aiosqlite:///x.db",
        "ALEMBIC_MIGRATION_DIR": "/srv/app/migrations",  # kept
        "SHOW_SQL": "true",  # per-key values win; the extension's model casts it
    }


def test_section_the_class_does_not_declare(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYMENTS", json.dumps({"URL": "https://pay", "RETRIES": 1}))
    monkeypatch.setenv("PAYMENTS__RETRIES", "4")
    monkeypatch.setenv("PAYMENTS__OPTIONS", '{"timeout": 3}')
    assert make_app().get_conf("PAYMENTS") == {
        "URL": "https://pay",
        "RETRIES": "4",
        "OPTIONS": {"timeout": 3},
    }


def test_env_file_section_keys_merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "SQL_DATABASE__DATABASE_URI=sqlite+aiosqlite:///from-file.db\nCACHE__DURATION=60\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("SQL_DATABASE__SHOW_SQL", "1")  # the environment wins over the file

    class Config(BaseConfig):
        model_config = {"env_file": str(env_file)}
        SQL_DATABASE: dict[str, Any] = dict(SECTION)

    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    application = Application()
    assert application.get_conf("SQL_DATABASE") == {
        **SECTION,
        "DATABASE_URI": "sqlite+aiosqlite:///from-file.db",
        "SHOW_SQL": "1",
    }
    assert application.get_conf("CACHE") == {"DURATION": "60"}


# -- production secrets ----------------------------------------------------------------------

EXAMPLE_KEYS = [
    "change-me-to-a-long-random-string",  # the project template's
    "change-me-to-a-long-random-string-0123456789",  # README's
    "some-super-secret-key",  # the spec's
]


@pytest.mark.parametrize("key", EXAMPLE_KEYS)
def test_example_secret_keys_stop_startup_without_debug(key: str) -> None:
    message = _error(SECRET_KEY=key)
    assert message.startswith("SECRET_KEY is not fit for production")
    assert 'python -c "import secrets; print(secrets.token_urlsafe(48))"' in message
    make_app(SECRET_KEY=key, DEBUG=True)  # development keeps working


@pytest.mark.parametrize(
    "key",
    ["s" * 40, "abcd" * 12, "0123456789" * 4, "my-changeme-key-0192837465abcdefghijklmn", "x1Y2z3"],
)
def test_placeholder_and_low_entropy_keys_stop_startup(key: str) -> None:
    assert "SECRET_KEY is not fit for production" in _error(SECRET_KEY=key)


def test_weak_fallback_key_stops_startup() -> None:
    message = _error(SECRET_KEY=STRONG_KEY, SECRET_KEY_FALLBACKS=["old-secret"])
    assert message.startswith("SECRET_KEY_FALLBACKS[0] is not fit for production")


def test_generated_keys_are_accepted() -> None:
    import secrets

    for _ in range(20):
        make_app(SECRET_KEY=secrets.token_urlsafe(48))
    make_app(SECRET_KEY=secrets.token_hex(32))
    make_app(SECRET_KEY=STRONG_KEY)
    make_app()  # no key at all: only extensions that sign things need one


# -- how a start-up error ends a program --------------------------------------------------------


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "PYTHONPATH")}
    environ["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_startup_error_ends_the_program_in_one_line() -> None:
    result = _run("from pyjolt.testing import make_app\nmake_app(CONTROLERS=[])")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: CONTROLERS is not a PyJolt setting; did you mean CONTROLLERS?"
    assert "Traceback" not in result.stderr


def test_startup_error_shows_the_traceback_in_debug() -> None:
    result = _run("from pyjolt.testing import make_app\nmake_app(CONTROLERS=[])", DEBUG="true")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "did you mean CONTROLLERS?" in result.stderr
