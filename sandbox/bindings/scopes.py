"""The account a request acts for, where a header says the call is made on behalf of one of a platform's accounts.

Platforms let one set of credentials act for the accounts under them by a header on each call: Stripe's
`Stripe-Account: acct_...` (stripe-python's `stripe_account=`), Xendit's `for-user-id` (a sub-account), Xero's
`xero-tenant-id`, fincode's `Tenant-Shop-Id`. What is made under one such value is that account's: read,
listed, changed and deleted only under the same value, and what is made without the header, or under a value
that names nothing the workspace keeps (the platform's own id), is the platform's own. Kept resources (remembered.py) and the events told of them (feeds.py) are kept under the value
(`KEY` in the document's owner), and an idempotency key is held per account, as the platforms hold it.

Which header does it is read from the spec: a header parameter an operation declares, or a header its prose
names (Stripe's spec declares none, but says "the `Stripe-Account` header"), whose name says it selects an
account, merchant or tenant (`...-Account`, `...-Account-Id`, `...-Merchant-Id`, `...-Tenant-Id`,
`On-Behalf-Of`, `for-user-id`), or, declared, whose description says it names a sub-account or tenant.
"""

from __future__ import annotations

import re

from ..actions import documents

# Where a kept resource's owner (the path values it was made under) holds the account it was made for.
KEY = "@on_behalf_of"

# Nouns that name the account a call acts for, as the last word of a header's name (before `id`).
_ACCOUNTS = frozenset(("account", "merchant", "tenant", "subaccount", "subaccountid", "connectedaccount"))
# A header's description saying it names such an account.
_SAYS = re.compile(r"sub-?accounts?\b|on behalf of|connected accounts?\b|\btenant\b", re.IGNORECASE)
# A header its prose names: "the `Stripe-Account` header", "[Stripe-Account header](...)".
_NAMED = re.compile(r"`?\b([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)`?\s+(?:HTTP\s+)?header\b")


def headers(api) -> frozenset:
    """The names (lower case) of the headers that select the account a call acts for (worked out once)."""
    known = api.derived.get("scope_headers")
    if known is None:
        known = api.derived["scope_headers"] = frozenset(_headers(api))
    return known


def named_headers(api) -> tuple:
    """The names (lower case) of every header the spec declares as a parameter or names in its prose (worked out
    once)."""
    known = api.derived.get("named_headers")
    if known is None:
        declared = [name for name, _ in _declared_headers(api.spec)]
        named = [name for text in _prose(api.spec) for name in _NAMED.findall(text)]
        known = api.derived["named_headers"] = tuple(dict.fromkeys(name.lower() for name in [*declared, *named]))
    return known


def _declared_headers(spec):
    """(name, description) of each header parameter the spec declares, on a path or an operation."""
    parameters = ((spec.get("components") or {}).get("parameters") or {}) if isinstance(spec, dict) else {}
    for path, item in ((spec.get("paths") or {}) if isinstance(spec, dict) else {}).items():
        if not isinstance(item, dict):
            continue
        operations = [op for op in item.values() if isinstance(op, dict)]
        for parameter in [*(item.get("parameters") or ()), *(p for op in operations for p in op.get("parameters") or ())]:
            if isinstance(parameter, dict) and "$ref" in parameter:
                parameter = parameters.get(str(parameter["$ref"]).rsplit("/", 1)[-1])
            if isinstance(parameter, dict) and parameter.get("in") == "header" and parameter.get("name"):
                yield str(parameter["name"]), str(parameter.get("description") or "")


def _headers(api):
    for name, description in _declared_headers(api.spec):
        if selects(name) or (_words(name)[-1:] == ["id"] and _SAYS.search(description)):
            yield name.lower()
    for text in _prose(api.spec):
        for name in _NAMED.findall(text):
            if selects(name):
                yield name.lower()


def _prose(node, depth: int = 0):
    """The descriptions and summaries of a spec, at any depth."""
    if depth > 40:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "summary") and isinstance(value, str):
                if "header" in value:
                    yield value
            elif isinstance(value, (dict, list)):
                yield from _prose(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            yield from _prose(value, depth + 1)


def _words(name: str) -> list:
    words = [word for word in re.split(r"[-_ ]+|(?<=[a-z])(?=[A-Z])", name.lower()) if word]
    return words[1:] if words[:1] == ["x"] else words


def selects(name: str) -> bool:
    """Whether a header's name says it selects the account a call acts for: its last word (before `id`) names an
    account, merchant or tenant (`Stripe-Account`, `X-Merchant-Id`, `xero-tenant-id`, `Tenant-Shop-Id`), or it says
    on whose behalf (`On-Behalf-Of`, `for-user-id`)."""
    words = _words(name)
    if not words:
        return False
    if "behalf" in words or (words[0] == "for" and len(words) > 1):
        return True
    named = words[:-1] if words[-1] in ("id", "ids") and len(words) > 1 else words
    return named[-1] in _ACCOUNTS or "tenant" in named


def of(api, request: dict, ctx) -> str | None:
    """The account `request` acts for, as `header=value` (several joined by `;`), or None: the platform's own.

    A value names an account only where the workspace keeps something under it (an account the platform made
    here, `POST /v1/accounts`); any other is the platform acting as itself. Connectors send the header on every
    call with the platform's own id (dj-stripe names every account it syncs, its own among them, from
    `GET /v1/account`) or with whatever id their settings hold (Airbyte's Stripe source sends its `account_id`):
    read as accounts of their own, they found nothing the platform had made."""
    from .roles import kept_as

    names = headers(api)
    if not names:
        return None
    sent = request.get("headers") or {}
    found = sorted(f"{name}={value}" for name in names if (value := str(sent.get(name) or "").strip())
                   and (ctx is None or documents.named(ctx, kept_as(api, None)[0], value)))
    return ";".join(found) or None


def held(owner) -> str | None:
    """The account a kept resource was made for (its owner's `KEY`), or None: the platform's own."""
    return owner.get(KEY) if isinstance(owner, dict) else None


def owned(owner: dict, scope: str | None) -> dict:
    """`owner`, the path values a resource is kept under, with the account it is made for."""
    return {**owner, KEY: scope} if scope is not None else dict(owner)


def field_names(api) -> frozenset:
    """The bare names (lower case, no separators) of the fields that name the account a call acts for, by the
    headers that select it: `account`/`accountid` of `Stripe-Account`, `tenant`/`tenantid` of `xero-tenant-id`,
    `merchant`/`merchantid` of `X-Merchant-Id` (an event's `account`, Stripe Connect's)."""
    found = set()
    for name in headers(api):
        words = _words(name)
        named = words[:-1] if words[-1:] in (["id"], ["ids"]) and len(words) > 1 else words
        if named and named[-1] in _ACCOUNTS:
            found |= {named[-1], named[-1] + "id"}
    return frozenset(found)


def acted_for(scope: str | None) -> str | None:
    """The one account id a scope (`of`) names, or None: the platform's own, or several headers at once."""
    values = [part.split("=", 1)[1] for part in (scope or "").split(";") if "=" in part]
    return values[0] if len(values) == 1 else None
