"""Governance of connectors: the registry, plans, OAuth grants and tokens, capacity and the request log.

Sits beside the bindings, above the actions: it decides whether a call may reach a bank at all, and
keeps what must outlive a workspace reset (connectors and their credentials) in its own database.
"""

from __future__ import annotations

from pathlib import Path

from ..store.abuse import AbuseStore
from ..store.governance import CounterStore, GovernanceStore
from .abuse import Monitor
from .capacity import CapacityMeter, Decision
from .connectors import CLASSES, Connector, Connectors
from .dpop import ProofError, Proofs, SeenIds
from .keys import PublicKeys
from .plans import Capacity, Plan, Plans
from .requestlog import Entry, RequestLog
from .tokens import Grant, Token, TokenStore


class Governance:
    def __init__(self, data_dir: Path | str, plans_path: Path, database_url: str | None = None):
        # SQLite files under `data_dir`, or schemas in the PostgreSQL server at `database_url`.
        self.store = GovernanceStore(data_dir, database_url)
        self.plans = Plans(plans_path)
        self.connectors = Connectors(self.store, self.plans)
        self.tokens = TokenStore(self.store)
        self.capacity = CapacityMeter(CounterStore(data_dir, database_url))
        self.log = RequestLog(self.store)
        self.seen_ids = SeenIds(self.store)
        self.proofs = Proofs(self.seen_ids)
        self.public_keys = PublicKeys()
        self.abuse = Monitor(AbuseStore(data_dir, database_url), self.connectors, self.tokens)


__all__ = ["CLASSES", "Capacity", "CapacityMeter", "Connector", "Connectors", "Decision", "Entry", "Governance", "Grant",
           "Monitor", "Plan", "Plans", "ProofError", "Proofs", "PublicKeys", "RequestLog", "SeenIds", "Token", "TokenStore"]
