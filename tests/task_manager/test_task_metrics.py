"""Scheduler runs and failures, per job, in the app's Prometheus scrape (``METRICS``)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from pyjolt.task_manager import TaskManager, schedule_job
from tests.services import require_module

parser = require_module("prometheus_client.parser")


def _samples(text: str, name: str, extension: str) -> dict[tuple[str, ...], float]:
    """``{(label values but the extension, by label name): value}`` of one metric's samples
    for one extension section."""
    found: dict[tuple[str, ...], float] = {}
    for family in parser.text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels.get("extension") == extension:
                key = tuple(v for k, v in sorted(sample.labels.items()) if k != "extension")
                found[key] = sample.value
    return found


async def test_runs_and_failures_per_job_are_scraped(build_client: Any) -> None:
    section = f"TASKS_{uuid.uuid4().hex[:6].upper()}"

    class Jobs(TaskManager):
        @schedule_job("interval", seconds=0.1, id="report")
        async def report(self) -> None:
            return None

        @schedule_job("interval", seconds=0.1, id="sync")
        async def sync(self) -> None:
            raise RuntimeError("upstream down")

    client = await build_client(EXTENSIONS=[Jobs(configs_name=section)], METRICS=True)

    def enough(scrape: str) -> bool:
        per_job = _samples(scrape, "pyjolt_job_events_total", section)
        return per_job.get(("run", "report"), 0) >= 2 and per_job.get(("failure", "sync"), 0) >= 2

    for _ in range(150):  # up to 15 s on a busy machine
        res = await client.get("/metrics")
        assert res.status_code == 200
        scrape = res.text
        if enough(scrape):
            break
        await asyncio.sleep(0.1)
    assert enough(scrape), [line for line in scrape.splitlines() if section in line]
    per_job = _samples(scrape, "pyjolt_job_events_total", section)
    assert set(per_job) == {("run", "report"), ("failure", "sync")}  # (event, job)
    totals = _samples(scrape, "pyjolt_extension_events_total", section)
    assert totals[("run",)] == per_job[("run", "report")]
    assert totals[("failure",)] == per_job[("failure", "sync")]
