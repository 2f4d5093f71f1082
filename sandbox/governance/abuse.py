"""The abuse monitor: business-logic rules evaluated over windowed counters, the alerts they raise, their actions.

The request path reports signals (a name inquiry, a transfer just under a threshold, a refusal for a
missing scope...). Each signal is one UPSERT on its rule's window for its key (`store/abuse.py`), whose
RETURNING gives the window's figures; the rule (`domain/abuse.py`, the bank's data) says whether they
trip it. The first trip of a window raises one alert, with the figures and the interaction ids of the
requests that prove it, and applies the rule's action: `throttle` and `suspend` act on the connector
here; `step_up` is answered to the caller (a transfer then waits for approval). While a window stays
tripped, its action stays in force for that key. Windows run on the workspace's sandbox clock; a
throttle lasts real seconds, as the Retry-After that announces it counts them (a frozen sandbox clock
must not hold a connector back for ever).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..domain.abuse import AbusePolicy, Rule, Signal
from ..domain.errors import SandboxError
from ..domain.identifiers import new_id
from ..store.abuse import AbuseStore
from .connectors import Connectors
from .recent import Recent
from .tokens import TokenStore
from .webhooks import MAX_ENDPOINTS, check_url

STATUSES = ("open", "resolved")
EVIDENCE_KEPT = 20  # interaction ids kept per window: the latest ones


@dataclass(frozen=True)
class Hold:
    """A connector refused for a while by a rule (throttle, or a client locked)."""

    rule: str
    seconds: int


class Monitor:
    def __init__(self, store: AbuseStore, connectors: Connectors, tokens: TokenStore):
        self.store = store
        self.connectors = connectors
        self.tokens = tokens
        # Set by `attach` (the composition root): a workspace's context (its clock and its banks' rules) by
        # name; off, nothing is counted and nobody is held back; what each alert is handed to as it is raised.
        self.context_for: Callable | None = None
        self.enabled = True
        self.on_alert: Callable[[dict], None] | None = None
        # Every connector's call reads its hold: kept per thread until the holds change (`Recent`).
        self._holds = Recent(store.data_version)

    def attach(self, context_for: Callable, *, enabled: bool = True, on_alert: Callable[[dict], None] | None = None):
        """Wire the monitor to the workspaces (their clocks and banks), the setting, and the staff webhooks."""
        self.context_for, self.enabled, self.on_alert = context_for, enabled, on_alert

    def observe_call(self, signal: Signal, *, workspace: str, connector_id: str, bank_code: str | None,
                     evidence: str | None = None) -> str | None:
        """`observe_in` for a call seen outside an action, in the named workspace (gone: nothing to watch)."""
        try:
            ctx = self.context_for(workspace)
        except SandboxError:
            return None
        return self.observe_in(ctx, signal, connector_id=connector_id, bank_code=bank_code, evidence=evidence)

    def observe_in(self, ctx, signal: Signal, *, connector_id: str, bank_code: str | None,
                   evidence: str | None = None) -> str | None:
        """`observe` on the workspace's clock, under the rules of the bank `bank_code` (the defaults for none)."""
        bank = ctx.bank(bank_code) if bank_code else None
        policy = bank["rules"].abuse if bank else AbusePolicy()
        return self.observe(signal, workspace=ctx.workspace, connector_id=connector_id, policy=policy, at=ctx.now(),
                            evidence=evidence, bank_code=bank_code)

    def observe(self, signal: Signal, *, workspace: str, connector_id: str | None, policy: AbusePolicy,
                at: datetime, evidence: str | None = None, bank_code: str | None = None) -> str | None:
        """Count `signal`; the action of its rule when the rule is tripped for this key now, else None."""
        rule = policy.rule(signal.rule)
        if rule is None:
            return None
        epoch = int(at.timestamp())
        window = epoch - epoch % rule.window_seconds
        conn = self.store.conn
        if signal.item is not None and conn.execute(_SEEN, (workspace, rule.id, signal.key, signal.item, window)).fetchone() is None:
            return self._in_force(workspace, rule, signal.key, window)  # counted already in this window
        count, misses, total, tripped = conn.execute(_COUNT, (
            workspace, rule.id, signal.key, window, int(signal.miss), signal.amount, signal.number, evidence,
            signal.number is not None, EVIDENCE_KEPT)).fetchone()
        if tripped:
            return rule.action
        if not _trips(rule, count, misses, total, signal.threshold):
            return None
        if conn.execute("UPDATE windows SET tripped = 1 WHERE workspace = ? AND rule = ? AND key = ? AND tripped = 0 "
                        "RETURNING evidence", (workspace, rule.id, signal.key)).fetchone() is None:
            return rule.action  # another worker raised it a moment ago
        figures = {"window_start": datetime.fromtimestamp(window, at.tzinfo).isoformat(timespec="seconds"),
                   "window_seconds": rule.window_seconds, "count": count, "threshold_count": rule.count}
        if rule.share is not None and signal.threshold is None:
            figures.update(misses=misses, share=round(misses / count, 3), threshold_share=rule.share)
        if signal.threshold is not None:
            figures.update(total=total, threshold_amount=signal.threshold)
        self._raise(workspace, rule, connector_id, signal, figures, at, bank_code)
        return rule.action

    def _in_force(self, workspace: str, rule: Rule, key: str, window: int) -> str | None:
        row = self.store.conn.execute("SELECT tripped FROM windows WHERE workspace = ? AND rule = ? AND key = ? AND "
                                      "window = ?", (workspace, rule.id, key, window)).fetchone()
        return rule.action if row and row[0] else None

    def _raise(self, workspace, rule: Rule, connector_id, signal: Signal, figures: dict, at: datetime, bank_code,
) -> None:
        conn = self.store.conn
        ids = json.loads(conn.execute("SELECT evidence FROM windows WHERE workspace = ? AND rule = ? AND key = ?",
                                      (workspace, rule.id, signal.key)).fetchone()[0])
        alert_id = new_id("alr")
        conn.execute("INSERT INTO alerts (id, workspace, rule, connector_id, subject, bank_code, action, figures, "
                     "evidence, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (alert_id, workspace, rule.id, connector_id, signal.subject or signal.key, bank_code, rule.action,
                      json.dumps(figures), json.dumps(ids), at.isoformat(timespec="seconds")))
        if connector_id is not None and rule.action == "throttle":
            conn.execute("INSERT INTO holds (connector_id, workspace, until, rule) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (connector_id) DO UPDATE SET until = excluded.until, rule = excluded.rule",
                         (connector_id, workspace, time.time() + rule.throttle_seconds, rule.id))
            self._holds.clear()  # this thread's own write does not move its data_version
        elif connector_id is not None and rule.action == "suspend":
            self.connectors.suspend(connector_id, actor="abuse monitor", reason=rule.id)
            self.tokens.forget_cached()  # written by this thread: its cached tokens would not notice
        if self.on_alert is not None:
            self.on_alert(self.get(workspace, alert_id))

    # --- holds: throttled connectors, and the Retry-After they were given ---

    def held(self, connector_id: str, now: float) -> tuple[Hold | None, float | None]:
        """The rule holding the connector back and for how many more seconds (or None), and until when
        (wall clock) the last Retry-After it was given runs: one read serves both checks of a call."""
        holds = self._holds.entries()
        if connector_id not in holds:
            holds[connector_id] = self.store.conn.execute("SELECT until, rule, wait_until FROM holds WHERE connector_id = ?",
                                                          (connector_id,)).fetchone()
        row = holds[connector_id]
        if row is None:
            return None, None
        if row[0] is None or row[0] <= now:
            return None, row[2]
        return Hold(row[1], max(1, int(row[0] - now + 0.999))), row[2]

    def told_to_wait(self, connector_id: str, workspace: str, until: float) -> None:
        """Remember that the connector was told to wait until `until` (wall clock): a 429 or 503 with Retry-After."""
        self.store.conn.execute("INSERT INTO holds (connector_id, workspace, wait_until) VALUES (?, ?, ?) "
                                "ON CONFLICT (connector_id) DO UPDATE SET wait_until = excluded.wait_until",
                                (connector_id, workspace, until))
        self._holds.clear()

    def waiting_until(self, connector_id: str) -> float | None:
        """Until when (wall clock) the last Retry-After the connector was given runs, or None."""
        row = self.store.conn.execute("SELECT wait_until FROM holds WHERE connector_id = ?", (connector_id,)).fetchone()
        return row[0] if row else None

    # --- alerts, for bank staff ---

    def alerts(self, workspace: str, *, connector_id=None, rule=None, status=None, limit: int = 50,
               cursor=None) -> dict:
        """The workspace's alerts, newest first; `next_cursor` pages on."""
        clauses, params = ["workspace = ?"], [workspace]
        for column, value in (("connector_id", connector_id), ("rule", rule), ("status", status)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if cursor is not None:
            try:
                clauses.append("seq < ?")
                params.append(int(cursor))
            except (TypeError, ValueError):
                raise SandboxError("invalid_request", "cursor is not one this list handed out", field="cursor") from None
        if status is not None and status not in STATUSES:
            raise SandboxError("invalid_request", f"status must be one of {', '.join(STATUSES)}", field="status")
        rows = self.store.conn.execute(f"SELECT seq, {_FIELDS} FROM alerts WHERE {' AND '.join(clauses)} "
                                       "ORDER BY seq DESC LIMIT ?", (*params, limit + 1)).fetchall()
        return {"alerts": [_alert(row[1:]) for row in rows[:limit]],
                "next_cursor": str(rows[limit - 1][0]) if len(rows) > limit else None}

    def get(self, workspace: str, alert_id: str) -> dict:
        row = self.store.conn.execute(f"SELECT {_FIELDS} FROM alerts WHERE workspace = ? AND id = ?",
                                      (workspace, alert_id)).fetchone()
        if row is None:
            raise SandboxError("alert_not_found", f"workspace {workspace} has no alert {alert_id!r}", alert_id=alert_id)
        return _alert(row)

    def resolve(self, workspace: str, alert_id: str, note: str | None, at: datetime) -> dict:
        """Close an open alert with a note; closing it twice is refused."""
        if note is not None and (not isinstance(note, str) or len(note) > 500):
            raise SandboxError("invalid_request", "note must be text of at most 500 characters", field="note")
        alert = self.get(workspace, alert_id)
        if alert["status"] != "open":
            raise SandboxError("alert_resolved", f"alert {alert_id} was resolved at {alert['resolved_at']}")
        self.store.conn.execute("UPDATE alerts SET status = 'resolved', resolved_at = ?, note = ? WHERE id = ? AND "
                                "status = 'open'", (at.isoformat(timespec="seconds"), note, alert_id))
        return self.get(workspace, alert_id)

    def forget(self, workspace: str, *, endpoints: bool = False) -> None:
        """A reset: the workspace's alerts, windows and holds go; with `endpoints` (a deletion) its alert endpoints too."""
        self.store.forget(workspace, endpoints=endpoints)
        self._holds.clear()

    # --- where bank staff want alerts sent (`alert.raised`, signed like the connectors' webhooks) ---

    def add_endpoint(self, workspace: str, url, now: str) -> dict:
        """Register a staff endpoint; its signing secret is returned this once."""
        url = check_url(url)
        if self.store.conn.execute("SELECT count(*) FROM staff_endpoints WHERE workspace = ?",
                                   (workspace,)).fetchone()[0] >= MAX_ENDPOINTS:
            raise SandboxError("invalid_request", f"a workspace has at most {MAX_ENDPOINTS} alert endpoints", field="url")
        endpoint = {"id": new_id("ahk"), "workspace": workspace, "url": url, "created_at": now,
                    "secret": f"whsec_{secrets.token_urlsafe(24)}"}
        self.store.conn.execute("INSERT INTO staff_endpoints (id, workspace, url, secret, created_at) VALUES "
                                "(:id, :workspace, :url, :secret, :created_at)", endpoint)
        return endpoint

    def endpoints(self, workspace: str, *, with_secret: bool = False) -> list[dict]:
        rows = self.store.conn.execute("SELECT id, workspace, url, created_at, secret FROM staff_endpoints WHERE "
                                       "workspace = ? ORDER BY created_at, id", (workspace,)).fetchall()
        shown = [dict(zip(("id", "workspace", "url", "created_at", "secret"), row)) for row in rows]
        return shown if with_secret else [{k: v for k, v in each.items() if k != "secret"} for each in shown]

    def delete_endpoint(self, workspace: str, endpoint_id: str) -> None:
        if self.store.conn.execute("DELETE FROM staff_endpoints WHERE workspace = ? AND id = ? RETURNING id",
                                   (workspace, endpoint_id)).fetchone() is None:
            raise SandboxError("not_found", f"workspace {workspace} has no alert endpoint {endpoint_id!r}")


def _trips(rule: Rule, count: int, misses: int, total: int, threshold: int | None) -> bool:
    if count < rule.count:
        return False
    if threshold is not None:  # structuring: the repeated amounts together pass the threshold they stay under
        return total > threshold
    if rule.share is not None:
        return misses / count >= rule.share
    return True


_FIELDS = ("id, workspace, rule, connector_id, subject, bank_code, action, figures, evidence, status, raised_at, "
           "resolved_at, note")


def _alert(row) -> dict:
    data = dict(zip([name.strip() for name in _FIELDS.split(",")], row))
    data["figures"] = json.loads(data["figures"])
    data["evidence"] = {"interaction_ids": json.loads(data["evidence"])}
    return data


# Counted once per window: a row per (rule, key, item); RETURNING answers only when it is new to this window.
_SEEN = """
INSERT INTO seen (workspace, rule, key, item, window) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (workspace, rule, key, item) DO UPDATE SET window = excluded.window WHERE window <> excluded.window
RETURNING 1
"""

# One signal: a new window starts afresh; an inquiry for the number after (or before) the last one
# counts like a miss; the evidence keeps the latest interaction ids.
_COUNT = """
INSERT INTO windows (workspace, rule, key, window, count, misses, total, last, evidence)
VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, CASE WHEN ?8 IS NULL THEN '[]' ELSE json_array(?8) END)
ON CONFLICT (workspace, rule, key) DO UPDATE SET
    count = CASE WHEN window = excluded.window THEN count + 1 ELSE 1 END,
    misses = CASE WHEN window = excluded.window
        THEN misses + max(excluded.misses, CASE WHEN ?9 = 1 AND last IS NOT NULL AND abs(excluded.last - last) = 1 THEN 1 ELSE 0 END)
        ELSE excluded.misses END,
    total = CASE WHEN window = excluded.window THEN total + excluded.total ELSE excluded.total END,
    tripped = CASE WHEN window = excluded.window THEN tripped ELSE 0 END,
    evidence = CASE WHEN window <> excluded.window THEN excluded.evidence
        WHEN ?8 IS NULL THEN evidence
        WHEN json_array_length(evidence) >= ?10 THEN json_insert(json_remove(evidence, '$[0]'), '$[#]', ?8)
        ELSE json_insert(evidence, '$[#]', ?8) END,
    last = excluded.last,
    window = excluded.window
RETURNING count, misses, total, tripped
"""
