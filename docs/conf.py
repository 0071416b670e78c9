"""Sphinx configuration of the PyJolt documentation (MyST Markdown, furo, autodoc).

The build needs no network: no intersphinx inventories, and furo ships its own assets
(tests/docs/test_site.py checks the built HTML). Build with ``nox -s docs``.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent))

project = "PyJolt"
author = "PyJolt contributors"
copyright = "PyJolt contributors"
release = "1.0"
version = "1.0"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",  # the docstrings' "Args:" / "Returns:" / "Raises:" sections
    "pyjolt_docs",  # docs/_ext: the generated configuration and API reference pages
]

source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "_ext", "examples", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3

# autodoc: signatures with their annotations; docstrings are reStructuredText
autodoc_typehints = "signature"
autodoc_member_order = "bysource"
autodoc_class_signature = "separated"
autodoc_default_options = {"exclude-members": "model_config, model_fields, model_computed_fields"}

napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "furo"
html_title = "PyJolt"
html_static_path: list[str] = []
# a favicon of its own, or every browser asks the server for /favicon.ico (a 404)
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
