"""Request IDs on every answer and in the request's log lines; one access-log line a request."""

import asyncio
import io
import json
import os
import re
import time
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.exceptions import ConfigurationError
from pyjolt.observability.accesslog import BatchedAccessLog
from pyjolt.observability.observe import _IDS
from pyjolt.testing import make_app


@path("/api")
class Api(Controller):
    @get("/items/<int:item_id>")
    async def item(self, req: Request, item_id: int) -> Response:
        self.app.logger.info("looking up item {}", item_id)
        return req.res.json({"id": item_id, "rid": getattr(req.state, "request_id", None)})

    @get("/boom")
    async def boom(self, req: Request) -> Response:
        self.app.logger.info("about to fail")
        raise RuntimeError("bug")


class Records(list[dict[str, Any]]):
    """The app's log records, from its default sink (a callable, SERIALIZE on)."""

    def sink(self, message: str) -> None:
        self.append(json.loads(message)["record"])

    @property
    def config(self) -> dict[str, Any]:
        return {"SINK": self.sink, "SERIALIZE": True}


@pytest.fixture
def records() -> Records:
    return Records()


async def test_request_id_made_returned_and_bound_to_log_lines(
    build_client: Any, records: Records
) -> None:
    client = await build_client(DEFAULT_LOGGER=records.config, controllers=[Api], REQUEST_ID=True)
    res = await client.get("/api/items/7")
    rid = res.headers["x-request-id"]
    assert len(rid) == 32 and res.json() == {"id": 7, "rid": rid}
    lines = [r for r in records if r["message"] == "looking up item 7"]
    assert [r["extra"]["request_id"] for r in lines] == [rid]
    other = await client.get("/api/items/8")
    assert other.headers["x-request-id"] != rid


async def test_request_id_on_404_and_500_answers_and_their_log_lines(
    build_client: Any, records: Records
) -> None:
    client = await build_client(
        DEFAULT_LOGGER=records.config, controllers=[Api], REQUEST_ID=True, ACCESS_LOG=True
    )
    missing = await client.get("/nowhere", headers={"x-request-id": "trace-404.a:b_c"})
    assert missing.status_code == 404 and missing.headers["x-request-id"] == "trace-404.a:b_c"
    failed = await client.get("/api/boom", headers={"x-request-id": "trace-500"})
    assert failed.status_code == 500 and failed.headers["x-request-id"] == "trace-500"
    by_id = {r["extra"].get("request_id") for r in records if r["level"]["name"] == "CRITICAL"}
    assert by_id == {"trace-500"}  # the unhandled-error line of that request
    access = [r["extra"] for r in records if r["extra"].get("logger_name") == "pyjolt.access"]
    assert [(a["status"], a["request_id"]) for a in access] == [
        (404, "trace-404.a:b_c"),
        (500, "trace-500"),
    ]


@pytest.mark.parametrize("incoming", ["x" * 129, "has space", "semi;colon", "é"])
async def test_bad_incoming_request_ids_are_replaced(build_client: Any, incoming: str) -> None:
    client = await build_client(controllers=[Api], REQUEST_ID=True)
    res = await client.get("/api/items/1", headers={"x-request-id": incoming.encode("utf-8")})
    assert res.status_code == 200
    rid = res.headers["x-request-id"]
    assert rid != incoming and len(rid) == 32


async def test_custom_header_name(build_client: Any) -> None:
    client = await build_client(
        controllers=[Api], REQUEST_ID=True, REQUEST_ID_HEADER="X-Correlation-ID"
    )
    res = await client.get("/api/items/1", headers={"x-correlation-id": "abc"})
    assert res.headers["x-correlation-id"] == "abc" and "x-request-id" not in res.headers


def test_bad_header_name_stops_the_build() -> None:
    with pytest.raises(ConfigurationError, match="REQUEST_ID_HEADER"):
        make_app(controllers=[Api], REQUEST_ID=True, REQUEST_ID_HEADER="X Bad: header")


