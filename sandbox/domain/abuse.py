"""Business-logic abuse rules: what a bank watches for across a connector's requests, and what it does.

Each request is judged alone elsewhere (a valid transfer, a scope the token has); these rules look
across requests, over a fixed window of the workspace's sandbox time. A rule counts one kind of signal
per key (a connector, an account, a client id), and trips when the window's figures pass its
thresholds. Its `action` says what the bank then does: `alert` (record it only), `step_up` (the
transfer waits for the customer's approval), `throttle` (429 with Retry-After for the connector) or
`suspend` (the kill switch). A bank tunes them under `rules.abuse` of its entry in a seeding profile
or its folder's bank.yaml; what it leaves out keeps the defaults below. Pure data and arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

ACTIONS = ("alert", "step_up", "throttle", "suspend")


@dataclass(frozen=True)
class Rule:
    id: str
    # The length of one window, in seconds of sandbox time.
    window_seconds: int
    # How many signals in one window trip the rule (for shares: at least this many before the share counts).
    count: int
    action: str = "alert"
    # How long a throttle (or a locked client) lasts, in seconds.
    throttle_seconds: int = 300
    # Rule-specific thresholds (a share of misses, a margin under a threshold), see RULES.
    share: float | None = None
    enabled: bool = True

    def to_dict(self) -> dict:
        data = {"window_seconds": self.window_seconds, "count": self.count, "action": self.action,
                "throttle_seconds": self.throttle_seconds, "enabled": self.enabled}
        if self.share is not None:
            data["share"] = self.share
        return data


# The defaults, chosen so that honest work (a customer paying a handful of new payees, a retry after
# Retry-After, a few refusals while a developer finds the right scope) stays far below them.
RULES: dict[str, Rule] = {rule.id: rule for rule in (
    # Distinct accounts inquired per connector, and per customer it acts for; trips once `count` are reached
    # and `share` of them missed (no such account, or the name did not match) or followed the previous
    # number (…001, …002).
    Rule("name_inquiry_enumeration", 600, 20, "throttle", share=0.5),
    # Transfers from one account within `share` (a fraction) under the bank's approval amount or
    # per-transfer limit; trips at the `count`-th whose sum passes that threshold.
    Rule("structuring", 86_400, 3, "step_up", share=0.1),
    # First-time payees paid from one account.
    Rule("new_payee_velocity", 3_600, 6, "step_up"),
    # Transfers cancelled by one connector.
    Rule("cancel_cycling", 3_600, 8, "alert"),
    # Requests refused because their Idempotency-Key was used with another body, per connector.
    Rule("idempotency_mismatch", 600, 5, "alert"),
    # Calls made while an earlier answer's Retry-After (429, 503) had not run out, per connector.
    Rule("retry_storm", 60, 60, "throttle", throttle_seconds=120),
    # Failed client authentications at the token endpoint, per client id; the client is locked.
    Rule("credential_stuffing", 600, 10, "throttle", throttle_seconds=900),
    # Calls refused for a scope, plan or consent the connector does not have.
    Rule("scope_probing", 600, 30, "suspend"),
)}


@dataclass(frozen=True)
class AbusePolicy:
    rules: dict = field(default_factory=lambda: dict(RULES))

    def rule(self, rule_id: str) -> Rule | None:
        """The rule, or None when the bank turned it off."""
        rule = self.rules.get(rule_id)
        return rule if rule is not None and rule.enabled else None

    @classmethod
    def from_dict(cls, data: dict | None) -> AbusePolicy:
        """The defaults, each overridden by what the bank declares for it (field by field)."""
        rules = dict(RULES)
        for rule_id, given in (data or {}).items():
            rules[rule_id] = replace(RULES[rule_id], **(given or {}))
        return cls(rules)

    def to_dict(self) -> dict:
        return {rule_id: rule.to_dict() for rule_id, rule in self.rules.items()}


def threshold_margin(amount: int, threshold: int | None, share: float) -> bool:
    """Whether `amount` sits just under `threshold`: within `share` of it, never over it."""
    return threshold is not None and threshold * (1 - share) <= amount <= threshold


@dataclass(frozen=True)
class Signal:
    """One observation for one rule."""

    rule: str
    key: str                    # whose window it counts in: a connector, a customer, an account, a client id
    item: str | None = None     # counted once per window (distinct account numbers, distinct payees)
    number: int | None = None   # the item as a number: consecutive numbers count like misses
    miss: bool = False
    amount: int = 0
    threshold: int | None = None  # the amount a structuring sum is measured against
    subject: str | None = None    # the customer or account the alert is about


# `rules.abuse` of a bank (BANK_SCHEMA): one optional mapping per rule id.
_RULE_SCHEMA = {"type": "object", "additionalProperties": False, "properties": {
    "window_seconds": {"type": "integer", "minimum": 1, "maximum": 7 * 86_400},
    "count": {"type": "integer", "minimum": 1},
    "action": {"enum": list(ACTIONS)},
    "throttle_seconds": {"type": "integer", "minimum": 1, "maximum": 86_400},
    "share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
    "enabled": {"type": "boolean"}}}
SCHEMA = {"type": "object", "additionalProperties": False, "properties": {rule_id: _RULE_SCHEMA for rule_id in RULES}}
