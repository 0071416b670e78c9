"""A production-ready service: health checks, metrics, request IDs, JSON logs, proxy headers
and a scheduled job that runs once per tick across every process.

Serve it from this folder: ``pyjolt run service:Application`` (HOST, PORT and WORKERS from
the environment), or with any ASGI server (see docs/deployment.md).
"""

import os
from typing import Any

from pyjolt import BaseConfig, PyJolt, Request, app
from pyjolt.controller import Controller, get, path
from pyjolt.task_manager import TaskManager, schedule_job


class Housekeeping(TaskManager):
    # with a lock store (TASK_MANAGER__LOCK_URL), one process in the deployment runs each tick
    @schedule_job("interval", minutes=10, id="housekeeping.purge")
    async def purge(self) -> None:
        self.app.logger.info("purged expired rows")


housekeeping = Housekeeping()


@path("/api")
class InfoApi(Controller):
    @get("/whoami")
    async def whoami(self, req: Request) -> dict[str, Any]:
        # behind a trusted proxy: the client and scheme the proxy saw
        return {"client": req.client.host if req.client else None, "scheme": req.url.scheme}


class Config(BaseConfig):
    APP_NAME: str = "Service"
    BASE_PATH: str = os.path.dirname(__file__)
    # SECRET_KEY, ALLOWED_HOSTS and TASK_MANAGER__LOCK_URL come from the environment
    CONTROLLERS: list[str | type] = [InfoApi]
    EXTENSIONS: list[str | object] = [housekeeping]
    HEALTH: bool = True  # GET /health/live, GET /health/ready
    METRICS: bool = True  # GET /metrics (pip install "pyjolt[metrics]")
    REQUEST_ID: bool = True  # X-Request-ID on every answer and log line
    ACCESS_LOG: bool = True  # one line per request, instead of uvicorn's
    DEFAULT_LOGGER: dict[str, Any] = {"SERIALIZE": True}  # JSON lines on stderr
    # X-Forwarded-For/-Proto count only when sent by these addresses (your reverse proxy)
    TRUSTED_PROXIES: list[str] = ["127.0.0.1"]
    TASK_MANAGER: dict[str, Any] = {"JOB_TIMEOUT": 60}


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
