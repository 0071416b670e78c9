"""Liveness and readiness: checks reported by extensions through the extension base."""

import asyncio
from typing import Any

from pyjolt.extension import BaseExtension, HealthCheck


class Probe(BaseExtension[Any]):
    default_configs_name = "PROBE"

    def __init__(self, mode: str) -> None:
        super().__init__(configs_name=f"PROBE_{mode.upper()}")
        self.mode = mode

    def health_checks(self) -> dict[str, HealthCheck]:
        return {f"probe:{self.mode}": self.check}

    async def check(self) -> None:
        if self.mode == "down":
            raise ConnectionRefusedError("secret-host:1 refused")
        if self.mode == "slow":
            await asyncio.sleep(5)


async def test_liveness_and_ready_with_passing_checks(build_client: Any) -> None:
    client = await build_client(HEALTH=True, EXTENSIONS=[Probe("up")])
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"probe:up": {"status": "ok"}}}


async def test_readiness_503_names_failing_and_slow_checks(build_client: Any) -> None:
    client = await build_client(
        HEALTH=True, HEALTH_TIMEOUT=0.2, EXTENSIONS=[Probe("up"), Probe("down"), Probe("slow")]
    )
    ready = await client.get("/health/ready")
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["probe:up"] == {"status": "ok"}
    assert checks["probe:down"] == {"status": "fail", "error": "ConnectionRefusedError"}
    assert checks["probe:slow"]["status"] == "fail" and "0.2" in checks["probe:slow"]["error"]
    assert "secret-host" not in ready.text


async def test_paths_configurable_and_left_out_of_openapi(build_client: Any) -> None:
    client = await build_client(
        DEBUG=True, HEALTH=True, HEALTH_LIVE_PATH="/livez", HEALTH_READY_PATH="/readyz"
    )
    assert (await client.get("/livez")).status_code == 200
    assert (await client.get("/readyz")).json() == {"status": "ok", "checks": {}}
    spec = (await client.get("/openapi/spec.json")).json()
    assert "/livez" not in spec.get("paths", {}) and "/readyz" not in spec.get("paths", {})
