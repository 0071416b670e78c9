"""Deployment checks (``pyjolt check --deploy``), also run when an app is built with DEBUG off.

Each finding has an ID, a severity and the fix. Errors are values unsafe in any deployment;
warnings are protections left unconfigured. At start-up (DEBUG off) errors stop the app unless
their ID is listed in ``SILENCED_CHECKS``; warnings are logged in one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import Finding

if TYPE_CHECKING:
    from pyjolt.application import PyJolt

__all__ = ["Finding", "deploy_findings", "enforce_at_start_up", "format_findings", "report"]

_LOGIN_PATH = re.compile(r"log-?in|sign-?in|token|password|auth", re.IGNORECASE)
_logged: set[tuple[str, ...]] = set()

#: Warnings about one setting: (ID, whether the config is unsafe, message, fix).
_SETTING_WARNINGS: tuple[tuple[str, Callable[[Mapping[str, Any]], bool], str, str], ...] = (
    ("security.W002", lambda cfg: not cfg.get("CSRF_ENABLED", True),
     "CSRF protection is off (CSRF_ENABLED=False)",
     "remove CSRF_ENABLED=False; exempt webhooks with @csrf_exempt instead"),
    ("security.W003", lambda cfg: bool(cfg.get("OPEN_API_IN_PRODUCTION")),
     "the API docs are published (OPEN_API_IN_PRODUCTION)",
     "unset OPEN_API_IN_PRODUCTION unless the docs are meant to be public"),
    ("security.W004", lambda cfg: not cfg.get("ALLOWED_HOSTS"),
     "ALLOWED_HOSTS is not set: any Host header is served",
     "set ALLOWED_HOSTS to your domain names, e.g. ['example.com']"),
)  # fmt: skip


def _core(app: PyJolt) -> Iterable[Finding]:
    cfg = app.configs
    if cfg.get("DEBUG"):
        yield Finding("security.E001", "error", "DEBUG is on", "set DEBUG=False in production")
    key = cfg.get("SECRET_KEY")
    from pyjolt._internal.secret_keys import GENERATE_KEY, weak_secret_reason

    if not key:
        yield Finding(
            "security.W011", "warning",
            "SECRET_KEY is not set (sessions, CSRF tokens and signed values need it)",
            f"set SECRET_KEY to the output of {GENERATE_KEY}",
        )  # fmt: skip
    reason = weak_secret_reason(str(key)) if key else None
    if reason is not None:
        yield Finding(
            "security.E002",
            "error",
            f"SECRET_KEY is not fit for production: {reason}",
            f"set SECRET_KEY to the output of {GENERATE_KEY}",
        )
    for check_id, unsafe, message, fix in _SETTING_WARNINGS:
        if unsafe(cfg):
            yield Finding(check_id, "warning", message, fix)
    headers = cfg.get("SECURITY_HEADERS")
    if headers is False:
        yield Finding(
            "security.W005", "warning", "security headers are off (SECURITY_HEADERS=False)",
            "remove SECURITY_HEADERS=False",
        )  # fmt: skip
    elif not cfg.get("SECURITY_HSTS_SECONDS"):
        yield Finding(
            "security.W006", "warning", "HSTS is off (SECURITY_HSTS_SECONDS=0)",
            "serve over HTTPS and set SECURITY_HSTS_SECONDS (e.g. 31536000)",
        )  # fmt: skip
    unlimited = [
        p.name
        for p in app.handler_plans
        if not p.websocket
        and "POST" in p.methods
        and _LOGIN_PATH.search(p.path)
        and not any(g.limits_rate for g in app.endpoint_guards.get(p.name, ()))
    ]
    if unlimited:
        yield Finding(
            "security.W007", "warning",
            f"routes that log users in have no rate limit: {', '.join(unlimited)}",
            "add RateLimiter to EXTENSIONS and @limiter.limit('5/minute') to these handlers",
        )  # fmt: skip
    if cfg.get("APP_NAME") == "PyJolt app":
        yield Finding(
            "security.W009", "warning",
            "APP_NAME is the default: cache keys, locks and sessions of two apps sharing a "
            "Redis would share a namespace",
            "set APP_NAME to a name of this app",
        )  # fmt: skip


def deploy_findings(app: PyJolt) -> list[Finding]:
    """Every finding for ``app``: the core's and its extensions' (``deploy_checks``)."""
    found = list(_core(app))
    for ext in app.extensions.values():
        found.extend(ext.deploy_checks(app))
    return sorted(found, key=lambda f: (f.severity != "error", f.id))


def format_findings(findings: Iterable[Finding]) -> str:
    return "\n".join(f"{f.id} [{f.severity}] {f.message}\n    fix: {f.fix}" for f in findings)


def report(app: PyJolt, *, deploy: bool) -> int:
    """Print the findings (``check --deploy``); the exit code: 1 when there are errors."""
    findings = deploy_findings(app) if deploy else []
    errors = sum(f.severity == "error" for f in findings)
    if findings:
        print(format_findings(findings))
    print(f"{errors} error(s), {len(findings) - errors} warning(s)")
    return 1 if errors else 0


def enforce_at_start_up(app: PyJolt) -> list[str]:
    """With DEBUG off: refuse to start on errors not silenced; return the warning line that
    the lifespan logs (once per process for the same findings)."""
    silenced = set(app.configs.get("SILENCED_CHECKS") or ())
    findings = [f for f in deploy_findings(app) if f.id not in silenced]
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise ConfigurationError(
            "the app is not safe to deploy:\n"
            + format_findings(errors)
            + "\n(silence a check on purpose by listing its ID in SILENCED_CHECKS)"
        )
    warnings = tuple(f.id for f in findings)
    if not warnings or warnings in _logged:
        return []
    _logged.add(warnings)
    return [f"Deploy check: {', '.join(warnings)} (see `pyjolt check --deploy` for the fixes)"]
