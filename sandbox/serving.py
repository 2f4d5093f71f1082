"""Serving the sandbox inside this process (uvicorn on a thread, a free 127.0.0.1 port), for tools that need one.

The pytest plugin serves a connector's test session this way, and `bank-sandbox readiness run` serves
the sandbox it grades a connector against when no --server is given.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

DEFAULT_CLOCK = "2026-11-05T10:00:00+09:00"  # a Thursday, a business day, before every cut-off
ADMIN_TOKEN = "bank-sandbox-pytest-admin-token-for-tests"


@dataclass
class Server:
    url: str
    admin_token: str
    app: object
    thread: threading.Thread
    server: object

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {self.admin_token}"}, timeout=30)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve(data_dir: Path, clock: str | None = DEFAULT_CLOCK, **settings) -> Server:
    """Start the sandbox in this process on a free port; return once it answers /healthz."""
    import uvicorn

    from .http.app import create_app
    from .http.wire import KEEP_ALIVE_S, OneWriteHttp
    from .settings import Settings

    # The server is handed the socket bound here, not a port number to bind again: between a probe's close
    # and the server's bind another process (a parallel test worker's server) could take the port, and
    # this one's health check then answered for the other.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # An in-process server answers one test suite, not a flood: on a busy CI machine its event loop may
    # run late without anyone queueing behind it, so it sheds load only when far behind.
    settings.setdefault("max_queue_ms", 5000)
    config = Settings(data_dir=Path(data_dir), port=port, admin_token=settings.pop("admin_token", ADMIN_TOKEN),
                      clock=clock, **settings)
    try:
        app = create_app(config)
    except BaseException:
        sock.close()
        raise
    # as `serve` answers: each answer in one write, idle connections kept as long
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           http=OneWriteHttp, timeout_keep_alive=KEEP_ALIVE_S))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="bank-sandbox", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    # one client for every poll, and no certificates loaded for plain HTTP on the loopback (0.1 s a client)
    with httpx.Client(timeout=1, verify=False) as client:
        while time.monotonic() < deadline:
            try:
                if client.get(f"{url}/healthz").status_code == 200:
                    return Server(url, config.admin_token, app, thread, server)
            except httpx.TransportError:
                time.sleep(0.05)
    raise RuntimeError("the bank sandbox did not start")
