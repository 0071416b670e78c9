"""Scheduled jobs and fire-and-forget background tasks with the TaskManager extension."""

import os
from typing import Any

from pyjolt import BaseConfig, HttpStatus, PyJolt, Request, Response, app
from pyjolt.controller import Controller, get, path, post
from pyjolt.task_manager import TaskManager, schedule_job

CLEANUPS: list[str] = []
WELCOMED: list[str] = []


class Scheduler(TaskManager):
    @schedule_job("interval", minutes=10, id="cleanup", timeout=60)
    async def cleanup(self) -> None:
        CLEANUPS.append("expired sessions removed")
        self.app.logger.info("cleanup done")

    @schedule_job("cron", hour=3, minute=30, id="nightly-report")
    async def nightly_report(self) -> None:
        self.app.logger.info("report sent")


scheduler = Scheduler()


async def send_welcome(email: str) -> None:
    WELCOMED.append(email)


@path("/")
class AccountsApi(Controller):
    @post("/signup/<email>")
    async def signup(self, req: Request, email: str) -> Response:
        scheduler.run_background_task(send_welcome, email)  # not awaited
        return req.response.json({"queued": email}).status(HttpStatus.ACCEPTED)

    @get("/jobs")
    async def jobs(self, req: Request) -> list[dict[str, Any]]:
        return [{"id": job.id, "trigger": str(job.trigger)} for job in scheduler.get_jobs()]


class Config(BaseConfig):
    APP_NAME: str = "Accounts"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [AccountsApi]
    EXTENSIONS: list[object] = [scheduler]
    TASK_MANAGER: dict[str, Any] = {
        "TIMEZONE": "UTC",
        "JOB_TIMEOUT": 300,  # seconds a run may take (a job's own timeout wins)
        # "LOCK_URL": "redis://127.0.0.1:6379/0",  # several processes: each run happens once
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
