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
#: method, route template, path, status, seconds, request ID, client, user ID
AccessLine = tuple[str, str, str, int, float, str | None, str | None, str | None]
_FLUSH_AFTER = 0.1
_MAX_BATCH = 256
#: durations under 10 ms (most answers) as text, by hundredths of a millisecond: "1.23"
_SHORT = 1000
_MS = tuple(f"{hundredths / 100:.2f}" for hundredths in range(_SHORT))


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

    def write(self, line: AccessLine) -> None:
        self.logger.info("{method} {route} {status} {duration_ms}ms", **fields(line))


def fields(line: AccessLine) -> dict[str, Any]:
    """The ``extra`` fields of an access line."""
    method, route, path, status, seconds, request_id, client, user_id = line
    return {
        "method": method,
        "route": route,
        "path": path,
        "status": status,
        "duration_ms": round(seconds * 1000, 2),
        "request_id": request_id,
        "client": client,
        "user_id": user_id,
    }


class BatchedAccessLog(AccessLog):
    """Access lines formatted here and written to the default sink's stream in batches."""

    def __init__(self, logger: Logger, target: IO[str] | str, *, serialize: bool) -> None:
        super().__init__(logger)
        self.target = target
        self.serialize = serialize
        self.lines: list[str] = []
        self._next_second = -1.0  # on the perf_counter clock: when the time stamp changes
        self._clock = self._head = ""
        self._scheduled = False
        atexit.register(self.flush)

    def _tick(self, end: float) -> None:
        """The time stamp of the second that ``end`` (``perf_counter``) falls in."""
        now = time.time()
        self._clock = time.strftime("%H:%M:%S", time.localtime(now))
        self._head = f"{self._clock} | INFO | {NAME} | "
        self._next_second = end + 1 - now % 1

    def add(self, start: str, seconds: float, end: float) -> None:
        """A plain line: ``start`` ("GET /users/{id} 200 ") and the duration; ``end`` is when
        the answer ended, on the ``perf_counter`` clock (the time stamp is read once a second)."""
        if end >= self._next_second:
            self._tick(end)
        hundredths = round(seconds * 1e5)  # of a millisecond
        if hundredths < _SHORT:
            self._append(f"{self._head}{start}{_MS[hundredths]}ms\n")
        else:
            self._append(f"{self._head}{start}{seconds * 1e3:.2f}ms\n")

    def write(self, line: AccessLine) -> None:
        end = time.perf_counter()
        if not self.serialize:  # method, route, status; duration
            self.add(f"{line[0]} {line[1]} {line[3]} ", line[4], end)
            return
        if end >= self._next_second:
            self._tick(end)
        self._append(self._json(time.time(), fields(line)))

    def _append(self, text: str) -> None:
        lines = self.lines
        lines.append(text)
        if self._scheduled:
            if len(lines) >= _MAX_BATCH:
                self.flush()
            return
        try:
            asyncio.get_running_loop().call_later(_FLUSH_AFTER, self.flush)
            self._scheduled = True
        except RuntimeError:
            self.flush()

    def _json(self, now: float, extra: dict[str, Any]) -> str:
        message = f"{extra['method']} {extra['route']} {extra['status']} {extra['duration_ms']}ms"
        extra["logger_name"] = NAME
        stamp = datetime.datetime.fromtimestamp(now).astimezone()
        record = {
            "extra": extra,
            "level": {"name": "INFO", "no": 20},
            "message": message,
            "name": __name__,
            "time": {"repr": stamp.isoformat(), "timestamp": now},
        }
        text = f"{self._clock} | INFO | {NAME} | {message}\n"
        return dumps({"text": text, "record": record}).decode() + "\n"

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
