"""Connectors registered against workspaces: what the control plane and the CLI both call.

The governance layer keeps connectors; this module checks them against the workspace they belong to
(the workspace exists, a self-use connector's customer is one of its corporate customers) and reports
capacity and usage by that workspace's sandbox clock.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from .actions import accounts
from .domain.calendar import is_peak_day, parse_date_range
from .domain.errors import SandboxError
from .governance import Governance
from .workspaces import Workspaces

PEAK_HORIZON_DAYS = 31


class ConnectorRegistry:
    def __init__(self, workspaces: Workspaces, governance: Governance):
        self.workspaces = workspaces
        self.governance = governance
        self.connectors = governance.connectors

    def create(self, workspace: str, **fields) -> dict:
        """Register a connector; the answer carries its client secret, shown this once."""
        ctx = self.workspaces.context(workspace)  # workspace_not_found for an unknown workspace
        if fields.get("connector_class") == "self-use" and fields.get("customer_id"):
            customer = accounts.customer(ctx, fields["customer_id"])
            if customer["kind"] != "corporate":
                raise SandboxError("invalid_request", f"customer {customer['id']} is an individual; a self-use connector "
                                                      "belongs to a corporate customer", field="customer_id")
        connector, secret = self.connectors.create(workspace, **fields)
        return credentials(connector, secret)

    def rotate_secret(self, connector_id) -> dict:
        connector, secret = self.connectors.rotate_secret(connector_id)
        return credentials(connector, secret)

    def capacity(self, connector_id) -> dict:
        connector = self.connectors.get(connector_id)
        plan = self.governance.plans.get(connector.plan)
        today = self.workspaces.context(connector.workspace).now().date()
        days = (today + timedelta(days=n) for n in range(PEAK_HORIZON_DAYS))
        return {
            "connector_id": connector.id, "plan": plan.name, "today": today.isoformat(), "peak_today": is_peak_day(today),
            "effective": plan.capacity_on(today).to_dict(),
            "used_today": self.governance.capacity.used_today(connector.id, today),
            "capacity": plan.capacity.to_dict(), "peak": plan.peak.to_dict(),
            "peak_days": [{"date": d.isoformat(), "capacity": plan.peak.to_dict()} for d in days if is_peak_day(d)],
        }

    def usage(self, connector_id, date_from=None, date_to=None) -> dict:
        """Calls per day, bank and operation, and what the months would cost on the connector's plan."""
        connector = self.connectors.get(connector_id)
        plan = self.governance.plans.get(connector.plan)
        start, end = parse_date_range(date_from, date_to)
        lines = self.governance.log.usage(connector.id, day_from=start and start.isoformat(), day_to=end and end.isoformat())
        months = defaultdict(int)
        for line in lines:
            months[line["day"][:7]] += line["calls"]
        bills = [{"month": month, "calls": calls, "yen": plan.price(calls)} for month, calls in sorted(months.items())]
        return {"connector_id": connector.id, "plan": plan.name, "calls": sum(l["calls"] for l in lines),
                "refused": sum(l["refused"] for l in lines), "lines": lines,
                "billing_preview": {"months": bills, "total_yen": sum(b["yen"] for b in bills)}}

    def held(self, workspace: str) -> frozenset:
        """Suspended connectors of the workspace: their scheduled transfers wait when they fall due."""
        return frozenset(c.id for c in self.connectors.list(workspace) if c.suspended)


def credentials(connector, secret: str) -> dict:
    return {**connector.to_dict(), "client_id": connector.id, "client_secret": secret,
            "token_endpoint": "/oauth/token", "authorization_endpoint": "/oauth/authorize"}
