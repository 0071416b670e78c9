"""Tests of the example users API."""

from pyjolt.testing import PyJoltTestClient


async def test_get_users_is_empty_at_first(client: PyJoltTestClient) -> None:
    res = await client.get("/api/v1/users")
    assert res.status_code == 200
    assert res.json() == []


async def test_create_then_get_user(client: PyJoltTestClient) -> None:
    res = await client.post("/api/v1/users", json={"email": "ada@example.com", "fullname": "Ada"})
    assert res.status_code == 201
    created = res.json()
    assert created["email"] == "ada@example.com"

    res = await client.get(f"/api/v1/users/{created['id']}")
    assert res.status_code == 200
    assert res.json() == created

    res = await client.get("/api/v1/users")
    assert [u["email"] for u in res.json()] == ["ada@example.com"]


async def test_missing_user_is_404(client: PyJoltTestClient) -> None:
    res = await client.get("/api/v1/users/999")
    assert res.status_code == 404
    assert res.json()["message"] == "User with id 999 not found"


async def test_invalid_body_is_422(client: PyJoltTestClient) -> None:
    res = await client.post("/api/v1/users", json={"email": "not-an-email", "fullname": ""})
    assert res.status_code == 422


async def test_home_page_renders_template(client: PyJoltTestClient) -> None:
    res = await client.get("/")
    assert res.status_code == 200
    assert "__PROJECT_NAME__" in res.text
    css = await client.get("/static/style.css")
    assert css.status_code == 200
