"""Answers from the spec alone that remember: what a connector made, changed or deleted, it reads back.

An operation no binding names is answered from the spec (fallback.py), which alone would make the
sandbox a static mock: a payment created for 12,000 would be read back as the example's 500, a
cancelled one as pending, a deleted one as still there. So the workspace keeps each resource made
through such operations (actions/documents.py), and the answers about it start from what was kept.
Which resource an operation is about follows from the spec's paths and methods (`address`):

- create: a POST (or PUT) whose kind has a read (`about.read_of`: `POST /payments` -> `GET /payments/{id}`),
  kept under that read's path with the id its answer gives (the one its `Location` names);
- read: a GET of a path that ends in a parameter;
- change: a PUT, PATCH or POST of such a path (Stripe updates with POST): PUT replaces what was sent, the
  others merge into it (RFC 7386: a null removes the field); a PUT of an unknown one makes it;
- delete: a DELETE of it; reading, changing or acting on it afterwards is a 404 in the spec's error shape;
- action: a POST under it whose answer is the read's (`about.acted_read`: `/payments/{id}/cancel`), which
  answers the resource as kept, in the state (`status`, `state`) the action's own answer gives;
- list: a GET of the path its kind's creations are made at, whose items are the kept ones (the draw's
  while none is kept).

A resource never made here (an example's id) is answered from the spec as before: the sandbox does not
claim to know every id is unknown. Only the workspace of the request sees what it made, and a reset
forgets it.
"""

from __future__ import annotations

import copy
import re
from typing import NamedTuple

from ..actions import documents
from ..domain.errors import SandboxError
from .about import _at, _bare, _listed, _scalar, acted_read, created_id, echo, envelope_of, read_of
from .fallback import _located
from .jws import content_of

_ROLES_OF_A_RESOURCE_PATH = {"get": "read", "put": "change", "patch": "change", "post": "change", "delete": "delete"}


class Address(NamedTuple):
    role: str  # create, read, change, delete, action or list
    kind: str  # the path template of the GET that reads one resource of the kind
    name: str | None  # the path parameter naming the resource (that of the read for a creation)


def address(api, operation_id: str) -> Address | None:
    """Which resource, or list of them, an operation is about; None when its paths do not say (worked out
    once per operation: on a spec of 355 operations, 1.6 ms each time)."""
    known = api.derived.setdefault("addresses", {})
    if operation_id not in known:
        known[operation_id] = _address(api, operation_id)
    return known[operation_id]


def _address(api, operation_id: str) -> Address | None:
    template, _ = _located(api, operation_id)
    method = next((m for op_id, m, _, _ in api.spec_operations() if op_id == operation_id), "").lower()
    if template is None:
        return None
    reads = {path.rstrip("/"): path for _, m, path, _ in api.spec_operations() if m.lower() == "get"}
    own = re.search(r"\{([^}/]+)\}$", template.rstrip("/"))
    if own and template.rstrip("/") in reads and method in _ROLES_OF_A_RESOURCE_PATH:
        return Address(_ROLES_OF_A_RESOURCE_PATH[method], reads[template.rstrip("/")], own.group(1))
    acted = acted_read(api, operation_id) if method in ("post", "put", "patch") else None
    if acted is not None:
        return Address("action", acted[0], acted[1])
    read = read_of(api, operation_id)
    if read is None:
        return None
    if method == "get":  # a list of the kind: read just below it, or made at the same path
        below = re.fullmatch(re.escape(template.rstrip("/")) + r"/\{[^}/]+\}/?", read[0])
        made_here = any(m.lower() == "post" and path == template and read_of(api, op_id) == read
                        for op_id, m, path, _ in api.spec_operations())
        return Address("list", read[0], None) if below or made_here else None
    return Address("create", read[0], read[1]) if method in ("post", "put") else None


def _value(request: dict, name: str):
    """The value the request's path gave `name` (the router names `{payment-service}` `payment_service`)."""
    path = request.get("path") or {}
    value = path.get(name, path.get(name.replace("-", "_")))
    return None if value is None else str(value)


def recall(api, operation_id: str, request: dict, ctx):
    """(`request` with what the workspace kept of what it is about, the kept document or None).

    The request carries `remembered` ({sent, answer, action}) for a resource, `remembered_items` (the kept
    answers) for a list. A deleted resource is refused as `not_found`, except to a PUT, which makes it again.
    """
    found = address(api, operation_id) if ctx is not None else None
    if found is None or found.role == "create":
        return request, None
    if found.role == "list":
        path = request.get("path") or {}
        owned = [kept.answer for kept in documents.listed(ctx, api.slug, found.kind)
                 if all(str(kept.owner.get(name, value)) == str(value) for name, value in path.items())]
        items = [answer for answer in owned if _filtered_in(answer, request.get("query") or {})]
        return ({**request, "remembered_items": items} if owned else request), None  # none kept: the draw's
    resource_id = _value(request, found.name)
    kept = documents.find(ctx, api.slug, found.kind, resource_id) if resource_id is not None else None
    if kept is None:
        return request, None
    if kept.deleted:
        if request.get("method") == "PUT" and found.role == "change":
            return request, None
        raise SandboxError("not_found", f"{resource_id} was deleted", field=found.name)
    remembered = {"sent": kept.sent, "answer": kept.answer, "role": found.role}
    if found.role == "change":  # what the resource is once changed: what this request sends, over what it was
        sent = content_of(request) if isinstance(content_of(request), dict) else {}
        replaced = request.get("method") == "PUT"
        remembered.update(sent=sent if replaced else merged(kept.sent, sent),
                          answer=kept.answer if replaced else merged(kept.answer, sent))
    return {**request, "remembered": remembered}, kept


