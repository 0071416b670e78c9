"""OpenTelemetry tracing (extra ``otel``): one server span per request, named by route template."""

from __future__ import annotations

import contextlib
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt._internal.imports import optional_import
from pyjolt.observability.routes import route_template

#: instrumentation packages attached when installed: (module, instrumentor class, library
#: versions PyJolt's tests run it with beyond the range the package declares, or None)
INSTRUMENTORS = (
    # 0.66b1 declares sqlalchemy < 2.1 but works on 2.1 (engine events only):
    # tests/observability/test_tracing.py checks the SELECT span under the request's span
    ("opentelemetry.instrumentation.sqlalchemy", "SQLAlchemyInstrumentor", ("sqlalchemy", "2.1.")),
    ("opentelemetry.instrumentation.redis", "RedisInstrumentor", None),
    ("opentelemetry.instrumentation.httpx", "HTTPXClientInstrumentor", None),
)


def attach_instrumentors(logger: Any) -> list[str]:
    """Instrument SQLAlchemy, Redis and httpx where their instrumentation is installed and
    supports the installed library version (a mismatch is logged once, as a warning)."""
    import importlib
    from importlib.metadata import PackageNotFoundError, version

    from opentelemetry.instrumentation.dependencies import get_dependency_conflicts

    attached: list[str] = []
    for module_name, class_name, tested in INSTRUMENTORS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        instrumentor = getattr(module, class_name)()
        if not instrumentor.is_instrumented_by_opentelemetry:
            conflict = get_dependency_conflicts(instrumentor.instrumentation_dependencies())
            if conflict is not None and tested is not None:
                with contextlib.suppress(PackageNotFoundError):
                    if version(tested[0]).startswith(tested[1]):
                        conflict = None
            if conflict is not None:
                if class_name not in _WARNED:
                    _WARNED.add(class_name)
                    logger.warning("TRACING: {} not attached: {}", class_name, conflict)
                continue
            with contextlib.suppress(Exception):  # e.g. the library itself is not installed
                instrumentor.instrument(skip_dep_check=True)
        attached.append(class_name)
    return attached


_WARNED: set[str] = set()


def _header_getter(propagate: Any) -> Any:
    class ScopeGetter(propagate.textmap.Getter):  # type: ignore[misc]
        def get(self, carrier: dict[str, list[str]], key: str) -> list[str] | None:
            return carrier.get(key.lower())

        def keys(self, carrier: dict[str, list[str]]) -> list[str]:
            return list(carrier)

    return ScopeGetter()


class TracingMiddleware:
    """Server span ``METHOD /route/{template}`` carrying the status code of every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        trace = optional_import("opentelemetry.trace", "otel")
        self._propagate = optional_import("opentelemetry.propagate", "otel")
        optional_import("opentelemetry.propagators.textmap", "otel")
        self._trace = trace
        # a proxy: spans go to whatever provider is set globally, also after the build
        self._tracer = trace.get_tracer("pyjolt")
        self._getter = _header_getter(self._propagate)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trace = self._trace
        carrier: dict[str, list[str]] = {}
        for key, value in scope["headers"]:
            carrier.setdefault(key.decode("latin-1"), []).append(value.decode("latin-1"))
        context = self._propagate.extract(carrier, getter=self._getter)
        method = scope["method"]
        status = 500

        async def traced_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        with self._tracer.start_as_current_span(
            method,
            context=context,
            kind=trace.SpanKind.SERVER,
            attributes={
                "http.request.method": method,
                "url.path": scope["path"],
                "url.scheme": scope.get("scheme", "http"),
            },
            record_exception=True,
            set_status_on_exception=True,
        ) as span:
            try:
                await self.app(scope, receive, traced_send)
            finally:
                route = route_template(scope)
                span.update_name(f"{method} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(trace.Status(trace.StatusCode.ERROR))
