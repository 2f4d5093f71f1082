"""What an RPC-style API answers about the thing its calls name by an access token in their bodies, the same at
every call.

Aggregators' APIs (Plaid's) name what a call is about by an access token in its body (`{access_token, client_id,
secret}` posted to `/accounts/get`, `/auth/get`, `/identity/get`, `/item/get`), not by a path, and each of those
calls answers the same item and its accounts, with more or less about them. Answered from the spec alone, each call
answered its own example: one token's accounts had other ids at each call, the numbers `/auth/get` gave named
accounts `/accounts/get` never listed, and `/item/get` named another item at every call. Here the objects the first
call under a token answers with an id of their own (a list's items, `accounts[].account_id`; an object,
`item.item_id`; an id at the answer's top, `item_id`) are kept under that token, and every later call under it
answers those objects in its own shape: each kept object laid over the answer's item of its position (the fields
that answer has; what only it says, `owners`, stays), and every id the answer held for one of them renamed to the
kept one wherever it appears (`numbers.ach[].account_id`). The first answer's ids are drawn anew for the token, in
their form, so two tokens' accounts are not one example's. Only reads (`.../get`) are: a call that makes something
makes another each time. The token is kept only as its digest.
"""

from __future__ import annotations

import copy
import hashlib
import random
import string

from ..actions import documents
from .about import _success_schema
from .client_ids import renamed_throughout
from .fallback import _located, operation_of
from .jws import content_of
from .mirror import _scalar
from .names import _bare, _singular
from .schemas import schemas_of

# The body fields that name what a call is about by a token (RFC 6750's name for a bearer token sent in a body).
TOKEN_FIELDS = frozenset(("accesstoken",))
# The kind the objects answered under one token are kept as, per API.
_KIND = "#held-under-token"


def as_handled(api, operation_id: str, request: dict, reply, ctx) -> None:
    """`reply`, a success of a POST whose body names an access token, answered with the objects kept under that
    token (the module's docstring), in place where it still fits; what it answers first is kept."""
    if ctx is None or not 200 <= reply.status < 300 or not isinstance(reply.body, dict) \
            or str(request.get("method", "")).upper() != "POST" or not _reads(api, operation_id):
        return
    token = _token_in(content_of(request))
    if token is not None:
        _held_under(api, operation_id, token, request, reply, ctx)


def issued(api, operation_id: str, request: dict, reply, ctx) -> None:
    """`reply`, the answer of a token operation handing out an access token, with the ids of what the token stands
    for that it holds at its top (Plaid's exchange: `item_id`) drawn for the token and kept under it, in place: the
    item every read under the token names is the one the exchange said (it had named the example's)."""
    if ctx is not None and 200 <= reply.status < 300 and isinstance(reply.body, dict):
        token = _token_in(reply.body)
        if token is not None:
            _held_under(api, operation_id, token, request, reply, ctx)


def _token_in(body) -> str | None:
    """The access token a body holds at its top, or None."""
    return next((value for key, value in body.items() if _bare(key) in TOKEN_FIELDS and isinstance(value, str)
                 and value), None) if isinstance(body, dict) else None


