"""How `serve` serves: workers that follow the machine, and each answer handed to the socket in one write."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

import live_server
from sandbox.http.wire import HOLD_BYTES, KEEP_ALIVE_S, GatheredWrites, OneWriteHttp, SharedAcceptLoop
from sandbox.settings import MAX_DEFAULT_WORKERS, Settings, machine_workers

BIN = Path(sys.executable).parent / "bank-sandbox"
ADMIN = "serving-admin-token-of-32-characters-or-more"


def test_settings_workers_follow_the_cpus_this_process_may_use(tmp_path, monkeypatch):
    quota = tmp_path / "cpu.max"
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(32)))
    assert machine_workers(tmp_path / "absent") == MAX_DEFAULT_WORKERS == 8  # a big machine: replicas past 8
    quota.write_text("max 100000\n")
    assert machine_workers(quota) == 8
    quota.write_text("250000 100000\n")  # a container given 2.5 CPUs
    assert machine_workers(quota) == 3
    quota.write_text("20000 100000\n")
    assert machine_workers(quota) == 1
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert machine_workers(tmp_path / "absent") == 2
    assert Settings.from_env({}).workers == machine_workers()
    assert Settings.from_env({"SANDBOX_WORKERS": "3"}).workers == 3
    assert Settings.from_env({"SANDBOX_WORKERS": "3"}, workers=1).workers == 1  # --workers wins


def _spawned(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(child) for child in out.split()
            if "spawn_main" in Path(f"/proc/{child}/cmdline").read_text(errors="replace")]


def _connections_by_worker(pids: list[int], port: int) -> dict[int, int]:
    """How many established connections to `port` each process holds (its socket descriptors in /proc/net/tcp)."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
            established.add(fields[9])
    taken = {}
    for pid in pids:
        links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        taken[pid] = sum(1 for link in links if link.startswith("socket:[") and link[8:-1] in established)
    return taken


@pytest.mark.slow
def test_serve_starts_one_worker_per_cpu_by_default_and_drains_on_sigterm(tmp_path):
    expected = machine_workers()
    port = live_server.free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")}, "SANDBOX_ADMIN_TOKEN": ADMIN}
    process = subprocess.Popen([str(BIN), "serve", "--port", str(port), "--data-dir", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        banner = []
        for line in process.stdout:
            banner.append(line.rstrip())
            if line.lstrip().startswith("workers"):
                break
        assert banner[-1].split()[:2] == ["workers", str(expected)], banner
        assert "one per CPU this process may use" in banner[-1]
        assert live_server.wait_healthy(base, 90), "the server did not start"
        if expected > 1:
            assert len(_spawned(process.pid)) == expected
        recorded = json.loads((tmp_path / "server.json").read_text(encoding="utf-8"))
        assert recorded == {"url": base, "pid": process.pid}
        idle = _kept_open(port)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=30) as client:
            for _ in range(6):  # whichever worker answers
                assert client.get("/sandbox/v1/workspaces/default").json()["name"] == "default"
        if expected > 1:  # a burst of connections, as a load generator opens them, is shared out
            splits = []
            for _ in range(5):  # a busy machine may keep one worker off the CPU through a burst: try again
                burst = [socket.create_connection(("127.0.0.1", port)) for _ in range(16)]
                for sock in burst:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                for sock in burst:
                    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
                taken = _connections_by_worker(_spawned(process.pid), port)
                for sock in burst:
                    sock.close()
                splits.append(sorted(taken.values()))
                assert sum(taken.values()) == 16 + 1, taken  # and the idle one
                if min(taken.values()) >= 16 // expected // 2:
                    break
                time.sleep(0.3)
            assert min(splits[-1]) >= 16 // expected // 2, splits
        idle.still_answers()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=40) in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
        assert not _spawned(process.pid)
    finally:
        if process.poll() is None:
            workers = _spawned(process.pid)
            process.kill()  # and its workers, which a killed parent leaves behind
            process.wait(timeout=10)
            for pid in workers:
                os.kill(pid, signal.SIGKILL)


