"""What a kept answer holds: the resource it is about (`_resource`), its fields, where they sit inside an
envelope (`_inner`), and the states its schema declares and it is in (`_declared_states`, `_held_states`)."""

from __future__ import annotations

from .about import read_answer
from .mirror import Mirror, _scalar, envelope_of
from .names import _bare
from .states import consented_state, revoking_reason, state_field, withdrawn_state


# The envelopes a kept answer holds its resource in, whose fields and states are the resource's.
_ENVELOPES = ("data", "result")


def _read_resource(api, kind: str) -> tuple:
    """(the field its read holds it in or None, its schema) of the resource a kind's read answers: the answer
    itself where it has an id, else its one object field that does (Square's `{object: CatalogObject, ...}`)."""
    known = api.derived.setdefault("read_resources", {})
    if kind not in known:
        mirror = Mirror(api.spec, read_answer(api, kind))
        root, found = mirror.root, (None, None)
        if root is not None and "id" in (root.get("properties") or {}):
            found = (None, root)
        elif root is not None:
            held = [(key, mirror.field(root, key)) for key in root.get("properties") or ()]
            held = [(key, node) for key, node in held if isinstance(node, dict) and "id" in (node.get("properties") or {})]
            found = held[0] if len(held) == 1 else (None, None)
        known[kind] = found
    return known[kind]


def _declared_states(mirror) -> list:
    """The enums of the state fields (`status`, `state`) a resource's schema declares, at its top and in a
    `data`/`result` envelope; of a resource read as one of several shapes declaring none of its own (Checkout.com's
    `GET /payments/{id}`: `oneOf: [PaymentDetails, PayoutDetails]`), those of each shape, in their order (read at the
    top only, a capture at `POST /payments/{id}/captures` had named no state and left the payment `Authorized`)."""
    root = mirror.root if isinstance(mirror.root, dict) else {}
    shapes = [] if root.get("properties") else root.get("oneOf") or root.get("anyOf") or []
    if shapes:
        return list(dict.fromkeys(state for shape in shapes if isinstance(mirror.resolved(shape), dict)
                                  for state in _declared_states(type(mirror)(mirror.spec, shape))))
    # (or its one object, where the answer has no id of its own: Plaid's `{transfer: {...}, request_id}`)
    objects = [key for key in root.get("properties") or () if (mirror.field(root, key) or {}).get("properties")]
    bare = len(objects) == 1 and not any(_bare(key) in _OWN_IDS for key in root.get("properties") or ())
    nodes = [root] + [mirror.field(root, key) or {} for key in root.get("properties") or ()
                      if _bare(key) in _ENVELOPES or bare and key in objects]
    return [value for node in nodes for key in node.get("properties") or () if state_field(key)
            for value in (mirror.field(node, key) or {}).get("enum") or () if isinstance(value, str)]


def revocation_told(mirror, node) -> tuple:
    """(the refused state, the key of the object telling why) where the object `node` (a resource or its envelope)
    has a state whose enum names no withdrawn state but a refused one (`REJECTED`), and beside it an object named
    for that state (`rejection`) holding a reason code that says it was revoked (`CUSTOMER_MANUALLY_REVOKED`):
    Brazil's open finance consent, whose revocation is told only so. Else (None, None)."""
    node = mirror.resolved(node) if node is not None else None
    properties = (node or {}).get("properties") or {} if isinstance(node, dict) else {}
    states = [value for key in properties if state_field(key)
              for value in (mirror.field(node, key) or {}).get("enum") or () if isinstance(value, str)]
    refused = consented_state(states, False) if withdrawn_state(states) is None else None
    if refused is None:
        return None, None
    for key in properties:
        field = mirror.field(node, key) or {}
        if field.get("properties") and _bare(key)[:5] == _bare(refused)[:5] and revoking_reason(_codes(mirror, field)):
            return refused, key
    return None, None


