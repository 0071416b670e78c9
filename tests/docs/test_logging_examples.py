"""docs/topics/logging.md: the answers and log lines the page shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_logs_request_ids_health_and_metrics(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log_file = tmp_path / "app.jsonl"
    monkeypatch.setenv("JSON_FILE_LOGGER__SINK", str(log_file))
    example = load_example("logging/observed.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/orders/7", headers={"X-Request-ID": "req-42"})
        assert res.json() == {"id": 7, "request_id": "req-42"}
        assert res.headers["X-Request-ID"] == "req-42"
        res = await client.get("/orders/8")
        made = res.headers["X-Request-ID"]
        assert len(made) == 32 and res.json() == {"id": 8, "request_id": made}

        assert (await client.get("/health/live")).json() == {"status": "ok"}
        assert (await client.get("/health/ready")).json() == {"status": "ok", "checks": {}}
        res = await client.get("/metrics")
        assert res.status_code == 200
        assert (
            'pyjolt_http_requests_total{method="GET",route="/orders/{order_id}",status="200"}'
            in res.text
        )

    records = [json.loads(line)["record"] for line in log_file.read_text().splitlines()]
    lookup = next(r for r in records if r["message"] == "order 7 looked up")
    assert lookup["level"]["name"] == "INFO"
    assert lookup["extra"]["request_id"] == "req-42"
    access = next(r for r in records if r["extra"].get("path") == "/orders/7")
    assert access["message"].startswith("GET /orders/{order_id} 200 ")
    assert access["extra"]["logger_name"] == "pyjolt.access"
    assert {k: access["extra"][k] for k in ("method", "route", "status", "request_id")} == {
        "method": "GET",
        "route": "/orders/{order_id}",
        "status": 200,
        "request_id": "req-42",
    }
