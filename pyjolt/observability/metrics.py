"""Prometheus metrics (extra ``metrics``): cheap per-process numbers; multiprocess mode."""

from __future__ import annotations

import os
from bisect import bisect_left
from typing import Any

from starlette.requests import Request as StarletteRequest
from starlette.responses import Response as StarletteResponse

from pyjolt._internal.imports import optional_import
from pyjolt.extension import add_event_listener

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: One set of collectors per process: Prometheus registers a name once.
_COLLECTORS: dict[str, Any] = {}


def _collectors() -> dict[str, Any]:
    """prometheus-client's own metrics, for multiprocess mode (registered once a process)."""
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
        )
        _events()
    return _COLLECTORS


def _events() -> None:
    """The extension events counter, fed by ``BaseExtension.record`` (once a process)."""
    if "events" in _COLLECTORS:
        return
    prom = optional_import("prometheus_client", "metrics")
    events = prom.Counter(
        "pyjolt_extension_events",
        "Extension events (cache hit/miss, scheduler run/failure)",
        ["extension", "event"],
    )
    jobs = prom.Counter(
        "pyjolt_job_events",
        "Events of one scheduled job (run/failure) by job id",
        ["extension", "job", "event"],
    )
    _COLLECTORS["events"] = events

    def count(extension: str, event: str, job: str | None) -> None:
        events.labels(extension, event).inc()
        if job is not None:
            jobs.labels(extension, job, event).inc()

    add_event_listener(count)


#: latency buckets (seconds), prometheus-client's defaults
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
_LABELS = ("method", "route", "status")


class _Series:
    """One (method, route, status): count, sum and per-bucket counts, plain numbers."""

    __slots__ = ("buckets", "count", "total")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0.0
        self.buckets = [0] * (len(BUCKETS) + 1)


class _LocalStore:
    """This process's request metrics, kept in plain numbers and turned into Prometheus
    families only when scraped: no lock per request (one event loop thread writes them)."""

    def __init__(self) -> None:
        self.series: dict[tuple[str, str, int], _Series] = {}
        self.in_flight = 0

    def collect(self) -> Any:
        core = optional_import("prometheus_client.core", "metrics")
        requests = core.CounterMetricFamily(
            "pyjolt_http_requests", "HTTP requests answered", labels=_LABELS
        )
        latency = core.HistogramMetricFamily(
            "pyjolt_http_request_duration_seconds",
            "Time to answer HTTP requests",
            labels=_LABELS,
        )
        for (method, route, status), one in list(self.series.items()):
            labels = [method, route, str(status)]
            requests.add_metric(labels, one.count)
            cumulative, buckets = 0, []
            for bound, hits in zip((*BUCKETS, float("inf")), one.buckets, strict=True):
                cumulative += hits
                buckets.append(("+Inf" if bound == float("inf") else repr(bound), cumulative))
            latency.add_metric(labels, buckets, one.total)
        yield requests
        yield latency
        yield core.GaugeMetricFamily(
            "pyjolt_http_requests_in_flight", "HTTP requests being answered", self.in_flight
        )


_STORE: list[_LocalStore] = []


def _local_store() -> _LocalStore:
    if not _STORE:
        prom = optional_import("prometheus_client", "metrics")
        store = _LocalStore()
        prom.REGISTRY.register(store)
        _STORE.append(store)
        _events()
    return _STORE[0]


class HttpMetrics:
    """Request count, latency histogram and in-flight requests by method, route template and
    status. One process: plain numbers read at scrape time. Several worker processes
    (``PROMETHEUS_MULTIPROC_DIR``): prometheus-client's multiprocess metrics.

    A caller keeps what ``series`` returns for each kind of answer and hands it back to
    ``finished``: no label lookup a request. ``local`` is the one process's store: the
    observability layer counts in it itself (the hot path, as ``finished`` does)."""

    def __init__(self) -> None:
        self.local: _LocalStore | None = None
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            collectors = _collectors()
            self._requests = collectors["requests"]
            self._latency = collectors["latency"]
            self._in_flight = collectors["in_flight"]
        else:
            self.local = _local_store()

    def started(self) -> None:
        """One request more being answered."""
        if self.local is not None:
            self.local.in_flight += 1
        else:
            self._in_flight.inc()

    def series(self, method: str, route: str, status: int) -> Any:
        """What the answers of (method, route template, status) are counted in."""
        if method not in METHODS:
            method = "OTHER"  # clients choose methods: keep the label set bounded
        if self.local is not None:
            return self.local.series.setdefault((method, route, status), _Series())
        labels = (method, route, str(status))
        return (self._requests.labels(*labels), self._latency.labels(*labels))

    def finished(self, series: Any, seconds: float) -> None:
        """One answer of ``series`` (from ``series``) taking ``seconds``."""
        if self.local is not None:
            self.local.in_flight -= 1
            series.count += 1
            series.total += seconds
            series.buckets[bisect_left(BUCKETS, seconds)] += 1
        else:
            self._in_flight.dec()
            series[0].inc()
            series[1].observe(seconds)


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
