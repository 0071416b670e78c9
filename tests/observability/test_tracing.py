"""OpenTelemetry: PyJolt's server spans by route template, and Starlette's instrumentor."""

from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.starlette import StarletteInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from pyjolt.testing import PyJoltTestClient, make_app
from tests.observability.support import StatusApi, cached_controller, send_all

_EXPORTER = InMemorySpanExporter()


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        # the global provider can be set once per process
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    _EXPORTER.clear()
    return _EXPORTER


async def test_server_span_per_request_named_by_template_with_status(
    build_client: Any, exporter: InMemorySpanExporter
) -> None:
    client = await build_client(controllers=[StatusApi], TRACING=True)
    await send_all(client)
    spans = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
    got = [(s.name, s.attributes["http.response.status_code"], s.status.status_code) for s in spans]
    assert got == [
        ("GET /api/items/{item_id}", 200, StatusCode.UNSET),
        ("GET <unmatched>", 404, StatusCode.UNSET),
        ("GET /api/private", 401, StatusCode.UNSET),
        ("POST /api/items", 422, StatusCode.UNSET),
        ("GET /api/boom", 500, StatusCode.ERROR),
    ]
    assert spans[0].attributes["http.route"] == "/api/items/{item_id}"


async def test_incoming_trace_context_is_continued(
    build_client: Any, exporter: InMemorySpanExporter
) -> None:
    client = await build_client(controllers=[StatusApi], TRACING=True)
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    header = f"00-{trace_id}-00f067aa0ba902b7-01"
    await client.get("/api/items/1", headers={"traceparent": header})
    (span,) = exporter.get_finished_spans()
    assert format(span.context.trace_id, "032x") == trace_id


async def test_starlette_instrumentor_after_build_then_add_middleware_after_start_raises() -> None:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    application = make_app(controllers=[StatusApi])
    StarletteInstrumentor().instrument_app(application, tracer_provider=provider)
    try:
        async with PyJoltTestClient(application) as client:
            assert (await client.get("/nowhere")).status_code == 404
            assert (await client.get("/api/items/3")).status_code == 200
        server = [s for s in exporter.get_finished_spans() if s.kind is SpanKind.SERVER]
        # the instrumentor's semantic conventions name it http.status_code (old) or the new name
        statuses = [
            s.attributes.get("http.status_code", s.attributes.get("http.response.status_code"))
            for s in server
        ]
        assert statuses == [404, 200]
        assert server[1].name == "GET /api/items/{item_id:int}"
        with pytest.raises(RuntimeError, match="after an application has started"):
            application.add_middleware(StarletteInstrumentor)
    finally:
        StarletteInstrumentor.uninstrument_app(application)


async def test_redis_spans_under_the_server_span(
    build_client: Any, exporter: InMemorySpanExporter
) -> None:
    import uuid

    from pyjolt.caching import Cache, RedisCacheBackend
    from tests.services import REDIS_URL, require_port

    require_port("127.0.0.1", 6379, "Redis")
    cache = Cache()

    client = await build_client(
        controllers=[cached_controller(cache, "/cached")],
        TRACING=True,
        EXTENSIONS=[cache],
        CACHE={
            "BACKEND": RedisCacheBackend,
            "REDIS_URL": REDIS_URL,
            "KEY_PREFIX": f"pyjolt-obs-{uuid.uuid4().hex[:8]}:",
        },
    )
    exporter.clear()
    assert (await client.get("/cached")).status_code == 200
    try:
        spans = exporter.get_finished_spans()
        server = next(s for s in spans if s.kind is SpanKind.SERVER)
        assert server.name == "GET /cached/"
        redis_spans = [s for s in spans if s.kind is SpanKind.CLIENT]
        assert {s.name for s in redis_spans} >= {"GET", "EVAL"}  # EVAL: the bounded write
        assert all(s.context.trace_id == server.context.trace_id for s in redis_spans)
    finally:
        await cache.clear()


async def test_sql_spans_under_the_server_span(
    build_client: Any, exporter: InMemorySpanExporter, tmp_path: Any
) -> None:
    from sqlalchemy import text

    from pyjolt import Request, Response
    from pyjolt.controller import Controller, get, path
    from pyjolt.database.sql import AsyncSession, SqlDatabase

    db = SqlDatabase()

    @path("/sql")
    class SqlApi(Controller):
        @get("/answer")
        @db.readonly_session
        async def answer(self, req: Request, session: AsyncSession) -> Response[Any]:
            value = (await session.execute(text("SELECT 40 + 2"))).scalar_one()
            return req.res.json({"value": value})

    client = await build_client(
        controllers=[SqlApi],
        TRACING=True,
        EXTENSIONS=[db],
        SQL_DATABASE={"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'traced.db'}"},
    )
    exporter.clear()
    answer = await client.get("/sql/answer")
    assert answer.status_code == 200 and answer.json() == {"value": 42}
    spans = exporter.get_finished_spans()
    server = next(s for s in spans if s.kind is SpanKind.SERVER)
    assert server.name == "GET /sql/answer"
    (select,) = [s for s in spans if (s.attributes or {}).get("db.statement") == "SELECT 40 + 2"]
    assert select.attributes is not None and select.attributes["db.system"] == "sqlite"
    assert select.context.trace_id == server.context.trace_id
    assert select.parent is not None and select.parent.span_id == server.context.span_id
