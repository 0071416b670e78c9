"""TaskManager: @schedule_job triggers, job control, failures, shutdown, configuration."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from apscheduler.jobstores.base import JobLookupError
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from pyjolt.enums import RunMode
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.task_manager import MemoryLockStore, TaskExecutor, TaskManager, schedule_job
from pyjolt.testing import PyJoltTestClient, make_app
from tests.task_manager.support import leftover_tasks, wait_until


class Ticker(TaskManager):
    def __init__(self) -> None:
        super().__init__()
        self.runs: list[datetime] = []

    @schedule_job("interval", seconds=1, id="tick")
    async def tick(self) -> None:
        self.runs.append(datetime.now(UTC))


async def test_interval_job_runs_repeatedly(build_client: Any) -> None:
    ticker = Ticker()
    await build_client(EXTENSIONS=[ticker])
    job = ticker.get_job("tick")
    assert job is not None
    assert job.trigger.interval == timedelta(seconds=1)
    await wait_until(lambda: len(ticker.runs) >= 2, "two runs of the 1-second interval job")


async def test_default_job_id_is_class_and_method(build_client: Any) -> None:
    class Reports(TaskManager):
        @schedule_job("cron", hour=3)
        async def nightly(self) -> None: ...

        @schedule_job("cron", hour=4, id="sync-report")
        def sync_one(self) -> None: ...

    reports = Reports()
    await build_client(EXTENSIONS=[reports])
    ids = {job.id for job in reports.get_jobs()}
    assert ids == {"Reports.nightly", "sync-report"}


async def test_cron_trigger(build_client: Any) -> None:
    class Cron(TaskManager):
        runs = 0

        @schedule_job("cron", second="*", id="every-second")
        async def every_second(self) -> None:
            type(self).runs += 1

    cron = Cron()
    await build_client(EXTENSIONS=[cron])
    job = cron.get_job("every-second")
    assert isinstance(job.trigger, CronTrigger)
    await wait_until(lambda: Cron.runs >= 1, "a run of the cron job")


async def test_date_trigger_runs_once_then_is_gone(build_client: Any) -> None:
    ran = asyncio.Event()

    class Once(TaskManager):
        @schedule_job("date", run_date=datetime.now(UTC) + timedelta(seconds=0.3), id="once")
        async def once(self) -> None:
            ran.set()

    once = Once()
    await build_client(EXTENSIONS=[once])
    assert isinstance(once.get_job("once").trigger, DateTrigger)
    await asyncio.wait_for(ran.wait(), 15)
    await wait_until(lambda: once.get_job("once") is None, "the date job removed after its run")


async def test_sync_job_runs_in_a_worker_thread(build_client: Any) -> None:
    threads: list[str] = []

    class SyncJobs(TaskManager):
        @schedule_job("interval", seconds=1, id="sync")
        def blocking(self) -> None:
            threads.append(threading.current_thread().name)

    await build_client(EXTENSIONS=[SyncJobs()])
    await wait_until(lambda: bool(threads), "a run of the sync job")
    assert threads[0] != threading.main_thread().name


async def test_pause_resume_remove_get(build_client: Any) -> None:
    ticker = Ticker()
    await build_client(EXTENSIONS=[ticker])
    job = ticker.get_job("tick")
    assert job.next_run_time is not None

    paused = ticker.pause_job(job)  # a Job object works like its id
    assert paused.next_run_time is None
    assert ticker.get_job("tick").next_run_time is None

    before = len(ticker.runs)
    resumed = ticker.resume_job("tick")
    assert resumed.next_run_time is not None
    await wait_until(lambda: len(ticker.runs) > before, "a run after resume_job")

    ticker.remove_job(ticker.get_job(job))
    assert ticker.get_job("tick") is None
    with pytest.raises(JobLookupError):
        ticker.remove_job("tick")


async def test_add_job_at_runtime(build_client: Any) -> None:
    manager = TaskManager()
    await build_client(EXTENSIONS=[manager])
    calls: list[tuple[int, str]] = []

    async def collect(number: int, *, label: str) -> None:
        calls.append((number, label))

    job = manager.add_job(collect, "interval", seconds=1, id="dyn", args=[7], kwargs={"label": "x"})
    assert manager.get_job("dyn") is not None
    assert job.id == "dyn"
    await wait_until(lambda: bool(calls), "a run of the job added with add_job")
    assert calls[0] == (7, "x")


async def test_failing_job_is_logged_and_scheduler_goes_on(
    build_client: Any, log_records: list[dict[str, Any]]
) -> None:
    class Flaky(TaskManager):
        good_runs = 0

        @schedule_job("interval", seconds=1, id="broken")
        async def broken(self) -> None:
            raise RuntimeError("disk full")

        @schedule_job("interval", seconds=1, id="healthy")
        async def healthy(self) -> None:
            type(self).good_runs += 1

    flaky = Flaky()
    await build_client(EXTENSIONS=[flaky])

    def failures() -> list[dict[str, Any]]:
        return [r for r in log_records if r["level"] == "ERROR" and "'broken'" in r["message"]]

    await wait_until(lambda: len(failures()) >= 2, "two logged failures of the broken job")
    first = failures()[0]
    assert "Flaky.broken" in first["message"]
    assert "disk full" in first["message"]
    assert first["exception"] is not None
    assert flaky.get_job("broken") is not None  # still scheduled
    await wait_until(lambda: Flaky.good_runs >= 2, "the healthy job running alongside")


@pytest.mark.parametrize(
    ("job_seconds", "grace", "outcome"),
    [(0.3, 30, "finished"), (3600, 0.2, "cancelled")],
    ids=["waits-for-a-running-job", "cancels-it-after-the-grace-period"],
)
async def test_shutdown_and_a_running_job(
    log_records: list[dict[str, Any]], job_seconds: float, grace: float, outcome: str
) -> None:
    started = asyncio.Event()
    outcomes: list[str] = []

    class Job(TaskManager):
        @schedule_job("interval", seconds=1, id="job")
        async def job(self) -> None:
            started.set()
            try:
                await asyncio.sleep(job_seconds)
            except asyncio.CancelledError:
                outcomes.append("cancelled")
                raise
            outcomes.append("finished")

    manager = Job()
    app = make_app(EXTENSIONS=[manager], TASK_MANAGER={"SHUTDOWN_TIMEOUT": grace})
    async with PyJoltTestClient(app):
        await asyncio.wait_for(started.wait(), 15)
    assert outcomes == [outcome]
    assert not manager.scheduler.running
    assert leftover_tasks() == []
    cancelling = any("cancelling 1 job(s)" in r["message"] for r in log_records)
    assert cancelling == (outcome == "cancelled")


async def test_lifespan_can_run_twice() -> None:
    ticker = Ticker()
    app = make_app(EXTENSIONS=[ticker])
    for _ in range(2):
        ticker.runs.clear()
        async with PyJoltTestClient(app):
            await wait_until(lambda: bool(ticker.runs), "a run in this lifespan")
    assert not ticker.scheduler.running


async def test_shared_memory_lock_store_runs_each_tick_once() -> None:
    """Two schedulers (two apps) sharing a lock store: each scheduled run happens once."""
    from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED

    store = MemoryLockStore()
    submitted: dict[int, set[datetime]] = {0: set(), 1: set()}
    executed: dict[int, list[datetime]] = {0: [], 1: []}
    managers = [Ticker(), Ticker()]
    apps = [make_app(EXTENSIONS=[m], TASK_MANAGER={"LOCK_STORE": store}) for m in managers]

    def listener(index: int) -> Any:
        def on_event(event: Any) -> None:
            if event.code == EVENT_JOB_SUBMITTED:
                submitted[index].update(event.scheduled_run_times)
            else:
                executed[index].append(event.scheduled_run_time)

        return on_event

    async with PyJoltTestClient(apps[0]), PyJoltTestClient(apps[1]):
        for index, manager in enumerate(managers):
            manager.scheduler.add_listener(
                listener(index), EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED
            )
        await wait_until(
            lambda: len(submitted[0] & submitted[1]) >= 3, "three ticks both schedulers submitted"
        )
    all_runs = executed[0] + executed[1]
    assert len(all_runs) == len(set(all_runs)), "a tick ran twice"
    assert set(all_runs) >= (submitted[0] & submitted[1]) - {max(submitted[0] | submitted[1])}
    # anchored to the epoch: every fire time is on a whole second
    assert all(t.microsecond == 0 for t in all_runs)
    assert sum(len(m.runs) for m in managers) == len(all_runs)


@pytest.mark.parametrize(
    ("section", "fragment"),
    [
        ({"SCHEDULER": "apscheduler.schedulers.background:BackgroundScheduler"}, "SCHEDULER"),
        ({"SCHEDULER": "nowhere.module:Thing"}, "SCHEDULER"),
        ({"LOCK_URL": "http://localhost"}, "LOCK_URL"),
        ({"LOCK_STORE": object()}, "LOCK_STORE"),
        ({"LOCK_URL": "redis://x", "LOCK_STORE": MemoryLockStore()}, "not both"),
        ({"UNKNOWN_KEY": 1}, "UNKNOWN_KEY"),
        ({"TIMEZONE": "Mars/Olympus"}, "cannot create the scheduler"),
    ],
)
def test_bad_config_fails_at_build(section: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ConfigurationError, match=fragment):
        make_app(EXTENSIONS=[TaskManager()], TASK_MANAGER=section)


def test_locked_executors_must_be_task_executors() -> None:
    section: dict[str, Any] = {
        "LOCK_STORE": MemoryLockStore(),
        "EXECUTORS": {"default": TaskExecutor(), "threads": {"type": "threadpool"}},
    }
    with pytest.raises(ConfigurationError, match=r"EXECUTORS'\]\['threads'\].*TaskExecutor"):
        make_app(EXTENSIONS=[TaskManager()], TASK_MANAGER=section)


async def test_spec_default_config_works_with_a_lock_store(build_client: Any) -> None:
    """The spec's TASK_MANAGER example (AsyncIOExecutor, MemoryJobStore) plus LOCK_STORE."""
    from tests.spec.specapp.scheduler import task_manager_config

    ticker = Ticker()
    section = {**task_manager_config(), "LOCK_STORE": MemoryLockStore()}
    await build_client(EXTENSIONS=[ticker], TASK_MANAGER=section)
    assert ticker.get_job("tick").max_instances == 3
    await wait_until(lambda: bool(ticker.runs), "a run under the spec's config")


