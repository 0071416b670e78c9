"""The task queue without its extras: importing it is free, using it names the extra."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pyjolt.task_queue import TaskQueue
from pyjolt.testing import make_app
from tests.extras import TASKIQ, TASKIQ_NATS, TASKIQ_RABBITMQ, TASKIQ_REDIS, Needs


def test_importing_the_task_queue_imports_no_broker() -> None:
    code = (
        "import sys, pyjolt.task_queue\n"
        "print([m for m in ('taskiq', 'redis', 'aio_pika', 'nats') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("url", "needs"),
    [
        ("memory://", TASKIQ),
        ("redis://127.0.0.1:6379/0", TASKIQ_REDIS),
        ("amqp://guest:guest@127.0.0.1:5672/", TASKIQ_RABBITMQ),
        ("nats://127.0.0.1:4222", TASKIQ_NATS),
    ],
)
def test_a_missing_broker_package_names_its_extra(
    monkeypatch: pytest.MonkeyPatch, url: str, needs: Needs
) -> None:
    module, extra = needs
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    with pytest.raises(ImportError, match=rf'pip install "pyjolt\[{extra}\]"'):
        make_app(EXTENSIONS=[TaskQueue()], TASK_QUEUE={"BROKER_URL": url})
