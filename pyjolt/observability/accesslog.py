"""The access log: one line per request, cheap enough to leave on.

A loguru call costs more than a whole ``/hello`` request, so when the app logs through its
default sink only (a stream or a file, the default format, no ``LOGGERS``) the access lines are
formatted here, in the default sink's format (or its JSON shape under ``SERIALIZE``), and written
in batches: at most ~100 ms late, and at exit. Otherwise every line goes through loguru, so
custom formats, filters and sinks see it.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime
import sys
import time
from typing import IO, TYPE_CHECKING, Any

from pyjolt.appcontext import AppProtocol
from pyjolt.serialization import dumps

if TYPE_CHECKING:
    from loguru import Logger

NAME = "pyjolt.access"
_FLUSH_AFTER = 0.1
_MAX_BATCH = 256


def _stream_of(sink: Any) -> IO[str] | str | None:
    if sink in (None, "stderr", "STDERR", "sys.stderr"):
        return sys.stderr
    if sink in ("stdout", "STDOUT", "sys.stdout"):
        return sys.stdout
    if isinstance(sink, str):
        return sink  # a file path
    return None


def access_logger(app: AppProtocol) -> AccessLog:
    """The fast writer when the app's logging allows it, else lines through loguru."""
    conf = {str(k).upper(): v for k, v in (app.configs.get("DEFAULT_LOGGER") or {}).items()}
    target = _stream_of(conf.get("SINK"))
    level = str(conf.get("LEVEL", "TRACE" if app.debug else "INFO")).upper()
    plain = (
        target is not None
        and "FORMAT" not in conf
        and not app.configs.get("LOGGERS")
        and level in {"TRACE", "DEBUG", "INFO"}
    )
    if not plain:
        return AccessLog(app.logger.bind(logger_name=NAME))
    assert target is not None
    return BatchedAccessLog(app.logger, target, serialize=bool(conf.get("SERIALIZE", False)))


class AccessLog:
    """Access lines through loguru (every sink, format and filter of the app sees them)."""

    def __init__(self, logger: Logger) -> None:
        self.logger = logger

    def write(self, fields: dict[str, Any]) -> None:
        self.logger.info("{method} {route} {status} {duration_ms}ms", **fields)


class BatchedAccessLog(AccessLog):
    """Access lines formatted here and written to the default sink's stream in batches."""

    def __init__(self, logger: Logger, target: IO[str] | str, *, serialize: bool) -> None:
        super().__init__(logger)
        self.target = target
        self.serialize = serialize
        self.lines: list[str] = []
        self._second = -1
        self._clock = ""
        self._scheduled = False
        atexit.register(self.flush)

    def write(self, fields: dict[str, Any]) -> None:
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second, self._clock = second, time.strftime("%H:%M:%S", time.localtime(now))
        message = (
            f"{fields['method']} {fields['route']} {fields['status']} {fields['duration_ms']}ms"
        )
        text = f"{self._clock} | INFO | {NAME} | {message}\n"
        if self.serialize:
            fields["logger_name"] = NAME
            stamp = datetime.datetime.fromtimestamp(now).astimezone()
            record = {
                "extra": fields,
                "level": {"name": "INFO", "no": 20},
                "message": message,
                "name": __name__,
                "time": {"repr": stamp.isoformat(), "timestamp": now},
            }
            text = dumps({"text": text, "record": record}).decode() + "\n"
        self.lines.append(text)
        if len(self.lines) >= _MAX_BATCH:
            self.flush()
        elif not self._scheduled:
            try:
                asyncio.get_running_loop().call_later(_FLUSH_AFTER, self.flush)
                self._scheduled = True
            except RuntimeError:
                self.flush()

    def flush(self) -> None:
        self._scheduled = False
        if not self.lines:
            return
        data, self.lines = "".join(self.lines), []
        try:
            if isinstance(self.target, str):
                with open(self.target, "a", encoding="utf-8") as file:
                    file.write(data)
            else:
                self.target.write(data)
                self.target.flush()
        except (OSError, ValueError) as exc:  # a closed stream at exit, a full disk
            self.logger.warning("access log not written: {}", exc)
