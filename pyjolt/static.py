"""Static files: served from BASE_PATH + STATIC_DIR at STATIC_URL (ETag, 304, Range)."""

from __future__ import annotations

import os

from starlette.routing import Mount

from pyjolt.appcontext import AppProtocol

STATIC_ENDPOINT = "Static.get"


def join_base(base: str, sub: str) -> str:
    """``BASE_PATH`` + ``"/static"``: the spec writes folders with a leading slash."""
    joined = os.path.join(base, sub.lstrip("/\\"))
    if os.path.isabs(sub) and not os.path.isdir(joined) and os.path.isdir(sub):
        return sub
    return joined


def static_mount(url: str, directory: str) -> Mount | None:
    """A mount serving ``directory`` under ``url``, or None if the folder does not exist."""
    if not os.path.isdir(directory):
        return None
    from starlette.staticfiles import StaticFiles

    return Mount("/" + url.strip("/"), app=StaticFiles(directory=directory), name="static")


def static_url(app: AppProtocol, filename: str, root_path: str = "") -> str:
    base = "/" + str(app.get_conf("STATIC_URL", "/static")).strip("/")
    return root_path.rstrip("/") + base + "/" + filename.lstrip("/")
