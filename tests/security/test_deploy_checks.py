"""``check --deploy``: findings with IDs, severities and fixes; the same checks at start-up."""

from __future__ import annotations

from typing import Any

import pytest
from loguru import logger

from pyjolt.cli.main import main
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.security import checks
from pyjolt.security.checks import deploy_findings
from pyjolt.testing import PyJoltTestClient
from tests.security.deploy_app import build


def _ids(app: Any) -> set[str]:
    return {f.id for f in deploy_findings(app)}


def test_defaults_are_warnings_and_the_app_starts() -> None:
    app = build(hardened=False)
    findings = deploy_findings(app)
    assert all(f.severity == "warning" for f in findings)
    assert {f.id for f in findings} == {
        "security.W004",  # ALLOWED_HOSTS
        "security.W007",  # login without a rate limit
        "security.W009",  # default APP_NAME
        "auth.W002",  # CORS wildcard with cookie logins
    }
    login = next(f for f in findings if f.id == "security.W007")
    assert "AccountApi.login" in login.message
    assert all(f.fix for f in findings)


def test_hardened_config_has_no_findings() -> None:
    assert deploy_findings(build(hardened=True)) == []


@pytest.mark.parametrize(
    ("overrides", "found"),
    [
        ({"CSRF_ENABLED": False}, "security.W002"),
        ({"OPEN_API_IN_PRODUCTION": True}, "security.W003"),
        ({"SECURITY_HEADERS": False}, "security.W005"),
        ({"SECURITY_HSTS_SECONDS": 0}, "security.W006"),
        ({"SECRET_KEY": None}, "security.W011"),
        ({"AUTHENTICATION": {"COOKIE_SECURE": False}}, "auth.W001"),
    ],
)
def test_each_unconfigured_protection(overrides: dict[str, Any], found: str) -> None:
    if found == "security.W011":
        overrides = {**overrides, "DEBUG": True}  # an auth app needs a key outside DEBUG
    assert found in _ids(build(hardened=True, **overrides))


def test_debug_and_weak_key_are_errors() -> None:
    app = build(hardened=True, DEBUG=True, SECRET_KEY="change-me-to-a-long-random-string")
    errors = {f.id for f in deploy_findings(app) if f.severity == "error"}
    assert errors == {"security.E001", "security.E002"}


def test_several_workers_without_a_scheduler_lock() -> None:
    from pyjolt.task_manager import TaskManager

    manager = TaskManager()
    app = build(hardened=True, WORKERS=2)
    assert "task_manager.W001" not in _ids(app)
    from tests.security import deploy_app

    app = deploy_app.make_app(
        EXTENSIONS=[manager], WORKERS=2, SECRET_KEY=deploy_app.STRONG_KEY, APP_NAME="jobs"
    )
    assert "task_manager.W001" in _ids(app)


async def test_start_up_logs_the_warnings_once_and_silences(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(checks, "_logged", set())
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(str(m)), level="WARNING", format="{message}")
    try:
        for overrides in ({}, {}, {"SILENCED_CHECKS": ["security.W004", "security.W009"]}):
            async with PyJoltTestClient(build(hardened=False, **overrides)):
                pass  # the lifespan logs what the build found
    finally:
        logger.remove(sink)
    deploy = [line for line in lines if line.startswith("Deploy check:")]
    assert len(deploy) == 2
    assert "security.W004" in deploy[0] and "security.W004" not in deploy[1]


def test_start_up_refuses_errors_unless_silenced(monkeypatch: pytest.MonkeyPatch) -> None:
    def unsafe(app: Any) -> list[checks.Finding]:
        return [checks.Finding("x.E001", "error", "something unsafe", "fix it")]

    monkeypatch.setattr(checks, "deploy_findings", unsafe)
    with pytest.raises(ConfigurationError, match=r"x\.E001 \[error\] something unsafe"):
        build(hardened=True)
    build(hardened=True, SILENCED_CHECKS=["x.E001"])


def test_cli(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "tests.security.deploy_app:Application", "--deploy"])
    out = capsys.readouterr().out
    assert code == 0  # warnings only
    assert "security.W004 [warning] ALLOWED_HOSTS is not set" in out
    assert "fix: set ALLOWED_HOSTS" in out
    assert out.strip().endswith("0 error(s), 4 warning(s)")
