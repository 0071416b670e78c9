"""docs/deployment.md: the production service in-process, with a Redis lock store, and the
container's command (`pyjolt run` with two workers) as a real server."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import EXAMPLES, load_example
from tests.services import REDIS_URL, free_port, require_port, slow_once

FOLDER = EXAMPLES / "deployment"


async def test_proxy_headers_health_metrics_and_request_ids() -> None:
    service = load_example("deployment/service.py")
    async with PyJoltTestClient(service.Application()) as client:
        # the test client connects from 127.0.0.1, the TRUSTED_PROXIES entry
        res = await client.get(
            "/api/whoami",
            headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
        )
        assert res.json() == {"client": "203.0.113.7", "scheme": "https"}
        res = await client.get("/api/whoami", headers={"X-Request-ID": "order-42"})
        assert res.headers["X-Request-ID"] == "order-42"
        assert (await client.get("/health/live")).status_code == 200
        ready = await client.get("/health/ready")
        assert ready.status_code == 200
        assert ready.json()["checks"]["scheduler:TASK_MANAGER"] == {"status": "ok"}
        metrics = (await client.get("/metrics")).text
        assert 'pyjolt_http_requests_total{method="GET",route="/api/whoami",status="200"}' in (
            metrics
        )


async def test_the_scheduler_lock_store_on_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    require_port("127.0.0.1", 6379, "Redis")
    monkeypatch.setenv("TASK_MANAGER__LOCK_URL", REDIS_URL)
    service = load_example("deployment/service.py")
    async with PyJoltTestClient(service.Application()) as client:
        ready = await client.get("/health/ready")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"]["locks:TASK_MANAGER"] == {"status": "ok"}


def _dockerfile() -> tuple[dict[str, str], list[str]]:
    text = (FOLDER / "Dockerfile").read_text(encoding="utf-8")
    env = dict(re.findall(r"(\w+)=(\S+)", re.search(r"^ENV (.+)$", text, re.M)[1]))  # type: ignore[index]
    cmd = json.loads(re.search(r"^CMD (.+)$", text, re.M)[1])  # type: ignore[index]
    return env, cmd


@slow_once
def test_the_containers_command_serves_with_two_workers(tmp_path: Path) -> None:
    env, cmd = _dockerfile()
    assert cmd[:2] == ["pyjolt", "run"] and env["WORKERS"] == "2"
    for name in ("service.py", "healthcheck.py"):
        assert f" {name}" in (FOLDER / "Dockerfile").read_text() and (FOLDER / name).is_file()
    port = str(free_port())
    run_env = {**os.environ, **env, "HOST": "127.0.0.1", "PORT": port}
    run_env["SECRET_KEY"] = secrets.token_urlsafe(48)
    pyjolt = str(Path(sys.executable).with_name("pyjolt"))
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [pyjolt, *cmd[1:]], cwd=FOLDER, env=run_env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            check = [sys.executable, "healthcheck.py"]
            for _ in range(600):  # the container's HEALTHCHECK, until it passes (60 s)
                done = subprocess.run(check, cwd=FOLDER, env=run_env, check=False, timeout=10)
                if done.returncode == 0:
                    break
                assert server.poll() is None, log.read_text(errors="replace")
                time.sleep(0.1)
            else:
                raise AssertionError(log.read_text(errors="replace"))
            base = f"http://127.0.0.1:{port}"
            assert httpx.get(base + "/health/ready", timeout=10).status_code == 200
            for _ in range(4):
                assert httpx.get(base + "/api/whoami", timeout=10).status_code == 200
            metrics = httpx.get(base + "/metrics", timeout=10).text
            # two workers, one multiprocess registry: every request is counted once
            counted = re.search(
                r"pyjolt_http_requests_total"
                r'\{method="GET",route="/api/whoami",status="200"\} (\S+)',
                metrics,
            )
            assert counted is not None and float(counted[1]) == 4.0, metrics[-2000:]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert any(r["record"]["message"].startswith("GET /api/whoami 200") for r in records)
    assert len(records) == len(lines), "every log line is JSON"
