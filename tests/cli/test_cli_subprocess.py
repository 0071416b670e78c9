"""The CLI run as a user runs it: ``python cli.py <command> <args>`` in a subprocess."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("add", "2", "3"), "The sum of 2 and 3 is 5 (int)."),
        (("scale", "1.5"), "scaled=3.0 (float)"),
        (("scale", "1.5", "--factor", "0.5"), "scaled=0.75 (float)"),
        (("greet", "Ada Lovelace"), "Hello, Ada Lovelace! Welcome to the CLI utility."),
    ],
    ids=["int", "float", "float-flag", "str"],
)
def test_arguments_are_cast_to_their_types(run_sample, args, expected):
    result = run_sample(*args)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_command_runs_inside_the_lifespan(run_sample):
    result = run_sample("status")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == ["probe: startup", "probe started: True; app: Sample CLI", "probe: shutdown"]


def test_unknown_command_fails_with_clear_message(run_sample):
    result = run_sample("ad", "2", "3")
    assert result.returncode == 2
    assert "unknown command 'ad'" in result.stderr
    assert "Did you mean: add" in result.stderr
    # `run` is a built-in since issue 19 (`python cli.py run` serves the app)
    listed = "Available commands: add, check, fail, greet, openapi, routes, run, scale, status"
    assert listed in result.stderr
    assert "probe: startup" not in result.stdout  # nothing ran


def test_bad_argument_fails_with_clear_message(run_sample):
    result = run_sample("add", "two", "3")
    assert result.returncode == 2
    assert "argument a: invalid int value: 'two'" in result.stderr
    assert "probe: startup" not in result.stdout


def test_missing_argument_fails(run_sample):
    result = run_sample("add", "2")
    assert result.returncode == 2
    assert "the following arguments are required: b" in result.stderr


def test_help_lists_every_command(run_sample):
    result = run_sample("--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("usage: cli.py")
    for name, help_text in [
        ("greet", "Greet a user with a message."),
        ("add", "Add two numbers."),
        ("scale", "Multiply a number by a factor."),
        ("routes", "List the routes"),
        ("openapi", "Write the OpenAPI document"),
    ]:
        assert any(name in line and help_text in line for line in out.splitlines()), (name, out)


def test_command_help_lists_arguments(run_sample):
    result = run_sample("add", "--help")
    assert result.returncode == 0
    assert "The first number." in result.stdout
    assert "The second number." in result.stdout


def test_no_command_prints_help_and_fails(run_sample):
    result = run_sample()
    assert result.returncode == 2
    assert "greet" in result.stderr


def test_command_error_sets_exit_code_and_message(run_sample):
    result = run_sample("fail", "3")
    assert result.returncode == 3
    assert "cli.py fail: error: the thing could not be done" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1] == "probe: shutdown"  # the lifespan closed anyway


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["greet", "Alice"], "Hello, Alice!"),
        (["greet", "--name", "Alice"], "Hello, Alice!"),
        (["add", "2", "3"], "The sum of 2 and 3 is 5 (int)."),
        (["add", "--a", "2", "--b", "3"], "The sum of 2 and 3 is 5 (int)."),
        (["add", "--b", "3", "2"], "The sum of 2 and 3 is 5 (int)."),
        (["scale", "1.5"], "scaled=3.0 (float)"),
        (["scale", "--value", "1.5", "--factor", "3"], "scaled=4.5 (float)"),
    ],
)
def test_required_arguments_by_position_or_option(run_sample, args, expected):
    result = run_sample(*args)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_option_values_are_cast_and_checked(run_sample):
    result = run_sample("add", "--a", "two", "--b", "3")
    assert result.returncode == 2
    assert "argument a: invalid int value: 'two'" in result.stderr
    result = run_sample("greet", "Alice", "Bob")
    assert result.returncode == 2
