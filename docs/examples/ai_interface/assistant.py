"""A chat endpoint backed by an OpenAI-compatible service, with a tool the model may call."""

import os
from typing import Any

from pydantic import BaseModel

from pyjolt import BaseConfig, MediaType, PyJolt, Request, app
from pyjolt.ai_interface import AiInterface, tool
from pyjolt.controller import Controller, consumes, path, post

# a stand-in for a chat sessions table: chat ID -> messages so far
CHATS: dict[int, list[dict[str, Any]]] = {
    1: [{"role": "system", "content": "You are a helpful travel assistant."}]
}


class Assistant(AiInterface):
    async def chat_context_loader(self, req: Request) -> list[dict[str, Any]] | None:
        return CHATS.get(req.route_parameters["chat_id"])  # None: a 404

    @tool(description="The current weather in a city.")
    async def get_weather(self, city: str) -> dict[str, Any]:
        return {"city": city, "sky": "sunny", "celsius": 21}


assistant = Assistant()  # config section AI_INTERFACE


class Message(BaseModel):
    text: str


@path("/chats")
class ChatApi(Controller):
    @post("/<int:chat_id>/messages")
    @consumes(MediaType.APPLICATION_JSON)
    @assistant.with_chat_context
    async def send(
        self, req: Request, chat_id: int, message: Message, chat_context: list[dict[str, Any]]
    ) -> dict[str, Any]:
        chat_context.append({"role": "user", "content": message.text})
        result = await assistant.chat(chat_context, tools=True)
        chat_context.extend(result.new_messages)
        return {
            "reply": result.message["content"],
            "tools_used": [call.name for call in result.tool_calls],
        }


class Config(BaseConfig):
    APP_NAME: str = "Travel"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [ChatApi]
    EXTENSIONS: list[object] = [assistant]
    AI_INTERFACE: dict[str, Any] = {
        # API_KEY from the environment: AI_INTERFACE__API_KEY=...
        "API_BASE_URL": "https://api.openai.com/v1",  # Groq, Ollama, vLLM...: their /v1 URL
        "MODEL": "gpt-4o-mini",
        "RESPONSE_FORMAT": None,  # free text ({"type": "json_object"} by default)
        "MAX_RETRIES": 2,
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