def _codes(mirror, node, depth: int = 0) -> list:
    """The string enums' values an object's schema holds at any depth (to 3)."""
    node = mirror.resolved(node)
    if not isinstance(node, dict) or depth > 3:
        return []
    return [*(value for value in node.get("enum") or () if isinstance(value, str)),
            *(value for key in node.get("properties") or () for value in _codes(mirror, mirror.field(node, key), depth + 1))]


def _shaped(mirror, body):
    """`mirror` rooted at the shape `body` is, where its schema is one of several declaring no fields of their own
    (Checkout.com's payment read as `oneOf: [PaymentDetails, PayoutDetails]`): the one declaring most of the fields
    `body` holds, the first of those alike. Their `status` fields differ, so read at the top the answer had no
    state an action could move."""
    root = mirror.root
    if not isinstance(root, dict) or root.get("properties") or not isinstance(body, dict):
        return mirror
    shapes = [shape for shape in root.get("oneOf") or root.get("anyOf") or () if isinstance(mirror.resolved(shape), dict)]
    if not shapes:
        return mirror
    best = max(shapes, key=lambda shape: len(set(body) & set(mirror.resolved(shape).get("properties") or ())))
    return type(mirror)(mirror.spec, best)


def _held_states(mirror, body: dict) -> list:
    """(the object holding it, its key, its schema) of each state field an answer holds, at its top and in its
    envelope."""
    mirror = _shaped(mirror, body)
    inner = _inner(body)
    holders = [(body, mirror.root)] + ([(body[inner], mirror.field(mirror.root, inner))] if inner else [])
    # (a JSON:API resource holds its state in `attributes`: PayMongo's payment intent, `data.attributes.status`)
    holders += [(holder["attributes"], mirror.field(node, "attributes")) for holder, node in list(holders)
                if isinstance(holder, dict) and isinstance(holder.get("attributes"), dict) and "type" in holder]
    return [(holder, key, mirror.field(node, key) or {}) for holder, node in holders
            for key in [k for k in holder if state_field(k)]]


def _required(mirror, body: dict, holder: dict) -> tuple:
    """The fields the schema requires of `holder`: `body` itself, or its envelope (`_held_states`)."""
    node = mirror.root if holder is body else mirror.field(mirror.root, _inner(body))
    return tuple((node or {}).get("required") or ())


def _resource(answer, own: str | None = None):
    """What a kept answer is about: its envelope's content (`_inner`), else the answer itself."""
    inner = _inner(answer, own)
    return answer[inner] if inner is not None else answer


def _fields(answer, own: str | None = None) -> dict:
    """A kept answer's scalar fields, at its top and in its envelope, by their bare names (`customer_id` and
    `customerId` are one): what its owner's path values and a list's filters are compared with."""
    if not isinstance(answer, dict):
        return {}
    inner = _inner(answer, own)
    return {_bare(key): value for key, value in {**answer, **(answer[inner] if inner else {})}.items() if _scalar(value)}


def _inner_fields(answer) -> dict:
    """The scalar fields of the objects a kept answer holds one level down (`devedor.cpf`), by their bare names:
    what a list's filter names where the resource's own fields do not (Pix's `GET /cob?cpf=...`)."""
    found = {}
    for value in (answer.values() if isinstance(answer, dict) else ()):
        if isinstance(value, dict):
            for key, inner in value.items():
                if _scalar(inner) and inner is not None:
                    found.setdefault(_bare(key), inner)
    return found


def _inner(answer, own: str | None = None) -> str | None:
    """The envelope a kept answer holds its resource in (`{"data": {...}}`), or None: an answer with an id of
    its own at its top is the resource itself, whatever object it holds (a company's `tags`); so is one holding
    `own`, the kept resource's id, at its top under whatever name (Xero's `ContactID`: its contact's
    `PaymentTerms` is no envelope)."""
    if not isinstance(answer, dict) or any(_bare(key) in _OWN_IDS and _scalar(value) for key, value in answer.items()):
        return None
    if own is not None and any(_scalar(value) and str(value) == str(own) for value in answer.values()):
        return None
    return envelope_of(answer)


_OWN_IDS = ("id", "guid", "uuid", "token")
