"""Dashboard pages of other extensions: scheduler jobs, a test email, task queue failures.

Each page is a sqladmin ``BaseView`` shown when its extension is in the app; who may open
it comes from ``ADMIN['PAGES']`` (the authorization backend asks for ``list`` on the view).
Actions are POSTed forms (with the dashboard's CSRF token) answered by a redirect.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from sqladmin import BaseView, expose
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

#: page identity -> module and class of the extension it shows
PAGE_EXTENSIONS = {
    "scheduler": ("pyjolt.task_manager.extension", "TaskManager"),
    "email": ("pyjolt.email.client", "EmailClient"),
    "task_queue": ("pyjolt.task_queue.extension", "TaskQueue"),
}


def find_extension(extensions: Mapping[str, object], page: str) -> Any:
    """The app's extension a page shows, or None (its module is loaded if the app has one)."""
    module_name, class_name = PAGE_EXTENSIONS[page]
    module = sys.modules.get(module_name)
    cls = getattr(module, class_name, None) if module is not None else None
    if cls is None:
        return None
    return next((ext for ext in extensions.values() if isinstance(ext, cls)), None)


class _Page(BaseView):
    """A page answered by ``dispatch`` at ``path``: each subclass names its path, identity and
    methods as class keywords, and this exposes one sqladmin endpoint for it."""

    extension: ClassVar[Any]
    template: ClassVar[str]

    def __init_subclass__(
        cls, *, path: str = "", identity: str = "", methods: tuple[str, ...] = ("GET", "POST")
    ) -> None:
        super().__init_subclass__()
        if not path:  # a page bound to an app's extension (page_view) inherits its endpoint
            return

        async def endpoint(self: _Page, request: Request) -> Response:
            return await self.dispatch(request)

        endpoint.__name__ = identity
        setattr(cls, identity, expose(path, methods=list(methods), identity=identity)(endpoint))

    async def dispatch(self, request: Request) -> Response:
        """GET: the page; POST: ``act`` on the form, then back to the page with its outcome."""
        if request.method == "POST":
            done, outcome = await self.act(await request.form())
            url = request.url.remove_query_params(["message", "error"])
            url = url.include_query_params(**{"message" if done else "error": outcome})
            return RedirectResponse(str(url), status_code=303)
        context = {
            "message": request.query_params.get("message"),
            "error": request.query_params.get("error"),
            **await self.context(),
        }
        return await self.templates.TemplateResponse(request, self.template, context)

    async def context(self) -> dict[str, Any]:
        return {}

    async def act(self, form: FormData) -> tuple[bool, str]:
        """Do what the form asks: ``(True, what was done)`` or ``(False, why not)``."""
        return False, "Nothing to do here"


class SchedulerPage(_Page, path="/scheduler", identity="scheduler"):
    """Jobs of the ``TaskManager``: next run; pause, resume, run now."""

    name = "Scheduled jobs"
    icon = "fa-solid fa-clock"
    template = "pyjolt_admin/scheduler.html"

    async def context(self) -> dict[str, Any]:
        return {"jobs": self.extension.get_jobs()}

    async def act(self, form: FormData) -> tuple[bool, str]:
        manager = self.extension
        job = manager.get_job(str(form.get("job_id", "")))
        op = form.get("op")
        if job is None:
            return False, "No such job"
        if op == "pause":
            manager.pause_job(job)
        elif op == "resume":
            manager.resume_job(job)
        elif op == "run" and job.next_run_time is None:
            # a paused job runs once and stays paused
            manager.run_background_task(job.func, *job.args, **job.kwargs)
        elif op == "run":
            # through the scheduler, so its locks, timeouts and metrics apply
            job.modify(next_run_time=datetime.now(manager.scheduler.timezone))
            manager.scheduler.wakeup()
        else:
            return False, f"Unknown action {op!r}"
        return True, f"{op}: {job.id}"


class EmailPage(_Page, path="/email", identity="email"):
    """Send a test message through the ``EmailClient``."""

    name = "Email"
    icon = "fa-solid fa-envelope"
    template = "pyjolt_admin/email.html"

    async def context(self) -> dict[str, Any]:
        return {"sender": self.extension.sender}

    async def act(self, form: FormData) -> tuple[bool, str]:
        to = str(form.get("to", "")).strip()
        subject = str(form.get("subject", "")).strip() or "Test message"
        body = str(form.get("body", "")) or "A test message from the admin dashboard."
        if not to:
            return False, "Enter a recipient"
        try:
            await self.extension.send_email(to, subject, body)
        except Exception as exc:  # shown to the admin: the point of a test message
            return False, f"Not sent: {exc}"
        return True, f"Sent to {to}"


class TaskQueuePage(_Page, path="/task-queue", identity="task_queue", methods=("GET",)):
    """The ``TaskQueue``'s recent failures (after their retries)."""

    name = "Task failures"
    icon = "fa-solid fa-triangle-exclamation"
    template = "pyjolt_admin/task_queue.html"

    async def context(self) -> dict[str, Any]:
        return {
            "failures": await self.extension.failed_tasks(limit=100),
            "when": lambda t: datetime.fromtimestamp(t).isoformat(" ", "seconds"),
        }


PAGES: dict[str, type[_Page]] = {
    "scheduler": SchedulerPage,
    "email": EmailPage,
    "task_queue": TaskQueuePage,
}


def page_view(page: str, extension: Any) -> type[BaseView]:
    """The page class of ``page`` bound to the app's ``extension``."""
    base = PAGES[page]
    view: type[BaseView] = types.new_class(
        base.__name__, (base,), {}, lambda ns: ns.update(extension=extension)
    )
    return view
