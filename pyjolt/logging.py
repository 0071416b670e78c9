"""Logging with loguru: the default sink from DEFAULT_LOGGER, custom sinks from LOGGERS.

Each app adds and removes only its own sinks; which records reach them, and the bridge from
the standard ``logging`` module, are described in ``pyjolt.log_sinks``.
"""

from __future__ import annotations

import datetime
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ClassVar

from loguru import logger as _logger
from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

from pyjolt._internal.naming import upper_snake
from pyjolt._internal.suggest import did_you_mean
from pyjolt.enums import LogLevel
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.log_sinks import InterceptHandler, app_log, remove_sinks

#: The ID of the request being answered (set by ``REQUEST_ID``); the app's sinks add it to
#: every record as ``extra[request_id]``.
REQUEST_ID: ContextVar[str | None] = ContextVar("pyjolt_request_id", default=None)

if TYPE_CHECKING:
    from loguru import Logger

    from pyjolt.appcontext import AppProtocol

__all__ = [
    "DEFAULT_FORMAT",
    "InterceptHandler",
    "LoggerBase",
    "add_app_sinks",
    "app_logger",
    "configure_custom_loggers",
    "configure_default_logger",
    "remove_sinks",
]

DEFAULT_FORMAT = (
    "<green>{time:HH:mm:ss}</green> | <level>{level}</level> | {extra[logger_name]} | "
    "<level>{message}</level>"
)


def _resolve_sink(sink: Any) -> Any:
    if sink in (None, "stderr", "STDERR", "sys.stderr"):
        return sys.stderr
    if sink in ("stdout", "STDOUT", "sys.stdout"):
        return sys.stdout
    return sink


def configure_default_logger(app: AppProtocol) -> list[int]:
    """Add the app's default sink described by ``DEFAULT_LOGGER``; returns the loguru sink ids.

    The sink takes only the records that belong to ``app`` (see ``pyjolt.log_sinks``).
    """
    conf = {str(k).upper(): v for k, v in (app.get_conf("DEFAULT_LOGGER", {}) or {}).items()}
    debug = bool(app.get_conf("DEBUG", False))
    try:
        sink_id = _logger.add(
            _resolve_sink(conf.get("SINK")),
            level=str(conf.get("LEVEL", LogLevel.TRACE if debug else LogLevel.INFO)),
            format=conf.get("FORMAT", DEFAULT_FORMAT),
            backtrace=bool(conf.get("BACKTRACE", True)),
            diagnose=bool(conf.get("DIAGNOSE", debug)),
            colorize=conf.get("COLORIZE"),
            serialize=bool(conf.get("SERIALIZE", False)),
            filter=_with_logger_name(app, None),
        )
    except (TypeError, ValueError, OSError) as exc:
        raise ConfigurationError(
            f"DEFAULT_LOGGER: loguru refused the sink settings: {exc}; "
            "fix the DEFAULT_LOGGER section in your config class (LEVEL is a level name such "
            "as 'INFO')"
        ) from exc
    return [sink_id]


def add_app_sinks(app: AppProtocol, logger_classes: Sequence[type[LoggerBase]]) -> list[int]:
    """The app's default sink and one sink per ``LOGGERS`` class; all or none are added."""
    sink_ids = configure_default_logger(app)
    try:
        sink_ids += configure_custom_loggers(app, logger_classes)
    except BaseException:
        remove_sinks(sink_ids)
        raise
    return sink_ids


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

    def __init__(self, app: AppProtocol) -> None:
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
            close = {k: did_you_mean(k, LOGGER_KEYS) for k in unknown}
            hints = "".join(f" ({k}: did you mean {c}?)" for k, c in close.items() if c)
            raise ConfigurationError(
                f"{self._section}: unknown key(s) {', '.join(unknown)}{hints}; "
                f"known keys are {', '.join(LOGGER_KEYS)}"
            )
        self._conf = conf

    @classmethod
    def section_name(cls) -> str:
        """Name of the config section of this logger."""
        return cls.configs_name or upper_snake(cls.__name__)

    @property
    def app(self) -> AppProtocol:
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
            "filter": _with_logger_name(self._app, self.get_filter()),
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


def _with_logger_name(app: AppProtocol, user_filter: FilterType) -> Callable[[Any], bool]:
    """A loguru filter for a sink of ``app``: only the app's records (``pyjolt.log_sinks``),
    with ``extra[logger_name]`` set, then ``user_filter``."""
    app_name = app.app_name
    owner = app_log(app)
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
        if owner is not None and not owner.owns(record):
            return False
        record["extra"].setdefault("logger_name", app_name)
        request_id = REQUEST_ID.get()
        if request_id is not None:
            record["extra"].setdefault("request_id", request_id)
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


def configure_custom_loggers(
    app: AppProtocol, logger_classes: Sequence[type[LoggerBase]]
) -> list[int]:
    """Add one sink per ``LOGGERS`` class (resolved by the registry); returns the sink ids."""
    sink_ids: list[int] = []
    try:
        for logger_class in logger_classes:
            sink_ids.append(logger_class(app).add_sink())
    except BaseException:
        remove_sinks(sink_ids)
        raise
    return sink_ids
