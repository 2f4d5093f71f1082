"""What `bank-sandbox check` reports: for each bank folder, how every operation would be served.

A bank author drops a published spec in a folder and wants to know, before starting a server, what
the sandbox makes of it: which operations run through the binding, which answer from the schema
(the fallback, dry-run here on an empty request), which cannot be answered and why, and which
folders cannot be served at all.
"""

from __future__ import annotations

from pathlib import Path

from . import feeds, roles, scopes, token_operations
from .loader import BankApi, survey
from .spec import server_hosts
from .runner import handle


def check_folders(folders, refusal=None) -> dict:
    """Load each folder (a bank folder, or a folder of them) and describe every operation.

    `refusal(api)`, when given, is the web layer's own last word on a loaded bank (why the framework would
    not mount its document, or None): a bank it refuses is reported as `serve` would leave it out."""
    banks, unavailable = [], []
    for folder in map(Path, folders):
        apis, missing = survey([folder])  # one at a time: a bank in two of them is reported twice, not hidden
        for api in apis:
            reason = refusal(api) if refusal is not None else None
            if reason is None:
                banks.append(_describe(api))
            else:
                unavailable.append({"folder": api.folder.name, "path": str(api.folder), "reason": reason})
        unavailable.extend({"folder": u.folder.name, "path": str(u.folder), "reason": u.reason} for u in missing)
    errors = len(unavailable) + sum(op["served_from"] == "unservable" for bank in banks for op in bank["operations"])
    return {"banks": banks, "unavailable": unavailable, "errors": errors}


def _describe(api: BankApi) -> dict:
    operations = []
    hands_out = token_operations.find(api.spec, api.spec_operations())
    revokes = token_operations.revocations(api.spec, api.spec_operations())
    inspects = token_operations.inspections(api.spec, api.spec_operations())
    for operation_id, method, path, _ in api.spec_operations():
        row = {"operation": operation_id, "method": method, "path": path}
        bound = api.operations.get(operation_id)
        if bound is not None:
            row.update(served_from="binding", detail=f"action {bound.action_name or 'none'}")
        elif operation_id in hands_out:
            row.update(served_from="tokens", detail=_token_detail(hands_out[operation_id]))
        elif operation_id in revokes:
            field = revokes[operation_id]
            named = f"its body names in {field}" if field else "the caller sent (it ends a session)"
            row.update(served_from="tokens", detail=f"revokes the sandbox token {named}, then answers from the spec")
        elif operation_id in inspects:
            sent = inspects[operation_id].sent
            named = f"its {sent[0]} names in {sent[1]}" if sent else "the caller sent"
            row.update(served_from="tokens", detail=f"answers the facts of the sandbox token {named} (expiry, scopes, "
                                                    "client, customer) in its schema")
        else:
            row.update(_dry_run(api, operation_id))
            kept = roles.address(api, operation_id) if row["served_from"] == "fallback" else None
            if kept is not None:  # what the workspace keeps of it (Kept resources in docs/bindings.md)
                row.update(kept={"role": kept.role, "kind": kept.kind})
                row["detail"] += f"; kept: {_KEPT_ROLES[kept.role]} {kept.kind}"
        operations.append(row)
    feed = feeds.feed(api)
    return {"folder": api.folder.name, "title": api.title, "spec": str(api.spec_path), "spec_version": api.source_version,
            "mount": api.mount, "warnings": list(api.warnings), "scopes": sorted(api.scopes), "operations": operations,
            "events": {"read": feed.kind, "says": feed.what, "types": list(feed.types),
                       **({"listed_by": feed.listed_by} if feed.listed_by else {})} if feed else None,
            "accounts_by": sorted(scopes.headers(api)),
            "hosts": [f"{host}{base}" for host, base in server_hosts(api.spec, api.hosts)]}


# How `check` says what an operation does with the resources the workspace keeps.
_KEPT_ROLES = {"create": "makes a", "read": "reads a", "change": "changes a", "delete": "deletes a",
               "action": "acts on a", "mark": "marks a", "list": "lists every kept"}


def _dry_run(api: BankApi, operation_id: str) -> dict:
    """Answer an empty request from the schema, as the server would for an unbound operation."""
    request = {"path": {}, "query": {}, "headers": {}, "body": None, "bank": None, "workspace": None,
               "connector": None, "now": None, "today": None, "interaction_id": "check"}
    try:
        reply = handle(api, operation_id, request, None)
    except Exception as error:  # noqa: BLE001 - whatever stops the answer is what the author must read
        return {"served_from": "unservable", "detail": f"the schema-driven answer fails: {type(error).__name__}: {error}"}
    if reply.problem is not None:  # response validation would answer a 500 in its place
        return {"served_from": "unservable",
                "detail": f"the schema-driven {reply.status} answer does not fit its own schema: {reply.problem}"}
    kind = (reply.headers or {}).get("Content-Type")
    body = f"a {api.media_types.get(kind, kind)} body" if reply.body is not None else "no body"
    return {"served_from": "fallback", "detail": f"answers {reply.status} with {body} from the spec"}


def _token_detail(found) -> str:
    """What a token operation hands out, where, and for what (http/token_exchange.py answers it)."""
    asks = found.asks
    pair = (asks.get("id", "client_id"), asks.get("secret", "client_secret")) if found.oauth else (
        (asks["id"], asks["secret"]) if {"id", "secret"} <= set(asks) else None)
    pair = f", or {pair[0]} and {pair[1]}" if pair else ""
    refresh = f" or a refresh token ({asks.get('refresh', 'refresh_token')})" if "refresh" in asks or found.oauth else ""
    client = "" if found.customer_only else f"a client id and secret (HTTP Basic{pair})"
    code = "an authorization code from the sandbox's /oauth/authorize" if found.oauth else ""
    asked = ", ".join(part for part in (client, code) if part) + refresh
    return (f"answers {found.status} with a sandbox access token in {'.'.join(found.answer['access'])}"
            f"{' and a refresh token' if 'refresh' in found.answer else ''}, for {asked}")