def test_bad_trigger_arguments_name_the_method() -> None:
    class Wrong(TaskManager):
        @schedule_job("interval", fortnights=1)
        async def job(self) -> None: ...

    with pytest.raises(ConfigurationError, match=r"Wrong\.job"):
        make_app(EXTENSIONS=[Wrong()])


def test_duplicate_job_ids_are_rejected() -> None:
    class Twice(TaskManager):
        @schedule_job("interval", minutes=1, id="same")
        async def one(self) -> None: ...

        @schedule_job("interval", minutes=2, id="same")
        async def two(self) -> None: ...

    with pytest.raises(ConfigurationError, match="'same'"):
        make_app(EXTENSIONS=[Twice()])


def test_import_pyjolt_does_not_import_scheduler_or_smtp() -> None:
    code = (
        "import sys, pyjolt, pyjolt.task_manager, pyjolt.email\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('apscheduler', 'aiosmtplib', 'redis')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


async def test_scheduler_stays_off_during_cli_commands() -> None:
    ticker = Ticker()
    application = make_app(EXTENSIONS=[ticker])
    with application.running_command("db-upgrade"):
        assert application.run_mode is RunMode.CLI
        async with PyJoltTestClient(application):
            assert not ticker.scheduler.running
    assert application.run_mode is RunMode.SERVER
    async with PyJoltTestClient(application):
        assert ticker.scheduler.running
