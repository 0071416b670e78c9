"""Run mongoeco's MongoDB wire-protocol server until stdin closes (used by the test fixture).

Runs under Python >= 3.13 with ``mongoeco[wire]`` installed, as a subprocess of the tests:
``python mongoeco_server.py [port]``. It prints ``READY <port>`` on stdout once it accepts
connections and exits when its stdin reaches EOF (the parent closed it or died) or on SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import threading


async def main(port: int) -> None:
    from mongoeco.wire import AsyncMongoEcoProxyServer

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)

    async with AsyncMongoEcoProxyServer(host="127.0.0.1", port=port) as server:
        print(f"READY {server.address.port}", flush=True)

        def watch_stdin() -> None:
            # EOF on stdin means the test process is gone: never outlive it.
            sys.stdin.read()
            loop.call_soon_threadsafe(stop.set)

        threading.Thread(target=watch_stdin, daemon=True).start()
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
