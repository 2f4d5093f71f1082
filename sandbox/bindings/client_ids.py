"""Temporary ids a client names what it makes by, for the time of one request, mapped to the server's own.

Some APIs let a client name the objects one call makes by ids of its own, so that one object can refer to
another before either exists (Square's catalog upsert: an item `#coffee`, and its variation whose `item_id` is
`#coffee`). The server gives each object an id of its own, answers the objects under it, every reference to
them too, and lists the pairs in the answer (`id_mappings: [{client_object_id: "#coffee", object_id: "..."}]`).
A spec says so by that list: an array in its success answer of objects holding a `client_<name>` field beside
a `<name>` field, `<name>` an id (`client_object_id`, `object_id`). The ids it maps are those the body sends
as objects' own `id`s that name nothing the workspace keeps (an update names a kept one by its server id), of
the form the spec's examples give the client's ids where they show one (Square's start with `#`).
Answered as sent, the `#` ids were kept, and a client mapping its temporary ids to real ones found none.
"""

from __future__ import annotations

import copy
import random
import re

from ..actions import documents
from .fallback import _located, _seed, deref, generate, idempotency_keys
from .jws import content_of


def declared(api, operation_id: str) -> tuple | None:
    """(the answer's key of the list of pairs, the client's field, the server's field, an example of a server
    id or None, the mark the client's ids start with or '') where the operation's success answer declares such
    a list at its top; else None (worked out once per operation)."""
    known = api.derived.setdefault("client_id_pairs", {})
    if operation_id not in known:
        known[operation_id] = _declared(api, operation_id)
    return known[operation_id]


def _declared(api, operation_id: str) -> tuple | None:
    from .about import _success_schema
    from .mirror import Mirror

    operation = _located(api, operation_id)[1]
    mirror = Mirror(api.spec, _success_schema(api.spec, operation))
    if mirror.root is None:
        return None
    for key in mirror.root.get("properties") or {}:
        listed = mirror.field(mirror.root, key)
        items = mirror.items(listed) if isinstance(listed, dict) and listed.get("type") == "array" else None
        names = set((items or {}).get("properties") or ())
        pair = next(((name, name[len("client_"):]) for name in sorted(names)
                     if name.startswith("client_") and name[len("client_"):] in names
                     and re.search(r"(^|_)id$", name[len("client_"):])), None)
        if pair is not None:
            clients, servers = _examples(api, operation, key, *pair)
            marks = {re.match(r"[^A-Za-z0-9]*", value).group(0) for value in clients}
            mark = marks.pop() if len(marks) == 1 else ""
            return key, pair[0], pair[1], next(iter(servers), None), mark
    return None


def _examples(api, operation, key: str, client: str, server: str) -> tuple[list, list]:
    """The client's and the server's ids the success answer's examples pair under `key`."""
    clients, servers = [], []
    for status, response in ((operation or {}).get("responses") or {}).items():
        if not re.fullmatch(r"2\d\d", str(status)):
            continue
        for media in ((deref(api.spec, response) or {}).get("content") or {}).values():
            media = deref(api.spec, media) or {}
            examples = [media.get("example"), (deref(api.spec, media.get("schema")) or {}).get("example"),
                        *((deref(api.spec, named) or {}).get("value") for named in (media.get("examples") or {}).values())]
            for example in examples:
                for pair in (example.get(key) if isinstance(example, dict) else None) or ():
                    if isinstance(pair, dict) and isinstance(pair.get(client), str) and isinstance(pair.get(server), str):
                        clients.append(pair[client])
                        servers.append(pair[server])
    return clients, servers


def assigned(api, operation_id: str, request: dict, ctx) -> dict:
    """`request` with `client_ids` ({the client's id: the server's}, in the order sent) where its operation maps
    temporary ids (`declared`) and its body names some: each object's own `id` of the mark the spec shows, that
    names nothing kept here. Drawn in the shape of the spec's example of a server id; under an idempotency key
    the same each time (its retry is answered as at first), without one anew."""
    pairs = declared(api, operation_id)
    if pairs is None:
        return request
    _, _, server, example, mark = pairs
    found: list[str] = []

    def visit(node, depth: int = 0) -> None:
        if depth > 12:
            return
        if isinstance(node, dict):
            value = node.get("id")
            if isinstance(value, str) and value and value.startswith(mark) and value not in found \
                    and (ctx is None or not documents.named(ctx, _realm(api), value)):
                found.append(value)
            for child in node.values():
                visit(child, depth + 1)
        elif isinstance(node, list):
            for child in node:
                visit(child, depth + 1)
    visit(content_of(request))
    if not found:
        return {**request, "client_ids": {}}
    rng = random.Random(_seed(operation_id, request)) if idempotency_keys(request) else random.Random()
    made: dict[str, str] = {}
    for value in found:
        made[value] = _drawn(api, server, example, rng, set(made.values()))
    return {**request, "client_ids": made}


def _realm(api) -> str:
    """The name the API's kept resources are kept under (`roles.kept_as`: a part's, its API's)."""
    from .roles import kept_as

    return kept_as(api, None)[0]