def _filtered_in(answer, query: dict) -> bool:
    """Whether a kept resource passes the list's filters: each query parameter named as one of its fields (at
    its top or in its envelope; `?status=pending`, `customerId`) holds its value, or one of a comma list's."""
    holder = answer if isinstance(answer, dict) else {}
    inner = envelope_of(holder)
    fields = {_bare(key): value for key, value in {**holder, **(holder[inner] if inner else {})}.items()
              if _scalar(value) and value is not None}
    for name, value in query.items():
        if _bare(name) in fields and _scalar(value) and value is not None:
            wanted = {part.strip().lower() for part in str(value).split(",")}
            if str(fields[_bare(name)]).lower() not in wanted:
                return False
    return True


def keep(api, operation_id: str, request: dict, reply, ctx, kept) -> None:
    """Keep what a successful `reply` made, changed or deleted (`kept`: what `recall` found of it)."""
    found = address(api, operation_id) if ctx is not None and 200 <= reply.status < 300 else None
    if found is None or found.role in ("read", "list"):
        return
    at = request["now"]
    answer = reply.body if isinstance(reply.body, dict) else None
    sent = content_of(request)
    sent = sent if isinstance(sent, dict) else {}
    path = dict(request.get("path") or {})
    if found.role == "create":
        if reply.body is not None and answer is None:  # a list of what was made, or a document: not one resource
            return
        resource_id = created_id(operation_id, request, answer, found.name)
        documents.keep(ctx, api.slug, found.kind, resource_id, path, sent, answer, at, made=True)
        return
    resource_id = _value(request, found.name)
    if resource_id is None:
        return
    if found.role == "delete":
        documents.delete(ctx, api.slug, found.kind, resource_id, at)
        return
    if found.role == "change":
        sent = sent if request.get("method") == "PUT" or kept is None else merged(kept.sent, sent)
    else:  # an action changes the resource's state, not what was sent to make it
        sent = kept.sent if kept is not None else {}
    owner = kept.owner if kept is not None else {
        name: value for name, value in path.items() if name not in (found.name, found.name.replace("-", "_"))}
    documents.keep(ctx, api.slug, found.kind, resource_id, owner, sent,
                   answer if answer is not None else (kept.answer if kept is not None else None), at)


def merged(target, patch):
    """`patch` merged into `target` as JSON Merge Patch does (RFC 7386): objects field by field, a null removes."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merged(out.get(key), value)
    return out


# An answer's fields that hold the state an action leaves its resource in (its own answer says which).
_STATE = re.compile(r"(status|state)$", re.IGNORECASE)


def _stateless(answer):
    """`answer` without its state fields, at its top and in its envelope."""
    if not isinstance(answer, dict):
        return answer
    out = {key: value for key, value in answer.items() if not _STATE.search(str(key))}
    inner = envelope_of(out)
    if inner is not None:
        out[inner] = {key: value for key, value in out[inner].items() if not _STATE.search(str(key))}
    return out


def as_kept(api, request: dict, body, schema, fits):
    """`body`, an answer about a kept resource, as kept: what its client sent to make it, then its last answer,
    over the draw (an action's answer keeps the state it gives; a change's is what it was, changed). A
    list's items are the kept resources of its kind, each over the first drawn item, where the page still fits."""
    kept = request.get("remembered")
    if kept is not None and isinstance(body, dict):
        answer = _stateless(kept["answer"]) if kept["role"] == "action" else kept["answer"]
        inner = envelope_of(answer)
        # (a change's own body, merged into what was sent before, follows in `about_the_request`)
        sources = [answer] if kept["role"] == "change" else [kept["sent"], answer]
        if inner is not None and inner not in body:  # made under an envelope, read without one
            sources.append(answer[inner])
        for source in sources:
            body = echo(body, source, fits, api.spec, schema)
        return body
    items = request.get("remembered_items")
    return _listing(api, body, items, fits) if items is not None else body


def _listing(api, body, items: list, fits):
    """`body`, a page of a list, with the kept resources as its items (its one list of objects)."""
    if not isinstance(body, (dict, list)):
        return body
    where = [()] if isinstance(body, list) else [at for at in _listed(body) if _list_at(body, at)]
    if len(where) != 1:
        return body
    at = where[0]
    drawn = _at(body, at)
    template = next((item for item in drawn if isinstance(item, dict)), {})  # none drawn: the kept one as it is
    made = []

    def placed(listed: list):
        candidate = copy.deepcopy(body) if at else listed
        if at:
            _at(candidate, at[:-1])[at[-1]] = listed
        return candidate

    for answer in items:
        inner = envelope_of(answer) if isinstance(answer, dict) else None
        resource = answer[inner] if inner is not None and inner not in template else answer
        if not isinstance(resource, dict):
            continue
        item = echo(copy.deepcopy(template), resource, lambda candidate: fits(placed([*made, candidate])), api.spec) \
            if template else resource
        if item != template and fits(placed([*made, item])):
            made.append(item)
    if not made and items:  # none of them fits the list's items
        return body
    return placed(made) if fits(placed(made)) else body


def _list_at(body, at: tuple) -> bool:
    return any(isinstance(item, dict) for item in _at(body, at))
