"""Controller decorators. Each records metadata and returns the same object: order never matters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar, overload

from pyjolt._internal.deprecation import warn_deprecated
from pyjolt._internal.markers import marker
from pyjolt.controller.meta import (
    HOOK_ATTR,
    CorsOptions,
    Descriptor,
    EndpointMeta,
    get_endpoint_meta,
    update_controller_meta,
    update_endpoint_meta,
)
from pyjolt.enums import HttpStatus, MediaType

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def path(
    url_path: str, open_api_spec: bool = True, tags: list[str] | None = None
) -> Callable[[T], T]:
    """Give a controller class its URL prefix, OpenAPI inclusion and tags."""

    def decorator(cls: T) -> T:
        if not isinstance(cls, type):
            raise TypeError("@path decorates controller classes; use @get/@post/... on methods")
        return update_controller_meta(
            cls, url_path=url_path, open_api_spec=open_api_spec, tags=tuple(tags or ())
        )

    return decorator


def _success_status(status_code: int | HttpStatus | None) -> int | None:
    if status_code is None:
        return None
    code = int(status_code)
    if not 200 <= code < 400:
        raise ValueError(f"status_code={code}: a handler's declared status is a 2xx or 3xx code")
    return code


def _same_status(fn: Callable[..., object], meta: EndpointMeta | None, status: int | None) -> None:
    """Decorators record metadata in any order: two different declared statuses are an error."""
    if status is not None and meta is not None and meta.status_code not in (None, status):
        raise TypeError(
            f"{fn.__qualname__}: status_code={status} contradicts the declared "
            f"status_code={meta.status_code}; declare it once, on the verb decorator"
        )


def _route(method: str) -> Callable[..., Callable[[F], F]]:
    def factory(
        url_path: str = "",
        open_api_spec: bool = True,
        tags: list[str] | None = None,
        *,
        status_code: int | HttpStatus | None = None,
    ) -> Callable[[F], F]:
        status = _success_status(status_code)

        def decorator(fn: F) -> F:
            meta = get_endpoint_meta(fn)
            if meta is not None and meta.http_methods and meta.url_path != url_path:
                raise TypeError(f"{fn.__qualname__} already has the path {meta.url_path!r}")
            _same_status(fn, meta, status)
            methods = (*meta.http_methods, method) if meta is not None else (method,)
            return update_endpoint_meta(
                fn,
                http_methods=tuple(dict.fromkeys(methods)),
                url_path=url_path,
                open_api_spec=open_api_spec and (meta.open_api_spec if meta else True),
                tags=tuple(dict.fromkeys((*(meta.tags if meta else ()), *(tags or ())))),
                **({"status_code": status} if status is not None else {}),
            )

        return decorator

    factory.__name__ = method.lower()
    factory.__doc__ = (
        f"Route {method} requests on ``url_path`` (joined to the controller's path).\n\n"
        "``status_code`` is the success status: the answer's status when the handler does not "
        "set one (``201``; ``204`` answers carry no body), and the documented success response."
    )
    return factory


get = _route("GET")
post = _route("POST")
put = _route("PUT")
patch = _route("PATCH")
delete = _route("DELETE")
GET, POST, PUT, PATCH, DELETE = get, post, put, patch, delete


def socket(url_path: str = "") -> Callable[[F], F]:
    """Route websocket connections on ``url_path``."""

    def decorator(fn: F) -> F:
        return update_endpoint_meta(fn, websocket=True, url_path=url_path, open_api_spec=False)

    return decorator


def consumes(media_type: MediaType) -> Callable[[F], F]:
    """Declare the request body's media type; the body is parsed into the model parameter."""

    def decorator(fn: F) -> F:
        return update_endpoint_meta(fn, consumes=MediaType(media_type))

    return decorator


def produces(
    media_type: MediaType, status_code: int | HttpStatus | None = None
) -> Callable[[F], F]:
    """Declare (and set) the response body's media type.

    ``status_code`` is PyJolt 0.111's way to declare the success status; it sets the same
    declared status as the verb decorators' ``status_code`` (deprecated: write
    ``@post("/", status_code=201)``).
    """
    status = _success_status(status_code)
    if status is not None:
        warn_deprecated(
            "@produces(..., status_code=...)",
            f"declare the success status on the verb decorator: @post('/', status_code={status})",
        )

    def decorator(fn: F) -> F:
        if status is None:
            return update_endpoint_meta(fn, produces=MediaType(media_type))
        _same_status(fn, get_endpoint_meta(fn), status)
        return update_endpoint_meta(fn, produces=MediaType(media_type), status_code=status)

    return decorator


def open_api_docs(*descriptors: Descriptor) -> Callable[[F], F]:
    """Document the non-success answers of an endpoint."""

    def decorator(fn: F) -> F:
        meta = get_endpoint_meta(fn)
        return update_endpoint_meta(
            fn, descriptors=(*(meta.descriptors if meta else ()), *descriptors)
        )

    return decorator


@overload
def development(target: F) -> F: ...
@overload
def development(target: type[T]) -> type[T]: ...
def development(target: Any) -> Any:
    """Make a controller or endpoint exist only when DEBUG is on."""
    if isinstance(target, type):
        return update_controller_meta(target, development=True)
    return update_endpoint_meta(target, development=True)


def _tuple(values: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


def cors(
    *,
    allow_origins: list[str] | None = None,
    allow_methods: list[str] | None = None,
    allow_headers: list[str] | None = None,
    expose_headers: list[str] | None = None,
    allow_credentials: bool | None = None,
    max_age: int | None = None,
) -> Callable[[F], F]:
    """Override the global CORS policy for one endpoint (unset options keep the global value)."""
    options = CorsOptions(
        allow_origins=_tuple(allow_origins),
        allow_methods=_tuple(m.upper() for m in allow_methods)
        if allow_methods is not None
        else None,
        allow_headers=_tuple(allow_headers),
        expose_headers=_tuple(expose_headers),
        allow_credentials=allow_credentials,
        max_age=max_age,
    )

    def decorator(fn: F) -> F:
        return update_endpoint_meta(fn, cors=options)

    return decorator


def no_cors(fn: F) -> F:
    """Disable CORS for one endpoint, whatever the global settings."""
    return update_endpoint_meta(fn, cors=CorsOptions(disabled=True))


def max_body_size(limit: int | None) -> Callable[[F], F]:
    """Override ``MAX_BODY_SIZE`` (bytes) for one endpoint; ``None`` disables the limit."""

    def decorator(fn: F) -> F:
        return update_endpoint_meta(fn, max_body_size=limit)

    return decorator


before_request = marker(
    HOOK_ATTR,
    "before",
    "before_request",
    "Run this controller method before every request of the controller (definition order).",
)
after_request = marker(
    HOOK_ATTR,
    "after",
    "after_request",
    "Run this controller method after every request of the controller, with the response.",
)
