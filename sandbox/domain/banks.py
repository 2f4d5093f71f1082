"""A sandbox bank as data: who it is (code, names, branches) and its rules (fees, limits, cut-off, モアタイム).

A bank is declared by an entry of a seeding profile (fixtures/profiles/*.yaml) or by a bank folder's
`bank.yaml`; both follow `BANK_SCHEMA`. The rules are stored with the workspace, so each bank of each
workspace can differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from . import abuse
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
    # Core hours (コアタイム): scheduled transfers run from their start on a business day; same-day
    # requests before it wait for it. Zengin's 08:30-15:30 unless the bank says otherwise.
    core_start: time = time(8, 30)
    core_end: time = time(15, 30)
    fees: FeeSchedule = field(default_factory=FeeSchedule)
    limits: dict = field(default_factory=lambda: {
        "individual": Limits(1_000_000, 2_000_000), "corporate": Limits(100_000_000, 300_000_000)
    })
    max_days_ahead: int = 60
    approval: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    # Whether the bank answers beneficiary name inquiries (受取人名照会) about its accounts.
    name_inquiry: bool = True
    # The business-logic abuse rules it watches across requests (domain/abuse.py).
    abuse: abuse.AbusePolicy = field(default_factory=abuse.AbusePolicy)

    @classmethod
    def from_dict(cls, code: str, data: dict) -> "BankRules":
        limits = {kind: Limits(int(v["per_transfer"]), int(v["per_day"])) for kind, v in (data.get("limits") or {}).items()}
        return cls(
            code=code,
            cutoff=parse_clock_time(data.get("cutoff", "15:00")),
            moretime=bool(data.get("moretime", True)),
            core_start=parse_clock_time((data.get("core_hours") or {}).get("start", "08:30")),
            core_end=parse_clock_time((data.get("core_hours") or {}).get("end", "15:30")),
            fees=FeeSchedule.from_dict(data.get("fees")),
            limits=limits or cls.__dataclass_fields__["limits"].default_factory(),
            max_days_ahead=int(data.get("max_days_ahead", 60)),
            approval=ApprovalPolicy.from_dict(data.get("approval")),
            name_inquiry=bool(data.get("name_inquiry", True)),
            abuse=abuse.AbusePolicy.from_dict(data.get("abuse")),
        )

    def to_dict(self) -> dict:
        return {
            "cutoff": self.cutoff.strftime("%H:%M"),
            "moretime": self.moretime,
            "core_hours": {"start": self.core_start.strftime("%H:%M"), "end": self.core_end.strftime("%H:%M")},
            "fees": self.fees.to_dict(),
            "limits": {k: {"per_transfer": v.per_transfer, "per_day": v.per_day} for k, v in self.limits.items()},
            "max_days_ahead": self.max_days_ahead,
            "approval": self.approval.to_dict(),
            "name_inquiry": self.name_inquiry,
            "abuse": self.abuse.to_dict(),
        }


# Place names for generated branches (name, half-width kana), in the order they are handed out.
_PLACES = (
    ("丸の内", "ﾏﾙﾉｳﾁ"), ("新宿", "ｼﾝｼﾞﾕｸ"), ("渋谷", "ｼﾌﾞﾔ"), ("池袋", "ｲｹﾌﾞｸﾛ"), ("上野", "ｳｴﾉ"), ("品川", "ｼﾅｶﾞﾜ"),
    ("横浜", "ﾖｺﾊﾏ"), ("川崎", "ｶﾜｻｷ"), ("大宮", "ｵｵﾐﾔ"), ("千葉", "ﾁﾊﾞ"), ("札幌", "ｻﾂﾎﾟﾛ"), ("仙台", "ｾﾝﾀﾞｲ"),
    ("名古屋", "ﾅｺﾞﾔ"), ("京都", "ｷﾖｳﾄ"), ("梅田", "ｳﾒﾀﾞ"), ("難波", "ﾅﾝﾊﾞ"), ("神戸", "ｺｳﾍﾞ"), ("広島", "ﾋﾛｼﾏ"),
    ("高松", "ﾀｶﾏﾂ"), ("福岡", "ﾌｸｵｶ"), ("熊本", "ｸﾏﾓﾄ"), ("那覇", "ﾅﾊ"), ("金沢", "ｶﾅｻﾞﾜ"), ("静岡", "ｼｽﾞｵｶ"),
)


def generated_branches(count: int) -> list[dict]:
    """`count` branches with deterministic names: 本店営業部 (001), then place names from code 101 on.

    Past the list of places, branches are numbered (第25支店); codes stay three digits up to 899 branches.
    """
    branches = [{"code": "001", "name": "本店営業部", "name_kana": "ﾎﾝﾃﾝｴｲｷﾞﾖｳﾌﾞ"}]
    for n in range(1, count):
        name, kana = _PLACES[n - 1] if n <= len(_PLACES) else (f"第{n}", f"ﾀﾞｲ{n}")
        branches.append({"code": f"{100 + n:03d}", "name": f"{name}支店", "name_kana": kana})
    return branches


def branch_list(branches) -> list[dict]:
    """A bank's branches as listed, or generated when the bank asks for them (`{generate: {count: n}}`)."""
    if isinstance(branches, dict):
        return generated_branches(int(branches["generate"]["count"]))
    return list(branches)


