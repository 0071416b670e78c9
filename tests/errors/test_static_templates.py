"""Static files and Jinja2 templates."""

from pathlib import Path
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "static" / "img").mkdir(parents=True)
    (tmp_path / "static" / "img" / "logo.txt").write_bytes(b"abcdefghij" * 100)
    (tmp_path / "secret.txt").write_text("do not serve")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        "<p>{{ name }}</p><a href=\"{{ url_for('PagesApi.page') }}\">{{ request.path }}</a>"
    )
    (tmp_path / "templates" / "strict.html").write_text("<p>{{ missing }}</p>")
    return tmp_path


@path("/pages")
class PagesApi(Controller):
    @get("/page")
    async def page(self, req: Request) -> Response:
        return await req.res.html("page.html", {"name": req.query_params.get("name", "World")})

    @get("/strict")
    async def strict(self, req: Request) -> Response:
        return await req.res.html("strict.html", {})

    @get("/string")
    async def string(self, req: Request) -> Response:
        return req.res.html_from_string("<b>{{ v }}</b>", {"v": req.query_params["v"]})

    @get("/static-url")
    async def static_url(self, req: Request) -> Response:
        return req.res.text(self.app.url_for("Static.get", filename="img/logo.txt"))


async def test_static_file_304_and_range(build_client: Any, site: Path) -> None:
    client = await build_client(controllers=[PagesApi], BASE_PATH=str(site))
    url = (await client.get("/pages/static-url")).text
    assert url == "/static/img/logo.txt"
    res = await client.get(url)
    assert res.status_code == 200 and res.content == b"abcdefghij" * 100
    etag = res.headers["etag"]
    assert "last-modified" in res.headers
    cached = await client.get(url, headers={"if-none-match": etag})
    assert cached.status_code == 304
    part = await client.get(url, headers={"range": "bytes=0-4"})
    assert part.status_code == 206 and part.content == b"abcde"


async def test_static_missing_and_traversal(build_client: Any, site: Path) -> None:
    client = await build_client(controllers=[PagesApi], BASE_PATH=str(site))
    assert (await client.get("/static/nope.png")).status_code == 404
    for attempt in (
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static//etc/passwd",
        "/static/img/../../secret.txt",
    ):
        res = await client.get(attempt)
        assert res.status_code == 404, attempt
        assert b"do not serve" not in res.content


async def test_custom_static_url_and_dir(build_client: Any, site: Path) -> None:
    (site / "assets").mkdir()
    (site / "assets" / "a.css").write_text("body{}")
    client = await build_client(
        controllers=[PagesApi], BASE_PATH=str(site), STATIC_DIR="/assets", STATIC_URL="/files"
    )
    assert (await client.get("/files/a.css")).text == "body{}"


async def test_templates_file_string_strict_autoescape(build_client: Any, site: Path) -> None:
    client = await build_client(controllers=[PagesApi], BASE_PATH=str(site))
    res = await client.get("/pages/page", params={"name": "<script>x</script>"})
    assert res.headers["content-type"] == "text/html; charset=utf-8"
    assert res.text == '<p>&lt;script&gt;x&lt;/script&gt;</p><a href="/pages/page">/pages/page</a>'
    assert (await client.get("/pages/string", params={"v": "<i>"})).text == "<b>&lt;i&gt;</b>"
    assert (await client.get("/pages/strict")).status_code == 500
    lenient = await build_client(
        controllers=[PagesApi], BASE_PATH=str(site), TEMPLATES_STRICT=False
    )
    assert (await lenient.get("/pages/strict")).text == "<p></p>"
