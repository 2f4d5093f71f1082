"""Related resources answered whole where the request asks (`expand[]=customer`), ids elsewhere.

An answer's field that a spec declares as either an id or the object it names (`customer: anyOf [string,
Customer]`, Stripe's expandable fields) holds the id unless the request names the field in `expand`
(the query's `expand[]=customer`, a form body's `expand[0]=customer`, a JSON body's `"expand": [...]`),
dotted through objects and lists (`data.customer`, `latest_invoice.payment_intent`). Connectors ask for
it to save a round trip and then read the object's fields: answered an id, `payment_intent.customer.email`
broke them. The object is the kept resource of that id where the workspace made one of the kind, else one
drawn from the spec with the id it was named by.
"""

from __future__ import annotations

import copy
import random

from ..actions import documents
from .about import read_answer, same_kind, unlinked
from .names import _bare
from .schemas import schemas_of
from .fallback import _located, deref, flattened, generate, property_schema
from .jws import carries_json, content_of
from . import scopes
from .roles import address, kept_as

_DEPTH = 4  # Stripe's own limit on how deep an expansion goes


def expanded(api, operation_id: str, request: dict, reply, ctx) -> None:
    """Put the objects the request's `expand` names in place of their ids in `reply`'s body (in place)."""
    if not 200 <= reply.status < 300 or not isinstance(reply.body, dict):
        return
    paths = _asked(request)
    if not paths:
        return
    schema = _answered(api, operation_id, reply.status)
    if schema is None:
        return
    body = copy.deepcopy(reply.body)
    for path in paths:
        _expand(api, ctx, request, body, schema, path.split(".")[:_DEPTH])
    reply.body = body


def _asked(request: dict) -> list[str]:
    """The dotted paths the request asks to expand, from its query and its body, in any of the forms clients
    write a list (`expand[]=a`, `expand[0]=a`, `expand=a,b`, a JSON array)."""
    found = []
    for where in (request.get("query") or {}, content_of(request)):
        if not isinstance(where, dict):
            continue
        for name, value in where.items():
            if _bare(name) != "expand":
                continue
            values = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
            for each in values:
                found += [part.strip() for part in str(each).split(",") if part.strip()] if isinstance(each, str) else []
    return list(dict.fromkeys(found))


def _answered(api, operation_id: str, status: int):
    operation = _located(api, operation_id)[1] or {}
    response = deref(api.spec, (operation.get("responses") or {}).get(str(status))) or {}
    content = response.get("content") or {}
    media = next((m for kind, m in content.items() if carries_json(kind)), None)
    return deref(api.spec, (media or {}).get("schema"))


def _object(spec: dict, schema):
    """`schema` as one object schema: its `allOf` merged; a nullable or single alternative read through."""
    if "allOf" in (deref(spec, schema) or {}):
        return flattened(spec, schema)
    schema = deref(spec, schema)
    if not isinstance(schema, dict):
        return {}
    options = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(options, list):
        objects = [o for o in (deref(spec, o) for o in options) if isinstance(o, dict) and _is_object(spec, o)]
        if len(objects) == 1:
            return _object(spec, objects[0])
    return schema


def _is_object(spec: dict, schema) -> bool:
    schema = deref(spec, schema)
    return isinstance(schema, dict) and (schema.get("type") == "object" or "properties" in schema or "allOf" in schema)


def _expand(api, ctx, request: dict, node, schema, path: list[str]) -> None:
    """Expand `path` in `node` (answered under `schema`), through lists, then the object at its end."""
    spec = api.spec
    schema = deref(spec, schema)
    if isinstance(node, list):
        items = (schema or {}).get("items") if isinstance(schema, dict) else None
        for item in node:
            _expand(api, ctx, request, item, items or {}, path)
        return
    if not isinstance(node, dict) or not path:
        return
    name, rest = path[0], path[1:]
    field = property_schema(spec, _object(spec, schema), name) if isinstance(schema, dict) else None
    if name not in node or field is None:
        return
    value = node[name]
    items = deref(spec, field).get("items") if isinstance(deref(spec, field), dict) else None
    whole = _alternative(spec, items) if isinstance(value, list) and items is not None else None
    if whole is not None:  # a list of ids or the objects they name (Stripe's `discounts`): each one expanded
        node[name] = value = [_resource(api, ctx, request, whole, each, rest[:1]) if isinstance(each, str) else each
                              for each in value]
        field = {"type": "array", "items": whole}
    elif isinstance(value, str):
        whole = _alternative(spec, field)
        if whole is None:
            return
        node[name] = value = _resource(api, ctx, request, whole, value, rest[:1])
        field = whole
    if rest:
        _expand(api, ctx, request, value, field, rest)


