"""Durable tasks: enqueued by a handler, run by worker processes (python invoices.py worker)."""

import os
from typing import Any

from pyjolt import BaseConfig, HttpStatus, PyJolt, Request, app
from pyjolt.controller import Controller, path, post
from pyjolt.task_queue import TaskQueue, current_task

queue = TaskQueue()  # config section TASK_QUEUE

SENT: dict[int, int] = {}  # a stand-in for the invoices table: order ID -> attempts


@queue.task(name="invoices.send", retries=3, backoff=0.5, timeout=60)
async def send_invoice(order_id: int, email: str) -> str:
    context = current_task()
    assert context is not None
    if order_id in SENT:  # idempotent: a task may be delivered twice
        return f"invoice {order_id} already sent"
    if context.attempt == 1 and order_id % 2:
        raise ConnectionError("mail server busy")  # retried after `backoff` seconds
    SENT[order_id] = context.attempt
    return f"invoice {order_id} sent to {email} (attempt {context.attempt})"


@path("/orders")
class OrdersApi(Controller):
    @post("/<int:order_id>/invoice", status_code=HttpStatus.ACCEPTED)
    async def invoice(self, req: Request, order_id: int) -> dict[str, Any]:
        handle = await send_invoice.enqueue(order_id, email="ada@example.com")
        return {"task_id": handle.task_id}

    @post("/<int:order_id>/invoice-and-wait")
    async def invoice_and_wait(self, req: Request, order_id: int) -> dict[str, Any]:
        handle = await send_invoice.enqueue(order_id, email="ada@example.com")
        return {"task_id": handle.task_id, "receipt": await handle.result(timeout=30)}


class Config(BaseConfig):
    APP_NAME: str = "Shop"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [OrdersApi]
    EXTENSIONS: list[object] = [queue]
    TASK_QUEUE: dict[str, Any] = {
        "BROKER_URL": "memory://",  # in-process; redis://, amqp:// or nats:// in production
        # "RESULT_BACKEND_URL": "redis://127.0.0.1:6379/0",  # for handle.result() with a broker
    }


@app(__name__, configs=Config)
class Application(PyJolt):
    pass


if __name__ == "__main__":  # python invoices.py worker
    Application().run_cli()
