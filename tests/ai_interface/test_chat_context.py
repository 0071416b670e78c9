"""``chat_context_loader`` + ``with_chat_context`` in controllers, and exception handlers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyjolt import HttpStatus, Request, Response
from pyjolt.ai_interface import AiInterface, ChatContextNotFound, FailedToRunAiToolMethod, tool
from pyjolt.controller import Controller, get, path
from pyjolt.exceptions import ExceptionHandler, handles
from tests.ai_interface.openai_fake_server import FakeOpenAI, tool_call


@dataclass
class ChatSession:
    id: int
    topic: str


SESSIONS = {1: ChatSession(1, "cooking"), 2: ChatSession(2, "travel")}


class Interface(AiInterface):
    async def chat_context_loader(self, req: Request) -> ChatSession | None:
        assert self.app is not None  # the loader has the app at hand
        chat_session_id = req.route_parameters.get("chat_session_id")
        return SESSIONS.get(chat_session_id) if chat_session_id is not None else None

    @tool
    async def fail(self) -> None:
        """Always fails."""
        raise ValueError("tool broke")


class AiErrors(ExceptionHandler):
    @handles(ChatContextNotFound)
    async def no_context(self, req: Request, exc: ChatContextNotFound) -> Response:
        return req.res.json({"message": "No such chat", "path": req.url.path}).status(
            exc.status_code
        )

    @handles(FailedToRunAiToolMethod)
    async def tool_failed(self, req: Request, exc: FailedToRunAiToolMethod) -> Response:
        return req.res.json({"message": "tool failed", "tool": exc.tool_name}).status(
            HttpStatus.SERVICE_UNAVAILABLE
        )


def make_controller(ai: Interface) -> type[Controller]:
    @path("/chats")
    class ChatApi(Controller):
        @get("/<int:chat_session_id>")
        @ai.with_chat_context
        async def show(
            self, req: Request, chat_session_id: int, chat_context: ChatSession
        ) -> Response:
            return req.res.json({"id": chat_session_id, "topic": chat_context.topic})

        @get("/<int:chat_session_id>/ask")
        @ai.with_chat_context
        async def ask(
            self, req: Request, chat_session_id: int, chat_context: ChatSession
        ) -> Response:
            result = await ai.chat(f"About {chat_context.topic}", tools=True)
            return req.res.json({"answer": result.content})

    return ChatApi


async def chat_client(
    build_client: Any, ai_config: dict[str, Any], handlers: list[Any] | None = None
) -> Any:
    """A client of the chat controller (with the ``AiErrors`` handlers unless told)."""
    ai = Interface()
    return await build_client(
        controllers=[make_controller(ai)],
        EXTENSIONS=[ai],
        AI_INTERFACE=ai_config,
        EXCEPTION_HANDLERS=[AiErrors] if handlers is None else handlers,
    )


async def test_loaded_context_is_injected(build_client: Any, ai_config: dict[str, Any]) -> None:
    client = await chat_client(build_client, ai_config)

    response = await client.get("/chats/2")

    assert response.status_code == 200
    assert response.json() == {"id": 2, "topic": "travel"}


async def test_missing_context_is_handled_by_an_exception_handler(
    build_client: Any, ai_config: dict[str, Any]
) -> None:
    client = await chat_client(build_client, ai_config)

    response = await client.get("/chats/99")

    assert response.status_code == 404
    assert response.json() == {"message": "No such chat", "path": "/chats/99"}


async def test_missing_context_without_a_handler_is_a_404(
    build_client: Any, ai_config: dict[str, Any]
) -> None:
    client = await chat_client(build_client, ai_config, handlers=[])

    response = await client.get("/chats/99")

    assert response.status_code == 404
    assert response.json()["message"] == "Chat context not found"


async def test_failing_tool_is_handled_by_an_exception_handler(
    build_client: Any, ai_server: FakeOpenAI, ai_config: dict[str, Any]
) -> None:
    client = await chat_client(build_client, ai_config)
    ai_server.ask_tools(tool_call("fail", {}))

    response = await client.get("/chats/1/ask")

    assert response.status_code == 503
    assert response.json() == {"message": "tool failed", "tool": "fail"}
    assert ai_server.chat_bodies()[0]["messages"] == [{"role": "user", "content": "About cooking"}]


async def test_custom_chat_context_name(build_client: Any, ai_config: dict[str, Any]) -> None:
    ai = Interface()

    @path("/rooms")
    class RoomApi(Controller):
        @get("/<int:chat_session_id>")
        @ai.with_chat_context
        async def show(self, req: Request, chat_session_id: int, room: ChatSession) -> Response:
            return req.res.json({"topic": room.topic})

    client = await build_client(
        controllers=[RoomApi],
        EXTENSIONS=[ai],
        AI_INTERFACE={**ai_config, "CHAT_CONTEXT_NAME": "room"},
    )

    response = await client.get("/rooms/1")

    assert response.status_code == 200
    assert response.json() == {"topic": "cooking"}
