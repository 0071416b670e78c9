"""``AiInterface``: the extension users subclass to chat with an OpenAI-compatible service."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, ParamSpec, TypeVar, cast

from starlette.requests import HTTPConnection

from pyjolt._internal.dependencies import Requirement
from pyjolt.ai_interface.chat import ChatLoop, Messages, normalize_messages
from pyjolt.ai_interface.config import AiInterfaceConfig
from pyjolt.ai_interface.exceptions import AiServiceError, ChatContextNotFound
from pyjolt.ai_interface.results import ChatResult, ChatStream
from pyjolt.ai_interface.tools import ToolSpec, collect_tools
from pyjolt.ai_interface.transport import AiTransport
from pyjolt.appcontext import AppProtocol
from pyjolt.controller import injects
from pyjolt.controller.meta import get_endpoint_meta, update_endpoint_meta
from pyjolt.extension import BaseExtension, ExtensionState

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")

_DEFAULT: Any = object()
_DEFAULT_CONTEXT_NAME = AiInterfaceConfig.model_fields["CHAT_CONTEXT_NAME"].default


def _parameters_of(template: Callable[P, object]) -> Callable[[Callable[..., R]], Callable[P, R]]:
    """Give the decorated method ``template``'s parameters (for type checkers, ``inspect`` and
    ``help``); it passes its arguments on to ``template``."""

    def apply(fn: Callable[..., R]) -> Callable[P, R]:
        returns = inspect.signature(fn).return_annotation
        fn.__signature__ = inspect.signature(template).replace(  # type: ignore[attr-defined]
            return_annotation=returns
        )
        return cast("Callable[P, R]", fn)

    return apply


class AiState(ExtensionState[AiInterfaceConfig]):
    """One app's HTTP client to the AI service (exists while the app runs)."""

    def __init__(self, app: AppProtocol, config: AiInterfaceConfig) -> None:
        super().__init__(app, config)
        self.transport: AiTransport | None = None


