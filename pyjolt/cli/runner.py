"""``app.run_cli()``: parse the command line and run one command inside the app's lifespan."""

from __future__ import annotations

import argparse
import asyncio
import difflib
import inspect
import os
import sys
import traceback
from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, Any

from pyjolt.cli.builtin import builtin_commands
from pyjolt.cli.controller import Argument, CliCommand, CommandError
from pyjolt.cli.lifespan import app_lifespan
from pyjolt.exceptions.errors import ConfigurationError

if TYPE_CHECKING:
    from pyjolt.application import PyJolt

#: Exit code of usage errors (unknown command, bad argument), as argparse uses.
USAGE_ERROR = 2


def run_cli(app: PyJolt, argv: Sequence[str] | None = None) -> int:
    """Run the command named in ``argv`` (default ``sys.argv[1:]``); returns the exit code.

    Commands come from ``CLI_CONTROLLERS``, from each extension's ``cli_commands()`` and from
    the built-in ``routes`` and ``openapi``. The command runs inside the app's lifespan, so
    extensions (e.g. the database) are started; meanwhile ``app.run_mode`` is
    ``RunMode.CLI`` and ``app.cli_command`` names the command, so start-up code (the scheduler,
    hooks) can tell a CLI run from a server. ``--help`` lists every command.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    prog = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "cli"
    try:
        commands = collect_commands(app)
    except ConfigurationError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    parser = build_parser(prog, commands, _description(app))
    if args and not args[0].startswith("-") and args[0] not in commands:
        print(_unknown_command(prog, args[0], commands), file=sys.stderr)
        return USAGE_ERROR
    try:
        namespace = parser.parse_args(args)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else USAGE_ERROR
    name = getattr(namespace, "command", None)
    if name is None:
        parser.print_help(sys.stderr)
        return USAGE_ERROR
    cmd = commands[name]
    try:
        kwargs = _arguments(cmd, namespace)
    except _UsageError as exc:
        print(f"{prog} {name}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    try:
        if not cmd.lifespan:
            result = cmd.handler(**kwargs)
            if inspect.isawaitable(result):
                asyncio.run(_finish(result))
            return 0
        return asyncio.run(_execute(app, cmd, kwargs))
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        _silence_stdout()
        return 1
    except CommandError as exc:
        print(f"{prog} {name}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:
        if _debug(app):
            traceback.print_exc()
        print(f"{prog} {name}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


async def _finish(awaitable: Awaitable[object]) -> None:
    await awaitable


class _UsageError(Exception):
    """A required argument missing, given twice, or not of its type."""


_POSITIONAL_PREFIX = "_positional_"


def _arguments(cmd: CliCommand, namespace: argparse.Namespace) -> dict[str, Any]:
    """The handler's keyword arguments: required ones by option or else by position (the
    positional values fill, in order, the required arguments not given as options), cast."""
    required = [a for a in cmd.arguments if a.required and not a.flag]
    positionals = [
        v
        for a in required
        if (v := getattr(namespace, _POSITIONAL_PREFIX + _dest(a), None)) is not None
    ]
    unfilled = [a for a in required if getattr(namespace, _dest(a)) is None]
    if len(positionals) > len(unfilled):
        extra = " ".join(positionals[len(unfilled) :])
        raise _UsageError(f"unrecognized arguments: {extra}")
    by_position = dict(zip((_dest(a) for a in unfilled), positionals, strict=False))
    kwargs: dict[str, Any] = {}
    for arg in cmd.arguments:
        dest = _dest(arg)
        value = getattr(namespace, dest)
        if arg.flag or not arg.required:
            kwargs[dest] = value
            continue
        if value is None:
            value = by_position.get(dest)
        if value is None:
            raise _UsageError(
                f"the following arguments are required: {arg.name} "
                f"(give it by position or as --{_option(arg)})"
            )
        try:
            kwargs[dest] = _caster(arg.arg_type)(value) if isinstance(value, str) else value
        except (ValueError, argparse.ArgumentTypeError) as exc:
            raise _UsageError(
                f"argument {arg.name}: invalid {arg.arg_type.__name__} value: {value!r}"
            ) from exc
    return kwargs


def _option(arg: Argument) -> str:
    return arg.name.replace("_", "-")


async def _execute(app: PyJolt, cmd: CliCommand, kwargs: dict[str, Any]) -> int:
    with app.running_command(cmd.name):
        async with app_lifespan(app):
            result = cmd.handler(**kwargs)
            if inspect.isawaitable(result):
                result = await result
    if isinstance(result, bool) or not isinstance(result, int):
        return 0
    return result


def _silence_stdout() -> None:
    # Python would report the broken pipe again when flushing stdout at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def collect_commands(app: PyJolt) -> dict[str, CliCommand]:
    """All commands by name; a name defined twice (built-ins aside) is a ConfigurationError."""
    found: dict[str, tuple[CliCommand, str]] = {}
    sources: list[tuple[str, Sequence[CliCommand]]] = []
    for controller in app.cli_controllers:
        sources.append((f"CLI controller {type(controller).__name__}", controller.commands()))
    for ext_name, ext in app.extensions.items():
        sources.append((f"extension {ext_name!r}", list(ext.cli_commands())))
    for origin, cmds in sources:
        for cmd in cmds:
            if not isinstance(cmd, CliCommand):
                raise ConfigurationError(f"{origin} returned {cmd!r}, which is not a CliCommand")
            if cmd.name in found:
                raise ConfigurationError(
                    f"CLI command {cmd.name!r} is defined twice: by {found[cmd.name][1]} and by "
                    f"{origin}; rename one of them (Migrate accepts command_prefix=...)"
                )
            found[cmd.name] = (cmd, origin)
    commands = {name: cmd for name, (cmd, _) in found.items()}
    for cmd in builtin_commands(app):
        commands.setdefault(cmd.name, cmd)
    return commands


def build_parser(
    prog: str, commands: dict[str, CliCommand], description: str
) -> argparse.ArgumentParser:
    """An argparse parser with one subcommand per command."""
    width = min(max((len(name) for name in commands), default=0) + 6, 40)

    def formatter(prog: str) -> argparse.HelpFormatter:
        # Align the help of every command (argparse wraps names longer than ~16 characters).
        fmt = argparse.HelpFormatter(prog, max_help_position=width + 2)
        fmt._action_max_length = width
        return fmt

    parser = argparse.ArgumentParser(
        prog=prog,
        description=description,
        formatter_class=formatter,
        epilog=f"Run '{prog} <command> --help' for the arguments of a command.",
    )
    sub = parser.add_subparsers(dest="command", title="commands", metavar="<command>")
    for name in sorted(commands):
        cmd = commands[name]
        summary = cmd.help.strip().splitlines()[0] if cmd.help.strip() else ""
        cmd_parser = sub.add_parser(name, help=summary, description=cmd.help or None)
        for arg in cmd.arguments:
            _add_argument(cmd_parser, arg)
    return parser


def _add_argument(parser: argparse.ArgumentParser, arg: Argument) -> None:
    help_text = arg.description or None
    if arg.flag or not arg.required:
        option = "--" + arg.name.replace("_", "-")
        if arg.arg_type is bool:
            parser.add_argument(
                option,
                dest=_dest(arg),
                action="store_true",
                default=bool(arg.default),
                help=help_text,
            )
            return
        default_note = f" (default: {arg.default})" if arg.default is not None else ""
        parser.add_argument(
            option,
            dest=_dest(arg),
            type=_caster(arg.arg_type),
            default=arg.default,
            required=arg.required,
            metavar=arg.arg_type.__name__.upper(),
            help=(help_text or "") + default_note or None,
        )
        return
    # a required argument: by position (``greet Alice``) or as an option (``--name Alice``);
    # both are read as text and cast once both are known (see ``_arguments``)
    parser.add_argument(
        _POSITIONAL_PREFIX + _dest(arg),
        nargs="?",
        metavar=arg.name,
        help=(help_text or arg.arg_type.__name__) + f" (or --{_option(arg)})",
    )
    parser.add_argument(
        "--" + _option(arg),
        dest=_dest(arg),
        metavar=arg.arg_type.__name__.upper(),
        help=argparse.SUPPRESS,
    )


def _dest(arg: Argument) -> str:
    return arg.name.replace("-", "_")


def _caster(arg_type: type) -> Any:
    if arg_type is bool:
        return _parse_bool
    return arg_type


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"invalid bool value: {text!r} (use true or false)")


_parse_bool.__name__ = "bool"


def _unknown_command(prog: str, name: str, commands: dict[str, CliCommand]) -> str:
    close = difflib.get_close_matches(name, list(commands), n=3)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    available = ", ".join(sorted(commands)) or "(none)"
    return (
        f"{prog}: error: unknown command {name!r}.{hint}\n"
        f"Available commands: {available}\nRun '{prog} --help' for details."
    )


def _description(app: PyJolt) -> str:
    return f"Commands of {app.app_name}."


def _debug(app: PyJolt) -> bool:
    return bool(app.debug)
