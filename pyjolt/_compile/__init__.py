"""The compile step: controllers and decorators become Starlette routes, once, at start-up."""

from pyjolt._compile.plan import HandlerPlan, plan_controller

__all__ = ["HandlerPlan", "plan_controller"]
