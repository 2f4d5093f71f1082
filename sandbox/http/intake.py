"""What one worker takes in: bodies up to a size, and requests up to a number at once.

Both refusals happen before anything else runs, so they cost next to nothing:
- a body over `max_body_bytes` is refused with 413 from its Content-Length, unread; a body that
  does not announce its length is counted as it arrives and refused the moment it passes the limit;
- when the worker is behind, the next request is answered 503 with Retry-After at once, so a flood
  of connections meets a quick "come back in a second" instead of a queue whose every request waits
  seconds. Behind means `max_in_flight` requests in progress, or an event loop running more than
  `max_queue_ms` late: bank views do their short SQLite work inline, so under a flood the requests
  do not pile up in progress but in the loop's queue of ready tasks, and how late a timer fires is
  how long a newly arrived request waits there.
`/healthz` and `/readyz` are never shed: an overloaded replica must not fail its probes and leave the
pool. Refusals are rendered by `render(scope, status, detail, headers)`, which the app factory builds to speak each bank's dialect (problem+json elsewhere).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable

from . import outage
from .wire import waited

Render = Callable[[dict, int, str, dict], Awaitable[Callable]]

log = logging.getLogger("sandbox")

# Seconds a shed request is asked to wait: the queue it avoided drains in well under that.
RETRY_AFTER_S = 1
# How often the loop's lateness is sampled.
TICK_S = 0.01
# The kernel counts a connection's idle time in clock ticks (1 to 10 ms, by the kernel's HZ).
WAIT_RESOLUTION_S = 0.01


class _TooLarge(Exception):
    """The body passed the limit while it was being read."""


_SLASHES, _RAW_SLASHES = re.compile(r"/{2,}"), re.compile(rb"/{2,}")


class Intake:
    """ASGI middleware: the body-size limit, and shedding load when the worker is behind."""

    def __init__(self, app, render: Render, max_body_bytes: int, max_in_flight: int, max_queue_ms: int,
                 bulk_paths: tuple = (), max_bulk_body_bytes: int = 0):
        self.app = app
        self.render = render
        self.max_body = max_body_bytes
        # Bulk submissions (a 9,999-item 総合振込 file is about 1.2 MB) have their own, larger limit.
        self.bulk_paths = tuple(re.compile(pattern) for pattern in bulk_paths)
        self.max_bulk_body = max(max_bulk_body_bytes, max_body_bytes)
        self.max_in_flight = max_in_flight
        self.max_lag = max_queue_ms / 1000
        self.in_flight = 0
        self.lag = 0.0
        self.beat = time.monotonic()
        self._watch = None

    async def _watch_the_loop(self):
        """Sample how late the event loop runs a timer: the wait a request arriving now would have."""
        while True:
            due = time.monotonic() + TICK_S
            await asyncio.sleep(TICK_S)
            self.beat = time.monotonic()
            self.lag = max(0.0, self.beat - due)

    def _behind(self, scope) -> bool:
        """True when the worker cannot start this request soon enough.

        The watcher's last sample says how late the loop was; the time since it last ran says how late
        it is right now, in the middle of a burst the watcher has not yet seen the end of. A late loop
        is a guess about this request, though: one slow request before it (an operation's first call,
        a workspace seeded) makes the loop late without anything waiting behind it, and the next
        request of a client that calls one at a time arrived only after it. So where the connection
        tells how long this request's bytes have waited (`wire.waited`), that decides.
        """
        if self.in_flight >= self.max_in_flight:
            return True
        if self.lag <= self.max_lag and time.monotonic() - self.beat <= TICK_S + self.max_lag:
            return False
        wait = waited(scope)
        return wait is None or wait > self.max_lag + WAIT_RESOLUTION_S

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and "//" in scope["path"]:
            # Empty segments are merged, as web servers do: an SDK that puts the API's paths after a base URL
            # ending in a slash (`<mount>/` + `/customers`), or strips the host off a link and appends the
            # rest to its base (Dwolla's), asks for `<mount>//customers`, which names no operation.
            scope = {**scope, "path": _SLASHES.sub("/", scope["path"]),
                     "raw_path": _RAW_SLASHES.sub(b"/", scope.get("raw_path") or scope["path"].encode())}
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)
            return
        if self._watch is None:
            self.beat = time.monotonic()
            self._watch = asyncio.get_running_loop().create_task(self._watch_the_loop())
        if self._behind(scope):
            await self._refuse(scope, receive, send, 503, "the sandbox is busy; retry in a moment",
                               {"Retry-After": str(RETRY_AFTER_S)})
            return
        limit = self._limit(scope)
        length = _content_length(scope)
        if length is not None and length > limit:
            await self._refuse(scope, receive, send, 413, self._too_large(limit), {"Connection": "close"})
            return
        self.in_flight += 1
        started = [False]
        read = [0]

        async def counted_receive():
            message = await receive()
            if message["type"] == "http.request":
                read[0] += len(message.get("body", b""))
                if read[0] > limit:
                    raise _TooLarge
            return message

        async def watched_send(message):
            if message["type"] == "http.response.start":
                started[0] = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _TooLarge:
            if not started[0]:
                await self._refuse(scope, receive, send, 413, self._too_large(limit), {"Connection": "close"})
        except outage.OUTAGE_TYPES as error:
            # The database went away outside the views (the log written after the answer, the OAuth
            # pages): still a 503 with Retry-After, or, once the answer has gone, nothing more to say.
            if not outage.unavailable(error):
                raise
            if started[0]:
                outage.log.warning("database unavailable after the answer was sent (%s)", error)
            else:
                await self._refuse(scope, receive, send, 503, outage.DETAIL, {"Retry-After": str(outage.RETRY_AFTER_S)})
        except Exception:  # noqa: BLE001 - a bug outside Connexion's own handlers: logged whole, answered 500
            # Starlette's last resort (Connexion's ServerErrorMiddleware) cannot answer it: its handler is a
            # coroutine that Starlette calls without awaiting, and the client was left with a dropped
            # connection and the log with a warning about a coroutine never awaited.
            log.exception("unhandled error answering %s %s", scope.get("method"), scope.get("path"))
            if not started[0]:
                await self._refuse(scope, receive, send, 500, "the sandbox failed on this request; the error is "
                                                              "in its log", {})
        finally:
            self.in_flight -= 1

    def _limit(self, scope) -> int:
        if scope.get("method") == "POST" and any(p.fullmatch(scope["path"]) for p in self.bulk_paths):
            return self.max_bulk_body
        return self.max_body

    @staticmethod
    def _too_large(limit: int) -> str:
        return f"the request body is larger than the limit of {limit} bytes"

    async def _refuse(self, scope, receive, send, status: int, detail: str, headers: dict | None = None):
        response = await self.render(scope, status, detail, headers or {})
        await response(scope, receive, send)


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
