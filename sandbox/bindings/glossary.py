"""The glossary: how each canonical term is named in each bank's API, read off the bindings themselves.

Input expressions say which request field feeds each action argument (`amount: body.transferAmount`);
output expressions say which response field shows each result field (`balance: yen_string(result.balance)`).
Walking their JMESPath trees gives both directions without a hand-kept table that could drift.
"""

from __future__ import annotations

from .loader import BankApi

# canonical term -> the action arguments and result fields that carry it
TERMS = {
    "account id": ("account_id", "from_account_id", "payer_account_id"),
    "bank code": ("bank_code", "to.bank_code", "to_bank_code"),
    "branch code": ("branch_code", "to.branch_code", "to_branch_code"),
    "account type": ("account_type", "to.account_type"),
    "account number": ("account_number", "to.account_number"),
    "beneficiary name": ("name", "to.name", "holder_kana"),
    "amount": ("amount",),
    "fee": ("fee",),
    "balance": ("balance",),
    "execution date": ("execution_date",),
    "transfer id": ("transfer_id",),
    "transfer status": ("status",),
    "mandate id": ("mandate_id",),
    "idempotency key": ("idempotency_key",),
    "date from": ("date_from",),
    "date to": ("date_to",),
    "page cursor": ("cursor", "next_cursor"),
}


def _fields(node) -> list[str]:
    """Field names along the first path in an expression tree, e.g. body.transfers[0].x -> [body, transfers, x]."""
    found = []

    def walk(n):
        if isinstance(n, dict):
            if n.get("type") == "field":
                found.append(n["value"])
            for child in n.get("children", []):
                walk(child)

    walk(node)
    return found


def _pairs(node, prefix=""):
    """(key path, value subtree) for every key of (nested) object-building expressions."""
    if isinstance(node, dict) and node.get("type") == "multi_select_dict":
        for pair in node["children"]:
            key = f"{prefix}{pair['value']}"
            value = pair["children"][0]
            nested = list(_pairs(value, key + "."))
            if nested:
                yield from nested
            else:
                yield key, value
    elif isinstance(node, dict):
        for child in node.get("children", []):
            yield from _pairs(child, prefix)


def names(api: BankApi) -> dict:
    """{term: {"request": [bank names], "response": [bank names]}} for one API."""
    request, response = {}, {}
    for operation in api.operations.values():
        if operation.input:
            for canonical, value in _pairs(operation.input.compiled.parsed):
                fields = [f for f in _fields(value) if f not in ("body", "query", "path", "headers")]
                if fields:
                    request.setdefault(canonical, set()).add(fields[-1])
        if operation.output.body:
            for bank_name, value in _pairs(operation.output.body.compiled.parsed):
                fields = _fields(value)
                if fields and fields[0] == "result":
                    response.setdefault(".".join(fields[1:]), set()).add(bank_name.split(".")[-1])
    table = {}
    for term, keys in TERMS.items():
        req = sorted({n for k in keys for n in request.get(k, ())})
        res = sorted({n for k in keys for n in response.get(k, ())})
        if req or res:
            table[term] = {"request": req, "response": res}
    return table


def glossary(apis) -> dict:
    return {api.slug: names(api) for api in apis if api.bound}
