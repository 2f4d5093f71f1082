"""Plans: which operations a connector may call and its capacity, read from fixtures/plans.yaml."""

from __future__ import annotations

import fnmatch
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from ..domain.calendar import is_peak_day
from ..domain.errors import SandboxError

PROFILES = ("plain", "fapi2")  # how connectors connect: plain OAuth 2.0, or the FAPI 2.0 Security Profile


@dataclass(frozen=True)
class Capacity:
    per_second: int
    per_day: int

    def to_dict(self) -> dict:
        return {"per_second": self.per_second, "per_day": self.per_day}


@dataclass(frozen=True)
class Plan:
    name: str
    description: str
    categories: tuple[str, ...]
    capacity: Capacity
    peak: Capacity
    monthly_yen: int
    per_1000_calls_yen: int
    security_profile: str = "plain"

    def capacity_on(self, day: date) -> Capacity:
        return self.peak if is_peak_day(day) else self.capacity

    def price(self, calls: int) -> int:
        """What the calls of a month cost in yen: the monthly fee plus each started thousand calls."""
        return self.monthly_yen + math.ceil(calls / 1000) * self.per_1000_calls_yen

    def to_dict(self) -> dict:
        return {"name": self.name, "description": self.description, "categories": list(self.categories),
                "capacity": self.capacity.to_dict(), "peak": self.peak.to_dict(),
                "price": {"monthly_yen": self.monthly_yen, "per_1000_calls_yen": self.per_1000_calls_yen},
                "security_profile": self.security_profile}


class PlansError(ValueError):
    """A plans file (SANDBOX_PLANS) that cannot be used: where, and why."""


class Plans:
    """The plan table, and which category an operation belongs to."""

    def __init__(self, path: Path):
        path = Path(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise PlansError(f"{path}: cannot be read ({error.strerror or error})") from None
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise PlansError(f"{path}: not a YAML file ({' '.join(str(error).split())})") from None
        try:
            self._read(data, path)
        except PlansError:
            raise
        except KeyError as error:
            raise PlansError(f"{path}: {error.args[0]!r} is missing (a plans file holds `default`, `categories` "
                             "and `plans`, each plan its description, categories, capacity, peak and price)") from None
        except (TypeError, AttributeError, ValueError) as error:
            raise PlansError(f"{path}: not a plans file as fixtures/plans.yaml shows ({error})") from None
        self._category_cache: dict = {}

    def _read(self, data, path: Path) -> None:
        self.categories = {name: tuple(patterns) for name, patterns in data["categories"].items()}
        self.plans = {}
        for name, entry in data["plans"].items():
            unknown = set(entry["categories"]) - set(self.categories)
            if unknown:
                raise PlansError(f"{path}: plan {name} names unknown categories {sorted(unknown)}")
            profile = entry.get("security_profile", "plain")
            if profile not in PROFILES:
                raise PlansError(f"{path}: plan {name}: security_profile must be one of {', '.join(PROFILES)}")
            self.plans[name] = Plan(name, entry["description"], tuple(entry["categories"]),
                                    Capacity(**entry["capacity"]), Capacity(**entry["peak"]),
                                    int(entry["price"]["monthly_yen"]), int(entry["price"]["per_1000_calls_yen"]),
                                    profile)
        self.default = data["default"]
        if self.default not in self.plans:
            raise PlansError(f"{path}: the default plan {self.default!r} is not one of its plans ({', '.join(self.plans)})")
        self.names = tuple(self.plans)

    def get(self, name: str) -> Plan:
        return self.plans[name]

    def category(self, action: str | None, method: str) -> str:
        """The category of an operation bound to `action` (None when the operation has no binding)."""
        key = (action, method)
        if key not in self._category_cache:
            found = None
            if action is not None:
                found = next((name for name, patterns in self.categories.items()
                              if any(fnmatch.fnmatchcase(action, p) for p in patterns)), None)
            self._category_cache[key] = found or ("reference" if method.upper() in ("GET", "HEAD") else "payments")
        return self._category_cache[key]

    def check(self, plan_name: str, action: str | None, method: str, operation_id: str) -> None:
        """Refuse an operation outside the plan with `plan_forbidden`, naming the plan."""
        plan = self.plans[plan_name]
        category = self.category(action, method)
        if category not in plan.categories:
            raise SandboxError(
                "plan_forbidden",
                f"the {plan.name} plan does not include {category} APIs such as {operation_id} "
                f"(it includes: {', '.join(plan.categories)})", plan=plan.name, category=category)
