"""Metrics see the real status of every answer: the built-in ones and starlette-exporter."""

import uuid
from typing import Any

from prometheus_client import REGISTRY
from starlette.middleware import Middleware
from starlette_exporter import PrometheusMiddleware

from pyjolt.caching import Cache
from tests.observability.support import STATUS_REQUESTS, StatusApi, cached_controller, send_all


def _count(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_builtin_metrics_record_real_statuses_by_route_template(build_client: Any) -> None:
    expected = {
        ("GET", "/api/items/{item_id}", "200"),
        ("GET", "<unmatched>", "404"),
        ("GET", "/api/private", "401"),
        ("POST", "/api/items", "422"),
        ("GET", "/api/boom", "500"),
    }
    before = {
        k: _count("pyjolt_http_requests_total", method=k[0], route=k[1], status=k[2])
        for k in expected
    }
    client = await build_client(controllers=[StatusApi], METRICS=True)
    await send_all(client)
    for key in expected:
        labels = dict(zip(("method", "route", "status"), key, strict=True))
        assert _count("pyjolt_http_requests_total", **labels) == before[key] + 1, key
        assert _count("pyjolt_http_request_duration_seconds_count", **labels) >= 1
    scrape = await client.get("/metrics")
    assert scrape.status_code == 200 and scrape.headers["content-type"].startswith("text/plain")
    text = scrape.text
    assert 'route="/api/items/{item_id}"' in text and "/api/items/1" not in text
    assert "pyjolt_http_requests_in_flight" in text


async def test_starlette_exporter_in_middleware_records_real_statuses(build_client: Any) -> None:
    prefix = f"exp_{uuid.uuid4().hex[:8]}"
    client = await build_client(
        controllers=[StatusApi],
        MIDDLEWARE=[
            Middleware(
                PrometheusMiddleware, prefix=prefix, app_name="t", filter_unhandled_paths=False
            )
        ],
    )
    await send_all(client)
    seen = {
        sample.labels["status_code"]
        for metric in REGISTRY.collect()
        if metric.name == f"{prefix}_requests"
        for sample in metric.samples
        if sample.name.endswith("_total")
    }
    assert seen == {str(status) for _, _, status in STATUS_REQUESTS}


async def test_extension_events_are_counted(build_client: Any) -> None:
    cache = Cache(configs_name=f"CACHE_{uuid.uuid4().hex[:6].upper()}")

    api = cached_controller(cache, "/c")
    client = await build_client(controllers=[api], METRICS=True, EXTENSIONS=[cache])
    for _ in range(3):
        assert (await client.get("/c")).status_code == 200
    name = cache.configs_name
    assert _count("pyjolt_extension_events_total", extension=name, event="miss") == 1
    assert _count("pyjolt_extension_events_total", extension=name, event="hit") == 2