async def test_access_log_line_fields(build_client: Any, records: Records) -> None:
    client = await build_client(DEFAULT_LOGGER=records.config, controllers=[Api], ACCESS_LOG=True)
    await client.get("/api/items/42?secret=1")
    (line,) = [r for r in records if r["extra"].get("logger_name") == "pyjolt.access"]
    extra = line["extra"]
    assert line["message"].startswith("GET /api/items/{item_id} 200 ")
    assert extra["route"] == "/api/items/{item_id}" and extra["path"] == "/api/items/42"
    assert extra["method"] == "GET" and extra["status"] == 200
    assert extra["duration_ms"] >= 0 and extra["client"] == "127.0.0.1"
    assert extra["request_id"] is None and extra["user_id"] is None
    assert "secret" not in json.dumps(line)


async def test_all_off_by_default(build_client: Any, records: Records) -> None:
    client = await build_client(DEFAULT_LOGGER=records.config, controllers=[Api])
    res = await client.get("/api/items/1")
    assert "x-request-id" not in res.headers
    assert not [r for r in records if r["extra"].get("logger_name") == "pyjolt.access"]
    assert (await client.get("/metrics")).status_code == 404
    assert (await client.get("/health/live")).status_code == 404


async def test_access_log_batched_to_a_file_sink_as_json(build_client: Any, tmp_path: Any) -> None:
    log = tmp_path / "app.log"
    client = await build_client(
        controllers=[Api],
        ACCESS_LOG=True,
        REQUEST_ID=True,
        DEFAULT_LOGGER={"SINK": str(log), "SERIALIZE": True},
    )
    res = await client.get("/api/items/5")
    assert (await client.get("/nowhere")).status_code == 404
    await asyncio.sleep(0.3)  # batched: written within ~0.1 s
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    access = [line["record"] for line in lines if "pyjolt.access" in line["text"]]
    assert [(a["extra"]["route"], a["extra"]["status"]) for a in access] == [
        ("/api/items/{item_id}", 200),
        ("<unmatched>", 404),
    ]
    assert access[0]["extra"]["request_id"] == res.headers["x-request-id"]
    assert access[0]["message"].startswith("GET /api/items/{item_id} 200 ")
    handler_line = next(line["record"] for line in lines if "looking up item 5" in line["text"])
    assert handler_line["extra"]["request_id"] == res.headers["x-request-id"]


async def test_plain_access_lines_batched_to_a_file_sink(build_client: Any, tmp_path: Any) -> None:
    log = tmp_path / "app.log"
    client = await build_client(
        controllers=[Api], ACCESS_LOG=True, DEFAULT_LOGGER={"SINK": str(log)}
    )
    await client.get("/api/items/5")
    await client.post("/api/items/5")
    await client.request("BREW", "/api/items/5")
    await asyncio.sleep(0.3)  # batched: written within ~0.1 s
    access = [line for line in log.read_text().splitlines() if "| pyjolt.access |" in line]
    stamp, duration = r"\d\d:\d\d:\d\d \| INFO \| pyjolt\.access \| ", r" \d+\.\d\dms"
    expected = [
        "GET /api/items/{item_id} 200",
        "POST /api/items/{item_id} 405",
        "BREW /api/items/{item_id} 405",
    ]
    assert len(access) == len(expected)
    for line, start in zip(access, expected, strict=True):
        assert re.fullmatch(stamp + re.escape(start) + duration, line), line


def test_made_request_ids_are_unique_hex_across_blocks_and_processes() -> None:
    ids = [next(_IDS.source) for _ in range(1000)]  # 256 a block: four blocks
    assert len(set(ids)) == 1000
    assert all(re.fullmatch("[0-9a-f]{32}", i) for i in ids)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its IDs start from a new random prefix
        os.write(writer, next(_IDS.source).encode())
        os._exit(0)
    os.close(writer)
    child = os.read(reader, 64).decode()
    os.waitpid(pid, 0)
    os.close(reader)
    assert re.fullmatch("[0-9a-f]{32}", child) and child[:16] != next(_IDS.source)[:16]


def test_plain_access_line_durations() -> None:
    from loguru import logger

    out = io.StringIO()
    log = BatchedAccessLog(logger, out, serialize=False)
    for seconds in (0.0, 0.00123, 0.0099949, 0.00999501, 0.0123, 1.5):
        log.add("GET /a 200 ", seconds, time.perf_counter())
    log.flush()
    durations = [line.rpartition(" ")[2] for line in out.getvalue().splitlines()]
    assert durations == ["0.00ms", "1.23ms", "9.99ms", "10.00ms", "12.30ms", "1500.00ms"]
