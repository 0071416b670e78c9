import pytest
from notes_app import Application

from pyjolt.testing import PyJoltTestClient


async def test_add_and_list(client: PyJoltTestClient) -> None:
    res = await client.post("/notes", json={"text": "buy milk"})
    assert res.status_code == 201
    res = await client.get("/notes")
    assert res.json() == {"notes": ["buy milk"], "app": "Notes"}


async def test_invalid_note(client: PyJoltTestClient) -> None:
    res = await client.post("/notes", json={"txt": "typo"})
    assert res.status_code == 422
    assert res.json()["data"][0]["loc"] == ["text"]


async def test_config_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_NAME", "Notes (test)")  # environment variables override the config
    async with PyJoltTestClient(Application()) as client:
        assert (await client.get("/notes")).json()["app"] == "Notes (test)"


def test_websocket(application: Application) -> None:
    with PyJoltTestClient(application).websocket_connect("/notes/live") as ws:
        ws.send_text("hi")
        assert ws.receive_json() == {"echo": "hi"}
