"""Shared fixtures: ``build_client`` builds an app inline and runs its lifespan."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from pyjolt.testing import PyJoltTestClient, make_app
from tests.services import free_port, stop_process

ROOT = Path(__file__).resolve().parents[1]

BuildClient = Callable[..., Coroutine[Any, Any, PyJoltTestClient]]


@pytest.fixture
async def build_client() -> AsyncIterator[BuildClient]:
    """``client = await build_client(controllers=[MyApi], DEBUG=True, EXTENSIONS=[ext])``."""
    async with AsyncExitStack() as stack:

        async def _build(controllers: list[Any] | None = None, **config: Any) -> PyJoltTestClient:
            application = make_app(controllers=controllers or [], **config)
            return await stack.enter_async_context(PyJoltTestClient(application))

        yield _build


@pytest.fixture
def uvicorn_server() -> Iterator[Callable[..., str]]:
    """``base_url = uvicorn_server("tests.e2e.sample_app:Application", "--factory")``."""
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[Any] = []

    def start(target: str, *args: str, env: dict[str, str] | None = None) -> str:
        port = free_port()
        # a file, not a pipe: nobody reads a pipe while the server runs, and a full pipe would
        # block the server's logging (and so its answers) under a long test
        log = tempfile.TemporaryFile()  # noqa: SIM115 - closed at teardown
        logs.append(log)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                target,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                *args,
            ],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"uvicorn exited early:\n{log.read().decode()}")
            try:
                httpx.get(base + "/__ready__", timeout=1)
                return base
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("uvicorn did not start within 90 s")

    yield start
    for proc in procs:
        stop_process(proc)
    for log in logs:
        log.close()


# Test folders that need an optional extra: skipped (with the reason) when it is not installed,
# as in the "minimal" nox run.
_FULL = (
    ("sqlalchemy", "db"),
    ("pymongo", "mongo"),
    ("jwt", "auth"),
    ("redis", "cache"),
    ("apscheduler", "scheduler"),
    ("aiosmtplib", "email"),
)
_EXTRA_DIRS: dict[str, tuple[tuple[str, str], ...]] = {
    "database/sql": (("sqlalchemy", "db"),),
    "database/nosql": (("pymongo", "mongo"),),
    "auth": (("jwt", "auth"),),
    "caching": (("redis", "cache"),),
    "caching/test_per_user.py": (("jwt", "auth"),),
    "task_manager": (("apscheduler", "scheduler"),),
    "email": (("aiosmtplib", "email"),),
    "ai_interface": (("httpx", "ai_interface"),),
    # the project template depends on pyjolt[db,auth,ratelimit]
    "security/test_template_deploy_check.py": (
        ("sqlalchemy", "db"),
        ("aiosqlite", "db"),
        ("pwdlib", "auth"),
        ("limits", "ratelimit"),
    ),
    "security/test_deploy_checks.py": (
        ("limits", "ratelimit"),
        ("jwt", "auth"),
        ("apscheduler", "scheduler"),
    ),
    "rate_limit": (
        ("limits", "ratelimit"),
        ("redis", "cache"),
        ("jwt", "auth"),
        ("sqlalchemy", "db"),
    ),
    "task_queue": (
        ("taskiq", "taskqueue"),
        ("taskiq_redis", "taskqueue-redis"),
        ("taskiq_aio_pika", "taskqueue-rabbitmq"),
        ("taskiq_nats", "taskqueue-nats"),
        ("sqlalchemy", "db"),
        ("asyncpg", "postgres"),
    ),
    # the test app has SQLite and PostgreSQL databases, logins and a scheduler
    "admin": (
        ("sqladmin", "admin"),
        ("jwt", "auth"),
        ("aiosqlite", "db"),
        ("asyncpg", "postgres"),
        ("apscheduler", "scheduler"),
    ),
    "admin/test_admin_extras.py": (("aiosmtplib", "email"), ("taskiq", "taskqueue")),
    # The spec's example app and the security attacks use every battery.
    "spec": _FULL,
    # the configuration reference lists the section of every extension
    "docs/test_config_reference.py": (
        *_FULL,
        ("httpx", "ai_interface"),
        ("limits", "ratelimit"),
        ("taskiq", "taskqueue"),
        ("sqladmin", "admin"),
    ),
    # the attacked app (robust_app.py) is built with the Authentication and Cache extensions,
    # and a missing extension package stops the build
    "robustness": (("jwt", "auth"), ("redis", "cache")),
    # PyJolt 0.111 apps use the SQL, auth and email batteries
    "compat/test_config_sections.py": (("sqlalchemy", "db"), ("aiosmtplib", "email")),
    "observability/test_metrics.py": (
        ("prometheus_client", "metrics"),
        ("starlette_exporter", "full"),
    ),
    "observability/test_tracing.py": (
        ("opentelemetry.sdk", "otel"),
        ("opentelemetry.instrumentation.starlette", "full"),
        ("opentelemetry.instrumentation.redis", "full"),
        ("redis", "cache"),
    ),
    "observability/test_readiness_services.py": (("sqlalchemy", "db"), ("redis", "cache")),
    "observability/test_workers.py": (("prometheus_client", "metrics"),),
    "observability/test_mounting.py": (
        ("sqlalchemy", "db"),
        ("sqladmin", "full"),
        ("fastapi", "bench"),
    ),
    "compat/test_auth_compat.py": (("jwt", "auth"),),
    "compat/test_sql_email_aliases.py": (("sqlalchemy", "db"), ("aiosmtplib", "email")),
    "compat/test_legacy_app.py": (("sqlalchemy", "db"), ("jwt", "auth"), ("aiosmtplib", "email")),
    "compat/legacy_app": (("sqlalchemy", "db"), ("jwt", "auth"), ("aiosmtplib", "email")),
    # documentation examples (docs/examples/<topic>/) that use a battery
    "docs/test_auth_examples.py": (("jwt", "auth"), ("pwdlib", "auth"), ("limits", "ratelimit")),
    "docs/test_sql_examples.py": (("sqlalchemy", "db"), ("aiosqlite", "db")),
    "docs/test_migrations_examples.py": (("sqlalchemy", "db"), ("alembic", "db")),
    "docs/test_caching_examples.py": (("redis", "cache"),),
    "docs/test_scheduler_examples.py": (("apscheduler", "scheduler"),),
    "docs/test_task_queue_examples.py": (
        ("taskiq", "taskqueue"),
        ("taskiq_redis", "taskqueue-redis"),
        ("redis", "cache"),
    ),
    "docs/test_email_examples.py": (("aiosmtplib", "email"),),
    "docs/test_admin_examples.py": (("sqladmin", "admin"), ("jwt", "auth"), ("aiosqlite", "db")),
    "docs/test_logging_examples.py": (("prometheus_client", "metrics"),),
    "docs/test_nosql_examples.py": (("pymongo", "mongo"),),
    # the tutorial's app uses the SQL, auth and cache batteries and the task queue
    "docs/test_tutorial_examples.py": (
        ("sqlalchemy", "db"),
        ("alembic", "db"),
        ("aiosqlite", "db"),
        ("jwt", "auth"),
        ("pwdlib", "auth"),
        ("redis", "cache"),
        ("taskiq", "taskqueue"),
    ),
    # the production service: a scheduler and Prometheus metrics
    "docs/test_deployment_examples.py": (
        ("apscheduler", "scheduler"),
        ("prometheus_client", "metrics"),
    ),
    "docs/test_ai_interface_examples.py": (("httpx", "ai_interface"),),
}
_skipped_extras: set[str] = set()


def _importable(module: str) -> bool:
    """Whether ``module`` can be imported (a dotted name whose parent package is missing
    makes ``find_spec`` raise instead of answering None)."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def pytest_ignore_collect(collection_path: Any, config: Any) -> bool | None:

    try:
        rel = (
            Path(collection_path).resolve().relative_to(Path(__file__).parent.resolve()).as_posix()
        )
    except ValueError:
        return None
    for folder, needs in _EXTRA_DIRS.items():
        if not (rel == folder or rel.startswith(folder + "/")):
            continue
        missing = [(m, e) for m, e in needs if not _importable(m)]
        if missing:
            extras = ", ".join(sorted({e for _, e in missing}))
            modules = ", ".join(m for m, _ in missing)
            _skipped_extras.add(f"tests/{folder} (needs the extras {extras}: {modules} missing)")
            return True
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in sorted(_skipped_extras):
        terminalreporter.write_line(f"not collected: {line}")
