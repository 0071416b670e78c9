"""Command-line interfaces: app commands (``CLIController``) and the ``pyjolt`` script."""

from pyjolt.cli.controller import (
    Argument,
    CliCommand,
    CLIController,
    CommandError,
    argument,
    command,
)

__all__ = ["Argument", "CLIController", "CliCommand", "CommandError", "argument", "command"]
