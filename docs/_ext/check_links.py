"""Offline check of the built site: every relative link and anchor points at something.

Sphinx's ``linkcheck`` needs the network; this reads the HTML files instead. Links with a
scheme (``https:``, ``mailto:``) are left alone; everything else must name a file of the site
and, with ``#anchor``, an ``id`` in that file. ``python docs/_ext/check_links.py
docs/_build/html`` prints the broken links and exits 1 if there are any.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        wanted = LINK_ATTRIBUTES.get(tag)
        url = values.get(wanted) if wanted else None
        if url:
            self.links.append((tag, url))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def remote_assets(site: Path) -> list[str]:
    """Scripts, stylesheets and images the pages would load from another host."""
    found = []
    for path in sorted(site.rglob("*.html")):
        for tag, url in _parse(path).links:
            if tag != "a" and (urlsplit(url).scheme or url.startswith("//")):
                found.append(f"{path.relative_to(site)}: <{tag}> loads {url}")
    return found


def broken_links(site: Path) -> list[str]:
    """``page: url (reason)`` for every relative link or anchor that leads nowhere."""
    site = site.resolve()
    pages: dict[Path, _Page] = {p.resolve(): _parse(p) for p in site.rglob("*.html")}
    problems = []
    for path, page in sorted(pages.items()):
        for _tag, url in page.links:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site)}: {url}"
            if not target.is_file():
                problems.append(f"{where} (no file {target})")
                continue
            if site not in target.parents:
                problems.append(f"{where} (outside the site)")
                continue
            anchor = unquote(parts.fragment)
            if anchor and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if anchor not in ids:
                    problems.append(f"{where} (no id {anchor!r} in {target.name})")
    return problems


def main(argv: list[str]) -> int:
    site = Path(argv[1] if len(argv) > 1 else "docs/_build/html")
    if not (site / "index.html").is_file():
        print(f"error: no built site in {site} (run `nox -s docs`)", file=sys.stderr)
        return 1
    problems = broken_links(site) + remote_assets(site)
    for problem in problems:
        print(problem)
    pages = sum(1 for _ in site.rglob("*.html"))
    print(f"{pages} pages checked: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