def _held_under(api, operation_id: str, token: str, request: dict, reply, ctx) -> None:
    """`reply` answered with what is kept under `token`, and what it holds first kept there (`as_handled`)."""
    kept_id = hashlib.sha256(token.encode()).hexdigest()[:32]
    found = documents.find(ctx, api.slug, _KIND, kept_id)
    held = copy.deepcopy(found.answer) if found is not None and isinstance(found.answer, dict) else {}
    body, renamed, fresh, learnt = copy.deepcopy(reply.body), {}, {}, False
    for key, value in reply.body.items():
        noun = _singular(_bare(key))
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            items = value
        elif isinstance(value, dict):
            items = [value]
        elif _scalar(value) and value not in (None, "") and _bare(key).endswith("id") and len(_bare(key)) > 2:
            noun, items = _bare(key)[:-2], [{key: value}]  # (`item_id` at the top: the item's id)
        else:
            continue
        own = _own_id(items[0], noun)
        if own is None or noun in _OF_THE_EXCHANGE:
            continue
        if noun not in held:  # the first answer under the token: its objects are the token's, with ids of its own
            for item in items:
                if _an_id(item.get(own)):
                    fresh.setdefault(item[own], _own_form(item[own], f"{kept_id}:{item[own]}"))
            held[noun], learnt = copy.deepcopy(items), True
            continue
        laid = []
        for index, kept in enumerate(held[noun]):
            template = items[index] if index < len(items) else items[0]
            if index < len(items) and _an_id(template.get(own)) and _an_id(kept.get(own)):
                renamed[template[own]] = kept[own]
            laid.append({**template, **{name: copy.deepcopy(item) for name, item in kept.items() if name in template}})
        if isinstance(value, list):
            body[key] = laid
        elif isinstance(value, dict):
            body[key] = laid[0]
    schema = _success_schema(api.spec, operation_of(api, operation_id))
    fits = lambda candidate: schemas_of(api.spec).fits(schema, candidate)  # noqa: E731
    if renamed:
        body = renamed_throughout(body, renamed)
    if fresh and fits(renamed_throughout(body, fresh)):  # (two tokens' accounts are not one example's, under one id)
        body, held = renamed_throughout(body, fresh), renamed_throughout(held, fresh)
    if body != reply.body and fits(body):
        reply.body = body
    if learnt:
        documents.keep(ctx, api.slug, _KIND, kept_id, {}, {}, held, request["now"])


def _reads(api, operation_id: str) -> bool:
    """Whether an RPC-style call reads: its path's last segment a read's verb (`/accounts/get`, `/item/get`,
    `/institutions/get_by_id`), not one making something each call (`/transfer/create`: two transfers made under
    one token are two, not the first answered again) or moving on (`/transactions/sync`). Worked out once."""
    known = api.derived.setdefault("rpc_reads", {})
    if operation_id not in known:
        template = ((operation_of(api, operation_id) and _located(api, operation_id)[0]) or "").rstrip("/")
        last = _bare(template.rsplit("/", 1)[-1])
        known[operation_id] = any(last == verb or last.startswith(verb + "by") for verb in _READ_VERBS)
    return known[operation_id]


def _an_id(value) -> bool:
    """Whether `value` reads as an id a renaming may follow through an answer: text of 8 characters or more (an
    example's `"1"` is also a page's number)."""
    return isinstance(value, str) and len(value) >= 8


# The verbs an RPC-style read's path ends in, bare (`get`, `get_by_id`).
_READ_VERBS = ("get", "list", "retrieve", "fetch")
# Ids an answer holds of the exchange itself, new at every call (`request_id`), not of what it is about.
_OF_THE_EXCHANGE = frozenset(("request", "trace", "correlation", "interaction", "idempotency"))


def _own_id(item: dict, noun: str) -> str | None:
    """The field of `item` holding its own id: named for its noun (`account_id` of an account, `item_id`)."""
    return next((name for name in item if _bare(name) == f"{noun}id"), None) if len(noun) > 1 else None


def _own_form(value: str, seed: str) -> str:
    """Another id of `value`'s form, drawn from `seed`: each digit a digit, each letter a letter of its case, from
    the hexadecimal ones where `value`'s letters all are; anything else as it is."""
    rng = random.Random(hashlib.sha256(seed.encode()).digest())
    hexadecimal = all(c in "0123456789abcdefABCDEF" for c in value if c.isalnum())
    lower, upper = ("abcdef", "ABCDEF") if hexadecimal else (string.ascii_lowercase, string.ascii_uppercase)
    return "".join(rng.choice(string.digits) if c.isdigit() and c.isascii() else rng.choice(lower) if c.islower()
                   and c.isascii() else rng.choice(upper) if c.isupper() and c.isascii() else c for c in value)