def _alternative(spec: dict, field):
    """The object a field declared as "an id or the object" holds when expanded (the first object of its
    `anyOf`/`oneOf` beside a string: Stripe's live `customer` before its `deleted_customer`), or None."""
    field = deref(spec, field)
    options = (field.get("anyOf") or field.get("oneOf")) if isinstance(field, dict) else None
    if not isinstance(options, list):
        return None
    kinds = [deref(spec, option) for option in options]
    if not any(isinstance(kind, dict) and kind.get("type") == "string" for kind in kinds):
        return None
    return next((option for option, kind in zip(options, kinds) if _is_object(spec, kind)), None)


def _resource(api, ctx, request: dict, schema, resource_id: str, asked: list[str] = ()):
    """The kept resource `resource_id` of a kind whose read answers `schema`, else one drawn with that id,
    pointing at no further resource where it may point at none (`unlinked`), but for the field `asked` to
    be expanded in turn."""
    if ctx is not None:
        for kind in _kinds_answering(api, schema):
            kept = documents.find(ctx, *kept_as(api, kind), resource_id)
            if kept is not None and not kept.deleted and isinstance(kept.answer, dict) \
                    and scopes.held(kept.owner) == scopes.of(api, request, ctx):  # (another account's is not expanded)
                return kept.answer
    drawn = generate(api.spec, schema, random.Random(resource_id), today=request.get("today"))
    if isinstance(drawn, dict) and "id" in (_object(api.spec, schema).get("properties") or {}):
        drawn["id"] = resource_id
    fits = schemas_of(api.spec).fits
    return unlinked(api, drawn, schema, {name: None for name in asked}, lambda candidate: fits(schema, candidate))


def _kinds_answering(api, schema) -> list[str]:
    """The kinds (their reads' paths) whose read answers `schema` (worked out once per schema and spec)."""
    known = api.derived.setdefault("kinds_answering", {})
    key = schema.get("$ref") if isinstance(schema, dict) and "$ref" in schema else id(deref(api.spec, schema))
    if key not in known:
        target = deref(api.spec, schema)
        kinds = {found.kind for op_id, method, _, _ in api.spec_operations() if method.lower() == "get"
                 and (found := address(api, op_id)) is not None and found.role == "read"}
        known[key] = sorted(kind for kind in kinds if same_kind(api.spec, target, read_answer(api, kind)))
    return known[key]


# The money fields a creation takes from the resource it names where it sends none.
_MONEY = ("amount", "currency")


def named_money(api, operation_id: str, request: dict, ctx) -> dict:
    """The amount and currency of the kept resource a creation's body names by an id-or-object field of its answer
    (`charge: anyOf [string, Charge]`: Stripe's refund of a `charge` or a `payment_intent`), or {}: a refund of a
    10.00 EUR payment was answered in a drawn JPY, one of a whole charge a drawn amount."""
    sent = content_of(request)
    if ctx is None or not isinstance(sent, dict):
        return {}
    operation = _located(api, operation_id)[1] or {}
    status = next((code for code in (operation.get("responses") or {}) if str(code).startswith("2")), None)
    schema = _answered(api, operation_id, status) if status is not None else None
    node = _object(api.spec, schema) if isinstance(schema, dict) else None
    if not node:
        return {}
    for name, value in sent.items():
        field = property_schema(api.spec, node, name) if isinstance(value, str) and _bare(name) not in _MONEY else None
        whole = _alternative(api.spec, field) if field is not None else None
        for kind in _kinds_answering(api, whole) if whole is not None else ():
            kept = documents.find(ctx, *kept_as(api, kind), value)
            if kept is not None and not kept.deleted and isinstance(kept.answer, dict) \
                    and scopes.held(kept.owner) == scopes.of(api, request, ctx):
                money = {key: held for key, held in kept.answer.items() if _bare(key) in _MONEY and held is not None}
                if money:
                    return money
    return {}
