"""``pyjolt run`` / ``python cli.py run``: serve the app with uvicorn from its settings.

Settings (each overridable on the command line): ``HOST``, ``PORT``, ``WORKERS``,
``PROXY_HEADERS``, ``FORWARDED_ALLOW_IPS``, ``LIFESPAN``; reload follows ``DEBUG`` (development)
unless ``--workers`` is above 1. uvicorn's own loggers (the parent process's under
``--workers`` too) write through the app's log sinks, so ``SERIALIZE`` makes every line JSON.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyjolt.exceptions.errors import ConfigurationError

if TYPE_CHECKING:
    from pyjolt.application import PyJolt


@dataclass(frozen=True)
class ServeOptions:
    """Command-line overrides; None = take the app's setting."""

    host: str | None = None
    port: int | None = None
    workers: int | None = None
    reload: bool | None = None
    proxy_headers: bool | None = None
    forwarded_allow_ips: str | None = None


def app_target(app: PyJolt) -> str:
    """An import string uvicorn can load in a worker or reloader process (``pkg:Factory``)."""
    cls = type(app)
    module = cls.__module__
    if module == "__main__" or "<locals>" in cls.__qualname__:
        raise ConfigurationError(
            "WORKERS above 1 and reload need the app as an import string; define the app class "
            "in a module (e.g. app/__init__.py) or run `pyjolt run app:Application`"
        )
    return f"{module}:{cls.__qualname__}"


def uvicorn_options(app: PyJolt, options: ServeOptions, target: str | None) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run`` (``app`` included) from settings and overrides."""
    conf = app.configs
    workers = options.workers if options.workers is not None else int(conf["WORKERS"])
    if workers < 1:
        raise ConfigurationError(f"WORKERS must be 1 or more, got {workers}")
    reload = options.reload if options.reload is not None else bool(conf["DEBUG"])
    if workers > 1:
        reload = False  # uvicorn cannot do both; more workers means production
    default_logger = {str(k).upper(): v for k, v in (conf.get("DEFAULT_LOGGER") or {}).items()}
    level = str(default_logger.get("LEVEL", "DEBUG" if conf["DEBUG"] else "INFO")).lower()
    kwargs: dict[str, Any] = {
        "host": options.host or conf["HOST"],
        "port": options.port if options.port is not None else int(conf["PORT"]),
        "workers": workers,
        "reload": reload,
        "proxy_headers": (
            options.proxy_headers
            if options.proxy_headers is not None
            else bool(conf["PROXY_HEADERS"])
        ),
        "forwarded_allow_ips": options.forwarded_allow_ips or conf["FORWARDED_ALLOW_IPS"],
        "lifespan": conf["LIFESPAN"],
        # uvicorn leaves logging alone: its loggers already write through the app's sinks
        "log_config": None,
        "log_level": level if level in {"trace", "debug", "info", "warning", "error"} else "info",
        # the app's own access log (ACCESS_LOG) replaces uvicorn's
        "access_log": not conf["ACCESS_LOG"],
        # a worker importing a large app on a busy machine answers the first ping late
        "timeout_worker_healthcheck": 30,
        # no `server: uvicorn` header telling attackers what to target
        "server_header": False,
    }
    if workers > 1 or reload:
        kwargs["app"] = target or app_target(app)
        kwargs["factory"] = target is None or _is_factory(target)
    else:
        kwargs["app"] = app
    return kwargs


def is_factory(obj: object) -> bool:
    """A PyJolt subclass or a function making the app (not an app object)."""
    from starlette.applications import Starlette

    return callable(obj) and not isinstance(obj, Starlette)


def _is_factory(target: str) -> bool:
    from pyjolt.registry import load

    return is_factory(load(target, target))


def serve(app: PyJolt, options: ServeOptions, target: str | None = None) -> None:
    """Run uvicorn until it is stopped (Ctrl+C / SIGTERM)."""
    import uvicorn

    kwargs = uvicorn_options(app, options, target)
    if (
        kwargs["workers"] > 1
        and app.configs["METRICS"]
        and not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    ):
        # prometheus-client's multiprocess mode: the workers write, the scrape sums them
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="pyjolt-metrics-")
    with app.keep_logging():  # uvicorn's last lines come after the lifespan has ended
        sys.stdout.flush()
        uvicorn.run(**kwargs)
