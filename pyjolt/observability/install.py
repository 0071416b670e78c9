"""What the app adds when observability config keys are on: routes and outer layers."""

from __future__ import annotations

import logging

from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from pyjolt.appcontext import AppProtocol


def prepare_observability(app: AppProtocol) -> None:
    """Before the extensions make their clients: attach the installed OpenTelemetry
    instrumentation (SQLAlchemy, Redis, httpx) when ``TRACING`` is on."""
    if app.configs["TRACING"]:
        from pyjolt.observability.tracing import attach_instrumentors

        attach_instrumentors(app.logger)


def observability_routes(app: AppProtocol) -> list[BaseRoute]:
    """Health and metrics endpoints (none when their keys are off)."""
    configs = app.configs
    routes: list[BaseRoute] = []
    if configs["HEALTH"]:
        from pyjolt.observability.health import health_routes

        routes.extend(health_routes(app))
    if configs["METRICS"]:
        from pyjolt.observability.metrics import metrics_endpoint

        routes.append(
            Route(
                configs["METRICS_PATH"], metrics_endpoint, methods=["GET"], include_in_schema=False
            )
        )
    return routes


def wrap_observability(app: AppProtocol, inner: ASGIApp) -> ASGIApp:
    """Wrap ``inner`` (CORS and everything below) in the switched-on layers.

    Request IDs, the access log and metrics share one layer (one ``send`` wrapper for all).
    Tracing is outermost so its span covers that work.
    """
    configs = app.configs
    metrics = None
    if configs["METRICS"]:
        from pyjolt.observability.metrics import HttpMetrics

        metrics = HttpMetrics()
    header = configs["REQUEST_ID_HEADER"] if configs["REQUEST_ID"] else None
    access_log = bool(configs["ACCESS_LOG"])
    if header is not None or access_log or metrics is not None:
        from pyjolt.observability.accesslog import access_logger
        from pyjolt.observability.observe import ObserveMiddleware

        if access_log:
            # this line replaces uvicorn's (no handler: uvicorn skips formatting its own)
            uvicorn_access = logging.getLogger("uvicorn.access")
            uvicorn_access.handlers = []
            uvicorn_access.propagate = False
        inner = ObserveMiddleware(
            inner,
            request_id_header=header,
            access_log=access_logger(app) if access_log else None,
            metrics=metrics,
        )
    if configs["TRACING"]:
        from pyjolt.observability.tracing import TracingMiddleware

        inner = TracingMiddleware(inner)
    return inner
