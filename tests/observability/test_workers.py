"""Real uvicorn with 2 worker processes: one scrape sums both workers' metrics; ``pyjolt run
--workers 2`` under SERIALIZE writes only JSON lines (the parent's uvicorn lines too)."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.services import free_port, slow_once

ROOT = Path(__file__).resolve().parents[2]
TARGET = "tests.observability.worker_app:Application"

pytestmark = slow_once


def _pids_until_both(base: str) -> tuple[set[int], int]:
    """Ask /pid on fresh connections until both workers answered; returns (pids, requests)."""
    pids: set[int] = set()
    sent = 0
    while len(pids) < 2 and sent < 300:
        with httpx.Client(base_url=base, timeout=10) as client:  # new connection each time
            pids.add(client.get("/pid").json()["pid"])
        sent += 1
    return pids, sent


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the server exited early"
        try:
            httpx.get(base + "/__ready__", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start within 60 s")


def test_metrics_from_two_uvicorn_workers_in_one_scrape(
    uvicorn_server: Callable[..., str], tmp_path: Path
) -> None:
    base = uvicorn_server(
        TARGET,
        "--factory",
        "--workers",
        "2",
        "--timeout-worker-healthcheck",
        "30",
        env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
    )
    pids, sent = _pids_until_both(base)
    assert len(pids) == 2, "one worker answered every request"
    scrape = httpx.get(base + "/metrics", timeout=10).text
    line = next(
        line
        for line in scrape.splitlines()
        if line.startswith('pyjolt_http_requests_total{method="GET",route="/pid",status="200"}')
    )
    assert float(line.rsplit(" ", 1)[1]) == sent


def test_pyjolt_run_with_workers_under_serialize_writes_only_json(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DEFAULT_LOGGER": json.dumps({"SERIALIZE": True}),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
    }
    command = [sys.executable, "-m", "pyjolt.cli.main", "run", TARGET, "--workers", "2"]
    proc = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, proc)
        pids, _ = _pids_until_both(base)
        assert len(pids) == 2
        assert "server" not in httpx.get(base + "/pid", timeout=10).headers  # no server header
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    lines = [line for line in out.decode().splitlines() if line.strip()]
    records = [json.loads(line)["record"] for line in lines]  # fails on any plain-text line
    messages = [r["message"] for r in records]
    assert any(m.startswith("Started parent process") for m in messages)  # the parent's
    assert sum(m.startswith("Started server process") for m in messages) == 2  # each worker's
    assert any(r["extra"].get("logger_name") == "pyjolt.access" for r in records)
