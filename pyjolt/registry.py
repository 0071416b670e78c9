"""The registry: config lists of import strings (or objects), resolved and checked at start-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from pyjolt._internal.dependencies import (
    MissingDependencyError,
    Requirement,
    as_missing_dependency,
)
from pyjolt._internal.imports import ImportStringError, import_string
from pyjolt.cli.controller import CLIController
from pyjolt.controller.base import Controller
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.exceptions.handler import ExceptionHandler
from pyjolt.extension import BaseExtension
from pyjolt.logging import LoggerBase


def _subclass_of(base: type) -> Callable[[Any], bool]:
    return lambda obj: isinstance(obj, type) and issubclass(obj, base)


def _is_extension(obj: Any) -> bool:
    return isinstance(obj, BaseExtension) or (
        not isinstance(obj, type) and callable(getattr(obj, "init_app", None))
    )


def _is_middleware(obj: Any) -> bool:
    return isinstance(obj, type) or callable(obj)


class Entry(NamedTuple):
    key: str
    accepts: Callable[[Any], bool]
    expected: str


REGISTRY: dict[str, Entry] = {
    e.key: e
    for e in (
        Entry("CONTROLLERS", _subclass_of(Controller), "a Controller subclass"),
        Entry("EXTENSIONS", _is_extension, "an extension instance (e.g. `db = SqlDatabase()`)"),
        Entry(
            "MIDDLEWARE", _is_middleware, "a MiddlewareBase subclass or an ASGI middleware class"
        ),
        Entry("EXCEPTION_HANDLERS", _subclass_of(ExceptionHandler), "an ExceptionHandler subclass"),
        Entry("LOGGERS", _subclass_of(LoggerBase), "a LoggerBase subclass"),
        Entry("MODELS", lambda obj: isinstance(obj, type), "a model class"),
        Entry("CLI_CONTROLLERS", _subclass_of(CLIController), "a CLIController subclass"),
    )
}


def resolve(key: str, items: Any) -> list[Any]:
    """Resolve one config list; errors name the key, the index, the string and the problem.

    Entries that cannot be imported because a package is missing are all reported at once, in
    one ``MissingDependencyError`` naming the ``pip install`` that fixes them.
    """
    if items is None:
        return []
    if not isinstance(items, (list, tuple)):
        raise ConfigurationError(
            f"{key} must be a list of import strings, got {type(items).__name__}"
        )
    out: list[Any] = []
    missing: list[Requirement] = []
    labels: list[str] = []
    for index, item in enumerate(items):
        label = f"{key}[{index}] {item!r}"
        try:
            out.append(resolve_item(key, label, item))
        except MissingDependencyError as exc:
            missing.extend(exc.requirements)
            labels.append(label)
    if missing:
        error = MissingDependencyError(missing, ", ".join(labels))
        error.resolved = out
        raise error
    return out


def load(label: str, value: Any) -> Any:
    """The object an import string ``"pkg.mod:Name"`` names (any other value as it is).

    The one place PyJolt resolves import strings: config lists (``resolve``) and import-string
    fields of extension configs (``ImportString``). Errors start with ``label``.
    """
    if not isinstance(value, str):
        return value
    try:
        return import_string(value)
    except ImportError as exc:
        # a package an extra installs is missing: say which install fixes it
        absent = as_missing_dependency(exc, label)
        if absent is not None:
            raise absent from exc
        if isinstance(exc, ImportStringError):
            raise ConfigurationError(f"{label}: {exc}") from exc
        raise ConfigurationError(f"{label}: importing it failed: {exc!r}") from exc
    except Exception as exc:
        raise ConfigurationError(f"{label}: importing it failed: {exc!r}") from exc


class ImportString:
    """A config field that takes an import string or the object itself (pydantic annotation).

    ``BACKEND: Annotated[type[Backend], ImportString("a Backend subclass", is_backend)]``: when
    the section is validated, a string is resolved by the registry (``load``) and the object
    is checked with ``accepts``; the error names what was ``expected``. A plain class, not a
    dataclass: making a dataclass costs about as much as importing a small module.
    """

    __slots__ = ("accepts", "expected")

    def __init__(self, expected: str, accepts: Callable[[Any], bool] = callable) -> None:
        self.expected = expected
        self.accepts = accepts

    def __repr__(self) -> str:
        return f"ImportString({self.expected!r}, {self.accepts!r})"

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self._validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "description": f"import string naming {self.expected}"}

    def _validate(self, value: Any) -> Any:
        try:
            obj = load("import string", value)
        except ConfigurationError as exc:
            raise ValueError(str(exc)) from exc
        if not self.accepts(obj):
            raise ValueError(
                f"expected {self.expected} (or an import string naming one), got {obj!r}"
            )
        return obj


def resolve_item(key: str, label: str, item: Any) -> Any:
    """Resolve and check one entry of the config list ``key``; errors start with ``label``."""
    entry = REGISTRY[key]
    obj = load(label, item)
    if key == "MIDDLEWARE":
        _refuse_extension(label, obj)
    if not entry.accepts(obj):
        raise ConfigurationError(f"{label}: expected {entry.expected}, got {obj!r}")
    return obj


def _refuse_extension(label: str, obj: Any) -> None:
    """An extension listed in MIDDLEWARE (PyJolt 0.111 made ``Authentication`` middleware)."""
    cls = obj if isinstance(obj, type) else type(obj)
    if not issubclass(cls, BaseExtension):
        return
    kind = next(
        (k.__name__ for k in cls.__mro__ if k.__module__.startswith("pyjolt.")), cls.__name__
    )
    example = f"`{cls.__name__.lower()} = {cls.__name__}()`" if isinstance(obj, type) else "it"
    raise ConfigurationError(
        f"{label}: {kind} is an extension: list it in EXTENSIONS (an instance, e.g. "
        f"{example} and its import string), not in MIDDLEWARE"
    )
