"""Retries, the timeout, embeddings and configuration of the AI interface."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from pyjolt.ai_interface import AiInterface, AiServiceError, AiServiceTimeout
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import make_app
from tests.ai_interface.openai_fake_server import FakeOpenAI
from tests.ai_interface.support import started
from tests.services import free_port


class FastRetries(AiInterface):
    retry_backoff = 0.01  # keep the tests quick; the policy is what is tested
    max_retry_delay = 0.05


async def test_retries_after_429_and_5xx_then_succeeds(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    ai = await started(build_client, FastRetries(), ai_config, MAX_RETRIES=2)
    ai_server.error(429, "rate limited", headers={"Retry-After": "0"})
    ai_server.error(503, "overloaded")
    ai_server.reply("finally")

    result = await ai.chat("hi")

    assert result.content == "finally"
    bodies = ai_server.chat_bodies()
    assert len(bodies) == 3
    assert bodies[0] == bodies[1] == bodies[2]


@pytest.mark.parametrize(
    ("max_retries", "errors"),
    [
        # 429 is retried, MAX_RETRIES times: the last answer is raised
        (1, [(429, "rate limited"), (429, "still rate limited")]),
        # a client error (400) is not retried
        (3, [(400, "bad request body")]),
    ],
    ids=["gives-up-after-max-retries", "client-errors-are-not-retried"],
)
async def test_failed_chat_raises_the_last_upstream_error(
    build_client: Any,
    ai_server: FakeOpenAI,
    ai_config: dict[str, Any],
    max_retries: int,
    errors: list[tuple[int, str]],
) -> None:
    ai = await started(build_client, FastRetries(), ai_config, MAX_RETRIES=max_retries)
    for status, message in errors:
        ai_server.error(status, message)
    ai_server.reply("never sent")

    with pytest.raises(AiServiceError) as info:
        await ai.chat("hi")

    status, message = errors[-1]
    assert info.value.upstream_status == status
    assert message in info.value.message
    assert info.value.body == {"error": {"message": message, "type": "scripted", "code": status}}
    assert len(ai_server.requests) == len(errors)


async def test_streams_are_retried_before_the_first_event(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    ai = await started(build_client, FastRetries(), ai_config, MAX_RETRIES=1)
    ai_server.error(500, "hiccup")
    ai_server.stream("ok")

    async with ai.stream("hi") as stream:
        assert [delta async for delta in stream] == ["ok"]
    assert len(ai_server.requests) == 2


async def test_timeout(build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]) -> None:
    ai = await started(build_client, FastRetries(), ai_config, TIMEOUT=0.3)
    ai_server.slow(30)

    with pytest.raises(AiServiceTimeout) as info:
        await ai.chat("hi")

    assert info.value.status_code == 504
    assert "within 0.3s" in info.value.message
    assert len(ai_server.requests) == 1


async def test_timeout_is_retried(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    ai = await started(build_client, FastRetries(), ai_config, TIMEOUT=1.5, MAX_RETRIES=1)
    ai_server.slow(30)
    ai_server.reply("second try")

    assert (await ai.chat("hi")).content == "second try"
    assert len(ai_server.requests) == 2


async def test_unreachable_service(build_client: Any, ai_config: dict[str, Any]) -> None:
    ai = await started(
        build_client, FastRetries(), ai_config, API_BASE_URL=f"http://127.0.0.1:{free_port()}/v1"
    )
    with pytest.raises(AiServiceError, match="could not reach") as info:
        await ai.chat("hi")
    assert info.value.upstream_status is None


async def test_embeddings(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    ai = await started(build_client, FastRetries(), ai_config)

    vectors = await ai.embeddings(["a", "bcd"], dimensions=3)
    single = await ai.embeddings("hello", model="embed-small")

    assert vectors == [[1.0, 0.0, 0.5], [3.0, 1.0, 0.5]]  # ordered by index
    assert single == [[5.0, 0.0, 0.5]]
    first, second = ai_server.requests
    assert first.path == "/v1/embeddings"
    assert first.body == {"model": "text-embedding-3-small", "input": ["a", "bcd"], "dimensions": 3}
    assert second.body == {"model": "embed-small", "input": "hello"}
    assert first.headers["authorization"] == "Bearer test-key"


def test_api_key_is_required() -> None:
    with pytest.raises(ConfigurationError, match="AI_INTERFACE\\['API_KEY'\\]"):
        make_app(EXTENSIONS=[AiInterface()], AI_INTERFACE={"MODEL": "x"})
    with pytest.raises(ConfigurationError, match="AI_INTERFACE\\['MAX_RETRIES'\\]"):
        make_app(EXTENSIONS=[AiInterface()], AI_INTERFACE={"API_KEY": "k", "MAX_RETRIES": -1})


def test_defaults_follow_the_spec() -> None:
    ai = AiInterface()
    make_app(EXTENSIONS=[ai], AI_INTERFACE={"API_KEY": "k"})
    assert ai.config.model_dump() == {
        "API_KEY": "k",
        "API_BASE_URL": "https://api.openai.com/v1",
        "ORGANIZATION_ID": None,
        "PROJECT_ID": None,
        "TIMEOUT": 30,
        "MODEL": "gpt-3.5-turbo",
        "TEMPERATURE": 1.0,
        "RESPONSE_FORMAT": {"type": "json_object"},
        "TOOL_CHOICE": False,
        "MAX_RETRIES": 0,
        "CHAT_CONTEXT_NAME": "chat_context",
    }


async def test_calls_need_a_running_app() -> None:
    ai = AiInterface(configs_name="MY_AI")
    make_app(EXTENSIONS=[ai], MY_AI={"API_KEY": "k"})
    with pytest.raises(RuntimeError, match="is not started"):
        await ai.chat("hi")


async def test_missing_httpx_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    ai = AiInterface()
    make_app(EXTENSIONS=[ai], AI_INTERFACE={"API_KEY": "k"})
    monkeypatch.setitem(sys.modules, "httpx", None)  # what an install without the extra sees
    with pytest.raises(ImportError, match=r'pip install "pyjolt\[ai_interface\]"'):
        await ai.startup()
