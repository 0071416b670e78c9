"""The PyJolt request sets every field Starlette's request sets (its __init__ is inlined)."""

from __future__ import annotations

from starlette.requests import Request as StarletteRequest

from pyjolt import Request


async def _receive() -> dict[str, object]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: object) -> None:
    return None


def test_request_has_starlette_request_fields() -> None:
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    theirs = vars(StarletteRequest(scope, _receive, _send))
    ours = vars(Request(scope, _receive, _send))
    assert {key: ours.get(key, KeyError) for key in theirs} == theirs
    assert ours["_user"] is None and ours["_res"] is None
