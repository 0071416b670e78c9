"""Enumerations of the public API: HTTP statuses, media types, log levels and run modes."""

from __future__ import annotations

from enum import StrEnum
from http import HTTPStatus

#: HTTP status codes (``HttpStatus.OK``, ``HttpStatus.NOT_FOUND``, ...).
HttpStatus = HTTPStatus


class MediaType(StrEnum):
    """Media types accepted by ``@consumes`` and ``@produces``."""

    APPLICATION_X_WWW_FORM_URLENCODED = "application/x-www-form-urlencoded"
    MULTIPART_FORM_DATA = "multipart/form-data"
    APPLICATION_JSON = "application/json"
    APPLICATION_PROBLEM_JSON = "application/problem+json"
    APPLICATION_XML = "application/xml"
    TEXT_XML = "text/xml"
    TEXT_PLAIN = "text/plain"
    TEXT_HTML = "text/html"
    APPLICATION_OCTET_STREAM = "application/octet-stream"
    IMAGE_PNG = "image/png"
    IMAGE_JPEG = "image/jpeg"
    IMAGE_GIF = "image/gif"
    APPLICATION_PDF = "application/pdf"
    APPLICATION_X_NDJSON = "application/x-ndjson"
    APPLICATION_CSV = "application/csv"
    TEXT_CSV = "text/csv"
    APPLICATION_YAML = "application/yaml"
    TEXT_YAML = "text/yaml"
    APPLICATION_GRAPHQL = "application/graphql"
    NO_CONTENT = "empty"


class LogLevel(StrEnum):
    """Loguru log levels."""

    TRACE = "TRACE"
    DEBUG = "DEBUG"
    INFO = "INFO"
    SUCCESS = "SUCCESS"
    WARNING = "WARNING"
    ERROR = "ERROR"
    CRITICAL = "CRITICAL"


class RunMode(StrEnum):
    """How the app is running: ``app.run_mode`` (what start-up code reads to tell them apart)."""

    #: serving requests (a server, the test client); the default
    SERVER = "server"
    #: running one command of ``app.run_cli()`` inside the lifespan, without a server
    CLI = "cli"
