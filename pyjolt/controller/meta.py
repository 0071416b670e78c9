"""Metadata records that decorators attach; the compile step reads them once at start-up."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from pydantic import BaseModel

from pyjolt.enums import HttpStatus, MediaType

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol
    from pyjolt.request import AnyRequest

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

ENDPOINT_ATTR = "__pyjolt_endpoint__"
CONTROLLER_ATTR = "__pyjolt_controller__"
HOOK_ATTR = "__pyjolt_hook__"

_UNSET: Any = object()


class Guard:
    """A check that runs before the handler and before ``@before_request`` hooks.

    Extensions subclass it (``login_required``, ``role_required``). ``check`` raises an
    HTTP exception to refuse the request. Guards run sorted by ``priority`` (lower first), so
    decorator order never matters.
    """

    priority: int = 100
    #: True for guards that limit the request rate (the deploy check looks for them)
    limits_rate: bool = False
    #: OpenAPI security requirements this guard adds, e.g. ``[{"bearerAuth": []}]``.
    openapi_security: tuple[Mapping[str, list[str]], ...] = ()
    #: OpenAPI responses this guard can produce: ``{401: "Login required"}``.
    openapi_responses: Mapping[int, str] = {}

    def bind(self, app: AppProtocol) -> Guard:
        """Resolve what the guard needs from the app at start-up (raise to refuse to start)."""
        return self

    async def check(self, req: AnyRequest) -> None:
        raise NotImplementedError

    def openapi_components(self) -> Mapping[str, Mapping[str, Any]]:
        """Security schemes to add under ``components.securitySchemes``."""
        return {}


class Descriptor(NamedTuple):
    """A documented non-success answer, for ``@open_api_docs``."""

    status: int = HttpStatus.BAD_REQUEST
    description: str | None = None
    media_type: MediaType = MediaType.APPLICATION_JSON
    body: type[BaseModel] | None = None


class CorsOptions(NamedTuple):
    """A per-endpoint CORS policy (``@cors``); ``None`` fields fall back to the global policy."""

    allow_origins: tuple[str, ...] | None = None
    allow_methods: tuple[str, ...] | None = None
    allow_headers: tuple[str, ...] | None = None
    expose_headers: tuple[str, ...] | None = None
    allow_credentials: bool | None = None
    max_age: int | None = None
    disabled: bool = False


class EndpointMeta(NamedTuple):
    """Everything the decorators said about one handler."""

    http_methods: tuple[str, ...] = ()
    url_path: str | None = None
    websocket: bool = False
    open_api_spec: bool = True
    tags: tuple[str, ...] = ()
    consumes: MediaType | None = None
    produces: MediaType | None = None
    development: bool = False
    cors: CorsOptions | None = None
    descriptors: tuple[Descriptor, ...] = ()
    #: the success status: the answer's default status and the documented success response
    status_code: int | None = None
    guards: tuple[Guard, ...] = ()
    injects: frozenset[str] = frozenset()
    max_body_size: Any = _UNSET
    extras: Mapping[str, Any] = MappingProxyType({})

    @property
    def max_body_size_set(self) -> bool:
        return self.max_body_size is not _UNSET


class ControllerMeta(NamedTuple):
    """What the class decorators said about one controller class (its own, not inherited)."""

    url_path: str | None = None
    open_api_spec: bool = True
    tags: tuple[str, ...] = ()
    development: bool = False
    guards: tuple[Guard, ...] = ()
    cors: CorsOptions | None = None


def get_endpoint_meta(fn: Any) -> EndpointMeta | None:
    """The metadata of a handler, or None if no PyJolt decorator touched it."""
    meta = getattr(fn, ENDPOINT_ATTR, None)
    return meta if isinstance(meta, EndpointMeta) else None


def update_endpoint_meta(fn: F, **changes: Any) -> F:
    """Replace the function's metadata record with an updated copy; returns ``fn``."""
    meta = get_endpoint_meta(fn) or EndpointMeta()
    setattr(fn, ENDPOINT_ATTR, meta._replace(**changes))
    return fn


def get_controller_meta(cls: type) -> ControllerMeta:
    """The class's own controller metadata (not its bases')."""
    meta = cls.__dict__.get(CONTROLLER_ATTR)
    return meta if isinstance(meta, ControllerMeta) else ControllerMeta()


def update_controller_meta(cls: C, **changes: Any) -> C:
    setattr(cls, CONTROLLER_ATTR, get_controller_meta(cls)._replace(**changes))
    return cls


def add_guard(target: Any, guard: Guard) -> Any:
    """Attach a guard to a handler or a controller class (what auth decorators call)."""
    if isinstance(target, type):
        return update_controller_meta(target, guards=(*get_controller_meta(target).guards, guard))
    meta = get_endpoint_meta(target) or EndpointMeta()
    return update_endpoint_meta(target, guards=(*meta.guards, guard))


def injects(fn: F, *names: str, **extras: Any) -> F:
    """Declare the parameter names a wrapping decorator fills in.

    Extension decorators that wrap a handler (``@db.managed_session``) call this on their
    wrapper after ``functools.wraps``, so the compile step knows those parameters are taken
    care of. ``extras`` are merged into the metadata's free-form ``extras`` mapping.
    """
    meta = get_endpoint_meta(fn) or EndpointMeta()
    merged = {**meta.extras, **extras} if extras else meta.extras
    return update_endpoint_meta(fn, injects=meta.injects | frozenset(names), extras=merged)


def hidden_metadata(fn: Callable[..., Any]) -> tuple[Callable[..., Any], str] | None:
    """A function that ``fn`` wraps whose PyJolt metadata ``fn`` does not carry, with what is
    lost: a guard (``role_required``) under a decorator written without ``functools.wraps``
    would otherwise be silently dropped, leaving the handler public. None when nothing hides.
    """
    outer = get_endpoint_meta(fn) or EndpointMeta()
    seen: set[int] = set()
    stack: list[Any] = [fn]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        inner: list[Any] = [getattr(current, "__wrapped__", None)]
        for cell in getattr(current, "__closure__", None) or ():
            try:
                inner.append(cell.cell_contents)
            except ValueError:  # an empty cell
                continue
        for candidate in inner:
            if not callable(candidate) or not hasattr(candidate, "__code__"):
                continue
            meta = get_endpoint_meta(candidate)
            if meta is not None and meta is not outer:
                lost = [type(g).__name__ for g in meta.guards if g not in outer.guards]
                lost += [f"injected {n!r}" for n in sorted(meta.injects - outer.injects)]
                if lost:
                    return candidate, ", ".join(lost)
            stack.append(candidate)
    return None
