"""Scenario rules: what a workspace's banks do instead of (or besides) normal service, and when.

A rule is a *match* (which calls), an *effect* (what happens to them) and a *lifetime* (how many
times, until when). Rules are data, checked against `RULE_SCHEMA` when they come in; this module is
pure: it decides, from a description of a call, whether a rule applies and what it does. The HTTP
layer carries the effect out; the actions apply the ones that change the books.
"""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass, field
from datetime import datetime

import jsonschema

from ..domain.errors import CANONICAL_ERRORS, SandboxError

EFFECTS = ("error", "response", "latency", "timeout", "commit_then_fail", "maintenance", "account", "return_transfer",
           "name_mismatch", "step_up")

_CODE = {"type": "string", "enum": sorted(CANONICAL_ERRORS)}
_MS = {"type": "integer", "minimum": 0, "maximum": 120_000}
RULE_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["effect"],
    "properties": {
        "name": {"type": "string", "maxLength": 120},
        "match": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "bank": {"type": "string", "maxLength": 64, "description": "A bank's slug (kaede, tsubame, ..., hub)."},
                "operation": {"type": "string", "maxLength": 200, "description": "An operationId; * and ? wildcards."},
                "action": {"type": "string", "maxLength": 100, "description": "A core action (transfers.create); wildcards."},
                "account": {"type": "string", "maxLength": 64, "description": "An account id the call names."},
                "connector": {"type": "string", "maxLength": 64},
                "amount": {"type": "object", "additionalProperties": False, "properties": {
                    "min": {"type": "integer", "minimum": 0}, "max": {"type": "integer", "minimum": 0}}},
                "header": {"type": "object", "additionalProperties": False, "required": ["name"], "properties": {
                    "name": {"type": "string", "maxLength": 100}, "value": {"type": "string", "maxLength": 500}}},
                "probability": {"type": "number", "minimum": 0, "maximum": 1},
                "seed": {"type": "integer"},
                "nth": {"type": "integer", "minimum": 1, "description": "Only the nth call that matches the rest."},
            },
        },
        "effect": {
            "type": "object",
            "required": ["type"],
            "properties": {"type": {"enum": list(EFFECTS)}},
            "allOf": [
                {"if": {"properties": {"type": {"const": "error"}}},
                 "then": {"required": ["code"], "additionalProperties": False, "properties": {
                     "type": {}, "code": _CODE, "message": {"type": "string", "maxLength": 500},
                     "retry_after": {"type": "integer", "minimum": 1, "maximum": 86400}}}},
                {"if": {"properties": {"type": {"const": "response"}}},
                 "then": {"required": ["status"], "additionalProperties": False, "properties": {
                     "type": {}, "status": {"type": "integer", "minimum": 100, "maximum": 599},
                     "body": {}, "headers": {"type": "object", "additionalProperties": {"type": "string"}}}}},
                {"if": {"properties": {"type": {"const": "latency"}}},
                 "then": {"additionalProperties": False, "properties": {
                     "type": {}, "ms": _MS,
                     "uniform": {"type": "array", "items": _MS, "minItems": 2, "maxItems": 2},
                     "normal": {"type": "object", "additionalProperties": False, "required": ["mean", "sd"],
                                "properties": {"mean": _MS, "sd": _MS}}}}},
                {"if": {"properties": {"type": {"const": "timeout"}}},
                 "then": {"additionalProperties": False, "properties": {
                     "type": {}, "hold_s": {"type": "number", "minimum": 0.1, "maximum": 600}}}},
                {"if": {"properties": {"type": {"const": "commit_then_fail"}}},
                 "then": {"additionalProperties": False, "properties": {
                     "type": {}, "status": {"type": "integer", "minimum": 500, "maximum": 599},
                     "drop": {"type": "boolean"}}}},
                {"if": {"properties": {"type": {"const": "maintenance"}}},
                 "then": {"additionalProperties": False, "properties": {
                     "type": {}, "retry_after": {"type": "integer", "minimum": 1, "maximum": 86400},
                     "message": {"type": "string", "maxLength": 500}}}},
                {"if": {"properties": {"type": {"const": "account"}}},
                 "then": {"required": ["account", "change"], "additionalProperties": False, "properties": {
                     "type": {}, "account": {"type": "string", "maxLength": 64},
                     "change": {"enum": ["freeze", "close", "set_balance"]},
                     "balance": {"type": "integer", "minimum": -10_000_000_000, "maximum": 10_000_000_000_000}}}},
                {"if": {"properties": {"type": {"const": "return_transfer"}}},
                 "then": {"additionalProperties": False, "properties": {
                     "type": {}, "after_business_days": {"type": "integer", "minimum": 0, "maximum": 30},
                     "reason": {"type": "string", "maxLength": 64}}}},
                {"if": {"properties": {"type": {"enum": ["name_mismatch", "step_up"]}}},
                 "then": {"additionalProperties": False, "properties": {"type": {}}}},
            ],
        },
        "lifetime": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "times": {"type": "integer", "minimum": 1, "description": "Apply to this many calls, then stop."},
                "until": {"type": "string", "format": "date-time", "description": "Sandbox time it stops at."},
            },
        },
    },
}
_VALIDATOR = jsonschema.Draft202012Validator(RULE_SCHEMA, format_checker=jsonschema.FormatChecker())


