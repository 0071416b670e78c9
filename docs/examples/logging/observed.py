"""Logging to a JSON file, request IDs, an access log, health checks and Prometheus metrics."""

import os
from typing import Any

from pyjolt import BaseConfig, PyJolt, Request, app
from pyjolt.controller import Controller, get, path
from pyjolt.logging import LoggerBase


class JsonFileLogger(LoggerBase):
    """One JSON object per line (section JSON_FILE_LOGGER)."""


@path("/orders")
class OrdersApi(Controller):
    @get("/<int:order_id>")
    async def get_order(self, req: Request, order_id: int) -> dict[str, Any]:
        self.app.logger.info("order {} looked up", order_id)
        return {"id": order_id, "request_id": req.state.request_id}


class Config(BaseConfig):
    APP_NAME: str = "Shop"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [OrdersApi]
    DEFAULT_LOGGER: dict[str, Any] = {"LEVEL": "WARNING"}  # the console sink (stderr)
    LOGGERS: list[str | type] = [JsonFileLogger]
    JSON_FILE_LOGGER: dict[str, Any] = {
        "SINK": "logs/app.jsonl",  # relative to BASE_PATH
        "LEVEL": "INFO",
        "SERIALIZE": True,
        "ROTATION": "10 MB",
        "RETENTION": "5 files",
    }
    REQUEST_ID: bool = True  # X-Request-ID on every answer and every log line
    ACCESS_LOG: bool = True  # one line per request
    HEALTH: bool = True  # GET /health/live and /health/ready
    METRICS: bool = True  # GET /metrics (pip install "pyjolt[metrics]")


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
