"""Command-line interfaces: app commands (``CLIController``) and the ``pyjolt`` script."""

from pyjolt.cli.controller import Argument, CLIController, CliCommand, argument, command

__all__ = ["Argument", "CLIController", "CliCommand", "argument", "command"]
