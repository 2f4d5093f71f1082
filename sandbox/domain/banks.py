"""A sandbox bank's rules as data: fee tiers, limits, cut-off time and モアタイム participation.

The rules come from the seeding profile (fixtures/profiles/*.yaml) and are stored with the workspace,
so each bank of each workspace can differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from .calendar import parse_clock_time
from .risk import ApprovalPolicy

ROUTES = ("same_branch", "same_bank", "other_bank")


@dataclass(frozen=True)
class FeeSchedule:
    """Fees by route and by whether the amount is under the threshold (30,000 yen by custom)."""

    threshold: int = 30_000
    tiers: dict = field(default_factory=lambda: {
        "same_branch": (0, 0), "same_bank": (110, 220), "other_bank": (330, 440)
    })

    def fee(self, route: str, amount: int) -> int:
        under, over = self.tiers[route]
        return under if amount < self.threshold else over

    @classmethod
    def from_dict(cls, data: dict | None) -> "FeeSchedule":
        if not data:
            return cls()
        tiers = {route: (int(data[route]["under"]), int(data[route]["over"])) for route in ROUTES}
        return cls(threshold=int(data.get("threshold", 30_000)), tiers=tiers)

    def to_dict(self) -> dict:
        return {"threshold": self.threshold, **{r: {"under": u, "over": o} for r, (u, o) in self.tiers.items()}}


@dataclass(frozen=True)
class Limits:
    """Per-transfer and per-day limits for one kind of customer (individual or corporate)."""

    per_transfer: int
    per_day: int


@dataclass(frozen=True)
class BankRules:
    code: str
    cutoff: time = time(15, 0)
    moretime: bool = True
    fees: FeeSchedule = field(default_factory=FeeSchedule)
    limits: dict = field(default_factory=lambda: {
        "individual": Limits(1_000_000, 2_000_000), "corporate": Limits(100_000_000, 300_000_000)
    })
    max_days_ahead: int = 60
    approval: ApprovalPolicy = field(default_factory=ApprovalPolicy)

    @classmethod
    def from_dict(cls, code: str, data: dict) -> "BankRules":
        limits = {kind: Limits(int(v["per_transfer"]), int(v["per_day"])) for kind, v in (data.get("limits") or {}).items()}
        return cls(
            code=code,
            cutoff=parse_clock_time(data.get("cutoff", "15:00")),
            moretime=bool(data.get("moretime", True)),
            fees=FeeSchedule.from_dict(data.get("fees")),
            limits=limits or cls.__dataclass_fields__["limits"].default_factory(),
            max_days_ahead=int(data.get("max_days_ahead", 60)),
            approval=ApprovalPolicy.from_dict(data.get("approval")),
        )

    def to_dict(self) -> dict:
        return {
            "cutoff": self.cutoff.strftime("%H:%M"),
            "moretime": self.moretime,
            "fees": self.fees.to_dict(),
            "limits": {k: {"per_transfer": v.per_transfer, "per_day": v.per_day} for k, v in self.limits.items()},
            "max_days_ahead": self.max_days_ahead,
            "approval": self.approval.to_dict(),
        }
