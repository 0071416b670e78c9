"""The example app that README's first command serves: it answers over real HTTP."""

import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.services import free_port

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "app"

pytest.importorskip("sqlalchemy", reason="the example app needs the 'db' extra")
pytest.importorskip("email_validator", reason="the example app validates emails (email-validator)")


def test_example_app_serves_users(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DEBUG": "false",
        # production: the example's placeholder key is refused without DEBUG
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SQL_DATABASE": json.dumps({"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'ex.db'}"}),
    }
    proc = subprocess.Popen(
        [sys.executable, "run.py"],
        cwd=EXAMPLE,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else ""
            try:
                res = httpx.get(base + "/api/v1/users/", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "example app did not start"
                time.sleep(0.2)
        assert res.status_code == 200
        assert res.json()["total"] == 10
        assert res.headers["x-cache"] == "MISS"
        assert httpx.get(base + "/api/v1/users/", timeout=2).headers["x-cache"] == "HIT"
        assert httpx.get(base + "/api/v1/users/3", timeout=2).json()["fullname"] == "User 3"
        missing = httpx.get(base + "/api/v1/users/999", timeout=2)
        assert missing.status_code == 404
        created = httpx.post(
            base + "/api/v1/users/", json={"email": "new@example.com", "fullname": "New"}
        )
        assert created.status_code == 201 and created.json()["id"] == 11
        bad = httpx.post(base + "/api/v1/users/", json={"email": "nope", "fullname": "x"})
        assert bad.status_code == 422
        assert "PyJolt example" in httpx.get(base + "/", timeout=2).text
        assert httpx.get(base + "/openapi/docs", timeout=2).status_code == 404  # DEBUG off
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
