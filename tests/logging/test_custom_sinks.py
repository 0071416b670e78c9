"""Custom log sinks (``LOGGERS`` + ``LoggerBase``): configured at build, removed at shutdown."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from loguru import logger

from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.logging import LoggerBase, configure_custom_loggers, remove_sinks
from pyjolt.testing import PyJoltTestClient, make_app

REPO_ROOT = Path(__file__).resolve().parents[2]
QUIET = {"DEFAULT_LOGGER": {"LEVEL": "ERROR"}}


class PerformanceLogger(LoggerBase):
    """The spec's example: only messages containing PERFORMANCE."""

    def get_filter(self) -> Any:
        def _filter(record: dict[str, Any]) -> bool:
            return "PERFORMANCE" in record["message"]

        return _filter


class PlainFileLogger(LoggerBase):
    configs_name = "PLAIN_LOG"


def _lines(folder: Path) -> list[dict[str, Any]]:
    records = []
    for file in sorted(folder.iterdir()):
        for line in file.read_text(encoding="utf-8").splitlines():
            records.append(json.loads(line)["record"])
    return records


async def test_file_sink_rotates_json_lines_filtered_and_is_removed_at_shutdown(tmp_path):
    folder = tmp_path / "logs"
    app = make_app(
        APP_NAME="Perf app",
        LOGGERS=[PerformanceLogger],
        PERFORMANCE_LOGGER={
            "SINK": folder / "perf.log",
            "LEVEL": "DEBUG",
            "SERIALIZE": True,
            "ROTATION": "1 KB",
            "RETENTION": "50 files",
            "COMPRESSION": None,
        },
        **QUIET,
    )
    async with PyJoltTestClient(app):
        for i in range(30):
            app.logger.info("PERFORMANCE step {} took {} ms", i, i * 10)
            app.logger.info("ordinary message {}", i)
        app.logger.debug("PERFORMANCE debug")
        app.logger.trace("PERFORMANCE trace is below DEBUG")
    app.logger.info("PERFORMANCE after shutdown")

    files = sorted(p.name for p in folder.iterdir())
    assert len(files) > 1, files  # rotated
    assert "perf.log" in files
    records = _lines(folder)
    messages = [r["message"] for r in records]
    assert len(messages) == 31
    assert set(messages) == {f"PERFORMANCE step {i} took {i * 10} ms" for i in range(30)} | {
        "PERFORMANCE debug"
    }
    assert {r["extra"]["logger_name"] for r in records} == {"Perf app"}
    assert {r["level"]["name"] for r in records} == {"INFO", "DEBUG"}


async def test_enqueued_sink_is_flushed_and_removed_at_shutdown(tmp_path):
    sink = tmp_path / "queued.log"
    app = make_app(
        LOGGERS=[f"{__name__}:PlainFileLogger"],
        PLAIN_LOG={
            "SINK": str(sink),
            "ENQUEUE": True,
            "FORMAT": "{level} {message}",
            "LEVEL": "INFO",
        },
        **QUIET,
    )
    async with PyJoltTestClient(app):
        for i in range(200):
            app.logger.info("queued {}", i)
    # removal waited for the queue: every message is in the file when shutdown returns (the
    # start-up deploy-check warning may come first: it is logged once per process)
    lines = sink.read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if "queued" in line] == [f"INFO queued {i}" for i in range(200)]
    app.logger.info("queued after shutdown")
    assert "after shutdown" not in sink.read_text(encoding="utf-8")


def test_enqueued_sink_leaves_no_leaked_semaphore(tmp_path):
    sink = tmp_path / "cli.log"
    script = textwrap.dedent(
        f"""
        import sys
        from pyjolt.cli import CLIController, command
        from pyjolt.logging import LoggerBase
        from pyjolt.testing import make_app

        class FileLogger(LoggerBase):
            pass

        class Cli(CLIController):
            @command("work")
            async def work(self) -> None:
                self.app.logger.info("working")

        app = make_app(
            LOGGERS=[FileLogger], CLI_CONTROLLERS=[Cli], DEFAULT_LOGGER={{"LEVEL": "ERROR"}},
            FILE_LOGGER={{"SINK": {str(sink)!r}, "ENQUEUE": True, "FORMAT": "{{message}}"}},
        )
        sys.argv[0] = "cli.py"
        app.run_cli()
        """
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", script, "work"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "leaked semaphore" not in result.stderr
    assert "working" in sink.read_text(encoding="utf-8").splitlines()


def test_stream_sink_ignores_file_only_keys_and_uses_get_format(capsys):
    class ShoutLogger(LoggerBase):
        def get_format(self) -> str:
            return "SHOUT {extra[logger_name]} {message}"

    app = make_app(
        APP_NAME="Loud",
        SHOUT_LOGGER={"SINK": "stdout", "ROTATION": "1 MB", "LEVEL": "WARNING"},
        **QUIET,
    )
    ids = configure_custom_loggers(app, [ShoutLogger])
    try:
        app.logger.warning("hello")
        logger.warning("from the global logger")  # no logger_name bound: the app name is used
        app.logger.info("too low")
    finally:
        remove_sinks(ids)
    app.logger.warning("removed")
    assert capsys.readouterr().out.splitlines() == [
        "SHOUT Loud hello",
        "SHOUT Loud from the global logger",
    ]


def test_module_and_level_filters():
    class ModuleLogger(LoggerBase):
        def get_filter(self) -> Any:
            return {"": "ERROR", "tests": "DEBUG", "tests.noisy": False}

    app = make_app(MODULE_LOGGER={"SINK": "stderr"}, **QUIET)
    check = ModuleLogger(app).sink_options()["filter"]
    level = logger.level

    def record(name: str, lvl: str) -> dict[str, Any]:
        return {"name": name, "level": level(lvl), "extra": {}}

    assert check(record("tests.logging", "DEBUG"))
    assert not check(record("tests.noisy.x", "CRITICAL"))
    assert not check(record("sqlalchemy", "INFO"))
    assert check(record("sqlalchemy", "ERROR"))


def test_spec_defaults_for_file_sinks(tmp_path):
    app = make_app(FILE_LOGGER={"SINK": tmp_path / "f.log"}, **QUIET)

    class FileLogger(LoggerBase):
        pass

    options = FileLogger(app).sink_options()
    assert options["rotation"] == "5 MB"
    assert options["retention"] == 5  # "5 files" as loguru understands it
    assert options["compression"] == "zip"
    assert options["delay"] is True
    assert options["encoding"] == "utf-8"
    assert options["mode"] == "a"
    assert options["diagnose"] is False  # follows DEBUG: no variable values in production logs


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"SINK": "stderr", "ROTATON": "1 MB"}, "unknown key(s) ROTATON"),
        ("stderr", "must be a dict"),
        ({"SINK": "x.log", "RETENTION": "forever"}, "loguru refused the sink settings"),
    ],
)
def test_bad_sections_fail_the_app_build(section, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigurationError, match="PLAIN_LOG") as info:
        make_app(LOGGERS=[PlainFileLogger], PLAIN_LOG=section, **QUIET)
    assert message in str(info.value)


def test_loggers_entries_are_resolved_by_the_registry():
    with pytest.raises(ConfigurationError, match=r"LOGGERS\[0\] 'tests.logging.nowhere:Nope'"):
        make_app(LOGGERS=["tests.logging.nowhere:Nope"], **QUIET)
    with pytest.raises(ConfigurationError, match=r"LOGGERS\[0\].*expected a LoggerBase subclass"):
        make_app(LOGGERS=[dict], **QUIET)
