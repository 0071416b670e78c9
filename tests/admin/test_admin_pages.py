"""Extension pages: the scheduler's jobs (pause, resume, run now) for admins only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pyjolt.testing import PyJoltTestClient
from tests.admin.admin_app import Jobs, create_app, jobs
from tests.admin.client import login, token

JOB = "hourly-report"


@pytest.fixture
async def client(sqlite_only_path: str) -> AsyncIterator[Any]:
    async with PyJoltTestClient(create_app(sqlite_only_path)) as test_client:
        yield test_client


async def _job_action(client: Any, op: str) -> Any:
    form = {"job_id": JOB, "op": op, "csrf_token": await token(client, "/admin/scheduler")}
    res = await client.post("/admin/scheduler", data=form)
    assert res.status_code == 303, res.text[:300]
    return await client.get(res.headers["location"])


async def test_scheduler_page_lists_jobs_with_their_next_run(client: Any) -> None:
    await login(client, "alice")
    page = await client.get("/admin/scheduler")
    assert page.status_code == 200
    assert JOB in page.text
    next_run = jobs.get_job(JOB).next_run_time
    assert next_run.isoformat(" ", "seconds") in page.text


async def test_pause_resume_and_run_now(client: Any) -> None:
    await login(client, "alice")
    page = await _job_action(client, "pause")
    assert jobs.get_job(JOB).next_run_time is None  # paused in the scheduler itself
    assert "paused" in page.text and f"pause: {JOB}" in page.text

    Jobs.ran = asyncio.Event()
    await _job_action(client, "run")  # a paused job runs once...
    await asyncio.wait_for(Jobs.ran.wait(), 30)
    assert jobs.get_job(JOB).next_run_time is None  # ...and stays paused

    await _job_action(client, "resume")
    assert jobs.get_job(JOB).next_run_time is not None
    Jobs.ran = asyncio.Event()
    await _job_action(client, "run")  # through the scheduler
    await asyncio.wait_for(Jobs.ran.wait(), 30)
    assert jobs.get_job(JOB).next_run_time is not None


async def test_unknown_job_or_action_is_reported(client: Any) -> None:
    await login(client, "alice")
    form = {"job_id": "nope", "op": "pause", "csrf_token": await token(client, "/admin/scheduler")}
    res = await client.post("/admin/scheduler", data=form, follow_redirects=True)
    assert "No such job" in res.text
    form = {**form, "job_id": JOB, "op": "explode"}
    res = await client.post("/admin/scheduler", data=form, follow_redirects=True)
    assert "Unknown action" in res.text
    assert jobs.get_job(JOB).next_run_time is not None


async def test_scheduler_page_needs_its_role_and_the_token(client: Any) -> None:
    await login(client, "alice")
    res = await client.post("/admin/scheduler", data={"job_id": JOB, "op": "pause"})
    assert res.status_code == 403
    assert jobs.get_job(JOB).next_run_time is not None
    client.cookies.clear()
    await login(client, "vic")
    assert (await client.get("/admin/scheduler")).status_code == 403
    index = await client.get("/admin/")
    assert index.status_code == 200 and "/admin/scheduler" not in index.text
