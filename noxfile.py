"""Test matrix and checks. Interpreters come from pyenv; nothing is downloaded."""

from __future__ import annotations

import os

import nox

os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")
os.environ.setdefault("NOX_DOWNLOAD_PYTHON", "never")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "e2e", "lint", "typecheck", "imports", "docs"]
nox.options.reuse_existing_virtualenvs = True

PYTHONS = ["3.11", "3.12", "3.13"]
TEST_DEPS = ["--group", "test"]


def _install(session: nox.Session, extras: str, *more: str) -> None:
    target = f".[{extras}]" if extras else "."
    session.run_install(
        "uv",
        "pip",
        "install",
        "--python",
        session.virtualenv.location,
        "-e",
        target,
        *TEST_DEPS,
        *more,
        external=True,
    )


@nox.session(python=PYTHONS)
@nox.parametrize("extras", ["full", "minimal"])
def tests(session: nox.Session, extras: str) -> None:
    """The test suite, with all extras ("full") or none ("minimal")."""
    _install(session, "full,testing" if extras == "full" else "testing")
    args = session.posargs or ["-q", "-p", "no:cacheprovider"]
    session.run("pytest", *args, env={"PYJOLT_EXTRAS": extras})


@nox.session(python="3.11")
def e2e(session: nox.Session) -> None:
    """Slow end to end: `pyjolt new-project`, then the project's own tests and server, in a
    fresh virtual environment with this package installed; schemathesis (every check) against
    the template and the parameters app served by uvicorn; a generated client
    (openapi-python-client) reading a 201 body."""
    _install(session, "db,auth,ratelimit,testing")  # the template's extras
    session.install("openapi-python-client")
    session.run(
        "pytest", "tests/cli/test_new_project_e2e.py", "tests/e2e/test_openapi_conformance.py",
        "-q", "-p", "no:cacheprovider",
        env={"PYJOLT_E2E": "1"},
    )  # fmt: skip


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Benchmarks against raw Starlette and FastAPI (needs Debian's `wrk`); not part of CI."""
    _install(session, "full,bench")
    session.run("python", "bench/run.py", *session.posargs)
    session.run("python", "bench/task_queue.py")  # needs Redis on 127.0.0.1:6379


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    session.install("ruff")
    paths = ["pyjolt", "tests", "bench", "examples", "docs", "noxfile.py"]
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package, the documentation's examples and the project template."""
    _install(session, "full,testing")
    session.install("mypy")
    session.run("mypy", "pyjolt")
    # the documentation's examples, checked as an app's own code would be; the tutorial's
    # package `bookmarks` is imported from docs/examples/tutorial
    session.run(
        "mypy", "--strict", "--explicit-package-bases", "docs/examples",
        env={"MYPYPATH": "docs/examples/tutorial"},
    )  # fmt: skip
    # the project template (`pyjolt new-project`; its placeholders are only in strings)
    session.run(
        "mypy", "--strict", "--explicit-package-bases",
        "templates_scaffold/app", "templates_scaffold/cli.py", "templates_scaffold/run.py",
        env={"MYPYPATH": "templates_scaffold"},
    )  # fmt: skip
    # the spec's `Base = create_declerative_base("db")` models, through pyjolt.mypy_plugin
    session.run("mypy", "--strict", "tests/spec/typed_models.py")


@nox.session(python="3.11")
def imports(session: nox.Session) -> None:
    """Layer contracts (DESIGN.md 2) with import-linter."""
    _install(session, "full")
    session.install("import-linter")
    session.run("lint-imports")


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """The documentation site: Sphinx with warnings as errors (-W), then the offline link
    check, the configuration reference test and the headless-Chromium test of the built
    site. Open docs/_build/html/index.html afterwards."""
    _install(session, "full,testing", "--group", "docs")
    html = "docs/_build/html"
    # -E: a fresh environment, so warnings of unchanged pages are reported again
    session.run("sphinx-build", "-E", "-W", "--keep-going", "-q", "-b", "html", "docs", html)
    session.run("python", "docs/_ext/check_links.py", html)
    session.run(
        "pytest", "tests/docs/test_site.py", "tests/docs/test_site_browser.py",
        "tests/docs/test_config_reference.py", "-q", "-p", "no:cacheprovider",
        env={"PYJOLT_DOCS_HTML": html},
    )  # fmt: skip
