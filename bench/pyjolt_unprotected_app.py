"""The PyJolt bench app with the security layer off (no production headers, no CSRF check),
to measure what that layer costs. Serve: ``uvicorn bench.pyjolt_unprotected_app:app``."""

from __future__ import annotations

from bench.pyjolt_app import Config
from pyjolt import PyJolt
from pyjolt import app as pyjolt_app


class UnprotectedConfig(Config):
    APP_NAME: str = "PyJolt bench (security off)"
    SECURITY_HEADERS: bool | None = False
    CSRF_ENABLED: bool = False


@pyjolt_app(__name__, configs=UnprotectedConfig)
class UnprotectedBenchApp(PyJolt):
    pass


app = UnprotectedBenchApp()
