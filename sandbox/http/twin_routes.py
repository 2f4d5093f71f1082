"""Requests to a path that two of a spec's templates both match, sent to the operation whose parameters
the path's values fit.

OpenAPI forbids two templates of one shape (`/Contacts/{ContactNumber}` and `/Contacts/{ContactID}`), but
published specs have them (Xero's contacts, purchase orders, attachments), and a router takes the first
written: a read by a contact's UUID ran the read by contact number and answered about another contact,
while `/PurchaseOrders/PO-0001` was refused as "not a uuid" by the read by id, and the read by number
was never reached. Here, among the operations of one method whose templates differ only in their
parameters' names, the one whose parameter schemas take the path's values is chosen, the most
constrained first (a format, a pattern, an enum or a number before free text), else the author's order.
"""

from __future__ import annotations

import re

from jsonschema import Draft4Validator

from ..bindings.examples import coerce
from .validation import FORMATS

_TEMPLATE = re.compile(r"\{([^}/]+)\}")


class TwinRoutes:
    """The twins of every operation of the APIs added (`add`), and the choice among them (`choose`)."""

    def __init__(self):
        self._twins: dict = {}  # (base path, operation id) -> [(operation id, parameter names, checks, rank)]

    def add(self, spec, base_path: str) -> None:
        shapes: dict = {}
        for path, item in (spec.get("paths") or {}).items():
            if not isinstance(item, dict) or "{" not in path:
                continue
            for method, operation in item.items():
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                names = _TEMPLATE.findall(path)
                schemas = _path_schemas(item, operation)
                checks = [Draft4Validator(schemas.get(name) or {}, format_checker=FORMATS) for name in names]
                rank = sum(_constrained(schemas.get(name) or {}) for name in names)
                shapes.setdefault((method.lower(), _TEMPLATE.sub("{}", path)), []).append(
                    (operation["operationId"], names, checks, rank))
        for twins in shapes.values():
            if len(twins) > 1:
                ordered = sorted(twins, key=lambda twin: -twin[3])  # stable: the author's order among equals
                for operation_id, *_ in twins:
                    self._twins[(base_path, operation_id)] = ordered

    def choose(self, base_path: str, operation_id: str, params: dict) -> tuple[str, dict] | None:
        """(operation id, path parameters) of the twin the values fit, where it is not `operation_id`'s."""
        twins = self._twins.get((base_path, operation_id))
        if twins is None:
            return None
        mine = next(twin for twin in twins if twin[0] == operation_id)
        values = [params.get(name.replace("-", "_"), params.get(name)) for name in mine[1]]
        for twin_id, names, checks, _ in twins:
            if all(_fits(check, value) for check, value in zip(checks, values)):
                if twin_id == operation_id:
                    return None
                renamed = {k: v for k, v in params.items() if k not in {n.replace("-", "_") for n in mine[1]}}
                renamed.update({name.replace("-", "_"): value for name, value in zip(names, values)})
                return twin_id, renamed
        return None


def _path_schemas(item: dict, operation: dict) -> dict:
    found = {}
    for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        if isinstance(parameter, dict) and parameter.get("in") == "path":
            found[parameter.get("name")] = parameter.get("schema") or {}
    return found


def _constrained(schema: dict) -> int:
    return int(any(key in schema for key in ("format", "pattern", "enum")) or schema.get("type") in ("integer", "number"))


def _fits(check, value) -> bool:
    """A path's text, read as its parameter's schema types it (`12` an integer), is one the schema takes."""
    return check.is_valid(coerce({}, check.schema, value))
