"""Logging with loguru: the default sink from DEFAULT_LOGGER, custom sinks from LOGGERS."""

from __future__ import annotations

import contextlib
import datetime
import logging as std_logging
import os
import re
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from loguru import logger as _logger
from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

from pyjolt._internal.imports import import_string
from pyjolt._internal.naming import upper_snake
from pyjolt.enums import LogLevel
from pyjolt.exceptions.errors import ConfigurationError

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
_DEFAULT_SINK: dict[str, int] = {}


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
    _drop_loguru_default()
    # One default sink per process: a second app (tests build many) replaces the first's sink
    # instead of duplicating every line.
    previous = _DEFAULT_SINK.pop("id", None)
    if previous is not None:
        remove_sinks([previous])
    try:
        sink_id = _logger.add(
            _resolve_sink(conf.get("SINK")),
            level=str(conf.get("LEVEL", LogLevel.TRACE if debug else LogLevel.INFO)),
            format=conf.get("FORMAT", DEFAULT_FORMAT),
            backtrace=bool(conf.get("BACKTRACE", True)),
            diagnose=bool(conf.get("DIAGNOSE", debug)),
            colorize=conf.get("COLORIZE"),
            serialize=bool(conf.get("SERIALIZE", False)),
            filter=_app_filter(app),
        )
    except (TypeError, ValueError, OSError) as exc:
        raise ConfigurationError(
            f"DEFAULT_LOGGER: loguru refused the sink settings: {exc}; "
            "fix the DEFAULT_LOGGER section in your config class (LEVEL is a level name such "
            "as 'INFO')"
        ) from exc
    _DEFAULT_SINK["id"] = sink_id
    root = std_logging.getLogger()
    if _intercept not in root.handlers:
        root.addHandler(_intercept)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        std = std_logging.getLogger(name)
        if not std.handlers and not std.propagate:
            # Switched off by the server (uvicorn --no-access-log): uvicorn decides whether to
            # log each request by `hasHandlers()`, so adding one would turn the lines back on.
            continue
        std.handlers = [_intercept]
        std.propagate = False
    return [sink_id]


def _drop_loguru_default() -> None:
    # loguru starts with a plain stderr handler (id 0); the app's own sink replaces it.
    with contextlib.suppress(ValueError):
        _logger.remove(0)


def _app_filter(app: Any) -> Any:
    def _filter(record: Any) -> bool:
        record["extra"].setdefault("logger_name", app.app_name)
        return True

    return _filter


def remove_sinks(sink_ids: list[int]) -> None:
    """Remove loguru sinks by id (already removed ones are ignored); waits for enqueued sinks."""
    for sink_id in sink_ids:
        with contextlib.suppress(ValueError):
            _logger.remove(sink_id)


def app_logger(name: str) -> Logger:
    """The global loguru logger bound with ``logger_name``."""
    return _logger.bind(logger_name=name)


# --- custom sinks (LOGGERS) -------------------------------------------------------------------

#: What ``LoggerBase.get_filter`` may return: a callable on the loguru record, a module name
#: prefix, a ``{module: level}`` dict (loguru's semantics) or None (no filtering).
FilterType = Callable[[dict[str, Any]], bool] | str | dict[str | None, str | int | bool] | None
#: ``ROTATION``: a size/time string ("5 MB", "1 week"), bytes, a time of day or an interval.
RotationType = str | int | datetime.time | datetime.timedelta | Callable[..., bool] | None
#: ``RETENTION``: "10 days", a number of files or an age.
RetentionType = str | int | datetime.timedelta | Callable[..., Any] | None
#: ``COMPRESSION``: an archive extension ("zip", "gz", "tar.gz", ...) or a callable.
CompressionType = str | Callable[[str], Any] | None


@with_config(ConfigDict(extra="allow", arbitrary_types_allowed=True))
class LoggerConfig(TypedDict, total=False):
    """The keys of a logger section (``DEFAULT_LOGGER``, or a ``LOGGERS`` entry's section), for
    annotating it: ``FILE_LOGGER: LoggerConfig = {"SINK": ..., "LEVEL": LogLevel.INFO}``.

    Kept from PyJolt 0.111; every key is optional (see ``LoggerBase`` for the defaults).
    """

    SINK: Any
    LEVEL: LogLevel | str | int
    FORMAT: str | Callable[..., str]
    ENQUEUE: bool
    BACKTRACE: bool
    DIAGNOSE: bool
    COLORIZE: bool | None
    DELAY: bool
    ROTATION: RotationType
    RETENTION: RetentionType
    COMPRESSION: CompressionType
    SERIALIZE: bool
    ENCODING: str
    MODE: str


