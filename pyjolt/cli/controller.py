"""CLI controllers: ``@command`` / ``@argument`` methods, compiled to ``CliCommand`` records."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from pyjolt._internal.markers import collect_marked

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol

F = TypeVar("F", bound=Callable[..., Any])

_COMMAND_ATTR = "__pyjolt_command__"
_ARGS_ATTR = "__pyjolt_arguments__"


class CommandError(Exception):
    """Raise in a command to stop it with a message (no traceback) and ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Argument(NamedTuple):
    """One argument of a command. Positional unless ``flag`` (then ``--name``)."""

    name: str
    arg_type: type = str
    description: str = ""
    default: Any = None
    required: bool = True
    flag: bool = False


class CliCommand(NamedTuple):
    """A runnable command: what ``run_cli`` dispatches to."""

    name: str
    handler: Callable[..., Awaitable[Any]]
    help: str = ""
    arguments: tuple[Argument, ...] = ()
    #: False: the handler is a plain function run outside the app's lifespan (``run`` serves
    #: the app, whose server runs the lifespan itself)
    lifespan: bool = True


def command(command_name: str, help: str = "") -> Callable[[F], F]:
    """Expose a ``CLIController`` method as ``command_name``."""

    def decorator(fn: F) -> F:
        setattr(fn, _COMMAND_ATTR, (command_name, help or (inspect.getdoc(fn) or "")))
        return fn

    return decorator


def argument(
    name: str,
    arg_type: type = str,
    description: str = "",
    default: Any = None,
    required: bool | None = None,
) -> Callable[[F], F]:
    """Declare an argument of a command (int, float or str; cast automatically).

    A required argument is given by position or as an option, both cast to ``arg_type``:
    ``greet Alice`` and ``greet --name Alice``. An optional one (with a default) is an option.
    A name written with a leading ``--`` (``@argument("--email")``, as PyJolt 0.111 allowed) is
    an option even when required: ``create-admin --email a@b.c``.
    """
    if arg_type not in (int, float, str, bool):
        raise TypeError(f"@argument {name!r}: arg_type must be int, float, str or bool")
    as_option = name.startswith("--")
    name = name.lstrip("-")

    def decorator(fn: F) -> F:
        args: list[Argument] = list(getattr(fn, _ARGS_ATTR, ()))
        is_required = default is None if required is None else required
        flag = as_option or not is_required
        args.insert(0, Argument(name, arg_type, description, default, is_required, flag=flag))
        setattr(fn, _ARGS_ATTR, tuple(args))
        return fn

    return decorator


class CLIController:
    """Base class of CLI controllers; ``self.app`` is the application."""

    def __init__(self, app: AppProtocol) -> None:
        self._app = app

    @property
    def app(self) -> AppProtocol:
        return self._app

    def commands(self) -> list[CliCommand]:
        """The commands defined on this controller (decorator order: top argument first).

        Which methods are commands follows ``collect_marked``; of two methods with one command
        name, the later one wins.
        """
        found: dict[str, CliCommand] = {}
        for marked in collect_marked(type(self), _COMMAND_ATTR):
            name, help_text = marked.mark
            arguments = tuple(getattr(marked.function, _ARGS_ATTR, ()))
            found.pop(name, None)
            found[name] = CliCommand(name, getattr(self, marked.name), help_text, arguments)
        return list(found.values())
