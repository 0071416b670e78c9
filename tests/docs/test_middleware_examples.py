"""docs/topics/middleware.md: the answers the page shows."""

from __future__ import annotations

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_middleware_stack() -> None:
    example = load_example("middleware/timing.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/report", headers={"Accept-Encoding": "gzip"})
        assert res.status_code == 200
        assert res.headers["Content-Encoding"] == "gzip"
        assert res.text == "line\n" * 200  # httpx decodes it
        assert int(res.headers["X-Elapsed-Ms"]) >= 0

        res = await client.get("/report", headers={"X-Maintenance": "on"})
        assert res.status_code == 503
        assert res.json() == {"message": "Down for maintenance"}
        assert "X-Elapsed-Ms" in res.headers  # TimingMW is outside MaintenanceMW

        res = await client.get("/missing")
        assert res.status_code == 404
        assert "X-Elapsed-Ms" not in res.headers  # the NotFound passed through TimingMW
