"""Descriptions of config keys that their model explains nowhere, by section and key.

A key's description comes from, in order of preference: this table, the ``#:`` comment above
the field, the "KEY: text" list in the extension's docstring, the field's ``description``
(config_reference.py). tests/docs/test_config_reference.py fails when a key has none and when
an entry here names a key that no longer exists.
"""

from __future__ import annotations

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "BaseConfig": {
        "SECRET_KEY": "Key that signs cookies, tokens and CSRF tokens. With `DEBUG` off it "
        "must look random (about 128 bits or more); placeholders stop start-up.",
        "SECRET_KEY_FALLBACKS": "Older keys that still verify what they signed (key "
        "rotation); new values are signed with `SECRET_KEY`.",
        "DEBUG": "Development mode: tracebacks in error answers, API docs, `@development` "
        "routes, reload under `pyjolt run`. Off by default.",
        "HOST": "Interface `pyjolt run` / `python cli.py run` binds to.",
        "PORT": "Port `pyjolt run` listens on.",
        "WORKERS": "Worker processes of `pyjolt run` (uvicorn `--workers`).",
        "PROXY_HEADERS": "`pyjolt run`: let uvicorn read `X-Forwarded-*` from the addresses "
        "in `FORWARDED_ALLOW_IPS`.",
        "FORWARDED_ALLOW_IPS": "`pyjolt run`: addresses uvicorn trusts for proxy headers "
        "(comma-separated, `*` for any).",
        "LIFESPAN": "`pyjolt run`: uvicorn's lifespan mode (`on`, `auto`, `off`); extensions "
        "and start-up hooks need it on.",
        "TEMPLATES_DIR": "Folder of the Jinja2 templates, relative to `BASE_PATH`.",
        "STATIC_DIR": "Folder of the static files, relative to `BASE_PATH`.",
        "STATIC_URL": "URL prefix the static files are served under.",
        "TEMPLATES_STRICT": "Undefined template variables raise an error (Jinja2 "
        "`StrictUndefined`) instead of rendering empty.",
        "STRICT_SLASHES": "Off: `/users` and `/users/` reach the same route. On: the path "
        "must match exactly.",
        "MAX_BODY_SIZE": "Largest request body in bytes (413 above it); `None` for no limit. "
        "`@max_body_size` sets it per route.",
        "OPEN_API": "Serve the OpenAPI document and the docs pages (in DEBUG, or with "
        "`OPEN_API_IN_PRODUCTION`).",
        "OPEN_API_URL": "URL prefix of the OpenAPI document and docs pages "
        "(`/openapi/docs`, `/openapi/redoc`, `/openapi/specs.json`).",
        "OPEN_API_DESCRIPTION": "`info.description` of the OpenAPI document.",
        "CORS_ENABLED": "Answer CORS preflights and add CORS headers (per route: `@cors`, "
        "`@no_cors`).",
        "CORS_ALLOW_ORIGINS": "Origins allowed to call the API; `*` never grants credentials.",
        "CORS_ALLOW_METHODS": "Methods allowed in cross-origin requests.",
        "CORS_ALLOW_HEADERS": "Request headers allowed in cross-origin requests.",
        "CORS_EXPOSE_HEADERS": "Response headers the browser may show to the calling script.",
        "CORS_ALLOW_CREDENTIALS": "Allow cookies and credentials for the listed origins.",
        "CORS_MAX_AGE": "Seconds a browser may cache a preflight answer.",
        "CSRF_ENABLED": "Refuse unsafe cookie-carrying requests (POST, PUT, PATCH, DELETE) "
        "from other origins with 403.",
        "CSRF_TRUSTED_ORIGINS": "Other origins whose unsafe requests are accepted.",
        "CSRF_REQUIRE_TOKEN": "Also require a CSRF token (`{{ csrf_input() }}` in forms or "
        "the `CSRF_HEADER_NAME` header).",
        "CSRF_COOKIE_NAME": "Cookie holding the CSRF token.",
        "CSRF_FIELD_NAME": "Form field holding the CSRF token.",
        "CSRF_HEADER_NAME": "Header holding the CSRF token.",
        "CSRF_TOKEN_MAX_AGE": "Seconds a CSRF token stays valid.",
        "WEBSOCKET_ORIGIN_CHECK": "Check the `Origin` of websocket handshakes like unsafe "
        "requests.",
        "WEBSOCKET_ALLOWED_ORIGINS": "Other origins allowed to open websockets (`null` only "
        "when listed).",
        "SECURITY_FRAME_OPTIONS": "`X-Frame-Options` value; `None` to leave it out.",
        "SECURITY_REFERRER_POLICY": "`Referrer-Policy` value; `None` to leave it out.",
        "SECURITY_CROSS_ORIGIN_OPENER_POLICY": "`Cross-Origin-Opener-Policy` value; `None` "
        "to leave it out.",
        "SECURITY_CONTENT_SECURITY_POLICY": "`Content-Security-Policy` value; none by default.",
        "SECURITY_HSTS_INCLUDE_SUBDOMAINS": "Add `includeSubDomains` to HSTS.",
        "SECURITY_HSTS_PRELOAD": "Add `preload` to HSTS.",
        "CONTROLLERS": "Controller classes or their import strings (`app.api.users:UsersApi`).",
        "CLI_CONTROLLERS": "`CLIController` classes or import strings: commands of "
        "`python cli.py`.",
        "EXTENSIONS": "Extension instances or import strings (`app.extensions:db`); they start "
        "before the start-up hooks.",
        "MODELS": "Model classes or import strings, registered with their database (for "
        "migrations).",
        "EXCEPTION_HANDLERS": "`ExceptionHandler` subclasses or import strings.",
        "MIDDLEWARE": "`MiddlewareBase` subclasses and ASGI middleware (classes, "
        "`Middleware(cls, **options)`, `(import string, options)`); the first is the "
        "outermost.",
        "LOGGERS": "`LoggerBase` subclasses or import strings: extra log sinks, each with its "
        "own section.",
        "DEFAULT_LOGGER": "Settings of the default log sink (`SINK`, `LEVEL`, `FORMAT`, "
        "`SERIALIZE` for JSON lines, `ROTATION`...).",
        "REQUEST_ID": "Take or make an `X-Request-ID` per request; it is on every answer and "
        "every log line of the request.",
        "REQUEST_ID_HEADER": "Header of the request ID.",
        "ACCESS_LOG": "One log line per request (method, route, status, duration, request ID, "
        "client, user); replaces uvicorn's access log.",
        "HEALTH": "Serve liveness and readiness endpoints.",
        "HEALTH_LIVE_PATH": "Path of the liveness endpoint (always 200 while the process serves).",
        "HEALTH_READY_PATH": "Path of the readiness endpoint: 200, or 503 naming the failing "
        "check of an extension.",
        "HEALTH_TIMEOUT": "Seconds each readiness check may take.",
        "HEALTH_IN_SCHEMA": "List the health endpoints in the OpenAPI document.",
        "METRICS": "Serve Prometheus metrics (needs `pyjolt[metrics]`).",
        "METRICS_PATH": "Path of the metrics endpoint.",
        "TRACING": "An OpenTelemetry server span per request (needs `pyjolt[otel]`).",
    },
    "CACHE": {
        "REDIS_URL": "Redis URL of the Redis backend (`redis://host:6379/0`).",
        "REDIS_PASSWORD": "Password of the Redis backend, if not in the URL.",
        "REDIS_TIMEOUT": "Seconds one Redis operation may take (one attempt).",
        "REDIS_MAX_CONNECTIONS": "Most connections in the Redis backend's pool.",
        "REDIS_IDLE_TIMEOUT": "Seconds an unused pooled Redis connection stays open.",
        "SQLITE_PATH": "File of the SQLite backend, relative to `BASE_PATH`.",
        "SQLITE_TABLE": "Table of the SQLite backend.",
        "SQLITE_WAL_CHECKPOINT_MODE": "SQLite WAL checkpoint mode used after every "
        "`SQLITE_WAL_CHECKPOINT_EVERY` writes (expired rows are purged then too).",
        "SQLITE_WAL_CHECKPOINT_EVERY": "Writes between two checkpoints of the SQLite backend.",
    },
    "RATE_LIMIT": {
        "STRATEGY": "Counting strategy of the `limits` package.",
    },
    "TASK_MANAGER": {
        "LOCK_MAX_CONNECTIONS": "Most connections in the lock store's Redis pool.",
        "LOCK_IDLE_TIMEOUT": "Seconds an unused Redis connection of the lock store stays open.",
    },
    "TASK_QUEUE": {
        "RESULT_TTL": "Seconds results are kept in the result backend.",
        "FAILED_TASKS_KEEP": "Length of the failed-task list (oldest dropped first).",
        "DEFAULT_RETRIES": "Retries of a task whose `@task` does not say (0: none).",
        "DEFAULT_BACKOFF": "Seconds before the first retry; doubled per retry.",
        "MAX_BACKOFF": "Longest wait between two retries, seconds.",
        "DEFAULT_TIMEOUT": "Seconds a task may run before it is cancelled (`None`: no limit).",
    },
    "SQL_DATABASE": {
        "EXPIRE_ON_COMMIT": "Session option: expire loaded objects on commit.",
        "AUTOFLUSH": "Session option: flush pending changes before queries.",
        "ALEMBIC_MIGRATION_DIR": "Migrations folder of `Migrate` (relative to `BASE_PATH`).",
        "ALEMBIC_DATABASE_URI_SYNC": "Sync URL for an `env.py` from PyJolt 0.111 that reads "
        "`sqlalchemy.url`; new migration folders need none.",
    },
    "EMAIL_CLIENT": {
        "USERNAME": "Log in to the SMTP server with this user (no login without it).",
        "PASSWORD": "Password of `USERNAME`.",
    },
}
