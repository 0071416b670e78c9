"""Websocket echo load: round trips per second over several connections, one message in flight
on each (what ``wrk -c`` is for HTTP).

``python -m bench.ws_load PORT [--connections 16] [--seconds 3]`` prints the rate for
``ws://127.0.0.1:PORT/ws/echo`` and the number of echoes, warm-up included. The client speaks
the protocol over plain non-blocking sockets with its frames built once (a masked text ``ping``
out, the server's unmasked ``ping`` back, checked byte for byte), so a message costs it a few
microseconds: on its own CPU it keeps the server busy, and the rate measures the server. It
offers no permessage-deflate (nor does wrk gzip): compressing four bytes would measure zlib, the
same for every framework.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import select
import socket
import sys
import time

PATH = "/ws/echo"
KEY = base64.b64encode(b"pyjolt-bench-key").decode()
ACCEPT = base64.b64encode(
    hashlib.sha1((KEY + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
)
MASK = b"\x5a\x17\xc3\x81"
PAYLOAD = b"ping"
#: FIN + text, masked, 4 bytes; and the answer: FIN + text, unmasked, 4 bytes
FRAME = b"\x81\x84" + MASK + bytes(b ^ MASK[i % 4] for i, b in enumerate(PAYLOAD))
ECHO = b"\x81\x04" + PAYLOAD
#: no answer for this long on any connection: the server is stuck or gone
STALL_SECONDS = 10.0


def connect(port: int) -> tuple[socket.socket, bytes]:
    """An open websocket on ``PATH``: the socket (non-blocking) and any bytes read past the
    handshake's answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=STALL_SECONDS)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    request = (
        f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    sock.sendall(request.encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError(f"the server closed the handshake: {answer!r}")
        answer += chunk
    head, _, rest = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(b":") for h in lines[1:])}
    if not lines[0].startswith(b"HTTP/1.1 101") or headers.get(b"sec-websocket-accept") != ACCEPT:
        raise RuntimeError(f"not a websocket handshake: {head!r}")
    sock.setblocking(False)
    return sock, rest


def round_trips(
    port: int, connections: int, seconds: float, warmup: int = 2000
) -> tuple[float, int]:
    """Echo round trips per second over ``connections`` websockets, one message in flight on
    each, counted for ``seconds`` after ``warmup`` round trips; and all the echoes received,
    warm-up included (what the server's CPU time was spent on)."""
    opened = [connect(port) for _ in range(connections)]
    buffers = {sock.fileno(): (sock, bytearray(rest)) for sock, rest in opened}
    poller = select.epoll()
    try:
        for sock, _ in opened:
            poller.register(sock.fileno(), select.EPOLLIN)
            sock.send(FRAME)
        size, count, start = len(ECHO), 0, 0.0
        while True:
            events = poller.poll(STALL_SECONDS)
            if not events:
                raise RuntimeError(f"no echo within {STALL_SECONDS:.0f} s")
            for fd, _ in events:
                sock, buffer = buffers[fd]
                chunk = sock.recv(65536)
                if not chunk:
                    raise RuntimeError("the server closed a connection")
                buffer += chunk
                while len(buffer) >= size:
                    if buffer[:size] != ECHO:
                        raise RuntimeError(f"the echo answered {bytes(buffer[:16])!r}")
                    del buffer[:size]
                    count += 1
                    sock.send(FRAME)
            if not start and count >= warmup:
                count, start = 0, time.perf_counter()
            elif start and time.perf_counter() - start >= seconds:
                return count / (time.perf_counter() - start), count + warmup
    finally:
        poller.close()
        for sock, _ in opened:
            sock.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    rate, echoes = round_trips(args.port, args.connections, args.seconds)
    print(f"{rate:.1f} {echoes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
