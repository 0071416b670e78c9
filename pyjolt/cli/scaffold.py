"""``pyjolt new-project``: write the project template (``templates_scaffold``) to a folder."""

from __future__ import annotations

import re
import secrets
import shutil
from pathlib import Path

from pyjolt.exceptions.errors import PyJoltError

#: Placeholders replaced in the template's text files.
NAME_PLACEHOLDER = "__PROJECT_NAME__"
SLUG_PLACEHOLDER = "__PROJECT_SLUG__"
#: Entries of a target folder that do not make it "non-empty" (a fresh repo or virtualenv).
IGNORED_ENTRIES = frozenset({".git", ".hg", ".venv", "venv", ".idea", ".vscode", ".DS_Store"})
_SKIPPED = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"})
_SKIPPED_SUFFIXES = (".pyc", ".pyo", ".db", ".sqlite3", ".log")
_TEXT_SUFFIXES = frozenset({".py", ".toml", ".md", ".txt", ".html", ".cfg", ".ini", ".css", ".js"})
_TEXT_NAMES = frozenset({".env.dev", ".env.example", ".gitignore", "gitignore"})
#: Files stored under another name in the template (so packaging tools keep them).
_RENAMED = {"gitignore": ".gitignore"}


class ScaffoldError(PyJoltError):
    """The project cannot be written (target not empty, template missing...)."""


def template_dir() -> Path:
    """The project template: ``pyjolt/templates_scaffold`` when installed, else the repo's."""
    package_root = Path(__file__).resolve().parent.parent
    candidates = (package_root / "templates_scaffold", package_root.parent / "templates_scaffold")
    for candidate in candidates:
        if (candidate / "app" / "__init__.py").is_file():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise ScaffoldError(f"the project template is missing (searched {searched}); reinstall pyjolt")


def project_slug(name: str) -> str:
    """A distribution name for pyproject.toml: ``My App`` -> ``my-app``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "pyjolt-app"


def is_empty_dir(target: Path) -> bool:
    """True when ``target`` is missing or holds only VCS / virtualenv / editor entries."""
    if not target.exists():
        return True
    return all(entry.name in IGNORED_ENTRIES for entry in target.iterdir())


def create_project(target: Path, name: str | None = None, *, force: bool = False) -> list[Path]:
    """Write the template into ``target``; returns the written files (relative paths).

    Raises:
        ScaffoldError: ``target`` is a file, or a non-empty folder and ``force`` is False.
    """
    target = target.expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} exists and is not a folder")
    if not force and not is_empty_dir(target):
        raise ScaffoldError(
            f"{target} is not empty; choose an empty folder or pass --force "
            "(files of the template overwrite existing files of the same name)"
        )
    display_name = name or target.name or "PyJolt app"
    replacements = {NAME_PLACEHOLDER: display_name, SLUG_PLACEHOLDER: project_slug(display_name)}
    source = template_dir()
    written: list[Path] = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part in _SKIPPED for part in relative.parts) or path.name.endswith(
            _SKIPPED_SUFFIXES
        ):
            continue
        out = target / relative.parent / _RENAMED.get(path.name, path.name)
        if path.is_dir():
            out.mkdir(parents=True, exist_ok=True)
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix in _TEXT_SUFFIXES or path.name in _TEXT_NAMES:
            text = path.read_text(encoding="utf-8")
            for placeholder, value in replacements.items():
                text = text.replace(placeholder, value)
            out.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(path, out)
        written.append(out.relative_to(target))
    env_file = target / ".env"
    if not env_file.exists():
        # the project's own secret, git-ignored: it starts with DEBUG off without edits
        env_file.write_text(
            "# Secrets and local settings of this checkout (git-ignored; see .env.example).\n"
            f"SECRET_KEY={secrets.token_urlsafe(48)}\n",
            encoding="utf-8",
        )
        written.append(Path(".env"))
    return written
