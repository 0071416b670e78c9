"""The middleware stack: ``MIDDLEWARE`` entries with their options, layered and checked at build.

How the two kinds of middleware combine (the list order is the wrapping order, first is
outermost):

- A plain ASGI / Starlette middleware (metrics, tracing, request IDs, GZip, sessions) sees the
  final answer of every request. Whatever is raised below it is turned into the app's
  exception-handler answer first, so it sees a 404 or a 500 as an answer with that status.
- A PyJolt ``MiddlewareBase`` keeps the spec's semantics: an exception from the rest of the
  chain passes through ``await self.next(req)`` (it may catch it and answer itself; its
  ``finally`` runs before the exception handler), and what it raises reaches the handlers.

So the exception handlers sit right below every plain middleware and outside the outermost
entry. CORS sits outside everything, so error answers carry CORS headers too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.middleware import Middleware
from starlette.types import ASGIApp

from pyjolt._compile.exceptions import ExceptionLayer
from pyjolt._internal.naming import upper_snake
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.middleware import MiddlewareAdapter, MiddlewareBase
from pyjolt.registry import resolve_item

if TYPE_CHECKING:
    from pyjolt.application import PyJolt


def _split(index: int, item: Any) -> tuple[Any, dict[str, Any] | None]:
    """``(target, inline options)`` of one ``MIDDLEWARE`` entry (options None: none given)."""
    if isinstance(item, Middleware):
        if item.args:
            raise ConfigurationError(
                f"MIDDLEWARE[{index}] {item!r}: give options by keyword, "
                "e.g. Middleware(GZipMiddleware, minimum_size=500)"
            )
        return item.cls, dict(item.kwargs)
    if isinstance(item, (tuple, list)):
        if len(item) != 2 or not isinstance(item[1], dict):
            raise ConfigurationError(
                f"MIDDLEWARE[{index}] {item!r}: an entry with options is a pair "
                "('pkg.module:Class', {'option': value})"
            )
        return item[0], dict(item[1])
    return item, None


def middleware_entries(app: PyJolt, items: Any) -> list[tuple[Middleware, str]]:
    """The ``MIDDLEWARE`` list as Starlette ``Middleware`` objects with a label for errors.

    Options come inline (``Middleware(cls, **options)`` or ``("pkg:Class", {...})``) or from the
    config section named after the class (``GZipMiddleware`` -> ``GZIP_MIDDLEWARE``); inline
    options override the section's.
    """
    if items is None:
        return []
    if not isinstance(items, (list, tuple)):
        raise ConfigurationError(
            f"MIDDLEWARE must be a list of import strings, got {type(items).__name__}"
        )
    out: list[tuple[Middleware, str]] = []
    for index, item in enumerate(items):
        target, inline = _split(index, item)
        label = f"MIDDLEWARE[{index}] {target!r}"
        cls = resolve_item("MIDDLEWARE", label, target)
        section_key = upper_snake(getattr(cls, "__name__", ""))
        section = app.configs.get(section_key, {}) or {}
        if not isinstance(section, dict):
            raise ConfigurationError(f"{label}: its config section {section_key} must be a dict")
        options = {**section, **(inline or {})}
        if isinstance(cls, type) and issubclass(cls, MiddlewareBase):
            mw = Middleware(MiddlewareAdapter, middleware_class=cls, pyjolt_app=app, config=options)
        else:
            mw = Middleware(cls, **options)
        out.append((mw, label))
    return out


def label_of(mw: Middleware, labels: dict[int, str]) -> str:
    cls: Any = mw.cls
    cls = mw.kwargs.get("middleware_class", cls) if cls is MiddlewareAdapter else cls
    return labels.get(id(mw)) or f"middleware {getattr(cls, '__name__', cls)!r}"


def build_stack(
    router: ASGIApp,
    middleware: list[Middleware],
    handlers: dict[Any, Any],
    *,
    debug: bool,
    labels: dict[int, str],
) -> ASGIApp:
    """Layer ``middleware`` (first outermost) over ``router`` with the exception handlers.

    Every entry is instantiated here, so bad options fail the build naming the entry.
    """
    app: ASGIApp = router
    for mw in reversed(middleware):
        cls: Any = mw.cls
        args, kwargs = mw.args, mw.kwargs
        if cls is not MiddlewareAdapter:
            app = ExceptionLayer(app, handlers, debug=debug)
        try:
            app = cls(app, *args, **kwargs)
        except ConfigurationError:
            raise
        except Exception as exc:
            raise ConfigurationError(
                f"{label_of(mw, labels)}: creating it failed: {exc}; fix its options "
                "(inline, or in the config section named after the class)"
            ) from exc
    # what the outermost entry raises reaches the handlers too
    return ExceptionLayer(app, handlers, debug=debug)
