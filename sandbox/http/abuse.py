"""Where the abuse monitor meets the request path: the gate's hold, the actions' signals, the answer's signals.

- `hold_back` (the gate): a connector a rule throttled gets 429 `abuse_throttled` with Retry-After;
- `watcher` (a bank view): lets the actions report name inquiries, transfers and cancellations;
- `after_call` (the request log's middleware): refusals for scope, plan or consent (scope probing),
  reused idempotency keys, and calls made before a Retry-After ran out (retry storm);
- `locked_client` / `failed_token` (the token endpoint): failed client authentications and token
  guesses per client id (credential stuffing), and the lock that follows;
- `AlertSender`: each alert raised, sent to the endpoints bank staff registered.
"""

from __future__ import annotations

import queue
import threading
import time

import httpx
import orjson

from ..domain.abuse import Signal
from ..domain.errors import CANONICAL_ERRORS
from ..governance import Governance
from ..governance.abuse import Monitor
from ..governance.webhooks import backoff, sign
from .webhooks import TIMEOUT_S, USER_AGENT

# Refusals that say the connector asked for what its scopes, plan or the customer's consent do not allow.
PROBING = frozenset({"scope_missing", "plan_forbidden", "consent_required", "forbidden"})


def hold_back(monitor: Monitor, state: dict, connector_id: str, refusal) -> None:
    """Raise `refusal("abuse_throttled", ...)` while a rule holds the connector back (the gate, once per call)."""
    if not monitor.enabled:
        return
    hold, state["wait_until"] = monitor.held(connector_id, time.time())
    if hold is not None:
        raise refusal("abuse_throttled", f"connector {connector_id} tripped the rule {hold.rule}: calls are refused "
                                         f"for {hold.seconds} more seconds", headers={"Retry-After": str(hold.seconds)})


def watcher(monitor: Monitor, ctx, evidence: str):
    """The `Context.watch` of one connector's call: its signals counted on the workspace's clock (None: rules off)."""
    if not monitor.enabled:
        return None

    def watch(signal: Signal, bank_code: str) -> str | None:
        return monitor.observe_in(ctx, signal, connector_id=ctx.connector_id, bank_code=bank_code, evidence=evidence)

    return watch


def retry_after(headers) -> int | None:
    """The Retry-After (seconds) among raw ASGI response headers, or None."""
    for name, value in headers:
        if name.lower() == b"retry-after":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def after_call(monitor: Monitor, state: dict, bank_code: str | None, status: int) -> None:
    """Count what the answer to a connector's call says about its behaviour."""
    connector, workspace = state.get("connector"), state.get("workspace")
    if connector is None or workspace is None or not monitor.enabled:
        return
    wall, code = time.time(), state.get("error_code")
    rules = []
    # The gate read it with the hold; a call refused before that (a bad scope) reads it here.
    waiting = state["wait_until"] if "wait_until" in state else monitor.waiting_until(connector)
    if waiting is not None and wall < waiting:
        rules.append("retry_storm")
    if code in PROBING:
        rules.append("scope_probing")
    elif code == "idempotency_conflict":
        rules.append("idempotency_mismatch")
    if status in (429, 503) and state.get("retry_after"):
        monitor.told_to_wait(connector, workspace, wall + state["retry_after"])
    for rule in rules:
        monitor.observe_call(Signal(rule, connector), workspace=workspace, connector_id=connector, bank_code=bank_code,
                             evidence=state.get("interaction_id"))


def locked_client(governance: Governance, client_id: str | None) -> tuple[int, dict, dict] | None:
    """The token endpoint's refusal of a client that credential stuffing locked: (status, body, headers)."""
    connector = governance.connectors.find(client_id) if client_id and governance.abuse.enabled else None
    if connector is None:
        return None
    hold, _ = governance.abuse.held(connector.id, time.time())
    if hold is None:
        return None
    status, _ = CANONICAL_ERRORS["abuse_throttled"]
    return status, {"error": "abuse_throttled", "error_description": f"client {connector.id} tripped the rule "
                    f"{hold.rule}: it is locked for {hold.seconds} more seconds"}, {"Retry-After": str(hold.seconds)}


def failed_token(governance: Governance, client_id: str | None, evidence: str | None = None) -> None:
    """Count a failed client authentication or token guess against the client id it named."""
    connector = governance.connectors.find(client_id) if client_id and governance.abuse.enabled else None
    if connector is not None:
        governance.abuse.observe_call(Signal("credential_stuffing", connector.id), workspace=connector.workspace,
                                      connector_id=connector.id, bank_code=None, evidence=evidence)


class AlertSender:
    """Sends `alert.raised` to the workspace's staff endpoints, signed as the connectors' webhooks are.

    The request that raised the alert only queues it; one thread of the worker sends, retrying a failed
    endpoint with the webhooks' backoff up to `ATTEMPTS` times. Alerts are rare, so nothing waits in a table.
    """

    ATTEMPTS = 5

    def __init__(self, monitor: Monitor):
        self.monitor = monitor
        self.queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def __call__(self, alert: dict) -> None:
        for endpoint in self.monitor.endpoints(alert["workspace"], with_secret=True):
            self.queue.put((endpoint, alert, 0))
        with self._lock:
            if self._thread is None and not self.queue.empty():
                self._thread = threading.Thread(target=self._run, name="alert-webhooks", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        with httpx.Client(timeout=TIMEOUT_S, headers={"User-Agent": USER_AGENT}) as client:
            while True:
                endpoint, alert, attempts = self.queue.get()
                if not self._send(client, endpoint, alert) and attempts + 1 < self.ATTEMPTS:
                    threading.Timer(backoff(attempts + 1), self.queue.put, ((endpoint, alert, attempts + 1),)).start()

    @staticmethod
    def _send(client: httpx.Client, endpoint: dict, alert: dict) -> bool:
        event_id = f"evt_{alert['id']}"
        body = orjson.dumps({"id": event_id, "type": "alert.raised", "occurred_at": alert["raised_at"],
                             "workspace": alert["workspace"], "data": alert})
        headers = {"Content-Type": "application/json", "Sandbox-Signature": sign(endpoint["secret"], body, int(time.time())),
                   "Sandbox-Event-Id": event_id, "Sandbox-Event-Type": "alert.raised"}
        try:
            return 200 <= client.post(endpoint["url"], content=body, headers=headers).status_code < 300
        except httpx.HTTPError:
            return False
