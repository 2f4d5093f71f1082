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

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Writes held for one loop step up to this size; a short answer (head and body) is far below it.
HOLD_BYTES = 64 * 1024


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


class OneWriteHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol over `GatheredWrites`."""

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(GatheredWrites(transport, self.loop))
