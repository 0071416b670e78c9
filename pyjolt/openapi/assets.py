"""Where the docs pages' JavaScript and CSS come from: installed Python packages, never a CDN.

- Swagger UI: ``swagger_ui_bundle`` (PyPI ``swagger-ui-bundle``, in the ``full`` extra, or its
  Swagger UI 5 successor ``swagger-ui-bundle-v2``, same module), or ``openapi_ui_bundles``.
  The newest Swagger UI found wins.
- ReDoc: ``openapi_ui_bundles`` (PyPI ``openapi-ui-bundles``).
"""

from __future__ import annotations

import functools
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

SWAGGER_INSTALL_HINT = 'pip install swagger-ui-bundle  (or: pip install "pyjolt[full]")'
REDOC_INSTALL_HINT = "pip install openapi-ui-bundles"


@dataclass(frozen=True)
class UiAssets:
    """A directory of static files for a docs page, and the UI version it holds."""

    directory: Path
    version: tuple[int, ...]
    package: str

    @property
    def major(self) -> int:
        return self.version[0] if self.version else 0


def _version_of(text: str) -> tuple[int, ...]:
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", text)
    return tuple(int(g) for g in match.groups()) if match else ()


def _swagger_ui_bundle() -> UiAssets | None:
    try:
        module = importlib.import_module("swagger_ui_bundle")
    except ImportError:
        return None
    path = getattr(module, "swagger_ui_path", None)
    if path is None:
        return None
    directory = Path(str(path))
    if not (directory / "swagger-ui-bundle.js").is_file():
        return None
    return UiAssets(directory, _version_of(directory.name), "swagger_ui_bundle")


def _openapi_ui_bundles(sub: str, marker: str, version_re: str) -> UiAssets | None:
    try:
        module = importlib.import_module(f"openapi_ui_bundles.{sub}")
    except ImportError:
        return None
    directory = Path(str(getattr(module, "static_path", "")))
    script = directory / marker
    if not script.is_file():
        return None
    # The bundles do not name their version; read it from the script's own banner/constants.
    head = script.read_text(encoding="utf-8", errors="replace")
    match = re.search(version_re, head)
    version = _version_of(match.group(0)) if match else ()
    return UiAssets(directory, version, "openapi_ui_bundles")


@functools.cache
def find_swagger_ui() -> UiAssets | None:
    """The newest installed Swagger UI, or None when no package provides it."""
    found = [
        a
        for a in (
            _swagger_ui_bundle(),
            _openapi_ui_bundles(
                "swagger_ui", "swagger-ui-bundle.js", r'PACKAGE_VERSION:"\d+\.\d+\.\d+"'
            ),
        )
        if a is not None
    ]
    return max(found, key=lambda a: a.version, default=None)


@functools.cache
def find_redoc() -> UiAssets | None:
    """ReDoc's standalone bundle, or None when ``openapi-ui-bundles`` is not installed."""
    return _openapi_ui_bundles("redoc", "redoc.standalone.js", r'ReDoc Version: ","\d+\.\d+\.\d+')
