"""The webhook dispatcher: a background task of each server worker that sends the connectors' events.

Every `INTERVAL_S` it moves new events from each workspace's outbox into deliveries, then claims
the deliveries that are due and POSTs them, signed, recording each attempt (sandbox/governance/
webhooks.py decides retries and backoff). Any number of workers run one each: the outbox cursor is
moved and deliveries are claimed inside write transactions, so no event is enqueued twice and no
attempt is sent by two workers. SQLite work runs on one thread of the dispatcher's own, off the
event loop. Endpoints are served concurrently; one endpoint gets a round's deliveries one after
another, in the order the events happened (a retry can still arrive after a later event).

Stopping (the app's shutdown, after the server has drained its requests on SIGTERM) claims nothing
more, lets the sends under way finish and record their outcome (at most the send timeout), and hands
back the claimed deliveries it had not begun, so another worker or replica sends them at once
instead of after their lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from ..domain.errors import SandboxError
from ..governance import Governance
from ..governance.webhooks import Webhooks, sign
from ..store.errors import OUTAGE_TYPES, unavailable
from ..workspaces import Workspaces

INTERVAL_S = 0.2
# How often a worker deletes finished deliveries past the delivery log's retention.
PRUNE_EVERY_S = 600.0
TIMEOUT_S = 5.0
IN_FLIGHT = 32
USER_AGENT = "bank-sandbox-webhooks/1"

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(self, workspaces: Workspaces, governance: Governance, *, interval: float = INTERVAL_S,
                 timeout: float = TIMEOUT_S):
        self.workspaces = workspaces
        self.webhooks = Webhooks(governance.store)
        self.interval, self.timeout = interval, timeout
        # One thread for all of the dispatcher's SQLite work: connections are per thread.
        self._db = ThreadPoolExecutor(1, thread_name_prefix="webhooks")
        self._sending: set[asyncio.Task] = set()
        self._in_flight = 0
        self._stopping = asyncio.Event()
        self._unsent: list[dict] = []

    def stop(self) -> None:
        """Claim nothing more; `run` returns once the sends under way are recorded."""
        self._stopping.set()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=False,
                                     headers={"User-Agent": USER_AGENT}) as client:
            next_prune = 0.0
            try:
                while not self._stopping.is_set():
                    try:
                        if time.time() >= next_prune:
                            await loop.run_in_executor(self._db, self.webhooks.prune, time.time())
                            next_prune = time.time() + PRUNE_EVERY_S
                        await loop.run_in_executor(self._db, self.pump)
                        claimed = await loop.run_in_executor(self._db, self.webhooks.claim, time.time(),
                                                             IN_FLIGHT - self._in_flight)
                        by_endpoint: dict[str, list[dict]] = {}
                        for delivery in claimed:
                            by_endpoint.setdefault(delivery["endpoint_id"], []).append(delivery)
                        self._in_flight += len(claimed)
                        for deliveries in by_endpoint.values():
                            task = asyncio.create_task(self._send_in_order(client, deliveries))
                            self._sending.add(task)
                            task.add_done_callback(self._sending.discard)
                    except Exception as error:  # noqa: BLE001 - a busy database or a bad row must not stop the dispatcher
                        if unavailable(error):
                            log.warning("webhook dispatch waits for the database (%s)", error)
                        else:
                            log.exception("webhook dispatch failed; retrying")
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), self.interval)
                if self._sending:  # stopping: the sends under way finish and are recorded
                    await asyncio.wait(list(self._sending), timeout=self.timeout + 1)
                if self._unsent:
                    await loop.run_in_executor(self._db, self.webhooks.release, self._unsent, time.time())
            except Exception:  # noqa: BLE001 - unreleased, they are sent again when their lease runs out
                log.exception("could not hand back unsent webhook deliveries")
            finally:
                for task in list(self._sending):
                    task.cancel()  # unrecorded attempts are sent again when their lease runs out
                self._db.shutdown(wait=False)

    def pump(self) -> int:
        """Move every workspace's new outbox events into deliveries (on the dispatcher's thread)."""
        made = 0
        for record in self.workspaces.registry.list():
            if not self.workspaces.registry.ready(record.name):
                continue  # still being created and seeded: opening its file now could race its creator
            try:
                ctx = self.workspaces.context(record.name)
            except SandboxError:
                continue  # deleted in the meantime
            made += self.webhooks.pump(record.name, f"{record.incarnation}:{record.generation}", ctx, time.time())
        return made

    async def _send_in_order(self, client: httpx.AsyncClient, deliveries: list[dict]) -> None:
        for delivery in deliveries:
            try:
                if self._stopping.is_set():
                    self._unsent.append(delivery)  # not begun: handed back when the dispatcher stops
                else:
                    await self._send(client, delivery)
            finally:
                self._in_flight -= 1

    async def _send(self, client: httpx.AsyncClient, delivery: dict) -> None:
        body = delivery["payload"].encode()
        signature = sign(delivery["secret"], body, int(time.time()))
        headers = {"Content-Type": "application/json", "Sandbox-Signature": signature,
                   "Sandbox-Event-Id": delivery["event_id"], "Sandbox-Event-Type": delivery["type"]}
        if delivery.get("signature_header"):  # (a receiver written for a bank that signs the same way)
            headers[delivery["signature_header"]] = signature
        status, error = None, None
        try:
            response = await client.post(delivery["url"], content=body, headers=headers)
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except Exception as failure:  # noqa: BLE001 - refused, timed out, unreachable: all are failed attempts
            error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._db, self.webhooks.record, delivery["id"], delivery["lease"], time.time(),
                                       status, error)
        except Exception:  # noqa: BLE001 - unrecorded, the attempt is made again when its lease runs out
            log.exception("could not record webhook delivery %s", delivery["id"])


def lifespan(workspaces: Workspaces, governance: Governance):
    """The app's lifespan: the dispatcher runs from start-up to shutdown; at shutdown, capacity leased and
    not used goes back, and the request log writes what it still holds.

    The log is written here, not left to the process's exit: after a graceful shutdown on SIGTERM (how
    `serve`'s supervisor stops each worker, and how Kubernetes stops a pod) uvicorn raises the signal
    again with its default action, which ends the process without running `atexit` handlers, and the
    entries of the last fifth of a second were lost."""

    @contextlib.asynccontextmanager
    async def running(_app):
        dispatcher = Dispatcher(workspaces, governance)
        task = asyncio.create_task(dispatcher.run(), name="webhooks")
        try:
            yield
        finally:
            dispatcher.stop()
            try:
                await asyncio.wait_for(task, dispatcher.timeout + 5)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                pass
            try:
                governance.capacity.release()
            except OUTAGE_TYPES as error:
                if not unavailable(error):
                    raise
                # the database is away: at most a lease's calls per connector stay counted for the day
            governance.log.close()  # every request has been answered by now (uvicorn drains them first)

    return running
