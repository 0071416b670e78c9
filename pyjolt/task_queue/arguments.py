"""Task arguments: validated against the function's annotations when enqueued (pydantic),
sent as JSON, validated again in the worker to rebuild the declared types."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import Any, get_type_hints

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from pyjolt.task_queue.errors import TaskArgumentsError

_SKIPPED_KINDS = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


class TaskArguments:
    """The parameters of one task function (injected ones left out), built once."""

    def __init__(self, fn: Callable[..., Any], task_name: str, injected: Iterable[str]) -> None:
        self.task_name = task_name
        target = inspect.unwrap(fn)
        signature = inspect.signature(target)
        try:
            hints = get_type_hints(target, include_extras=True)
        except Exception as exc:
            raise TypeError(f"task {task_name!r}: cannot resolve its annotations: {exc}") from exc
        skipped = set(injected)
        params: list[inspect.Parameter] = []
        fields: dict[str, Any] = {}
        for name, param in signature.parameters.items():
            if name in skipped:
                continue
            if param.kind in _SKIPPED_KINDS:
                raise TypeError(
                    f"task {task_name!r}: *{name} / **{name} parameters are not supported; "
                    "declare each argument by name so it can be validated"
                )
            annotation = hints.get(name, Any)
            default = ... if param.default is inspect.Parameter.empty else param.default
            fields[name] = (annotation, default)
            params.append(param.replace(annotation=inspect.Parameter.empty))
        self.signature = inspect.Signature(params)
        model_name = "".join(part.title() for part in task_name.replace(":", ".").split(".")[-1:])
        self.model: type[BaseModel] = create_model(
            f"{model_name or 'Task'}Arguments",
            __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=True),
            **fields,
        )
        returns = hints.get("return", Any)
        self.result_adapter: TypeAdapter[Any] | None = (
            None if returns in (Any, None, type(None)) else TypeAdapter(returns)
        )

    def dump(self, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> dict[str, Any]:
        """Validate enqueued arguments; their JSON form (explicit arguments only)."""
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise TaskArgumentsError(f"task {self.task_name!r}: {exc}") from exc
        try:
            validated = self.model.model_validate(dict(bound.arguments))
        except ValidationError as exc:
            raise TaskArgumentsError(self._describe(exc)) from exc
        dumped: dict[str, Any] = validated.model_dump(mode="json", include=set(bound.arguments))
        return dumped

    def load(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Worker side: rebuild the declared types from the JSON payload (defaults filled)."""
        try:
            validated = self.model.model_validate(dict(payload))
        except ValidationError as exc:
            raise TaskArgumentsError(self._describe(exc)) from exc
        return {name: getattr(validated, name) for name in type(validated).model_fields}

    def dump_result(self, value: Any) -> Any:
        """The JSON form of a return value."""
        if self.result_adapter is not None:
            return self.result_adapter.dump_python(value, mode="json")
        if isinstance(value, BaseModel):
            return value.model_dump(mode="json")
        return value

    def load_result(self, value: Any) -> Any:
        """The declared return type rebuilt from its JSON form."""
        if self.result_adapter is not None:
            return self.result_adapter.validate_python(value)
        return value

    def _describe(self, exc: ValidationError) -> str:
        problems = []
        for err in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in err["loc"]) or "(arguments)"
            shown = "missing" if err["type"] == "missing" else f"got {err.get('input')!r:.80}"
            problems.append(f"argument {loc!r}: {err['msg']} ({shown})")
        return f"task {self.task_name!r}: invalid arguments: " + "; ".join(problems)


__all__ = ["TaskArguments"]