_STREAM_SINKS = {"stderr", "stdout", "sys.stderr", "sys.stdout"}
#: Keys that only make sense for file sinks; ignored for streams and callables.
FILE_ONLY_KEYS = ("DELAY", "ROTATION", "RETENTION", "COMPRESSION", "ENCODING", "MODE")
LOGGER_KEYS = (
    "SINK",
    "LEVEL",
    "FORMAT",
    "ENQUEUE",
    "BACKTRACE",
    "DIAGNOSE",
    "COLORIZE",
    "SERIALIZE",
    *FILE_ONLY_KEYS,
)
#: Spec defaults of file sinks (``DIAGNOSE`` follows ``DEBUG``; ``COLORIZE`` defaults to
#: loguru's choice, i.e. colours on terminals only, never escape codes in files).
FILE_DEFAULTS: dict[str, Any] = {
    "DELAY": True,
    "ROTATION": "5 MB",
    "RETENTION": "5 files",
    "COMPRESSION": "zip",
    "ENCODING": "utf-8",
    "MODE": "a",
}
_FILES_RETENTION = re.compile(r"^\s*(\d+)\s*files?\s*$", re.IGNORECASE)


class LoggerBase:
    """Base class of a custom log sink listed in ``LOGGERS``.

    The sink is configured by the config section named after the class in upper snake case
    (``FileLogger`` -> ``FILE_LOGGER``; set ``configs_name`` to choose another). Keys:
    ``SINK`` (file path, ``"stdout"`` or ``"stderr"`` (default), or a callable), ``LEVEL``,
    ``FORMAT``, ``ENQUEUE``, ``BACKTRACE``, ``DIAGNOSE``, ``COLORIZE``, ``SERIALIZE`` and, for
    file sinks only, ``DELAY``, ``ROTATION`` (default ``"5 MB"``), ``RETENTION`` (default
    ``"5 files"``), ``COMPRESSION`` (default ``"zip"``), ``ENCODING``, ``MODE``.

    Override ``get_format()`` / ``get_filter()`` (or any ``get_*``) for custom behaviour.
    """

    #: Config section name; None = upper snake case of the class name.
    configs_name: ClassVar[str | None] = None

    def __init__(self, app: Any) -> None:
        self._app = app
        self._section = self.section_name()
        raw = app.get_conf(self._section, None)
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise ConfigurationError(
                f"{self._section} must be a dict of logger settings, got {type(raw).__name__}; "
                f"write {self._section} = {{'SINK': 'stderr', ...}} in your config class"
            )
        conf = {str(key).upper(): value for key, value in raw.items()}
        unknown = sorted(set(conf) - set(LOGGER_KEYS))
        if unknown:
            raise ConfigurationError(
                f"{self._section}: unknown key(s) {', '.join(unknown)}; "
                f"known keys are {', '.join(LOGGER_KEYS)}"
            )
        self._conf = conf

    @classmethod
    def section_name(cls) -> str:
        """Name of the config section of this logger."""
        return cls.configs_name or upper_snake(cls.__name__)

    @property
    def app(self) -> Any:
        return self._app

    @property
    def conf(self) -> dict[str, Any]:
        """This logger's config section (keys upper case)."""
        return dict(self._conf)

    def get_conf_value(self, key: str, default: Any = None) -> Any:
        """A value of this logger's section, or ``default`` when it is not set."""
        return self._conf.get(key.upper(), default)

    def get_sink(self) -> Any:
        """The loguru sink: a file path (str), ``sys.stdout``/``sys.stderr`` or a callable."""
        sink = self.get_conf_value("SINK", "stderr")
        if isinstance(sink, str) and sink.lower() in _STREAM_SINKS:
            return sys.stdout if sink.lower().endswith("stdout") else sys.stderr
        if isinstance(sink, os.PathLike):
            return os.fspath(sink)
        return sink

    def get_level(self) -> str | int:
        """Minimum level (default TRACE in DEBUG, INFO otherwise)."""
        level = self.get_conf_value("LEVEL", LogLevel.TRACE if self._debug() else LogLevel.INFO)
        return level if isinstance(level, int) else str(level).upper()

    def get_format(self) -> Any:
        """The loguru format string (or format function)."""
        return self.get_conf_value("FORMAT", DEFAULT_FORMAT)

    def get_filter(self) -> FilterType:
        """A filter deciding which records reach this sink; None lets all through."""
        return None

    def sink_options(self) -> dict[str, Any]:
        """Keyword arguments for ``logger.add`` (the sink excluded)."""
        options: dict[str, Any] = {
            "level": self.get_level(),
            "format": self.get_format(),
            "filter": _with_logger_name(self._app_name(), self.get_filter()),
            "enqueue": bool(self.get_conf_value("ENQUEUE", False)),
            "backtrace": bool(self.get_conf_value("BACKTRACE", True)),
            "diagnose": bool(self.get_conf_value("DIAGNOSE", self._debug())),
            "colorize": self.get_conf_value("COLORIZE"),
            "serialize": bool(self.get_conf_value("SERIALIZE", False)),
        }
        if isinstance(self.get_sink(), str):
            for key in FILE_ONLY_KEYS:
                options[key.lower()] = self.get_conf_value(key, FILE_DEFAULTS[key])
            retention = options["retention"]
            if isinstance(retention, str) and (match := _FILES_RETENTION.match(retention)):
                options["retention"] = int(match.group(1))
        return options

    def add_sink(self) -> int:
        """Add the sink to the global loguru logger; returns its id."""
        try:
            return _logger.add(self.get_sink(), **self.sink_options())
        except (TypeError, ValueError, OSError) as exc:
            raise ConfigurationError(
                f"{self._section}: loguru refused the sink settings: {exc}; "
                f"fix the {self._section} section in your config class"
            ) from exc

    def _debug(self) -> bool:
        return bool(self._app.get_conf("DEBUG", False))

    def _app_name(self) -> str:
        name = getattr(self._app, "app_name", None) or self._app.get_conf("APP_NAME", "PyJolt app")
        return str(name)


