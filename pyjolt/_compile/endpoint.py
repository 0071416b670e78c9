"""Compiled endpoints: the per-request code. No introspection happens here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from loguru import logger
from pydantic import TypeAdapter, ValidationError
from pydantic_core import SchemaSerializer, SchemaValidator
from starlette.requests import ClientDisconnect
from starlette.responses import Response as StarletteResponse
from starlette.types import Message, Receive, Scope, Send

from pyjolt._compile.params import make_param_reader
from pyjolt._compile.plan import HandlerPlan
from pyjolt._compile.returns import check_return
from pyjolt._internal.asgi import header
from pyjolt.controller.meta import Guard
from pyjolt.enums import MediaType
from pyjolt.exceptions.http import (
    BaseHttpException,
    InternalServerError,
    MalformedBody,
    PayloadTooLarge,
    UnsupportedMediaType,
)
from pyjolt.request import PLAN_SCOPE_KEY, REQUEST_SCOPE_KEY, Request, SocketRequest
from pyjolt.response import SERIALIZER_SCOPE_KEY, BodyEncodingError, Response
from pyjolt.response.edge import ResponseEdge
from pyjolt.serialization import Serializer, dumps

JSON_TYPES = ("application/json", "application/problem+json")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def limited_receive(receive: Receive, limit: int) -> Receive:
    """A receive that refuses bodies over ``limit`` bytes without reading the rest."""
    total = 0

    async def _receive() -> Message:
        nonlocal total
        message = await receive()
        if message["type"] == "http.request":
            total += len(message.get("body", b""))
            if total > limit:
                raise PayloadTooLarge(f"Request body exceeds the limit of {limit} bytes")
        return message

    return _receive


def _content_type(scope: Scope) -> str:
    ctype = header(scope, b"content-type")
    return "" if ctype is None else ctype.split(";", 1)[0].strip().lower()


def _core(adapter: TypeAdapter[Any]) -> tuple[Any, Any]:
    """The adapter's pydantic-core validator and serializer, called without the TypeAdapter
    wrappers (their keyword handling costs about as much as the work); the wrappers stay in
    use while the adapter is not built yet (unresolved forward references)."""
    validator, serializer = adapter.validator, adapter.serializer
    return (
        validator if isinstance(validator, SchemaValidator) else adapter,
        serializer if isinstance(serializer, SchemaSerializer) else adapter,
    )


def make_serializer(plan: HandlerPlan) -> Serializer:
    """JSON encoder of a handler's success bodies: through ``Response[Model]``'s model when
    annotated."""
    adapter = plan.response_adapter
    if adapter is None:
        return dumps
    return _model_serializer(plan.name, adapter, plan.response_type, "its Response[...] model")


def error_serializers(plan: HandlerPlan) -> dict[int, Serializer]:
    """JSON encoders of the non-2xx answers that have a ``Descriptor`` with a body model."""
    out: dict[int, Serializer] = {}
    for desc in plan.meta.descriptors:
        status = int(desc.status)
        if desc.body is not None and not 200 <= status < 300 and status not in out:
            label = f"the Descriptor of status {status}"
            out[status] = _model_serializer(plan.name, TypeAdapter(desc.body), desc.body, label)
    return out


def _model_serializer(
    name: str, adapter: TypeAdapter[Any], response_type: Any, label: str
) -> Serializer:
    model = response_type if isinstance(response_type, type) else None
    validator, core_serializer = _core(adapter)
    to_json = core_serializer.to_json if core_serializer is not adapter else adapter.dump_json

    def serialize(data: Any) -> bytes:
        try:
            if model is not None and isinstance(data, model):
                return to_json(data)  # type: ignore[no-any-return]
            return to_json(validator.validate_python(data, from_attributes=True))  # type: ignore[no-any-return]
        except ValidationError as exc:
            logger.bind(logger_name="pyjolt").error(
                "{}: response body does not match {}: {}", name, label, exc
            )
            raise InternalServerError() from exc

    return serialize


def make_body_reader(plan: HandlerPlan) -> Callable[[Request], Awaitable[Any]] | None:
    """The parser of the handler's body model, or None when it takes no body."""
    adapter = plan.body_adapter
    if adapter is None:
        return None
    consumes = plan.meta.consumes or MediaType.APPLICATION_JSON
    list_fields = plan.list_fields
    wants_json = consumes in (MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
    validate_json = _core(adapter)[0].validate_json

    async def read_json(req: Request) -> Any:
        ctype = _content_type(req.scope)
        if ctype and ctype not in JSON_TYPES and not ctype.endswith("+json"):
            raise UnsupportedMediaType(f"Expected a JSON body, got {ctype!r}")
        if hasattr(req, "_body") or req._stream_consumed:
            body = await req.body()
        else:
            # Request.body's loop, without its async generator and context manager
            chunks: list[bytes] = []
            while True:
                message = await req._receive()
                if message["type"] == "http.request":
                    chunk = message.get("body", b"")
                    if chunk:
                        chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
                elif message["type"] == "http.disconnect":
                    req._is_disconnected = True
                    raise ClientDisconnect()
            req._stream_consumed = True
            body = req._body = b"".join(chunks)
        if not body:
            raise MalformedBody("Request body is empty; expected JSON")
        try:
            return validate_json(body)
        except ValidationError as exc:
            if any(err["type"] == "json_invalid" for err in exc.errors()):
                raise MalformedBody("Request body is not valid JSON") from exc
            raise

    async def read_form(req: Request) -> Any:
        ctype = _content_type(req.scope)
        if ctype not in FORM_TYPES:
            raise UnsupportedMediaType(
                f"Expected a form body ({consumes.value}), got {ctype or 'none'!r}"
            )
        try:
            form = await req.form()
        except (PayloadTooLarge, ClientDisconnect):
            raise
        except Exception as exc:
            reason = getattr(exc, "detail", None)  # Starlette's: "Too many fields. ..."
            suffix = f": {reason}" if isinstance(reason, str) else ""
            raise MalformedBody("Request body is not a valid form" + suffix) from exc
        data: dict[str, Any] = {}
        for key in form:
            values = form.getlist(key)
            data[key] = values if (key in list_fields or len(values) > 1) else values[0]
        return adapter.validate_python(data)

    return read_json if wants_json else read_form


_EDGE_SEND = ResponseEdge.send


def build_http_endpoint(
    plan: HandlerPlan,
    instance: Any,
    guards: tuple[Guard, ...],
    before: list[Callable[[Any], Awaitable[Any]]],
    after: list[Callable[[Any], Awaitable[Any]]],
    request_class: type[Request],
    max_body_size: int | None,
) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI callable serving one handler for its methods."""
    fn = plan.func
    read_body = make_body_reader(plan)
    body_param = plan.body_param
    serializer = make_serializer(plan)
    by_status = error_serializers(plan)
    adapters = dict(plan.param_adapters)
    read_params = make_param_reader(plan.params)
    #: keyword arguments beyond the path parameters (converted ones, query etc., a body)
    binds = bool(adapters) or read_params is not None or read_body is not None
    takes_request = plan.takes_request
    declared = plan.meta.status_code
    produces = (
        plan.meta.produces.value
        if plan.meta.produces and plan.meta.produces != MediaType.NO_CONTENT
        else None
    )
    name = plan.name
    limit_body = max_body_size is not None and any(
        m in ("POST", "PUT", "PATCH", "DELETE") for m in plan.methods
    )
    closes_form = read_body is not None and plan.meta.consumes in (
        MediaType.MULTIPART_FORM_DATA,
        MediaType.APPLICATION_X_WWW_FORM_URLENCODED,
    )

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        if closes_form:
            try:
                await handle(scope, receive, send)
            finally:
                req = scope.get(REQUEST_SCOPE_KEY)
                if req is not None:
                    await req.close()  # closes uploaded files (spooled to disk)
            return
        await handle(scope, receive, send)

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        req: Request | None = scope.get(REQUEST_SCOPE_KEY)
        if limit_body:
            for key, value in scope["headers"]:
                if key == b"content-length" and value.isdigit() and int(value) > max_body_size:  # type: ignore[operator]
                    raise PayloadTooLarge(
                        f"Request body exceeds the limit of {max_body_size} bytes"
                    )
            receive = limited_receive(receive, max_body_size)  # type: ignore[arg-type]
            if req is not None and not hasattr(req, "_body"):
                req._receive = receive  # a middleware built the request; limit its body too
        if req is None:
            req = request_class(scope, receive)
        scope[REQUEST_SCOPE_KEY] = req
        scope[SERIALIZER_SCOPE_KEY] = serializer
        scope[PLAN_SCOPE_KEY] = plan
        if declared is not None:
            req.res.status_code = declared
        if guards:
            for guard in guards:
                await guard.check(req)
        if before:
            for hook in before:
                await hook(req)
        kwargs = scope["path_params"]
        if binds:
            kwargs = dict(kwargs)
            if adapters:
                for key, adapter in adapters.items():
                    kwargs[key] = adapter.validate_python(kwargs[key])
            if read_params is not None:
                kwargs.update(read_params(req))
            if read_body is not None:
                kwargs[body_param] = await read_body(req)
        if not kwargs:  # no ** call (it copies even an empty dict)
            result = await (fn(instance, req) if takes_request else fn(instance))
        else:
            result = await (
                fn(instance, req, **kwargs) if takes_request else fn(instance, **kwargs)
            )
        res: Response[Any]
        if isinstance(result, Response):
            res = result
        elif result is None:
            res = req.res
        elif isinstance(result, StarletteResponse):
            for hook in after:
                await hook(result)
            await result(scope, receive, send)
            return
        else:
            res = req.res.json(check_return(name, result))
        if after:
            for hook in after:
                await hook(res)
        if produces is not None:
            if res.media_type is None and res.kind != "empty":
                res.media_type = produces
            elif (
                res.media_type is not None and res.media_type != produces and res.status_code < 300
            ):
                logger.bind(logger_name="pyjolt").warning(
                    "{} is declared to produce {} but answered {}", name, produces, res.media_type
                )
        status = res.status_code
        try:
            encode = serializer if 200 <= status < 300 else by_status.get(status, dumps)
            # the usual answer's two messages sent here: no coroutine frame of res.send
            messages = (
                res.buffered(scope, encode)
                if res._before_send is None and type(res).send is _EDGE_SEND
                else None
            )
            if messages is None:
                await res.send(scope, receive, send, encode)
            else:
                await send(messages[0])
                await send(messages[1])
        except BodyEncodingError as exc:
            logger.bind(logger_name="pyjolt").error(
                "{} returned a body that cannot be encoded as JSON ({}); return dicts, lists, "
                "pydantic models or dataclasses of JSON values, or a Response",
                name,
                exc,
            )
            raise InternalServerError() from exc

    return endpoint if closes_form else handle  # one coroutine frame less per request


def build_socket_endpoint(
    plan: HandlerPlan,
    instance: Any,
    guards: tuple[Guard, ...],
    before: list[Callable[[Any], Awaitable[Any]]],
) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """The ASGI callable serving one websocket handler; guards refuse before ``accept``."""
    fn = plan.func
    adapters = dict(plan.param_adapters)
    read_params = make_param_reader(plan.params)

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        req = SocketRequest(scope, receive, send)
        try:
            for guard in guards:
                await guard.check(req)
            for hook in before:
                await hook(req)
            kwargs = dict(scope["path_params"])
            for key, adapter in adapters.items():
                kwargs[key] = adapter.validate_python(kwargs[key])
            if read_params is not None:
                kwargs.update(read_params(req))
        except (BaseHttpException, ValidationError) as exc:
            reason = exc.message if isinstance(exc, BaseHttpException) else "invalid parameter"
            await send({"type": "websocket.close", "code": 1008, "reason": reason[:120]})
            return
        await fn(instance, req, **kwargs)

    return _SocketApp(endpoint)


class _SocketApp:
    """A raw ASGI app (Starlette's WebSocketRoute would call a plain function as ``fn(ws)``),
    handing back ``fn``'s awaitable: no coroutine frame of its own per connection, nor in every
    suspension of it."""

    def __init__(self, fn: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.fn = fn

    def __call__(self, scope: Scope, receive: Receive, send: Send) -> Awaitable[None]:
        return self.fn(scope, receive, send)
