"""The offline link check of the built docs (docs/_ext/check_links.py) and the built site."""

from __future__ import annotations

import re
from pathlib import Path

from tests.docs.site import DOCS, built_site, docs_module

check_links = docs_module("check_links")
api_reference = docs_module("api_reference")


def _page(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<html><head></head><body>{body}</body></html>", encoding="utf-8")


def test_link_check_finds_missing_files_and_anchors(tmp_path: Path) -> None:
    _page(tmp_path / "index.html", '<a href="topics/a.html#here">a</a> <a href="#top">top</a>')
    _page(tmp_path / "topics" / "a.html", '<h1 id="here">A</h1><a href="../index.html">up</a>')
    assert check_links.broken_links(tmp_path) == ["index.html: #top (no id 'top' in index.html)"]
    _page(tmp_path / "topics" / "b.html", '<a href="a.html#gone">x</a><a href="c.html">y</a>')
    problems = check_links.broken_links(tmp_path)
    assert "topics/b.html: a.html#gone (no id 'gone' in a.html)" in problems
    assert any(p.startswith("topics/b.html: c.html (no file") for p in problems)
    assert len(problems) == 3


def test_link_check_leaves_external_links_but_reports_remote_assets(tmp_path: Path) -> None:
    _page(
        tmp_path / "index.html",
        '<a href="https://www.starlette.io/">Starlette</a><a href="mailto:a@b.c">mail</a>'
        '<script src="_static/local.js"></script>'
        '<link rel="stylesheet" href="https://fonts.example/font.css">'
        '<script src="//cdn.example/x.js"></script>',
    )
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "local.js").write_text("", encoding="utf-8")
    assert check_links.broken_links(tmp_path) == []  # other hosts are not this check's business
    assert check_links.remote_assets(tmp_path) == [
        "index.html: <link> loads https://fonts.example/font.css",
        "index.html: <script> loads //cdn.example/x.js",
    ]
    assert check_links.main(["check_links", str(tmp_path)]) == 1


def test_built_site_loads_nothing_remote_and_has_no_broken_links() -> None:
    site = built_site()
    assert check_links.remote_assets(site) == []
    assert check_links.broken_links(site) == []


def test_built_site_has_every_page() -> None:
    site = built_site()
    for page in ("index", "getting-started", "tutorial/index", "topics/index", "configuration",
                 "deployment", "performance", "migrating", "api/index", "search"):  # fmt: skip
        assert (site / f"{page}.html").is_file(), page
    for module in api_reference.MODULES:
        page = (site / "api" / "generated" / f"{module}.html").read_text(encoding="utf-8")
        assert f'id="module-{module}"' in page
    sql = (site / "api" / "generated" / "pyjolt.database.sql.html").read_text(encoding="utf-8")
    assert 'id="pyjolt.database.sql.SqlDatabase"' in sql


PAGES_DIR = DOCS
INCLUDE = re.compile(r"```\{literalinclude\}\s+(\S+)")
INLINE_CODE = re.compile(r"^\s*```\s*(?:python|py|python3|\{code-block\}\s+python)\s*$", re.M)


def _pages() -> list[Path]:
    skip = {"_build", "_generated", "_ext", "examples", "generated"}
    return [p for p in PAGES_DIR.rglob("*.md") if not skip & set(p.relative_to(PAGES_DIR).parts)]


def test_code_on_pages_comes_from_tested_example_files() -> None:
    """No Python block is typed into a page: every one is an included file of docs/examples/,
    and every folder of included examples is loaded by a test of tests/docs/."""
    tests_text = "\n".join(
        p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py")
    )
    included: set[Path] = set()
    for page in _pages():
        text = page.read_text(encoding="utf-8")
        assert not INLINE_CODE.search(text), f"{page}: a Python block not from docs/examples/"
        for target in INCLUDE.findall(text):
            path = (page.parent / target).resolve()
            assert path.is_file(), f"{page}: includes a missing file {target}"
            if (PAGES_DIR / "examples") in path.parents:
                included.add(path)
    assert len(included) >= 20
    for path in included:
        folder = path.relative_to(PAGES_DIR / "examples").parts[0]
        assert f'"{folder}/' in tests_text or f'"{folder}"' in tests_text, (
            f"docs/examples/{folder}/ is shown on a page but no test in tests/docs loads it"
        )