class AiInterface(BaseExtension[AiInterfaceConfig]):
    """Chat with any OpenAI-compatible service (OpenAI, Groq, Ollama, LM Studio, vLLM...).

    Subclass it, implement ``async chat_context_loader(self, req)`` and mark methods with
    ``@tool`` to let the model call them. One HTTP client per running app (opened at start-up,
    closed at shutdown).

    Config (``AI_INTERFACE``): ``API_KEY`` (required), ``API_BASE_URL``
    ("https://api.openai.com/v1"), ``ORGANIZATION_ID``, ``PROJECT_ID``, ``TIMEOUT`` (30 s),
    ``MODEL`` ("gpt-3.5-turbo"), ``TEMPERATURE`` (1.0), ``RESPONSE_FORMAT``
    ({"type": "json_object"}; None for free text), ``TOOL_CHOICE`` (False: whether tools are
    offered by default), ``MAX_RETRIES`` (0), ``CHAT_CONTEXT_NAME`` ("chat_context").
    """

    default_configs_name = "AI_INTERFACE"
    config_model = AiInterfaceConfig
    state_class = AiState
    requires = (Requirement("httpx", "ai_interface"),)

    #: Tool rounds allowed per chat call before :class:`ToolRoundsExceeded`.
    max_tool_rounds: ClassVar[int] = 5
    #: First retry delay in seconds (doubled each retry) when no ``Retry-After`` is sent.
    retry_backoff: ClassVar[float] = 0.5
    #: Longest wait between retries, in seconds.
    max_retry_delay: ClassVar[float] = 20.0
    #: Model of :meth:`embeddings` calls that do not name one.
    embedding_model: ClassVar[str] = "text-embedding-3-small"

    def __init__(
        self, *, configs_name: str | None = None, variable_prefix: str | None = None
    ) -> None:
        super().__init__(configs_name=configs_name, variable_prefix=variable_prefix)
        self._context_handlers: list[tuple[Callable[..., Any], str]] = []

    # -- lifecycle ---------------------------------------------------------------------------
    def init_app(self, app: AppProtocol) -> None:
        """Validate ``AI_INTERFACE``, build the tools' schemas (once per class), register."""
        collect_tools(type(self))
        super().init_app(app)
        name = self.config.CHAT_CONTEXT_NAME
        for index, (handler, injected) in enumerate(self._context_handlers):
            if injected != name:
                meta = get_endpoint_meta(handler)
                names = (meta.injects if meta else frozenset()) - {injected} | {name}
                update_endpoint_meta(handler, injects=names)
                self._context_handlers[index] = (handler, name)

    async def startup(self) -> None:
        """Open the HTTP client to the service."""
        state = self._state()
        if state.transport is not None:
            await state.transport.aclose()
        state.transport = AiTransport(
            state.config,
            backoff=self.retry_backoff,
            max_delay=self.max_retry_delay,
            log_retry=self.logger.warning,
        )

    async def shutdown(self) -> None:
        """Close the HTTP client."""
        state = self._state()
        transport, state.transport = state.transport, None
        if transport is not None:
            await transport.aclose()

    def _state(self) -> AiState:
        return self._state_as(AiState)

    @property
    def transport(self) -> AiTransport:
        """The current app's HTTP client to the service."""
        transport = self._state().transport
        if transport is None:
            raise RuntimeError(
                f"{type(self).__name__} is not started: calls work while the app runs "
                "(list it in EXTENSIONS; in tests, run the app's lifespan)"
            )
        return transport

    @property
    def tools(self) -> Mapping[str, ToolSpec]:
        """The interface's tools by name."""
        return collect_tools(type(self))

    # -- chat context ------------------------------------------------------------------------
    async def chat_context_loader(self, req: Any) -> Any:
        """Load the chat context of a request; return None when there is none. Override it."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `async def chat_context_loader(self, req)`"
        )

    def with_chat_context(self, fn: F) -> F:
        """Inject the request's chat context as ``CHAT_CONTEXT_NAME`` into a handler.

        Raises :class:`ChatContextNotFound` (404) when ``chat_context_loader`` returns None.
        With a non-default ``CHAT_CONTEXT_NAME``, put it above other wrapping decorators.
        """

        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            req = next((arg for arg in args if isinstance(arg, HTTPConnection)), None)
            if req is None:
                req = next((v for v in kwargs.values() if isinstance(v, HTTPConnection)), None)
            if req is None:
                raise RuntimeError(f"{fn.__qualname__}: with_chat_context needs the request")
            context = await self.chat_context_loader(req)
            if context is None:
                raise ChatContextNotFound()
            kwargs[self.config.CHAT_CONTEXT_NAME] = context
            return await fn(*args, **kwargs)

        app = self._current_app_or_none()
        name = (
            self.state_for(app).config.CHAT_CONTEXT_NAME
            if app is not None
            else _DEFAULT_CONTEXT_NAME
        )
        self._context_handlers.append((wrapper, name))
        return injects(wrapper, name)  # type: ignore[return-value]

    # -- calls -------------------------------------------------------------------------------
    def select_tools(self, tools: bool | str | Iterable[str] | None = None) -> dict[str, ToolSpec]:
        """The tools offered to the model: None follows ``TOOL_CHOICE``; names restrict them."""
        available = self.tools
        if tools is None:
            tools = self.config.TOOL_CHOICE
        if tools is True:
            return dict(available)
        if tools is False:
            return {}
        names = [tools] if isinstance(tools, str) else list(tools)
        unknown = [name for name in names if name not in available]
        if unknown:
            raise ValueError(f"unknown AI tool(s) {unknown}; available: {sorted(available)}")
        return {name: available[name] for name in names}

    def _loop(
        self,
        messages: Messages,
        *,
        tools: bool | str | Iterable[str] | None = None,
        tool_choice: str | Mapping[str, Any] | None = None,
        model: str | None = None,
        temperature: float | None = None,
        response_format: Mapping[str, Any] | None = _DEFAULT,
        max_tool_rounds: int | None = None,
        **extra: Any,
    ) -> ChatLoop:
        """The exchange :meth:`chat` runs and :meth:`stream` streams (both take its parameters)."""
        config = self.config
        selected = self.select_tools(tools)
        payload: dict[str, Any] = {
            "model": model or config.MODEL,
            "temperature": config.TEMPERATURE if temperature is None else temperature,
        }
        fmt = config.RESPONSE_FORMAT if response_format is _DEFAULT else response_format
        if fmt is not None:
            payload["response_format"] = dict(fmt)
        if selected:
            payload["tools"] = [spec.definition() for spec in selected.values()]
            payload["tool_choice"] = tool_choice if tool_choice is not None else "auto"
        payload.update(extra)
        rounds = self.max_tool_rounds if max_tool_rounds is None else max_tool_rounds
        return ChatLoop(
            self, self.transport, payload, normalize_messages(messages), selected, rounds
        )

    @_parameters_of(_loop)
    async def chat(self, *args: Any, **kwargs: Any) -> ChatResult:
        """Send a chat and run the tool loop until the model answers.

        Args:
            messages: OpenAI-style messages, or a prompt string (one user message).
            tools: True/False to offer all/no tools, or tool names to offer only those
                (default: ``TOOL_CHOICE``).
            tool_choice: the API's ``tool_choice`` when tools are offered (default "auto").
            model: overrides ``MODEL``.
            temperature: overrides ``TEMPERATURE``.
            response_format: overrides ``RESPONSE_FORMAT`` (None sends none).
            max_tool_rounds: overrides :attr:`max_tool_rounds`.
            **extra: more request fields (``max_tokens``, ``seed``...).

        Raises:
            FailedToRunAiToolMethod: a tool raised.
            ToolRoundsExceeded: the model kept asking for tools.
            AiServiceError: the service failed (after ``MAX_RETRIES`` retries); AiServiceTimeout
                when it did not answer within ``TIMEOUT``.
        """
        return await self._loop(*args, **kwargs).run()

    @_parameters_of(_loop)
    def stream(self, *args: Any, **kwargs: Any) -> ChatStream:
        """Like :meth:`chat` (the same parameters), as an async iterator of the answer's text
        deltas.

        Tool rounds run between the streamed parts; ``stream.result`` holds the
        :class:`ChatResult` once the iterator is exhausted. Feed it to
        ``req.res.stream(...)`` for an SSE answer, or send each delta over a websocket.
        """
        loop = self._loop(*args, **kwargs)
        sink = ChatStream()
        sink.bind(loop.stream(sink))
        return sink

    async def embeddings(
        self, input: str | Sequence[str], *, model: str | None = None, **extra: Any
    ) -> list[list[float]]:
        """Embed text(s) through the service's ``/embeddings`` endpoint, one vector per input."""
        payload: dict[str, Any] = {
            "model": model or self.embedding_model,
            "input": input if isinstance(input, str) else list(input),
            **extra,
        }
        data = await self.transport.post_json("embeddings", payload)
        items = data.get("data")
        if not isinstance(items, list):
            raise AiServiceError(f"the AI service answered embeddings without data: {data!r:.300}")
        ordered = sorted(items, key=lambda item: item.get("index", 0))
        return [[float(x) for x in item["embedding"]] for item in ordered]