def _with_logger_name(app_name: str, user_filter: FilterType) -> Callable[[Any], bool]:
    """A loguru filter that provides ``extra[logger_name]`` and then applies ``user_filter``."""
    check: Callable[[Any], bool] | None
    if user_filter is None:
        check = None
    elif callable(user_filter):
        check = user_filter
    elif isinstance(user_filter, str):
        check = _module_filter(user_filter)
    elif isinstance(user_filter, Mapping):
        check = _level_filter(user_filter)
    else:
        raise ConfigurationError(
            f"get_filter() returned {user_filter!r}; return a callable, a module name, "
            "a {module: level} dict or None"
        )

    def _filter(record: Any) -> bool:
        record["extra"].setdefault("logger_name", app_name)
        return True if check is None else bool(check(record))

    return _filter


def _module_filter(parent: str) -> Callable[[Any], bool]:
    prefix = parent + "." if parent else ""

    def _filter(record: Any) -> bool:
        name = record["name"]
        return name is not None and (name + ".").startswith(prefix)

    return _filter


def _level_filter(levels: Mapping[str | None, str | int | bool]) -> Callable[[Any], bool]:
    table: dict[str, int | bool] = {}
    for module, level in levels.items():
        key = module or ""
        if isinstance(level, bool):
            table[key] = 0 if level else False
        elif isinstance(level, int):
            table[key] = level
        else:
            table[key] = _logger.level(str(level).upper()).no

    def _filter(record: Any) -> bool:
        name: str = record["name"] or ""
        while True:
            level = table.get(name)
            if level is False:
                return False
            if level is not None:
                return bool(record["level"].no >= level)
            if not name:
                return True
            name = name.rpartition(".")[0]

    return _filter


def resolve_loggers(app: Any) -> list[type[LoggerBase]]:
    """The ``LOGGERS`` entries (import strings or classes) as ``LoggerBase`` subclasses."""
    resolved: list[type[LoggerBase]] = []
    for index, entry in enumerate(app.get_conf("LOGGERS", None) or []):
        target = entry
        if isinstance(entry, str):
            try:
                target = import_string(entry)
            except ImportError as exc:
                raise ConfigurationError(f"LOGGERS[{index}] {entry!r}: {exc}") from exc
        if not (isinstance(target, type) and issubclass(target, LoggerBase)):
            raise ConfigurationError(
                f"LOGGERS[{index}] {entry!r} is not a LoggerBase subclass; "
                "write `class MyLogger(LoggerBase): ...` and list 'package.module:MyLogger'"
            )
        resolved.append(target)
    return resolved


def configure_custom_loggers(app: Any) -> list[int]:
    """Add one sink per ``LOGGERS`` entry; returns the sink ids (remove them at shutdown)."""
    sink_ids: list[int] = []
    try:
        for logger_class in resolve_loggers(app):
            sink_ids.append(logger_class(app).add_sink())
    except BaseException:
        remove_sinks(sink_ids)
        raise
    return sink_ids
