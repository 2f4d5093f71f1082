"""The HTTP protocol `serve` runs under uvicorn: uvicorn's own, with each answer sent in one write.

uvicorn writes an answer's head and its body to the socket separately, so every answer costs two
`send` calls, two TCP segments on the wire and two wake-ups of the client reading them; on a short
answer over loopback those were a third of the worker's CPU per request. Here the writes one step of
the event loop makes to a connection are gathered and handed to the socket together at the end of
that step: a short answer leaves in one segment, and a streamed one still leaves chunk by chunk.
Past `HOLD_BYTES` the writes go on at once, so a large body meets the socket's flow control (uvicorn
waits when the transport's buffer is full) as it did before.
"""

from __future__ import annotations

import asyncio
import select
import socket
import struct

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Writes held for one loop step up to this size; a short answer (head and body) is far below it.
HOLD_BYTES = 64 * 1024
# How long an idle connection stays open. uvicorn's 5 s equals the idle expiry of httpx's pool, so a
# client reusing a connection just as the server dropped it met "connection reset by peer"; a server
# must outlast its clients' pools and the idle timeouts of the load balancers before it (60 s is common).
KEEP_ALIVE_S = 75


class GatheredWrites:
    """A transport that holds the writes of one loop step and passes them on as one.

    Everything but writing and closing is the underlying transport's (flow control, addresses).
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(data)
        self._size += len(data)
        if self._size >= HOLD_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self._held:
            return
        data = b"".join(self._held)
        self._held.clear()
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()  # an answer written just before `Connection: close` still goes out, then the close
        self._transport.close()

    def __getattr__(self, name):
        return getattr(self._transport, name)


# The request's connection in its ASGI scope's extensions: how long its bytes have waited is read from it.
SOCKET = "sandbox.socket"


class OneWriteHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol over `GatheredWrites`, each request's scope carrying its connection."""

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(GatheredWrites(transport, self.loop))
        self._socket = transport.get_extra_info("socket")

    def on_headers_complete(self) -> None:
        self.scope.setdefault("extensions", {})[SOCKET] = self._socket
        super().on_headers_complete()


def waited(scope: dict) -> float | None:
    """Seconds since the kernel received the last bytes of this request's connection (Linux TCP_INFO's
    `tcpi_last_data_recv`, in ms): how long the request has waited, in the socket and then in the
    loop's queue. None where that cannot be read (not TCP, not Linux, no socket in the scope)."""
    sock = scope.get("extensions", {}).get(SOCKET)
    if sock is None or not hasattr(socket, "TCP_INFO"):
        return None
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _TCP_INFO_BYTES)
    except OSError:
        return None
    if len(info) < _LAST_DATA_RECV + 4:
        return None
    return struct.unpack_from("I", info, _LAST_DATA_RECV)[0] / 1000


# struct tcp_info: eight one-byte fields, then 32-bit ones; tcpi_last_data_recv is the twelfth of those.
_LAST_DATA_RECV = 8 + 11 * 4
_TCP_INFO_BYTES = 104


class SharedAcceptLoop(asyncio.SelectorEventLoop):
    """The event loop of each worker: a burst of new connections shared out between the workers.

    `serve --workers N` has every worker wait on one listening socket, and asyncio's loop takes every
    connection already queued on it at each wake-up (up to the backlog). A client that opens its
    connections in a burst, as a load generator or a connection pool does, often had all of them
    taken by whichever worker woke first while the others sat idle: with 16 connections on two
    workers over PostgreSQL, 16/0 in four runs of ten, at half the throughput of an even split.
    Here a worker takes one connection and then leaves the socket to the others for `PAUSE_S`. A
    flood is another matter (hundreds of clients at once, docs/security.md): taking one at a time
    would keep the last waiting for seconds, so once connections have stayed queued for
    `GREEDY_AFTER_S` the worker takes all of them again, as asyncio does (a loop step of a loaded
    worker is far shorter than `FORGET_AFTER_S`, past which what it saw queued is taken as gone).
    """

    PAUSE_S = 0.001
    GREEDY_AFTER_S = 0.050
    FORGET_AFTER_S = 0.100

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._queued_since: float | None = None  # connections queued at every look since then
        self._seen_queued = 0.0

    def _accept_connection(self, protocol_factory, sock, sslcontext=None, server=None, backlog=100, *args, **kwargs):
        """asyncio's accept step (run when the listening socket is readable), bounded to one connection."""
        now = self.time()
        queued_since, self._queued_since = self._queued_since, None
        if queued_since is not None and now - self._seen_queued > self.FORGET_AFTER_S:
            queued_since = None  # seen queued long ago: another worker took them, and this is a new burst
        if queued_since is not None and now - queued_since >= self.GREEDY_AFTER_S:
            return super()._accept_connection(protocol_factory, sock, sslcontext, server, backlog, *args, **kwargs)
        super()._accept_connection(protocol_factory, sock, sslcontext, server, 1, *args, **kwargs)
        if _readable(sock):
            self._queued_since, self._seen_queued = queued_since or now, now
        # Off the socket for a moment, as asyncio itself steps off it when out of descriptors.
        self._remove_reader(sock.fileno())
        self.call_later(self.PAUSE_S, self._resume, protocol_factory, sock, sslcontext, server, backlog, args, kwargs)

    def _resume(self, protocol_factory, sock, sslcontext, server, backlog, args, kwargs) -> None:
        if sock.fileno() != -1 and (server is None or server.is_serving()):  # not closed meanwhile
            self._start_serving(protocol_factory, sock, sslcontext, server, backlog, *args, **kwargs)


def _readable(sock) -> bool:
    """Whether a connection is still queued on the listening socket (poll: select caps descriptors at 1024)."""
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN)
    return bool(poller.poll(0))
