"""Where the docs tests find docs/_ext and the built site."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXT = DOCS / "_ext"


def docs_module(name: str) -> ModuleType:
    """A module of docs/_ext (the Sphinx extension's helpers), imported by name."""
    if str(EXT) not in sys.path:
        sys.path.insert(0, str(EXT))
    return importlib.import_module(name)


def built_site() -> Path:
    """The site built by ``nox -s docs`` (it sets PYJOLT_DOCS_HTML); skip elsewhere."""
    html = os.environ.get("PYJOLT_DOCS_HTML")
    if not html:
        pytest.skip("the built site is checked by `nox -s docs` (PYJOLT_DOCS_HTML is not set)")
    site = Path(html).resolve()
    assert (site / "index.html").is_file(), f"PYJOLT_DOCS_HTML={html} holds no built site"
    return site
