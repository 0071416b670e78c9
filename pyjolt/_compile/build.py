"""The build's extensions and its errors: ``EXTENSIONS`` initialised once the config's keys are
checked against the sections PyJolt reads; a failed build reported as the one line that
names its fix."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from pyjolt._internal.brief_errors import mark_brief
from pyjolt._internal.dependencies import MissingDependencyError, missing, url_drivers
from pyjolt._internal.naming import upper_snake
from pyjolt.config import BaseConfig, check_config_keys
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.logging import LOGGER_KEYS, LoggerBase
from pyjolt.registry import resolve

if TYPE_CHECKING:
    from pyjolt.application import PyJolt


def reports_startup_errors(init: Callable[..., None]) -> Callable[..., None]:
    """A build that fails on the config or a missing package: the error names the fix, and
    outside DEBUG it ends a server or ``cli.py`` as one line, without a traceback."""

    @functools.wraps(init)
    def build(self: PyJolt, *args: Any, **kwargs: Any) -> None:
        try:
            init(self, *args, **kwargs)
        except MissingDependencyError as exc:
            configs = getattr(self, "_configs", None) or {}
            drivers = [r for r in url_drivers(configs) if not r.installed()]
            if drivers and any(r.extra == "db" for r in exc.requirements):
                # the SQL extension could not be imported, so it could not name its driver
                raise mark_brief(
                    MissingDependencyError([*exc.requirements, *drivers], exc.context)
                ) from exc
            mark_brief(exc)
            raise
        except ConfigurationError as exc:
            if not getattr(self, "_debug_build", False):
                mark_brief(exc)
            raise

    return build


def init_extensions(
    app: PyJolt, config_class: type[BaseConfig], logger_classes: Sequence[type[LoggerBase]]
) -> None:
    """Resolve EXTENSIONS, check the config's keys against what they read, initialise
    them; the packages missing for any of them are reported at once."""
    configs = app.configs
    try:
        extensions = resolve("EXTENSIONS", configs["EXTENSIONS"])
    except MissingDependencyError as exc:
        # the extensions that could be imported may miss packages too: name them all
        others = missing([r for ext in exc.resolved for r in getattr(ext, "requires", ())])
        if not others:
            raise
        raise MissingDependencyError([*exc.requirements, *others], "EXTENSIONS") from exc
    sections = _config_sections(configs, logger_classes, extensions)
    check_config_keys(config_class, configs, sections, os.environ)
    failed: list[MissingDependencyError] = []
    for ext in extensions:
        try:
            ext.init_app(app)
        except MissingDependencyError as exc:
            failed.append(exc)
        except Exception:
            if not failed:
                raise
            # an extension that builds on one whose packages are missing: report those
    if len(failed) == 1:
        raise failed[0]
    if failed:
        requirements = [req for exc in failed for req in exc.requirements]
        raise MissingDependencyError(requirements, "EXTENSIONS")


def _config_sections(
    configs: dict[str, Any], logger_classes: Sequence[type[LoggerBase]], extensions: list[Any]
) -> dict[str, Collection[str] | None]:
    """The config sections PyJolt reads, with their keys (None: any key)."""
    sections: dict[str, Collection[str] | None] = {"DEFAULT_LOGGER": LOGGER_KEYS}
    for logger in logger_classes:
        sections[logger.section_name()] = LOGGER_KEYS
    for item in configs["MIDDLEWARE"] or ():
        sections.setdefault(upper_snake(_class_name(item)), None)
    for ext in extensions:
        names = getattr(ext, "config_names", None)
        if callable(names):
            sections.update(names())
        elif getattr(ext, "configs_name", None):
            sections[str(ext.configs_name)] = None
    return sections


def _class_name(item: Any) -> str:
    """The class name of a ``MIDDLEWARE`` entry (import string, class, tuple, ``Middleware``)."""
    if isinstance(item, tuple) and item:
        item = item[0]
    item = getattr(item, "cls", item)
    if isinstance(item, str):
        return item.rpartition(":")[2].rpartition(".")[2]
    return str(getattr(item, "__name__", ""))