class _kept_open:
    """A keep-alive connection that answered once, to be asked again once it has been idle past 5 s.

    5 s is both uvicorn's default keep-alive and the idle expiry of httpx's pool: with the two equal, a
    client reusing its connection as the server dropped it met "connection reset by peer"."""

    IDLE_S = 6

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self._ask()
        self.since = time.monotonic()

    def _ask(self) -> None:
        self.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        answer = self.sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200"), answer

    def still_answers(self) -> None:
        time.sleep(max(0.0, self.IDLE_S - (time.monotonic() - self.since)))
        with self.sock:
            self._ask()


def test_an_idle_keep_alive_connection_outlasts_a_client_pool_s_idle_expiry(tmp_path):
    assert KEEP_ALIVE_S > httpx.Limits().keepalive_expiry and KEEP_ALIVE_S >= 60  # behind a load balancer's 60 s
    with live_server.running(tmp_path) as server:
        _kept_open(int(server.url.rsplit(":", 1)[1])).still_answers()


def test_shared_accept_loop_takes_a_burst_one_connection_per_step_and_a_flood_whole():
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    clients = [socket.create_connection(listener.getsockname()) for _ in range(16)]  # all queued in the kernel
    accepted = []

    class Counted(asyncio.Protocol):
        def connection_made(self, transport):
            accepted.append(transport)

    async def scenario():
        await asyncio.get_running_loop().create_server(Counted, sock=listener)
        for _ in range(4):
            await asyncio.sleep(0)
        early = len(accepted)
        await asyncio.sleep(SharedAcceptLoop.GREEDY_AFTER_S * 5)  # still queued past the limit: all of them
        return early

    loop = SharedAcceptLoop()
    try:
        early = loop.run_until_complete(scenario())
        assert 1 <= early <= 3  # asyncio's own loop has all 16 after its first step
        assert len(accepted) == 16
    finally:
        for transport in accepted:
            transport.close()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()
        for client in clients:
            client.close()


class _Recorded:
    """The transport's side of `GatheredWrites`: what reached it, in order."""

    def __init__(self):
        self.calls: list = []

    def write(self, data):
        self.calls.append(("write", data))

    def close(self):
        self.calls.append(("close",))

    def is_closing(self):
        return bool(self.calls) and self.calls[-1] == ("close",)

    def get_extra_info(self, name, default=None):
        return ("127.0.0.1", 1) if name == "peername" else default


