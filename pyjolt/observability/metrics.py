"""Prometheus metrics (extra ``metrics``): per-process metrics, multiprocess mode for workers."""

from __future__ import annotations

import os
from typing import Any

from starlette.requests import Request as StarletteRequest
from starlette.responses import Response as StarletteResponse

from pyjolt._internal.imports import optional_import
from pyjolt.extension import add_event_listener

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: One set of collectors per process: Prometheus registers a name once.
_COLLECTORS: dict[str, Any] = {}


def _collectors() -> dict[str, Any]:
    if not _COLLECTORS:
        prom = optional_import("prometheus_client", "metrics")
        labels = ["method", "route", "status"]
        _COLLECTORS.update(
            requests=prom.Counter("pyjolt_http_requests", "HTTP requests answered", labels),
            latency=prom.Histogram(
                "pyjolt_http_request_duration_seconds", "Time to answer HTTP requests", labels
            ),
            in_flight=prom.Gauge(
                "pyjolt_http_requests_in_flight",
                "HTTP requests being answered",
                multiprocess_mode="livesum",
            ),
            events=prom.Counter(
                "pyjolt_extension_events",
                "Extension events (cache hit/miss, scheduler run/failure)",
                ["extension", "event"],
            ),
        )
        events = _COLLECTORS["events"]
        add_event_listener(lambda ext, event: events.labels(ext, event).inc())
    return _COLLECTORS


class HttpMetrics:
    """Request count, latency and in-flight requests; label children cached per key."""

    def __init__(self) -> None:
        collectors = _collectors()
        self._requests = collectors["requests"]
        self._latency = collectors["latency"]
        self._in_flight = collectors["in_flight"]
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def started(self) -> None:
        self._in_flight.inc()

    def finished(self, method: str, route: str, status: int, seconds: float) -> None:
        self._in_flight.dec()
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            name = method if method in _METHODS else "OTHER"  # clients choose methods
            labels = (name, route, str(status))
            children = (self._requests.labels(*labels), self._latency.labels(*labels))
            if len(self._children) < 10_000:
                self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)


async def metrics_endpoint(request: StarletteRequest) -> StarletteResponse:
    """The Prometheus text exposition (every worker's metrics in multiprocess mode)."""
    prom = optional_import("prometheus_client", "metrics")
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from anyio import to_thread

        multiprocess = optional_import("prometheus_client.multiprocess", "metrics")
        registry = prom.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        data = await to_thread.run_sync(prom.generate_latest, registry)
    else:
        data = prom.generate_latest(prom.REGISTRY)
    return StarletteResponse(data, media_type=prom.CONTENT_TYPE_LATEST)
