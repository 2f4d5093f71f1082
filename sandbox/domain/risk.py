"""Risk-based authentication: when a transfer a connector asks for must wait for the customer's approval.

A bank's policy is data (the `approval` rules of each bank in the seeding profile). It looks at the
amount, whether the payee is new for the paying account, how many transfers the account asked for in
the last hour, and who is asking (a third-party connector acting for a customer, or a company's own
self-use connector, whose large transfers need an approver (承認) as in Japanese corporate banking).
"""

from __future__ import annotations

from dataclasses import dataclass

# ... and the abuse rules whose action is step_up (domain/abuse.py), named by their rule id.
REASONS = ("amount", "new_payee", "frequency", "corporate_approval", "scenario", "structuring", "new_payee_velocity")


@dataclass(frozen=True)
class ApprovalPolicy:
    # Third-party connectors: a transfer above this amount (yen) waits for the customer's approval.
    amount_over: int | None = 1_000_000
    # ... and so does the first transfer from an account to a payee it never paid before.
    new_payee: bool = True
    # ... and any transfer beyond this many from one account within an hour.
    per_hour: int | None = 10
    # Which connector classes the three checks above apply to.
    classes: tuple[str, ...] = ("third-party",)
    # Self-use connectors of corporate customers: a transfer above this amount needs an approver (承認).
    corporate_approval_over: int | None = 5_000_000
    # How long a transfer waits for approval before it expires.
    expires_minutes: int = 30

    @classmethod
    def from_dict(cls, data: dict | None) -> "ApprovalPolicy":
        if not data:
            return cls()
        defaults = cls()
        return cls(
            amount_over=data.get("amount_over", defaults.amount_over),
            new_payee=bool(data.get("new_payee", defaults.new_payee)),
            per_hour=data.get("per_hour", defaults.per_hour),
            classes=tuple(data.get("classes", defaults.classes)),
            corporate_approval_over=data.get("corporate_approval_over", defaults.corporate_approval_over),
            expires_minutes=int(data.get("expires_minutes", defaults.expires_minutes)),
        )

    def to_dict(self) -> dict:
        return {"amount_over": self.amount_over, "new_payee": self.new_payee, "per_hour": self.per_hour,
                "classes": list(self.classes), "corporate_approval_over": self.corporate_approval_over,
                "expires_minutes": self.expires_minutes}

    def reasons(self, *, connector_class: str | None, customer_kind: str, amount: int, new_payee: bool,
                last_hour: int) -> list[str]:
        """Why the transfer needs approval (empty: it does not). No connector (bank staff): never."""
        found: list[str] = []
        if connector_class is None:
            return found
        if connector_class in self.classes:
            if self.amount_over is not None and amount > self.amount_over:
                found.append("amount")
            if self.new_payee and new_payee:
                found.append("new_payee")
            if self.per_hour is not None and last_hour >= self.per_hour:
                found.append("frequency")
        if (connector_class == "self-use" and customer_kind == "corporate" and self.corporate_approval_over is not None
                and amount > self.corporate_approval_over):
            found.append("corporate_approval")
        return found
