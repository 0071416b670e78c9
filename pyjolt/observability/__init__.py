"""Built-in observability, each part switched on by config (all off by default).

Config keys:
    REQUEST_ID: accept an incoming request ID (``REQUEST_ID_HEADER``, default ``X-Request-ID``;
        at most 128 characters of ``A-Z a-z 0-9 . _ : -``) or make one; it is returned on every
        answer, errors included, and bound to every log line of the request (``request_id``).
    ACCESS_LOG: one log line per request (method, route template, status, duration, request
        ID, client, user ID when known; JSON under ``SERIALIZE``). Replaces uvicorn's access log.
    HEALTH: liveness (``HEALTH_LIVE_PATH``) and readiness (``HEALTH_READY_PATH``) endpoints;
        readiness runs every extension's ``health_checks()`` with ``HEALTH_TIMEOUT`` seconds
        each and answers 200 or 503 with per-check JSON. Left out of OpenAPI unless
        ``HEALTH_IN_SCHEMA``.
    METRICS: Prometheus metrics at ``METRICS_PATH`` (extra ``metrics``): request count and
        latency by method, route template and status, in-flight requests, extension events.
        Several worker processes: set ``PROMETHEUS_MULTIPROC_DIR`` (``pyjolt run`` does).
    TRACING: an OpenTelemetry server span per request named ``METHOD /route/{template}``
        (extra ``otel``); SQLAlchemy, Redis and httpx instrumentation attached when installed.
"""

from __future__ import annotations

from pyjolt.observability.install import (
    observability_routes,
    prepare_observability,
    wrap_observability,
)

__all__ = ["observability_routes", "prepare_observability", "wrap_observability"]