def check_rule(data) -> dict:
    """The rule, or `invalid_request` naming the first thing wrong with it."""
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: (len(e.absolute_path), e.message))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "(the rule)"
        raise SandboxError("invalid_request", f"scenario rule {where}: {error.message}", field=where)
    effect = data["effect"]
    if effect["type"] == "latency" and sum(k in effect for k in ("ms", "uniform", "normal")) != 1:
        raise SandboxError("invalid_request", "a latency effect takes exactly one of ms, uniform or normal",
                           field="effect")
    if effect["type"] == "account" and effect["change"] == "set_balance" and "balance" not in effect:
        raise SandboxError("invalid_request", "set_balance needs a balance", field="effect/balance")
    amount = (data.get("match") or {}).get("amount") or {}
    if "min" in amount and "max" in amount and amount["min"] > amount["max"]:
        raise SandboxError("invalid_request", "match/amount: min is above max", field="match/amount")
    if "until" in (data.get("lifetime") or {}):
        try:  # the schema's date-time format lets through forms Python does not read, such as a lower-case t
            datetime.fromisoformat(data["lifetime"]["until"])
        except ValueError:
            raise SandboxError("invalid_request", "lifetime/until must be an ISO 8601 date-time such as "
                                                  "2026-11-05T10:00:00+09:00", field="lifetime/until") from None
    return data


@dataclass(frozen=True)
class Call:
    """What a rule can see of one bank API call."""

    bank: str
    operation: str
    action: str | None
    connector: str | None
    headers: dict = field(default_factory=dict)
    accounts: frozenset = frozenset()
    amount: int | None = None


def matches(rule: dict, call: Call) -> bool:
    """Whether the call is one the rule is about (everything but chance and `nth`, see `fires`)."""
    match = rule.get("match") or {}
    if "bank" in match and match["bank"] != call.bank:
        return False
    if "operation" in match and not fnmatch.fnmatchcase(call.operation or "", match["operation"]):
        return False
    if "action" in match and not (call.action and fnmatch.fnmatchcase(call.action, match["action"])):
        return False
    if "connector" in match and match["connector"] != call.connector:
        return False
    if "account" in match and match["account"] not in call.accounts:
        return False
    if "amount" in match:
        bounds = match["amount"]
        if call.amount is None or call.amount < bounds.get("min", 0) or call.amount > bounds.get("max", call.amount):
            return False
    if "header" in match:
        value = call.headers.get(match["header"]["name"].lower())
        if value is None or ("value" in match["header"] and value != match["header"]["value"]):
            return False
    return True


def fires(rule: dict, seen: int) -> bool:
    """Whether the rule acts on a call it matches; `seen`: how many matching calls came before this one."""
    match = rule.get("match") or {}
    if "nth" in match and seen + 1 != match["nth"]:
        return False
    if "probability" in match:
        # Seeded per rule and call number: the same rule and the same sequence of calls, the same outcome.
        if random.Random(f"{match.get('seed', 0)}:{seen}").random() >= match["probability"]:
            return False
    return True


def latency_ms(effect: dict, seen: int) -> int:
    if "ms" in effect:
        return effect["ms"]
    rng = random.Random(f"latency:{seen}")
    if "uniform" in effect:
        low, high = sorted(effect["uniform"])
        return rng.randint(low, high)
    return max(0, int(rng.gauss(effect["normal"]["mean"], effect["normal"]["sd"])))
