"""Ids no client made here: once a kind has been made in a workspace, a read, change or action naming one of
its ids that was never made (nor shown in the spec's examples) is refused as not found, in the spec's own
error shape and status, where the operation declares such a refusal (`_refuse_unknown`)."""

from __future__ import annotations

import re

from ..actions import documents
from ..domain.errors import SandboxError
from .about import _success_examples, owner_read, path_shape, read_answer
from .addresses import parameters_in
from .fallback import _located, flattened
from .names import _bare
from .pointers import deref
from .roles import _canonical, _made_elsewhere, _value, address, kept_as


def _refuse_unknown(api, operation_id: str, kind: str, name: str, resource_id, ctx) -> None:
    """Refuse, as `not_found` (the operation's 404, in the API's error form), a call naming by `name` a resource of
    `kind` that was never made here, once this workspace keeps one of that kind, where the operation declares
    such a refusal (its 404, 4XX or `default`) and the id is none the spec's examples show for the kind
    (`_shown_ids`). An operation declaring its not-found answer in so many words refuses so from the first
    (`_declares_not_found`); one that only implies it (a 400 or 422 of a spec declaring none, errors beside its answer)
    reads any id as drawn before a client makes one, so a spec with no state serves. Drawn, a connector could not
    rehearse its not-found path (Stripe's `GET /v1/customers/cus_nope` answered 200 and a drawn customer, where Stripe
    answers 404 `resource_missing`)."""
    declared = _declares_refusal(api, operation_id)
    if resource_id is None or not (declared or _refuses_as_bad_input(api, operation_id)) \
            or str(resource_id) in _shown_ids(api, kind, name):
        return
    # (an id holding a control character, or a byte no text decodes to, is no resource's: refused from the first;
    # others only of a kind clients make, once one is made: a kind no call makes, a transfer only settled by a
    # simulation or an invoice only read, has its ids from elsewhere)
    unreadable = _UNREADABLE.search(str(resource_id)) is not None
    if unreadable or _made_by_clients(api, kind) and (_declares_not_found(api, operation_id)
                                                       or documents.any_made(ctx, *kept_as(api, kind))):
        shown = ascii(str(resource_id))[:100] if unreadable else resource_id
        raise SandboxError("not_found" if declared else "invalid_request", f"No such resource: {shown}", field=name)


def _declares_not_found(api, operation_id: str) -> bool:
    """Whether an operation declares in so many words the answer of what it cannot find (its 404, 4XX or `default`):
    an id never made is refused so from the first, not only once one of its kind is made. Stripe's
    `GET /v1/customers/cus_nope` before any customer was made answered 200 and a drawn customer, after one was made
    the 404 `resource_missing`; a connector's first run met the one and its second the other."""
    responses = (_located(api, operation_id)[1] or {}).get("responses") or {}
    return any(str(code).upper() in ("404", "4XX", "DEFAULT") for code in responses)


def _refuses_as_bad_input(api, operation_id: str) -> bool:
    """Whether an operation refuses an id never made as the bad input it is, its 400 or 422: one declaring those,
    of a spec declaring no answer for what it cannot find anywhere (`_declares_no_errors`; Adyen's Checkout declares
    400, 401, 403, 422 and 500 of each call). Its `GET /paymentLinks/{linkId}` of an id never made, after a link
    was made, answered a drawn link of YOUR_MERCHANT_ACCOUNT, 200; a client could not rehearse its refusal."""
    responses = {str(code) for code in ((_located(api, operation_id)[1] or {}).get("responses") or {})}
    return bool(responses & {"400", "422"}) and _declares_no_errors(api)


# What no id holds: a control character, or the character an undecodable byte of a path is read as.
_UNREADABLE = re.compile(r"[\x00-\x1f\x7f\ufffd]")


def _status_asked(request: dict) -> bool:
    """Whether the request asks for its answer's status (`Prefer: code=404`, as Prism takes it)."""
    return "code=" in str((request.get("headers") or {}).get("prefer") or "").replace(" ", "")


def _refuse_unknown_owner(api, operation_id: str, kind: str, request: dict, ctx) -> None:
    """`_refuse_unknown` of the resource of another kind a path goes on below (`/payments/{id}/refunds`): a refund
    of a payment never made, or a list of its refunds, refused as the payment's read would be."""
    owner = owner_read(api, _located(api, operation_id)[0])
    if owner is None or _canonical(api, owner[0]) == kind:
        return
    owner_kind = _canonical(api, owner[0])
    owner_id = _value(request, owner[1])
    if owner_id is not None and documents.find(ctx, *kept_as(api, owner_kind), owner_id) is None:
        _refuse_unknown(api, operation_id, owner_kind, owner[1], owner_id, ctx)


def _made_by_clients(api, kind: str) -> bool:
    """Whether a call makes resources of `kind`: a creation of its own, or a PUT of its path (`_address`)."""
    return _made_elsewhere(api, kind) or any(m.lower() == "put" and _canonical(api, path) == kind
                                             for _, m, path, _ in api.spec_operations())


