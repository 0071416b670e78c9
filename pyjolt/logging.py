"""Logging with loguru: the default sink from DEFAULT_LOGGER, custom sinks from LOGGERS."""

from __future__ import annotations

import logging as std_logging
import sys
from typing import TYPE_CHECKING, Any

from loguru import logger as _logger

from pyjolt.enums import LogLevel

if TYPE_CHECKING:
    from loguru import Logger

DEFAULT_FORMAT = (
    "<green>{time:HH:mm:ss}</green> | <level>{level}</level> | {extra[logger_name]} | "
    "<level>{message}</level>"
)


class InterceptHandler(std_logging.Handler):
    """Routes standard ``logging`` records (uvicorn's too) into loguru, with their logger name."""

    def emit(self, record: std_logging.LogRecord) -> None:
        try:
            level: str | int = _logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        _logger.bind(logger_name=record.name).opt(exception=record.exc_info, depth=6).log(
            level, record.getMessage()
        )


_intercept = InterceptHandler()


def _resolve_sink(sink: Any) -> Any:
    if sink in (None, "stderr", "STDERR", "sys.stderr"):
        return sys.stderr
    if sink in ("stdout", "STDOUT", "sys.stdout"):
        return sys.stdout
    return sink


def configure_default_logger(app: Any) -> list[int]:
    """Add the default sink described by ``DEFAULT_LOGGER``; returns the loguru sink ids."""
    conf = {str(k).upper(): v for k, v in (app.get_conf("DEFAULT_LOGGER", {}) or {}).items()}
    debug = bool(app.get_conf("DEBUG", False))
    sink_id = _logger.add(
        _resolve_sink(conf.get("SINK")),
        level=str(conf.get("LEVEL", LogLevel.TRACE if debug else LogLevel.INFO)),
        format=conf.get("FORMAT", DEFAULT_FORMAT),
        backtrace=bool(conf.get("BACKTRACE", True)),
        diagnose=bool(conf.get("DIAGNOSE", debug)),
        colorize=conf.get("COLORIZE", None),
        serialize=bool(conf.get("SERIALIZE", False)),
        filter=_app_filter(app),
    )
    root = std_logging.getLogger()
    if _intercept not in root.handlers:
        root.addHandler(_intercept)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        std = std_logging.getLogger(name)
        std.handlers = [_intercept]
        std.propagate = False
    return [sink_id]


def _app_filter(app: Any) -> Any:
    def _filter(record: Any) -> bool:
        record["extra"].setdefault("logger_name", app.app_name)
        return True

    return _filter


def remove_sinks(sink_ids: list[int]) -> None:
    for sink_id in sink_ids:
        try:
            _logger.remove(sink_id)
        except ValueError:
            pass


def app_logger(name: str) -> Logger:
    """The global loguru logger bound with ``logger_name``."""
    return _logger.bind(logger_name=name)
