"""Which optional extra (``pip install "pyjolt[<extra>]"``) provides which module, named once:
the test folders that need an extra (``EXTRA_DIRS``, skipped by ``conftest.py`` when it is not
installed, as in the "minimal" nox run) and the tests of the install hints use these names."""

from __future__ import annotations

#: (the module to import, the extra that installs it)
Needs = tuple[str, str]

SQLALCHEMY: Needs = ("sqlalchemy", "db")
AIOSQLITE: Needs = ("aiosqlite", "db")
ALEMBIC: Needs = ("alembic", "db")
ASYNCPG: Needs = ("asyncpg", "postgres")
PYMONGO: Needs = ("pymongo", "mongo")
JWT: Needs = ("jwt", "auth")
PWDLIB: Needs = ("pwdlib", "auth")
REDIS: Needs = ("redis", "cache")
APSCHEDULER: Needs = ("apscheduler", "scheduler")
AIOSMTPLIB: Needs = ("aiosmtplib", "email")
HTTPX: Needs = ("httpx", "ai_interface")
LIMITS: Needs = ("limits", "ratelimit")
PROMETHEUS: Needs = ("prometheus_client", "metrics")
SQLADMIN: Needs = ("sqladmin", "admin")
TASKIQ: Needs = ("taskiq", "taskqueue")
TASKIQ_REDIS: Needs = ("taskiq_redis", "taskqueue-redis")
TASKIQ_RABBITMQ: Needs = ("taskiq_aio_pika", "taskqueue-rabbitmq")
TASKIQ_NATS: Needs = ("taskiq_nats", "taskqueue-nats")

#: The batteries the spec's example app uses.
FULL = (SQLALCHEMY, PYMONGO, JWT, REDIS, APSCHEDULER, AIOSMTPLIB)

#: Test folder or file (relative to ``tests/``) -> the modules it needs.
EXTRA_DIRS: dict[str, tuple[Needs, ...]] = {
    "database/sql": (SQLALCHEMY,),
    "database/nosql": (PYMONGO,),
    "auth": (JWT,),
    "caching": (REDIS,),
    "caching/test_per_user.py": (JWT,),
    "task_manager": (APSCHEDULER,),
    "email": (AIOSMTPLIB,),
    "ai_interface": (HTTPX,),
    # the project template depends on pyjolt[db,auth,ratelimit]
    "security/test_template_deploy_check.py": (SQLALCHEMY, AIOSQLITE, PWDLIB, LIMITS),
    "security/test_deploy_checks.py": (LIMITS, JWT, APSCHEDULER),
    "rate_limit": (LIMITS, REDIS, JWT, SQLALCHEMY),
    "task_queue": (TASKIQ, TASKIQ_REDIS, TASKIQ_RABBITMQ, TASKIQ_NATS, SQLALCHEMY, ASYNCPG),
    # the test app has SQLite and PostgreSQL databases, logins and a scheduler
    "admin": (SQLADMIN, JWT, AIOSQLITE, ASYNCPG, APSCHEDULER),
    "admin/test_admin_extras.py": (AIOSMTPLIB, TASKIQ),
    # The spec's example app and the security attacks use every battery.
    "spec": FULL,
    # the configuration reference lists the section of every extension
    "docs/test_config_reference.py": (*FULL, HTTPX, LIMITS, TASKIQ, SQLADMIN),
    # the attacked app (robust_app.py) is built with the Authentication and Cache extensions,
    # and a missing extension package stops the build
    "robustness": (JWT, REDIS),
    # PyJolt 0.111 apps use the SQL, auth and email batteries
    "compat/test_config_sections.py": (SQLALCHEMY, AIOSMTPLIB),
    "observability/test_metrics.py": (PROMETHEUS, ("starlette_exporter", "full")),
    "observability/test_tracing.py": (
        ("opentelemetry.sdk", "otel"),
        ("opentelemetry.instrumentation.starlette", "full"),
        ("opentelemetry.instrumentation.redis", "full"),
        REDIS,
    ),
    "observability/test_readiness_services.py": (SQLALCHEMY, REDIS),
    # bench/run.py imports the bench apps' shared SQL model
    "bench/test_run_report.py": (SQLALCHEMY,),
    "bench/test_ws_messages.py": (SQLALCHEMY,),
    "bench/test_ws_load.py": (SQLALCHEMY,),
    "observability/test_workers.py": (PROMETHEUS,),
    "observability/test_mounting.py": (SQLALCHEMY, ("sqladmin", "full"), ("fastapi", "bench")),
    "compat/test_auth_compat.py": (JWT,),
    "compat/test_sql_email_aliases.py": (SQLALCHEMY, AIOSMTPLIB),
    "compat/test_legacy_app.py": (SQLALCHEMY, JWT, AIOSMTPLIB),
    "compat/legacy_app": (SQLALCHEMY, JWT, AIOSMTPLIB),
    # documentation examples (docs/examples/<topic>/) that use a battery
    "docs/test_auth_examples.py": (JWT, PWDLIB, LIMITS),
    "docs/test_sql_examples.py": (SQLALCHEMY, AIOSQLITE),
    "docs/test_migrations_examples.py": (SQLALCHEMY, ALEMBIC),
    "docs/test_caching_examples.py": (REDIS,),
    "docs/test_scheduler_examples.py": (APSCHEDULER,),
    "docs/test_task_queue_examples.py": (TASKIQ, TASKIQ_REDIS, REDIS),
    "docs/test_email_examples.py": (AIOSMTPLIB,),
    "docs/test_admin_examples.py": (SQLADMIN, JWT, AIOSQLITE),
    "docs/test_logging_examples.py": (PROMETHEUS,),
    "docs/test_nosql_examples.py": (PYMONGO,),
    # the tutorial's app uses the SQL, auth and cache batteries and the task queue
    "docs/test_tutorial_examples.py": (
        SQLALCHEMY,
        ALEMBIC,
        AIOSQLITE,
        JWT,
        PWDLIB,
        REDIS,
        TASKIQ,
    ),
    # the production service: a scheduler and Prometheus metrics
    "docs/test_deployment_examples.py": (APSCHEDULER, PROMETHEUS),
    "docs/test_ai_interface_examples.py": (HTTPX,),
}
