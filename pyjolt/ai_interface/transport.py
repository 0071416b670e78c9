"""HTTP transport to an OpenAI-compatible API: JSON calls, SSE streams, retries, timeouts."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Callable
from typing import Any

from pyjolt._internal.imports import optional_import
from pyjolt.ai_interface.config import AiInterfaceConfig
from pyjolt.ai_interface.exceptions import AiServiceError, AiServiceTimeout

#: Statuses worth retrying: rate limits, timeouts and server-side failures.
RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


async def iter_sse_data(lines: AsyncIterator[str]) -> AsyncIterator[str]:
    """Yield the ``data`` of each server-sent event (multi-line data joined with newlines)."""
    data: list[str] = []
    async for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data)


def _error_message(body: Any, fallback: str) -> str:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str):
            return error
    if isinstance(body, str) and body.strip():
        return body.strip()[:500]
    return fallback


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:  # an HTTP date: fall back to our own backoff
        return None


class AiTransport:
    """One ``httpx.AsyncClient`` for one running app, with the interface's retry policy."""

    def __init__(
        self,
        config: AiInterfaceConfig,
        *,
        backoff: float,
        max_delay: float,
        log_retry: Callable[[str], None] | None = None,
    ) -> None:
        self._httpx: Any = optional_import("httpx", "ai_interface")
        headers = {"Authorization": f"Bearer {config.API_KEY}", "Accept": "application/json"}
        if config.ORGANIZATION_ID:
            headers["OpenAI-Organization"] = config.ORGANIZATION_ID
        if config.PROJECT_ID:
            headers["OpenAI-Project"] = config.PROJECT_ID
        self.timeout = config.TIMEOUT
        self.max_retries = config.MAX_RETRIES
        self.backoff = backoff
        self.max_delay = max_delay
        self._log_retry = log_retry
        self.client: Any = self._httpx.AsyncClient(
            base_url=config.API_BASE_URL.rstrip("/") + "/",
            headers=headers,
            timeout=self._httpx.Timeout(config.TIMEOUT),
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        delay = min(self.backoff * 2.0**attempt, self.max_delay)
        return delay + random.uniform(0, delay / 10)

    def _map_transport_error(self, exc: Exception, path: str) -> AiServiceError:
        if isinstance(exc, self._httpx.TimeoutException):
            return AiServiceTimeout(
                f"the AI service did not answer {path} within {self.timeout:g}s"
            )
        return AiServiceError(f"could not reach the AI service for {path}: {exc}")

    async def _status_error(self, response: Any, path: str) -> AiServiceError:
        await response.aread()
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text
        status = int(response.status_code)
        message = _error_message(body, f"HTTP {status}")
        return AiServiceError(
            f"the AI service answered {path} with {status}: {message}",
            upstream_status=status,
            body=body,
        )

    async def _wait_before_retry(
        self, attempt: int, error: AiServiceError, after: float | None
    ) -> None:
        delay = self._delay(attempt, after)
        if self._log_retry is not None:
            self._log_retry(
                f"AI service call failed ({error.message}); retry {attempt + 1}/"
                f"{self.max_retries} in {delay:.2f}s"
            )
        await asyncio.sleep(delay)

    async def post_json(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` and return the JSON answer, retrying per ``MAX_RETRIES``."""
        httpx = self._httpx
        for attempt in range(self.max_retries + 1):
            after: float | None = None
            try:
                response = await self.client.post(path, json=payload)
            except httpx.TransportError as exc:
                error = self._map_transport_error(exc, path)
                if attempt >= self.max_retries:
                    raise error from exc
            else:
                if response.status_code < 400:
                    try:
                        data = response.json()
                    except ValueError as exc:
                        raise AiServiceError(
                            f"the AI service answered {path} with non-JSON"
                        ) from exc
                    if not isinstance(data, dict):
                        raise AiServiceError(f"the AI service answered {path} with {data!r}")
                    return data
                error = await self._status_error(response, path)
                if response.status_code not in RETRY_STATUSES or attempt >= self.max_retries:
                    raise error
                after = _retry_after(response.headers.get("retry-after"))
            await self._wait_before_retry(attempt, error, after)
        raise AssertionError("unreachable")  # pragma: no cover

    async def stream_events(
        self, path: str, payload: dict[str, Any]
    ) -> AsyncIterator[dict[str, Any]]:
        """POST ``payload`` with ``stream: true`` and yield each JSON event of the SSE answer.

        Retries happen only before the first event: a stream that fails midway raises.
        """
        httpx = self._httpx
        body = {**payload, "stream": True}
        for attempt in range(self.max_retries + 1):
            after: float | None = None
            started = False
            try:
                async with self.client.stream(
                    "POST", path, json=body, headers={"Accept": "text/event-stream"}
                ) as response:
                    if response.status_code >= 400:
                        error = await self._status_error(response, path)
                        if (
                            response.status_code not in RETRY_STATUSES
                            or attempt >= self.max_retries
                        ):
                            raise error
                        after = _retry_after(response.headers.get("retry-after"))
                    else:
                        async for data in iter_sse_data(response.aiter_lines()):
                            if data.strip() == "[DONE]":
                                return
                            try:
                                event = json.loads(data)
                            except ValueError as exc:
                                raise AiServiceError(
                                    f"the AI service sent a malformed event: {data[:200]!r}"
                                ) from exc
                            if isinstance(event, dict) and event.get("error"):
                                reason = _error_message(event, "error")
                                raise AiServiceError(
                                    f"the AI service failed mid-stream: {reason}",
                                    body=event,
                                )
                            started = True
                            yield event
                        return
            except httpx.TransportError as exc:
                error = self._map_transport_error(exc, path)
                if started or attempt >= self.max_retries:
                    raise error from exc
            await self._wait_before_retry(attempt, error, after)
