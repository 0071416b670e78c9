"""The PyJolt bench app with request IDs, the access log and metrics on.

Serve: ``uvicorn bench.pyjolt_observed_app:app`` (the access-log lines go to stderr).
"""

from __future__ import annotations

from bench.pyjolt_app import Config
from pyjolt import PyJolt
from pyjolt import app as pyjolt_app


class ObservedConfig(Config):
    APP_NAME: str = "PyJolt bench (observed)"
    REQUEST_ID: bool = True
    ACCESS_LOG: bool = True
    METRICS: bool = True


@pyjolt_app(__name__, configs=ObservedConfig)
class ObservedBenchApp(PyJolt):
    pass


class ObservedBareConfig(ObservedConfig):
    SECURITY_HEADERS: bool | None = False


@pyjolt_app(__name__, configs=ObservedBareConfig)
class ObservedBareBenchApp(PyJolt):
    pass


app = ObservedBenchApp()
#: the same with the security headers off (their share of the cost)
bare = ObservedBareBenchApp()
