"""Carrying out a workspace's scenario rules on one bank call: the HTTP side of the scenario engine.

Before the binding runs, the rules that fire are found (`actions.scenarios.firing`) and their effects
carried out: added latency and held connections are awaited here; an error, a raw response or a
maintenance window answers instead of the bank; name mismatches, step-up and returns are handed to
the actions through the context. After the binding ran, commit-then-fail throws the answer away (the
books have already changed) and answers a 5xx, or drops the connection. An answer that never came is
`gateway_timeout` (504 unless the rule names another status), never `maintenance`: status, body, the
Retry-After header and the request log all say the same thing.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ..actions import scenarios as scenario_actions
from ..bindings import BankApi, render_error
from ..bindings.functions import OPTIONS
from ..bindings.runner import Reply
from ..domain.errors import SandboxError
from ..domain.money import parse_yen
from ..scenarios import Call, latency_ms


@dataclass
class Plan:
    reply: Reply | None = None  # answers instead of the bank
    fail_after: dict | None = None  # commit_then_fail's effect
    names: list = field(default_factory=list)


async def before(api: BankApi, ctx, operation_id: str, document: dict, connector: str | None) -> Plan:
    plan = Plan()
    if ctx is None or not scenario_actions.active(ctx):
        return plan
    fired = scenario_actions.firing(ctx, _call(api, operation_id, document, connector))
    for scenario_id, rule, seen in fired:
        effect = rule["effect"]
        kind = effect["type"]
        plan.names.append(rule.get("name") or scenario_id)
        if kind == "latency":
            await asyncio.sleep(latency_ms(effect, seen) / 1000)
        elif kind == "timeout":
            await asyncio.sleep(effect.get("hold_s", 60))
            plan.reply = plan.reply or _no_answer(api, document, retry_after=5, status=504)
        elif kind in ("error", "maintenance") and plan.reply is None:
            code = effect.get("code", "maintenance")
            details = {"retry_after": effect["retry_after"]} if "retry_after" in effect else {}
            if kind == "maintenance":
                details.setdefault("retry_after", 600)
            reply = render_error(api, SandboxError(code, effect.get("message"), **details), document)
            if "retry_after" in details:
                reply.headers.setdefault("Retry-After", str(details["retry_after"]))
            plan.reply = reply
        elif kind == "response" and plan.reply is None:
            plan.reply = Reply(effect["status"], effect.get("body"), dict(effect.get("headers") or {}))
        elif kind == "commit_then_fail":
            plan.fail_after = effect
        elif kind == "name_mismatch":
            ctx.scenario["name_mismatch"] = True
        elif kind == "step_up":
            ctx.scenario["step_up"] = True
        elif kind == "return_transfer":
            ctx.scenario["return_transfer"] = (effect.get("after_business_days", 1), effect.get("reason"), scenario_id)
    return plan


def after(api: BankApi, plan: Plan, reply: Reply, document: dict) -> Reply:
    """Commit-then-fail: the call did its work; the client hears a failure instead."""
    if plan.fail_after is None or reply.status >= 400:
        return reply
    return _no_answer(api, document, retry_after=1, status=plan.fail_after.get("status", 504))


def _no_answer(api: BankApi, document: dict, retry_after: int, status: int) -> Reply:
    """What the client hears when the bank did not answer in time, in the dialect, with the rule's status."""
    error = SandboxError("gateway_timeout", "the bank did not answer in time; the request may have been carried out",
                         retry_after=retry_after)
    error.status = status
    reply = render_error(api, error, document)
    reply.headers.setdefault("Retry-After", str(retry_after))
    return reply


def _call(api: BankApi, operation_id: str, document: dict, connector: str | None) -> Call:
    operation = api.operations.get(operation_id)
    kwargs = {}
    if operation is not None and operation.input is not None:
        try:
            kwargs = operation.input.search(document, OPTIONS) or {}
        except Exception:  # noqa: BLE001 - a request the binding cannot read matches by its raw fields only
            kwargs = {}
    found = set()
    _collect(kwargs, found)
    _collect(document.get("path"), found)
    _collect(document.get("query"), found)
    amount = None
    if isinstance(kwargs, dict) and kwargs.get("amount") is not None:
        try:
            amount = parse_yen(kwargs["amount"])
        except SandboxError:
            amount = None
    return Call(bank=api.slug, operation=operation_id, action=operation.action_name if operation else None,
                connector=connector, headers=document.get("headers") or {}, accounts=frozenset(found), amount=amount)


def _collect(value, found: set) -> None:
    if isinstance(value, str) and value.startswith("acc_"):
        found.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            _collect(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect(item, found)
