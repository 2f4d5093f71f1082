"""What an owner's kept sources stand for: a kind no call makes whose every shape holds one resource of
another kind by that kind's id (Moov's payment methods: one per rail for each bank account, card or wallet the
account holds), listed and read as the owner's kept resources of those kinds make it.

Drawn, such a list named the example's bank account and Apple Pay beside the bank account the client had just
linked, which no payment method named; its read, by an id no list gave, was the example's. Each item is the
shape's draw, its kind's word (`paymentMethodType: ach-debit-fund`) and its own id (the same one for the same
source and shape each time: a read finds it), holding the kept source's fields its schema declares."""

from __future__ import annotations

import copy
import random
import re
import uuid

from ..actions import documents
from .about import read_answer
from .addresses import LAST_PARAMETER, sent_query
from .fallback import deref, generate
from .holdings import _resource
from .listing import _belongs
from .mirror import Mirror, _scalar
from .names import _bare
from .roles import _made_elsewhere, address, kept_as


def _shapes(api, kind: str) -> list:
    """(shape, its own id's field, {field: value} naming the shape, the field holding its source, the source's
    kind, the source's id field) of each shape of `kind`'s read that holds one resource of another kind read at a
    path of the same owner by that kind's id, worked out once per kind; none where no shape holds one that a call
    makes, or where `kind` is made by a call of its own."""
    known = api.derived.setdefault("source_shapes", {})
    if kind in known:
        return known[kind]
    found = []
    own = LAST_PARAMETER.search(kind or "")
    owner = kind.rstrip("/").rsplit("/", 2)[0] if own else ""
    reads = {_bare(match.group(1)): path for _, method, path, _ in api.spec_operations()
             if method.lower() == "get" and (match := LAST_PARAMETER.search(path)) and path != kind
             and path.startswith(owner + "/") and path.count("/") == kind.count("/")}
    mirror = Mirror(api.spec, read_answer(api, kind)) if own and not _made_elsewhere(api, kind) else None
    root = (mirror.root or {}) if mirror is not None else {}
    for branch in (root.get("oneOf") or root.get("anyOf") or ([root] if root.get("properties") else [])):
        shape = mirror.resolved(branch) or {}
        fields = shape.get("properties") or {}
        own_id = next((name for name in fields if _bare(name) in (_bare(own.group(1)), "id")), None)
        named = {name: values[0] for name in fields
                 if len(values := ((mirror.field(shape, name) or {}).get("enum") or ())) == 1 and _scalar(values[0])}
        held = [(name, reads[_bare(inner)], inner) for name in shape.get("required") or ()
                for inner in ((mirror.field(shape, name) or {}).get("properties") or ()) if _bare(inner) in reads]
        if own_id is not None and named and len(held) == 1:  # (a shape holding none, Apple Pay's, is no source's)
            found.append((shape, own_id, named, *held[0]))
    known[kind] = found if any(_made_elsewhere(api, source) for *_, source, _ in found) else []
    return found


def derived(api, operation_id: str, request: dict, ctx) -> list | None:
    """The items the owner's kept sources stand for, of a list or read of a kind `_shapes` describes (None for any
    other operation, or where none of the owner's sources was made here: the draw stands)."""
    found = address(api, operation_id) if ctx is not None and str(request.get("method", "")).upper() == "GET" else None
    shapes = _shapes(api, found.kind) if found is not None and found.role in ("list", "read") else []
    if not shapes:
        return None
    template = re.sub(r"/\{[^}/]+\}/?$", "", found.kind)
    owner = {**request, "path": {name: value for name, value in (request.get("path") or {}).items()
                                 if found.role == "list" or name != found.name}}  # (a read's own id is no owner's)
    items, made = [], False
    for shape, own_id, named, holder, source_kind, id_field in shapes:
        made = made or _made_elsewhere(api, source_kind)
        if not _made_elsewhere(api, source_kind):
            continue  # (sources no call makes, a wallet: the draw's stand)
        for kept in documents.listed(ctx, *kept_as(api, source_kind)):
            source = _resource(kept.answer, kept.id) if isinstance(kept.answer, dict) else None
            if kept.deleted or not isinstance(source, dict) or not _belongs(kept, template, owner):
                continue
            items.append(_item(api, shape, own_id, named, holder, id_field, kept.id, source, request.get("today")))
    return items if made else None


def _item(api, shape: dict, own_id: str, named: dict, holder: str, id_field: str, source_id: str, source: dict,
          today) -> dict:
    """One item: the shape drawn (seeded by its source and shape), named as the shape, its own id the same for the
    same source and shape, holding the source's fields its schema declares."""
    seed = f"{source_id}:{sorted(named.items())}"
    item = generate(api.spec, shape, random.Random(seed), today=today)
    item = item if isinstance(item, dict) else {}
    mirror = Mirror(api.spec, shape)
    node = mirror.field(shape, holder) or {}
    held = item.get(holder) if isinstance(item.get(holder), dict) else {}
    held = {**held, **{key: copy.deepcopy(value) for key, value in source.items()
                       if key in (node.get("properties") or {})}, id_field: source_id}
    own = mirror.field(shape, own_id) or {}
    identity = str(uuid.uuid5(uuid.NAMESPACE_URL, seed)) if own.get("format") == "uuid" else \
        f"{source_id}-{'-'.join(str(value) for value in named.values())}"
    return {**item, **named, own_id: identity, holder: held}


def as_derived(api, operation_id: str, request: dict, body, fits):
    """`body`, a list or read answered about what the owner's kept sources stand for (`request["derived"]`): the
    list holds those items (filtered by the query: a field of theirs by its name, or a source by its id where the
    parameter's description names the id's field) beside the drawn ones whose sources no call makes; a read of one
    of them answers it. Left as drawn where that does not fit."""
    items = request.get("derived")
    found = address(api, operation_id)
    if items is None or found is None:
        return body
    shapes = _shapes(api, found.kind)
    made_here = {holder for _, _, _, holder, kind, _ in shapes if _made_elsewhere(api, kind)}
    if found.role == "read":
        wanted = str((request.get("path") or {}).get(found.name) or "")
        item = next((item for item in items if any(str(item.get(own)) == wanted for _, own, *_ in shapes)), None)
        return item if item is not None and fits(item) else body
    if not isinstance(body, list):
        return body
    drawn = [item for item in body if isinstance(item, dict) and not made_here & set(item)
             and any(holder in item for _, _, _, holder, _, _ in shapes)]
    candidate = [item for item in drawn + items if _passes(api, operation_id, request, item)]
    return candidate if fits(candidate) else body


def _passes(api, operation_id: str, request: dict, item: dict) -> bool:
    """Whether an item is among those the list's query asks for."""
    operation = next((op for op_id, _, _, op in api.spec_operations() if op_id == operation_id), None) or {}
    described = {(deref(api.spec, parameter) or {}).get("name"): str((deref(api.spec, parameter) or {}).get("description") or "")
                 for parameter in operation.get("parameters") or ()}
    fields = {_bare(key): value for key, value in item.items() if _scalar(value)}
    held = [(key, value) for inner in item.values() if isinstance(inner, dict) for key, value in inner.items()]
    for name, value in sent_query(request).items():
        if _bare(name) in fields:
            if str(fields[_bare(name)]) != str(value):
                return False
        elif any(re.search(rf"\b{re.escape(key)}\b", described.get(name, ""), re.IGNORECASE) for key, _ in held
                 if _bare(key).endswith("id")):
            if not any(str(held_value) == str(value) for key, held_value in held if _bare(key).endswith("id")):
                return False
    return True
