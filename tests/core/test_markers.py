"""One marker collector, one override rule: the same test for every decorator that marks methods.

The rule (``pyjolt._internal.markers.collect_marked``): the most-derived definition of a name
decides. A subclass that redefines a marked method without marking it again removes the mark;
re-marking the override keeps it.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from pyjolt import BaseConfig, PyJolt, Request, Response, app, on_shutdown, on_startup
from pyjolt._internal.markers import collect_marked
from pyjolt.ai_interface.tools import collect_tools, tool
from pyjolt.cli.controller import CLIController, command
from pyjolt.controller import Controller, after_request, before_request, get, path
from pyjolt.exceptions import ExceptionHandler, handles
from pyjolt.task_manager.decorators import schedule_job, scheduled_methods
from pyjolt.testing import PyJoltTestClient, make_app

_ids = itertools.count()


@dataclass(frozen=True)
class Site:
    """A decorator site: a base class whose ``target`` is marked, and how the site sees it."""

    base: type
    #: a fresh ``target`` function, marked (True) or plain (False)
    target: Callable[[bool], Any]
    #: does the site treat ``target`` of this class as marked?
    active: Callable[[type], Awaitable[bool]]


def _subclass(base: type, **namespace: Any) -> type:
    return type(f"{base.__name__}Sub{next(_ids)}", (base,), namespace)


# -- start-up hooks ------------------------------------------------------------------------


def _hook(marked: bool) -> Any:
    async def target(self: Any) -> None:
        self.ran = True

    return on_startup(target) if marked else target


@app(__name__, configs=BaseConfig)
class HookApp(PyJolt):
    ran = False
    target = _hook(True)


async def _hook_runs(cls: type) -> bool:
    application = cls()
    async with PyJoltTestClient(application):
        return bool(application.ran)


# -- handlers ------------------------------------------------------------------------------


def _handler(marked: bool) -> Any:
    async def target(self: Any, req: Request) -> Response:
        return req.res.text("handled")

    return get("/target")(target) if marked else target


@path("/markers")
class HandlerApi(Controller):
    target = _handler(True)


async def _handler_routed(cls: type) -> bool:
    async with PyJoltTestClient(make_app(controllers=[cls])) as client:
        res = await client.get("/markers/target")
    assert res.status_code in (200, 404)
    return res.status_code == 200


# -- exception handlers --------------------------------------------------------------------


class Boom(Exception):
    pass


@path("/boom")
class BoomApi(Controller):
    @get("/")
    async def boom(self, req: Request) -> Response:
        raise Boom


def _exception_handler(marked: bool) -> Any:
    async def target(self: Any, req: Request, exc: Boom) -> Response:
        return req.res.text("handled").status(418)

    return handles(Boom)(target) if marked else target


class BoomHandler(ExceptionHandler):
    target = _exception_handler(True)


async def _exception_handled(cls: type) -> bool:
    application = make_app(controllers=[BoomApi], EXCEPTION_HANDLERS=[cls])
    async with PyJoltTestClient(application) as client:
        res = await client.get("/boom")
    assert res.status_code in (418, 500)
    return res.status_code == 418


# -- CLI commands --------------------------------------------------------------------------


def _command(marked: bool) -> Any:
    async def target(self: Any) -> None:
        return None

    return command("target")(target) if marked else target


class Commands(CLIController):
    target = _command(True)


async def _command_listed(cls: type) -> bool:
    from pyjolt.cli.runner import collect_commands

    return "target" in collect_commands(make_app(CLI_CONTROLLERS=[cls]))


# -- scheduled jobs ------------------------------------------------------------------------


def _job(marked: bool) -> Any:
    async def target(self: Any) -> None:
        return None

    return schedule_job("interval", minutes=1)(target) if marked else target


class Jobs:
    target = _job(True)


async def _job_scheduled(cls: type) -> bool:
    return "target" in dict(scheduled_methods(cls))


# -- AI tools ------------------------------------------------------------------------------


def _tool(marked: bool) -> Any:
    async def target(self: Any, city: str) -> str:
        """Weather of a city."""
        return city

    return tool()(target) if marked else target


class Tools:
    target = _tool(True)


async def _tool_offered(cls: type) -> bool:
    return "target" in collect_tools(cls)


SITES = {
    "startup-hook": Site(HookApp, _hook, _hook_runs),
    "handler": Site(HandlerApi, _handler, _handler_routed),
    "exception-handler": Site(BoomHandler, _exception_handler, _exception_handled),
    "cli-command": Site(Commands, _command, _command_listed),
    "scheduled-job": Site(Jobs, _job, _job_scheduled),
    "ai-tool": Site(Tools, _tool, _tool_offered),
}


@pytest.mark.parametrize("site", SITES.values(), ids=SITES.keys())
async def test_override_rule(site: Site) -> None:
    assert await site.active(site.base)
    assert await site.active(_subclass(site.base)), "an inherited mark is kept"
    plain = _subclass(site.base, target=site.target(False))
    assert not await site.active(plain), "an override without the decorator removes the mark"
    assert not await site.active(_subclass(plain)), "and its subclasses do not get it back"
    assert await site.active(_subclass(site.base, target=site.target(True))), "re-marked"
    assert await site.active(_subclass(plain, target=site.target(True))), "marked again below"


def test_order_is_definition_order_base_first_and_overrides_keep_their_place() -> None:
    class Base:
        @on_startup
        async def first(self) -> None: ...

        @on_shutdown
        async def other(self) -> None: ...

        @on_startup
        async def second(self) -> None: ...

    class Child(Base):
        @on_startup
        async def third(self) -> None: ...

        @on_startup
        async def first(self) -> None: ...

        other = None  # any redefinition counts, not only a method

    found = collect_marked(Child, "__pyjolt_lifecycle__")
    assert [(m.name, m.mark, m.owner) for m in found] == [
        ("first", "startup", Child),
        ("second", "startup", Base),
        ("third", "startup", Child),
    ]


def test_static_and_class_methods_and_wrapped_functions_keep_their_marks() -> None:
    import functools

    def wrap(fn: Any) -> Any:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, **kwargs)

        return wrapper

    class Jobs:
        @staticmethod
        @schedule_job("interval", minutes=1)
        async def static_job() -> None: ...

        @classmethod
        @schedule_job("interval", minutes=1)
        async def class_job(cls) -> None: ...

        @wrap
        @schedule_job("interval", minutes=1)
        async def wrapped_job(self) -> None: ...

    assert [name for name, _ in scheduled_methods(Jobs)] == [
        "static_job",
        "class_job",
        "wrapped_job",
    ]


def test_controller_request_hooks_follow_the_rule() -> None:
    from pyjolt._compile.plan import controller_hooks

    class Api(Controller):
        @before_request
        async def check(self, req: Request) -> None: ...

        @after_request
        async def stamp(self, req: Request, res: Response) -> None: ...

    class Plain(Api):
        async def check(self, req: Request) -> None: ...

    assert controller_hooks(Api) == (["check"], ["stamp"])
    assert controller_hooks(Plain) == ([], ["stamp"])