def _drawn(api, name: str, example, rng: random.Random, taken: set) -> str:
    from .about import _redrawn, _widened

    for _ in range(20):
        drawn = _widened(_redrawn(example, rng), rng) if isinstance(example, str) and example else \
            generate(api.spec, {"type": "string"}, rng, name=name)
        if isinstance(drawn, str) and drawn not in taken:
            return drawn
    return f"{drawn}{len(taken)}"


def mapped(api, operation_id: str, request: dict, body, fits):
    """`body` answering the server's id wherever it names one of the client's temporary ids (whole values, at
    any depth: the objects' own ids and their references to each other), and the operation's list of pairs
    holding each (`{client_object_id, object_id}`), where it still fits."""
    pairs = declared(api, operation_id)
    made = request.get("client_ids")
    if pairs is None or made is None or not isinstance(body, dict):
        return body
    key, client, server, _, _ = pairs
    body = _batch_answered(body, content_of(request), request.get("now"))
    candidate = renamed_throughout({name: value for name, value in body.items() if name != key}, made)
    candidate[key] = [{client: given, server: own} for given, own in made.items()]
    return candidate if fits(candidate) else body


def renamed_throughout(node, renamed: dict):
    """`node` with every text equal to an id of `renamed` (whole values, at any depth) replaced by the id it stands
    for: the objects' own ids and every reference to them."""
    if isinstance(node, dict):
        return {key: renamed_throughout(value, renamed) for key, value in node.items()}
    if isinstance(node, list):
        return [renamed_throughout(value, renamed) for value in node]
    return renamed.get(node, node) if isinstance(node, str) else node


def batched(body, sent) -> str | None:
    """The key of the answer's list that answers a batch of what was sent (`objects`, where the body sends its
    objects in batches: `{batches: [{objects: [...]}, ...]}`), or None."""
    if not isinstance(body, dict) or not isinstance(sent, dict):
        return None
    for key, value in body.items():
        if isinstance(value, list) and key not in sent:
            holders = [holder for field in sent.values() if isinstance(field, list) for holder in field]
            if holders and all(isinstance(holder, dict) and isinstance(holder.get(key), list) for holder in holders):
                return key
    return None


def _batch_answered(body, sent, now: str | None):
    """`body` answering, in its list of what a batch made (`batched`), the objects the batches sent, in order:
    each as sent, with the scalars the draw gives the server's own fields it did not send (a version, whether it
    is deleted), its moments now. The draw's were the example's objects, which the client never sent."""
    from .moments import stamp

    key = batched(body, sent)
    if key is None:
        return body
    sent_items = [item for field in sent.values() if isinstance(field, list) for holder in field
                  for item in holder[key]]
    if not all(isinstance(item, dict) for item in sent_items):
        return body
    drawn = [item for item in body[key] if isinstance(item, dict)]
    answered = []
    for index, item in enumerate(sent_items):
        template = drawn[min(index, len(drawn) - 1)] if drawn else {}
        made = {name: value for name, value in template.items()
                if name not in item and not isinstance(value, (dict, list))}
        made.update(copy.deepcopy(item))
        stamp(made, item, now, made=True)
        answered.append(made)
    return {**body, key: answered}


def keep_batch(api, operation_id: str, request: dict, reply, ctx) -> None:
    """Keep each object a batch answered (`batched`) as a resource of the kind whose read answers it, bare or in
    its envelope (Square reads a catalog object as `{object: CatalogObject}`), made or changed: its read, lists
    and searches answer it. The batch itself is no resource, and kept nothing."""
    from . import feeds, scopes
    from .about import _success_schema, read_answer, same_kind
    from .mirror import Mirror
    from .remembered import keep_held_alike
    from .roles import address, kept_as

    if ctx is None or not 200 <= reply.status < 300 or declared(api, operation_id) is None:
        return
    key = batched(reply.body, content_of(request))
    if key is None:
        return
    mirror = Mirror(api.spec, _success_schema(api.spec, _located(api, operation_id)[1]))
    schema = mirror.items(mirror.field(mirror.root, key))
    found = None
    for op_id, method, _, _ in api.spec_operations():
        read = address(api, op_id) if method.lower() == "get" else None
        if read is None or read.role != "read" or found is not None:
            continue
        answer = Mirror(api.spec, read_answer(api, read.kind)).root
        if same_kind(api.spec, schema, answer):
            found = (read.kind, None)
        else:
            envelope = next((name for name in (answer or {}).get("properties") or ()
                             if same_kind(api.spec, schema, mirror.field(answer, name))), None)
            found = (read.kind, envelope) if envelope is not None else None
    if found is None:
        return
    kind, envelope = found
    owner = scopes.owned({}, scopes.of(api, request, ctx))
    for item in reply.body[key]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)):
            continue
        resource_id = str(item["id"])
        before = documents.find(ctx, *kept_as(api, kind), resource_id)
        held = {envelope: item} if envelope is not None else item
        documents.keep(ctx, *kept_as(api, kind), resource_id, owner, {}, held, request["now"])
        existed = before is not None and not before.deleted
        feeds.record(api, ctx, kind, resource_id, "change" if existed else "create", item,
                     (before.answer or {}).get(envelope, before.answer) if existed and envelope else
                     (before.answer if existed else None), request, held)
        keep_held_alike(api, kind, item, owner, request, ctx)
