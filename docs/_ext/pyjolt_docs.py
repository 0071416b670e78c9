"""Sphinx extension of the PyJolt docs: writes the generated pages before the build reads.

- ``docs/_generated/config_reference.md``: the configuration reference (config_reference.py),
  included by docs/configuration.md.
- ``docs/api/generated/<module>.md``: one API reference page per public module
  (api_reference.py), autodoc directives over the docstrings.

Files are rewritten only when their text changes, and stale ones are removed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import api_reference
import config_reference

DOCS = Path(__file__).resolve().parents[1]
GENERATED = DOCS / "_generated"
API_PAGES = DOCS / "api" / "generated"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def generate() -> None:
    """Write every generated page (also usable without Sphinx: ``python pyjolt_docs.py``)."""
    _write(GENERATED / "config_reference.md", config_reference.render_markdown())
    wanted = set()
    for modname, entries in api_reference.plan().items():
        path = API_PAGES / f"{modname}.md"
        wanted.add(path)
        _write(path, api_reference.render_page(modname, entries))
    for stale in API_PAGES.glob("*.md"):
        if stale not in wanted:
            stale.unlink()


def _on_config_inited(app: Any, config: Any) -> None:
    generate()


#: section headers napoleon turns into fields itself
NAPOLEON_SECTIONS = {
    "args", "arguments", "parameters", "returns", "return", "raises", "yields", "example",
    "examples", "note", "notes", "attributes", "keyword args", "warning", "see also",
}  # fmt: skip


def key_lists(lines: list[str]) -> list[str]:
    """Turn the docstrings' plain "Config (``SECTION``):" blocks into bullet lists.

    Such a block is an unindented line ending in ":" followed by lines indented four spaces
    (one per key) and eight (their continuation); reStructuredText reads it as a broken
    definition list, so each key becomes a bullet."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        header = line.rstrip()
        if (
            header.endswith(":")
            and not header.endswith("::")
            and not line.startswith(" ")
            and header[:-1].strip().lower() not in NAPOLEON_SECTIONS
            and nxt.startswith("    ")
            and not nxt.startswith("     ")
        ):
            out += [header, ""]
            i += 1
            while i < len(lines) and lines[i].startswith("    "):
                item = lines[i]
                if item.startswith("        "):
                    out.append("  " + item[8:])
                else:
                    out.append("* " + item[4:])
                i += 1
            out.append("")
            continue
        out.append(line)
        i += 1
    return out


def _on_process_docstring(
    app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    lines[:] = key_lists(lines)


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _on_config_inited)
    # before napoleon (priority 500) reads the sections it knows
    app.connect("autodoc-process-docstring", _on_process_docstring, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    generate()
