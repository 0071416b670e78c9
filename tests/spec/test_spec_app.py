"""SPEC: Getting started, configuration, startup/shutdown, application methods, logging."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from pyjolt import BaseConfig, HttpStatus, LogLevel, MediaType, PyJolt, Request, Response
from pyjolt.exceptions import ConfigurationError
from pyjolt.testing import PyJoltTestClient


def test_minimum_app_and_config_defaults(spec_env: Path) -> None:
    from tests.spec.specapp import Application

    application = Application()
    assert isinstance(application, PyJolt) and isinstance(application, Starlette)
    assert application.app is application
    assert application.app_name == "Test app"
    assert application.version == "1.0"
    assert application.get_conf("SECRET_KEY") == "some-super-secret-key"
    assert application.get_conf("NOPE", "dflt") == "dflt"
    assert application.root_path == os.path.dirname(
        __import__("tests.spec.specapp.configs", fromlist=["x"]).__file__
    )
    assert application.static_files_path.endswith("static")
    assert application.configs["DEBUG"] is True
    assert application.debug is True
    assert application.logger is not None


def test_config_defaults_listed_in_spec() -> None:
    class Config(BaseConfig):
        APP_NAME: str = "x"

    c = Config()
    assert c.HOST == "localhost"
    assert c.TEMPLATES_DIR == "/templates"
    assert c.STATIC_DIR == "/static"
    assert c.STATIC_URL == "/static"
    assert c.TEMPLATES_STRICT is True
    assert c.STRICT_SLASHES is False
    assert c.OPEN_API is True
    assert c.OPEN_API_URL == "/openapi"
    assert c.OPEN_API_DESCRIPTION == "Simple API"
    assert c.CORS_ENABLED is True
    assert c.CORS_ALLOW_ORIGINS == ["*"]
    assert c.CORS_ALLOW_METHODS == ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    assert c.CORS_ALLOW_HEADERS == ["Authorization", "Content-Type"]
    assert c.CORS_EXPOSE_HEADERS == []
    assert c.CORS_ALLOW_CREDENTIALS is True
    assert c.CORS_MAX_AGE is None
    assert c.REQUEST_CLASS is Request
    assert c.RESPONSE_CLASS is Response
    # DESIGN.md section 1.6: DEBUG defaults to False (deliberate deviation from the spec's True)
    assert c.DEBUG is False
    # run.py uses configs.HOST, configs.PORT, configs.LIFESPAN, configs.DEBUG
    assert isinstance(c.PORT, int)
    assert c.LIFESPAN in ("on", "auto", "off")


def test_get_conf_missing_raises(spec_env: Path) -> None:
    from tests.spec.specapp import Application

    application = Application()
    try:
        application.get_conf("DOES_NOT_EXIST")
    except ConfigurationError:
        pass
    else:  # pragma: no cover
        raise AssertionError("get_conf must raise for a missing key without default")


def test_enums() -> None:
    assert LogLevel.TRACE and LogLevel.DEBUG
    expected = {
        "APPLICATION_X_WWW_FORM_URLENCODED": "application/x-www-form-urlencoded",
        "MULTIPART_FORM_DATA": "multipart/form-data",
        "APPLICATION_JSON": "application/json",
        "APPLICATION_PROBLEM_JSON": "application/problem+json",
        "APPLICATION_XML": "application/xml",
        "TEXT_XML": "text/xml",
        "TEXT_PLAIN": "text/plain",
        "TEXT_HTML": "text/html",
        "APPLICATION_OCTET_STREAM": "application/octet-stream",
        "IMAGE_PNG": "image/png",
        "IMAGE_JPEG": "image/jpeg",
        "IMAGE_GIF": "image/gif",
        "APPLICATION_PDF": "application/pdf",
        "APPLICATION_X_NDJSON": "application/x-ndjson",
        "APPLICATION_CSV": "application/csv",
        "TEXT_CSV": "text/csv",
        "APPLICATION_YAML": "application/yaml",
        "TEXT_YAML": "text/yaml",
        "APPLICATION_GRAPHQL": "application/graphql",
        "NO_CONTENT": "empty",
    }
    for name, value in expected.items():
        assert getattr(MediaType, name) == value, name
    assert HttpStatus.OK == 200 and HttpStatus.CREATED == 201
    assert HttpStatus.SEE_OTHER == 303 and HttpStatus.UNPROCESSABLE_ENTITY == 422


async def test_startup_shutdown_hooks(spec_env: Path) -> None:
    from tests.spec import specapp

    specapp.EVENTS.clear()
    application = specapp.Application()
    async with PyJoltTestClient(application):
        assert specapp.EVENTS == ["startup"]
    assert specapp.EVENTS == ["startup", "shutdown"]


async def test_file_logger_sink_and_filter(client: Any, spec_env: Path, application: Any) -> None:
    application.logger.info("PERFORMANCE: slow thing")
    application.logger.info("ignored by the filter")
    text = (spec_env / "file.log").read_text(encoding="utf-8")
    assert "PERFORMANCE: slow thing" in text
    assert "ignored by the filter" not in text
    assert "Test app" in text  # {extra[logger_name]}


async def test_conftest_style_get_users(client: Any) -> None:
    res = await client.get("/api/v1/users")
    assert res.status_code == 200
