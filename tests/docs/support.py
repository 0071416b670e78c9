"""Loading the documentation's example files (docs/examples/) in tests.

Every code block the docs show is a real file under docs/examples/, included into a page; the
tests import it by path with `load_example` and check the answers the page shows.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def load_example(relative: str) -> ModuleType:
    """Import docs/examples/<relative> as a fresh module (a new object on every call)."""
    path = EXAMPLES / relative
    if not path.is_file():
        raise FileNotFoundError(f"no documentation example {path}")
    name = "docs_example_" + relative.replace("/", "_").removesuffix(".py")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module