def _declares_refusal(api, operation_id: str) -> bool:
    """Whether an operation declares the answer of a resource not found: its 404, else its 4XX or `default`
    (Stripe declares only `default`, its error), or, declaring no error, carries the list of errors an error is
    answered as beside what it answers (Square's `{payment, errors}`: `fallback._errors_beside`; its
    `GET /v2/payments/{payment_id}` of an id never made answered a drawn payment), or is a read by an id of a form
    the API issues in a spec declaring no refusal at all (`_declares_no_errors`). One declaring none answers as
    before."""
    from .fallback import _errors_beside

    operation = _located(api, operation_id)[1] or {}
    responses = operation.get("responses") or {}
    if any(str(code).upper() in ("404", "4XX", "DEFAULT") for code in responses):
        return True
    found = address(api, operation_id)
    issued = found is not None and found.role == "read" and any(  # a read by an id of a form the API issues
        parameter.get("name") == found.name and (deref(api.spec, parameter.get("schema")) or {}).get("pattern")
        for parameter in parameters_in(api, operation_id, "path"))
    if issued and _declares_no_errors(api):
        return True
    return not any(str(code).startswith(("4", "5")) for code in responses) \
        and _errors_beside(api.spec, [operation]) is not None


def _declares_no_errors(api) -> bool:
    """Whether no operation of the spec declares an answer for what it cannot find (a 404, its 4XX or `default`):
    Twilio's documents none (only a 408 of one call), though its API answers 404 for a SID it never made. Such a
    spec says nothing of its refusals, not that it has none: a read by an id of the form the API issues (its path
    parameter's `pattern`: `^SM[0-9a-fA-F]{32}$`) that was never made, once one of its kind is, is not found (a
    message never sent was read back as drawn). An id of no fixed form may name a resource made elsewhere."""
    known = api.derived.setdefault("declares_no_errors", {})
    if not known:
        known[True] = not any(str(code).upper() in ("404", "4XX", "DEFAULT") for _, _, _, op in api.spec_operations()
                              for code in (op.get("responses") or {}))
    return known[True]


def _refuses_unknown(api, kind: str) -> bool:
    """Whether the read of `kind` refuses ids never made once one is kept (`_refuse_unknown`)."""
    read = next((op_id for op_id, m, path, _ in api.spec_operations() if m.lower() == "get" and path == kind), None)
    return read is not None and (_declares_refusal(api, read) or _refuses_as_bad_input(api, read))


def _shown_ids(api, kind: str, name: str) -> frozenset:
    """The ids of `kind` the spec's own examples show, as text: its path parameter's examples at each path below
    the kind's read (its read, changes and actions) and the ids of the resources its calls answer by example
    (`id`, or the read's parameter's name). A client may have copied one from the documentation: it is read as
    drawn, as before any was made. Worked out once per kind."""
    known = api.derived.setdefault("shown_ids", {})
    if kind in known:
        return known[kind]
    shape, shown = path_shape(kind), set()
    at = shape.count("/")
    keys = {"id", _bare(name)}

    def collect(value, depth: int = 0) -> None:
        if depth > 5:
            return
        if isinstance(value, dict):
            for key, inner in value.items():
                if _bare(key) in keys and isinstance(inner, (str, int)) and not isinstance(inner, bool):
                    shown.add(str(inner))
                else:
                    collect(inner, depth + 1)
        elif isinstance(value, list):
            for inner in value[:50]:
                collect(inner, depth + 1)

    for op_id, _, path, operation in api.spec_operations():
        if path_shape(path) == shape or path_shape(path).startswith(shape + "/"):
            parameter = str(path).split("/")[at].strip("{}")
            item = (api.spec.get("paths") or {}).get(path) or {}
            for each in [*((operation or {}).get("parameters") or ()), *(item.get("parameters") or ())]:
                each = deref(api.spec, each)
                if isinstance(each, dict) and each.get("in") == "path" and each.get("name") == parameter:
                    schema = deref(api.spec, each.get("schema")) or {}
                    for value in (each.get("example"), schema.get("example") if isinstance(schema, dict) else None,
                                  *((deref(api.spec, e) or {}).get("value") for e in (each.get("examples") or {}).values())):
                        if isinstance(value, (str, int)) and not isinstance(value, bool):
                            shown.add(str(value))
        found = address(api, op_id)
        if found is not None and found.kind == kind:
            for example in _success_examples(api.spec, operation):
                collect(example)
    # (and the example its read's schema gives the id, bare or in an envelope: `id: {example: pay_0000example}`)
    read = flattened(api.spec, read_answer(api, kind)) or {}
    for holder in [read, *(flattened(api.spec, field) or {} for field in (read.get("properties") or {}).values())]:
        for key, field in (holder.get("properties") or {}).items() if isinstance(holder, dict) else ():
            example = (flattened(api.spec, field) or {}).get("example") if _bare(key) in keys else None
            if isinstance(example, (str, int)) and not isinstance(example, bool):
                shown.add(str(example))
    known[kind] = frozenset(shown)
    return known[kind]
