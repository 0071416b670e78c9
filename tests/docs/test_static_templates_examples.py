"""docs/topics/static-templates.md: the answers the page shows."""

from __future__ import annotations

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def test_templates_and_static_files() -> None:
    example = load_example("static_templates/pages.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/pages/hello/<Ada>")
        assert res.status_code == 200
        assert res.headers["content-type"] == "text/html; charset=utf-8"
        assert '<link rel="stylesheet" href="/assets/css/site.css">' in res.text
        assert "<h1>Hello, &lt;Ada&gt;!</h1>" in res.text
        assert "<ul><li>one</li><li>two</li></ul>" in res.text

        res = await client.get("/pages/inline")
        assert res.text == "<b>&lt;bold&gt;</b>"

        res = await client.get("/pages/missing/4")
        assert res.status_code == 404
        assert "<p>Page 4 does not exist (404).</p>" in res.text

        res = await client.get("/assets/css/site.css")
        assert (res.status_code, res.text) == (200, "body { color: #222; }\n")
        assert res.headers["content-type"] == "text/css; charset=utf-8"
        again = await client.get(
            "/assets/css/site.css", headers={"If-None-Match": res.headers["etag"]}
        )
        assert again.status_code == 304

        res = await client.get("/pages/download")
        assert res.status_code == 200
        assert res.headers["content-disposition"] == 'attachment; filename="site.css"'