_RANGE = {"type": "object", "required": ["under", "over"], "additionalProperties": False, "properties": {
    "under": {"type": "integer", "minimum": 0}, "over": {"type": "integer", "minimum": 0}}}
_LIMIT = {"type": "object", "required": ["per_transfer", "per_day"], "additionalProperties": False, "properties": {
    "per_transfer": {"type": "integer", "minimum": 1}, "per_day": {"type": "integer", "minimum": 1}}}
_BRANCH = {"type": "object", "required": ["code", "name", "name_kana"], "additionalProperties": False,
           "properties": {"code": {"type": "string", "pattern": "^[0-9]{3}$"},
                          "name": {"type": "string", "minLength": 1}, "name_kana": {"type": "string", "minLength": 1}}}

# One bank: an entry of a profile's `banks`, or a bank folder's bank.yaml (where `slug` defaults to the folder's name).
BANK_SCHEMA = {
    "type": "object",
    "required": ["code", "slug", "name", "name_kana", "branches", "customers"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": "^[0-9]{4}$"},
        "slug": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
        "name": {"type": "string", "minLength": 1},
        "name_kana": {"type": "string", "minLength": 1},
        "branches": {"oneOf": [
            {"type": "array", "minItems": 1, "items": _BRANCH},
            {"type": "object", "required": ["generate"], "additionalProperties": False, "properties": {
                "generate": {"type": "object", "required": ["count"], "additionalProperties": False, "properties": {
                    "count": {"type": "integer", "minimum": 1, "maximum": 899}}}}},
        ]},
        "customers": {"type": "object", "additionalProperties": False, "properties": {
            "individual": {"type": "integer", "minimum": 0}, "corporate": {"type": "integer", "minimum": 0}}},
        "rules": {"type": "object", "additionalProperties": False, "properties": {
            "cutoff": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
            "moretime": {"type": "boolean"},
            "core_hours": {"type": "object", "additionalProperties": False, "properties": {
                "start": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
                "end": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}}},
            "name_inquiry": {"type": "boolean"},
            "max_days_ahead": {"type": "integer", "minimum": 1},
            "approval": {"type": "object", "additionalProperties": False, "properties": {
                "amount_over": {"type": ["integer", "null"], "minimum": 1},
                "new_payee": {"type": "boolean"},
                "per_hour": {"type": ["integer", "null"], "minimum": 1},
                "classes": {"type": "array", "items": {"enum": ["self-use", "third-party"]}},
                "corporate_approval_over": {"type": ["integer", "null"], "minimum": 1},
                "expires_minutes": {"type": "integer", "minimum": 1, "maximum": 1440}}},
            "abuse": abuse.SCHEMA,
            "fees": {"type": "object", "required": ["same_branch", "same_bank", "other_bank"], "additionalProperties": False,
                     "properties": {"threshold": {"type": "integer", "minimum": 1},
                                    "same_branch": _RANGE, "same_bank": _RANGE, "other_bank": _RANGE}},
            "limits": {"type": "object", "additionalProperties": False, "properties": {"individual": _LIMIT, "corporate": _LIMIT}},
        }},
    },
}