def test_wire_writes_of_one_loop_step_reach_the_transport_as_one():
    async def scenario():
        transport = _Recorded()
        gathered = GatheredWrites(transport, asyncio.get_running_loop())
        gathered.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
        gathered.write(b"ok")
        assert transport.calls == []  # held until the step ends
        await asyncio.sleep(0)
        assert transport.calls == [("write", b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")]
        gathered.write(b"chunk")
        await asyncio.sleep(0)
        gathered.write(b"last")
        gathered.close()  # what was written before the close goes out before it
        assert transport.calls[1:] == [("write", b"chunk"), ("write", b"last"), ("close",)]
        await asyncio.sleep(0)
        assert len(transport.calls) == 4  # nothing written twice
        assert gathered.get_extra_info("peername") == ("127.0.0.1", 1)
        transport = _Recorded()
        gathered = GatheredWrites(transport, asyncio.get_running_loop())
        big = b"x" * HOLD_BYTES
        gathered.write(b"head")
        gathered.write(big)  # past the limit: on at once, so the transport's flow control sees it
        assert transport.calls == [("write", b"head" + big)]
        await asyncio.sleep(0)
        assert len(transport.calls) == 1

    asyncio.run(scenario())


async def _app(scope, receive, send):
    """Answers `/stream` in three chunks, anything else with a short fixed body."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for part in (b"one ", b"two ", b"three"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
            await asyncio.sleep(0.01)
        await send({"type": "http.response.body", "body": b""})
        return
    body = json.dumps({"path": scope["path"]}).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def one_write_server():
    port = live_server.free_port()
    server = uvicorn.Server(uvicorn.Config(_app, host="127.0.0.1", port=port, http=OneWriteHttp, log_level="warning",
                                           loop="asyncio", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def test_wire_answer_arrives_in_one_piece_and_connections_behave(one_write_server):
    port = one_write_server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        for n in range(3):  # keep-alive: each answer whole in the first read, the connection still open
            raw.sendall(f"GET /short/{n} HTTP/1.1\r\nHost: sandbox\r\n\r\n".encode())
            answer = raw.recv(65536)
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200") and body, f"the head came without its body: {answer!r}"
            assert json.loads(body) == {"path": f"/short/{n}"}
        raw.sendall(b"GET /closing HTTP/1.1\r\nHost: sandbox\r\nConnection: close\r\n\r\n")
        received = b""
        while chunk := raw.recv(65536):  # the answer, then the server's close
            received += chunk
        assert received.endswith(b'{"path": "/closing"}') and b"connection: close" in received.lower()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        streamed = client.get("/stream")
        assert streamed.status_code == 200 and streamed.text == "one two three"
        assert client.get("/after").json() == {"path": "/after"}


def test_a_client_calling_one_request_at_a_time_is_never_shed_after_a_slow_one(tmp_path):
    """Load shedding is for requests that waited: with the loop's lateness limit at 1 ms, every ordinary
    request makes the loop late by more than that, yet the next request of a client that sends one at a
    time arrived after it and waited for nothing (it was answered 503 'busy' before). Requests that did
    wait, in a socket or in the loop's queue, are still shed (test_security's flood). On a machine busy with
    other work a request may truly wait a millisecond before the process runs again, and be shed for it: a few
    of the 40 may be, where before nearly all after the first were."""
    with live_server.running(tmp_path, max_queue_ms=1) as server, httpx.Client(timeout=30) as client:
        statuses = [client.get(f"{server.url}/hub/v1/accounts", params={"limit": 50}).status_code for _ in range(40)]
    assert set(statuses) <= {200, 503} and statuses.count(503) <= 3, statuses


def test_how_long_a_request_has_waited_is_read_off_its_connection():
    from sandbox.http.wire import SOCKET, waited

    with socket.create_server(("127.0.0.1", 0)) as listener:
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            with accepted:
                client.sendall(b"GET / HTTP/1.1\r\n\r\n")
                time.sleep(0.2)
                assert 0.15 <= waited({"extensions": {SOCKET: accepted}}) < 2
                client.sendall(b"x")
                time.sleep(0.01)
                assert waited({"extensions": {SOCKET: accepted}}) < 0.15
    assert waited({"type": "http"}) is None


def test_an_error_no_handler_took_is_logged_and_answered_500(caplog):
    """What escapes every handler (a bug in a middleware outside Connexion's) is answered 500 in the
    caller's dialect and logged with its traceback; Starlette's last resort could do neither."""
    from starlette.responses import JSONResponse

    from sandbox.http.intake import Intake

    async def failing(scope, receive, send):
        raise RuntimeError("a bug outside the handlers")

    async def render(scope, status, detail, headers):
        return JSONResponse({"status": status, "detail": detail}, status_code=status, headers=headers)

    intake = Intake(failing, render, max_body_bytes=1000, max_in_flight=10, max_queue_ms=60_000)
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/banks/kaede/x", "headers": [], "query_string": b""}
    with caplog.at_level("ERROR", logger="sandbox"):
        asyncio.run(intake(scope, receive, send))
    assert sent[0]["status"] == 500 and b"in its log" in sent[1]["body"]
    assert any("a bug outside the handlers" in (r.exc_text or str(r.exc_info)) for r in caplog.records)
    assert intake.in_flight == 0


def test_a_connection_that_is_not_tcp_tells_no_wait():
    from sandbox.http.wire import SOCKET, waited

    left, right = socket.socketpair()  # a Unix socket: TCP_INFO cannot be read from it
    with left, right:
        assert waited({"extensions": {SOCKET: left}}) is None


def test_servers_started_in_turn_in_one_process_leave_none_of_their_files_open(tmp_path):
    # A connector's test suite starts a server per module (the pytest plugin): each one stopped and
    # dropped must be collected with its database connections, not kept for the process's life.
    import gc

    folders = [tmp_path / f"server{n}" for n in range(3)]
    for folder in folders:
        with live_server.running(folder):
            pass
    gc.collect()
    open_files = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            open_files.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    assert [path for path in open_files if path.startswith(str(tmp_path))] == []
