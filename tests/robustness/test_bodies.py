"""Bad JSON, form and multipart bodies: 400/413/415/422 with a clear message, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyjolt.testing import PyJoltTestClient
from tests.robustness import robust_app
from tests.robustness.support import assert_clean

JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b'{"name":"a","price":1', 400, "not valid JSON"),  # truncated
        (b"{bad", 400, "not valid JSON"),
        (b"", 400, "empty"),
        (b"[" * 5000 + b"]" * 5000, 400, "not valid JSON"),  # nested past the parser's limit
        (b'{"name":"\xff\xfe","price":1}', 400, "not valid JSON"),  # invalid UTF-8
        (b'{"name":"a","price":1,"qty":' + b"9" * 5000 + b"}", 400, None),  # huge integer
        (b"\xef\xbb\xbf" + b'{"name":"a","price":1}', 400, None),  # BOM
        (b'{"name":"a","price":1}\x00', 400, None),  # trailing NUL
        (b"null", 422, "Validation failed"),
        (b'"text"', 422, "Validation failed"),
        (b"[]", 422, "Validation failed"),
        (b'{"name":"","price":-1}', 422, "Validation failed"),
        (b'{"name":"a","price":"free"}', 422, "Validation failed"),
        (b'{"name":"a","price":1,"qty":1.5}', 422, "Validation failed"),
    ],
)
async def test_bad_json_bodies(
    client: PyJoltTestClient, body: bytes, status: int, message: str | None
) -> None:
    res = await client.post("/api/items", content=body, headers=JSON)
    assert_clean(res, status, message=message)


async def test_validation_answer_lists_fields_without_echoing_input(
    client: PyJoltTestClient,
) -> None:
    secret = "pw-" + "z" * 60  # too long for `name`: must not come back in the answer
    res = await client.post("/api/items", json={"name": secret, "price": -3})
    data = assert_clean(res, 422)["data"]
    assert {tuple(err["loc"]) for err in data} == {("name",), ("price",)}
    assert secret not in res.text


async def test_list_body_given_an_object(client: PyJoltTestClient) -> None:
    res = await client.post("/api/bulk", content=b"{}", headers=JSON)
    assert assert_clean(res, 422)["data"][0]["type"] == "list_type"


async def test_raw_json_reader_rejects_garbage(client: PyJoltTestClient) -> None:
    for body in (b"{bad", b"\xff\xfe", b"NaN", b"", b"1" * 5000, b"[" * 3000 + b"]" * 3000):
        res = await client.post("/api/raw", content=body, headers=JSON)
        assert_clean(res, 400, message="not valid JSON")


@pytest.mark.parametrize(
    ("ctype", "status"),
    [
        ("text/plain", 415),
        ("application/xml", 415),
        ("\xff", 415),
        ("application/json; charset=utf-8", 201),
        ("application/json; charset=latin-1", 201),  # charset ignored: JSON is UTF-8
        ("APPLICATION/JSON", 201),
        ("application/vnd.api+json", 201),
        ("application/json; boundary=x; charset=", 201),
    ],
)
async def test_json_content_types(client: PyJoltTestClient, ctype: str, status: int) -> None:
    res = await client.post(
        "/api/items",
        content=b'{"name":"a","price":1}',
        headers={"content-type": ctype.encode("latin-1")},  # type: ignore[dict-item]
    )
    assert_clean(res, status)


async def test_utf16_json_is_a_client_error(client: PyJoltTestClient) -> None:
    body = '{"name":"é","price":1}'.encode("utf-16")
    res = await client.post(
        "/api/items", content=body, headers={"content-type": "application/json; charset=utf-16"}
    )
    assert_clean(res, 400)


async def test_form_bodies(client: PyJoltTestClient) -> None:
    ok = await client.post("/api/search", content=b"q=%ff%fe&tags=a&tags=b", headers=FORM)
    assert ok.status_code == 200
    assert ok.json()["tags"] == ["a", "b"]
    assert_clean(await client.post("/api/search", content=b"tags=a", headers=FORM), 422)
    assert_clean(await client.post("/api/search", content=b"q=1", headers=JSON), 415)
    assert_clean(await client.post("/api/search", content=b"q=1"), 415)
    res = await client.post("/api/search", content=b"q=" + b"%" * 10, headers=FORM)
    assert res.status_code == 200


async def test_too_many_form_fields_is_a_clear_400(client: PyJoltTestClient) -> None:
    body = b"&".join(b"k%d=v" % i for i in range(1500)) + b"&q=1"
    res = await client.post("/api/search", content=body, headers=FORM)
    assert_clean(res, 400, message="Too many fields")


@pytest.mark.parametrize(
    ("ctype", "body", "message"),
    [
        ("multipart/form-data", b"garbage", "boundary"),
        ("multipart/form-data; boundary=xyz", b"garbage", "not a valid form"),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nfoo\r\n\r\nhi\r\n--xyz--\r\n", "form"),
        ("multipart/form-data; boundary=" + "b" * 300, b"--x--", "form"),
    ],
)
async def test_broken_multipart(
    client: PyJoltTestClient, ctype: str, body: bytes, message: str
) -> None:
    res = await client.post("/api/upload", content=body, headers={"content-type": ctype})
    assert_clean(res, 400, message=message)


async def test_multipart_missing_and_wrong_parts(client: PyJoltTestClient) -> None:
    truncated = b'--xyz\r\nContent-Disposition: form-data; name="title"\r\n\r\nhi\r\n'
    res = await client.post(
        "/api/upload",
        content=truncated,
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert res.status_code in (400, 422)
    assert_clean(res, res.status_code)
    res = await client.post("/api/upload", data={"title": "t"})
    assert [e["loc"] for e in assert_clean(res, 422)["data"]] == [["file"]]
    res = await client.post(
        "/api/upload", data={"title": "t", "file": "not-a-file"}, files={"x": ("a", b"a")}
    )
    assert assert_clean(res, 422)["data"][0]["loc"] == ["file"]
    res = await client.post("/api/uploads", data={"files": "x"})
    assert_clean(res, 422)
    res = await client.post(
        "/api/upload", data={"title": "t"}, files={"file": ("../../etc/passwd", b"abc")}
    )
    assert res.json() == {"title": "t", "filename": "../../etc/passwd", "size": 3}


async def test_too_many_files_and_fields(make_client: Any) -> None:
    async with make_client(MAX_BODY_SIZE=4 * 1024 * 1024) as client:
        files = [(f"f{i}", ("a.txt", b"x")) for i in range(1100)]
        res = await client.post("/api/upload", data={"title": "t"}, files=files)
        assert_clean(res, 400, message="Too many files")
        fields = {f"k{i}": "v" for i in range(1100)}
        res = await client.post(
            "/api/upload", data={**fields, "title": "t"}, files={"file": ("a", b"a")}
        )
        assert_clean(res, 400, message="Too many fields")


async def _chunks(size: int, count: int) -> AsyncIterator[bytes]:
    # a valid multipart start: form parsers read on instead of failing at once
    yield b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n'
    for _ in range(count):
        yield b"x" * size


@pytest.mark.parametrize(
    ("route", "ctype"),
    [
        ("/api/items", "application/json"),
        ("/api/raw", "application/json"),
        ("/api/search", "application/x-www-form-urlencoded"),
        ("/api/upload", "multipart/form-data; boundary=xyz"),
    ],
)
async def test_oversized_bodies_are_413(client: PyJoltTestClient, route: str, ctype: str) -> None:
    limit = robust_app.BASE_CONFIG["MAX_BODY_SIZE"]
    headers = {"content-type": ctype}
    res = await client.post(route, content=b"x" * (limit + 1), headers=headers)
    assert_clean(res, 413, message=str(limit))
    # chunked (no Content-Length): stopped while reading
    res = await client.post(route, content=_chunks(8192, 20), headers=headers)
    assert_clean(res, 413)


async def test_route_limit_and_lying_content_length(client: PyJoltTestClient) -> None:
    body = b'{"name":"a","price":1,"pad":"' + b"x" * 100 + b'"}'
    assert_clean(await client.post("/api/small", content=body, headers=JSON), 413, message="64")
    res = await client.post(
        "/api/items", content=b"{}", headers={**JSON, "content-length": "999999999999"}
    )
    assert_clean(res, 413)


async def test_huge_numbers_do_not_break_the_answer(client: PyJoltTestClient) -> None:
    res = await client.post("/api/items", content=b'{"name":"a","price":1e999999}', headers=JSON)
    assert res.status_code in (201, 422)  # inf is pydantic's call; never a 500
    res = await client.get("/api/items/" + "9" * 40)
    assert res.status_code == 200
    assert res.json() == {"id": int("9" * 40)}


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(payload=st.binary(max_size=200) | JSON_VALUES.map(lambda v: repr(v).encode()))
async def test_fuzzed_bodies_never_500(client: PyJoltTestClient, payload: bytes) -> None:
    for route in ("/api/items", "/api/raw", "/api/bulk"):
        res = await client.post(route, content=payload, headers=JSON)
        assert res.status_code in (200, 201, 400, 422), (route, payload, res.text)
        assert "Traceback" not in res.text


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    payload=st.fixed_dictionaries(
        {},
        optional={
            "name": JSON_VALUES,
            "price": JSON_VALUES,
            "qty": JSON_VALUES,
            "tags": JSON_VALUES,
        },
    )
)
async def test_fuzzed_objects_are_201_or_422(client: PyJoltTestClient, payload: Any) -> None:
    res = await client.post("/api/items", json=payload)
    assert res.status_code in (201, 422), (payload, res.text)
    if res.status_code == 422:
        assert res.json()["data"], res.text
