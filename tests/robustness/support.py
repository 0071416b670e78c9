"""Assertions shared by the robustness tests."""

from __future__ import annotations

from typing import Any

TRACE_MARKERS = ("Traceback", 'File "', "RuntimeError", "site-packages", "kaboom")


def assert_clean(res: Any, status: int, *, message: str | None = None) -> dict[str, Any]:
    """``res`` has ``status``, the JSON error shape (for errors) and no traceback."""
    assert res.status_code == status, (res.status_code, res.text[:300])
    for marker in TRACE_MARKERS:
        assert marker not in res.text, res.text[:300]
    if status < 400 or res.request.method == "HEAD":
        return {}
    body: dict[str, Any] = res.json()
    assert body["status"] == "error"
    assert isinstance(body["message"], str) and body["message"]
    if message is not None:
        assert message in body["message"], body["message"]
    return body
