"""Running one request through a bank's binding: request → input → action → output, or an error.

The request arrives as a plain document (see docs/bindings.md); the reply leaves as a status, headers
and a JSON body. Refusals of the core (`SandboxError`) are rendered through the bank's error table,
so a connector always meets the bank's own error format.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass, field

from jmespath.exceptions import JMESPathError

from ..actions import Context, idempotency
from ..domain.errors import SandboxError
from ..store.database import write
from . import fallback, granted, remembered, scopes
from .expansions import expanded
from .handles import as_handled
from .reach import as_consented, as_owner_referenced
from .functions import OPTIONS
from .jws import carries_json, content_of
from .loader import BankApi, Case, Expression, Rendering
from .schemas import schemas_of


# Why a refusal whose declared answer has no body was refused.
DETAIL_HEADER = "X-Sandbox-Detail"


@dataclass
class Reply:
    status: int
    body: object
    headers: dict = field(default_factory=dict)
    error_code: str | None = None
    # Why the body does not fit the schema it is sent under (a fallback answer that could not be made
    # to fit): response validation will refuse it; `check` reports it.
    problem: str | None = None


def handle(api: BankApi, operation_id: str, request: dict, ctx: Context | None) -> Reply:
    """Answer `request` for `operation_id` of `api`; `ctx` is None only for unbound operations (served
    without a workspace)."""
    operation = api.operations.get(operation_id)
    if operation is None:
        try:
            request, kept = remembered.recall(api, operation_id, request, ctx)
            # (a consent named by the id it was given once granted: its artefact read, or a call made under it)
            consent = granted.refused(api, operation_id, request, ctx)
        except SandboxError as error:  # a resource deleted here, a consent never given or not granted
            return render_error(api, error, request)
        reply, replayed, held = _held(api, operation_id, request, ctx, fallback.respond(api, operation_id, request))
        if consent is not None and 200 <= reply.status < 300:
            reply.body = granted.answered(api, operation_id, consent, reply.body)
        if not replayed:  # a replay changes nothing (a resource deleted since stays deleted)
            remembered.keep(api, operation_id, request, reply, ctx, kept)
            if held is not None:  # the key holds the answer as kept (stamped), for a retry to get it again
                idempotency.answered(ctx, held, fallback.idempotency_key(request), reply.body)
        else:
            remembered.replayed(api, operation_id, request, reply, ctx)
        as_consented(api, operation_id, request, reply, ctx)  # (an RPC-style API's accounts, as its consent names)
        as_owner_referenced(api, operation_id, request, reply, ctx)  # (an account's transactions name that account)
        as_handled(api, operation_id, request, reply, ctx)  # (an RPC read under a token: what the token's first said)
        expanded(api, operation_id, request, reply, ctx)  # (after keeping: what is kept holds the ids)
        return fallback.sealed(reply)
    try:
        case = operation.choose(request, OPTIONS)
        if case.refuse is not None:
            refusal = case.refuse
            raise SandboxError(refusal.code, refusal.message, **({"field": refusal.field} if refusal.field else {}))
        if case.each is not None:
            document = {"results": _each(api, case, request, ctx)}
        else:
            document = {"result": _run(case, request, ctx)}
    except SandboxError as error:
        return render_error(api, error, request)
    except JMESPathError as error:  # a `when`, `each` or `item_id` that cannot read what the client sent
        return render_error(api, SandboxError("invalid_request", f"the request cannot be read: {error}"), request)
    document.update(request=request, now=request.get("now"), today=request.get("today"), bank=request.get("bank"))
    return _render(case.output, document)


# Where a spec declares several, the status a reused idempotency key is refused with: the conflict's own,
# else the one its validation errors take.
_CONFLICT_STATUSES = ("409", "422", "400")


def _held(api: BankApi, operation_id: str, request: dict, ctx: Context | None,
          reply: Reply) -> tuple[Reply, bool, str | None]:
    """An answer from the spec alone holds its idempotency key as the core does: the key, reused with another
    request (path, query or body), is refused, in the status the operation documents for it, and the same
    request again is answered what the first one was. (The reply, whether it replays an earlier request under
    its key, and the scope of a key claimed by this request.)"""
    key = fallback.idempotency_key(request)
    if ctx is None or key is None or request.get("method") in ("GET", "HEAD", "OPTIONS") or not 200 <= reply.status < 300:
        return reply, False, None
    # (a key is held per connector and per account the request acts for, as each client and account holds its own:
    # `scopes`; two connectors reusing one key were refused as one client reusing it with another request)
    account = scopes.of(api, request, ctx)
    scope = f"{api.slug}.{operation_id}" + (f"#{ctx.connector_id}" if ctx.connector_id is not None else "") + (
        f"@{account}" if account is not None else "")
    try:
        first = idempotency.claim(ctx, scope, key,
                                  {"path": request.get("path"), "query": request.get("query"), "body": content_of(request)},
                                  request["now"], reply.body)
    except SandboxError as error:  # the key reused with another request, or no key at all (too long, unprintable)
        if error.code != "idempotency_conflict" or api.errors:
            return render_error(api, error, request), False, None
        responses = (fallback.operation_of(api, operation_id) or {}).get("responses") or {}
        # None of them documented: the status of the shape its `default` error keeps for a reused key (Increase's
        # `idempotency_key_already_used_error`, 409: it was a 400 `malformed_request_error`), else (Stripe's
        # `default` only) 400, as Stripe answers a reused key and as its SDK reads an `idempotency_error` only
        # under 400/404 (a 409 became a bare APIError).
        error.status = int(next((status for status in _CONFLICT_STATUSES if status in responses), None)
                           or fallback.shape_status(api.spec, responses.get("default"), error.code) or 400)
        return _made_under(api, operation_id, request, ctx, render_error(api, error, request), scope, key), False, None
    if not first:  # drawn again, what the client did not send differed from the first answer (Brex's transfer
        # had other `process_date` and `estimated_delivery_date` than it was made and read back with)
        answered = idempotency.claimed(ctx, scope, key).get("answer")
        if isinstance(answered, (dict, list)):
            reply.body = answered
        return reply, True, None
    return reply, False, scope


def _made_under(api: BankApi, operation_id: str, request: dict, ctx: Context, refusal: Reply, scope: str, key) -> Reply:
    """A reused key's refusal whose documented answer is the resource itself, not an error (Moov's `409` with
    its `Transfer`: "duplicate X-Idempotency-Key"), answers the resource made under that key, as kept, else as
    first answered: the client reads back what its first request made. A drawn one named nothing it made."""
    documented = remembered.conflict_schema(api, operation_id, refusal.status)
    if documented is None:
        return refusal
    made = remembered.made_under(api, operation_id, request, idempotency.claimed(ctx, scope, key).get("answer"), ctx)
    # (only in the form the status documents: Moov's refund first answered in its short form, its key then reused
    # where its 409 documents the full one, failed the spec's schema, a 500)
    if made is not None and schemas_of(api.spec).fits(documented, made):
        refusal.body = made
    return refusal


def _run(case: Case, document: dict, ctx: Context | None):
    """Evaluate the case's input over `document` and run its action (None for `action: none`)."""
    try:
        kwargs = case.input.search(document, OPTIONS) if case.input else {}
    except JMESPathError as error:  # e.g. a function given a value of the wrong type by the client
        raise SandboxError("invalid_request", f"the request cannot be read: {error}") from None
    if not isinstance(kwargs, dict):
        raise SandboxError("invalid_request", "the request does not carry the fields this operation needs")
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    for argument, name in case.required:
        if argument not in kwargs:
            raise SandboxError("invalid_request", f"{name} is required", field=name)
    return case.action(ctx, **kwargs) if case.action else None


def _each(api: BankApi, case: Case, request: dict, ctx: Context) -> list:
    """Run the case's action once per item of `each`: [{index, item, item_id, result, error}] in item order.

    Atomic: every item in one transaction, and the first refusal refuses the whole request (its details
    name the item) with nothing written. Otherwise each item stands alone and a refused one carries its
    error, rendered by the bank's error table, beside the others' results.
    """
    items = case.each.search(request, OPTIONS)
    if not isinstance(items, list):
        raise SandboxError("invalid_request", "the request does not carry the list of items this operation takes")
    documents = []
    for index, item in enumerate(items):
        document = {**request, "request": request, "item": item, "index": index}
        document["item_id"] = case.item_id.search(document, OPTIONS) if case.item_id else None
        documents.append(document)
    results = []
    if case.atomic:
        # One item is atomic on its own (its action writes in one transaction), and then the action's
        # checks that only read run before the workspace's writer lock, not inside it.
        with write(ctx.db) if len(documents) > 1 else nullcontext():
            for document in documents:
                try:
                    result = _run(case, document, ctx)
                except SandboxError as error:
                    raise _about_item(error, document) from None
                results.append(_item_result(document, result, None))
        return results
    for document in documents:
        try:
            results.append(_item_result(document, _run(case, document, ctx), None))
        except SandboxError as error:
            error = _about_item(error, document)
            rendered = render_error(api, error, request)
            results.append(_item_result(document, None, {**_error_document(error), "rendered": {
                "status": rendered.status, "body": rendered.body}}))
    return results


def _about_item(error: SandboxError, document: dict) -> SandboxError:
    """The same refusal, its details naming the item it is about (`index`, and `item_id` when the binding says)."""
    details = {**error.details, "index": document["index"]}
    if document["item_id"] is not None:
        details["item_id"] = document["item_id"]
    return SandboxError(error.code, error.message, **details)


def _item_result(document: dict, result, error) -> dict:
    return {"index": document["index"], "item": document["item"], "item_id": document["item_id"], "result": result,
            "error": error}


def _error_document(error: SandboxError) -> dict:
    return {"code": error.code, "message": error.message, "status": error.status, "details": error.details or None,
            "title": error.title}


def render_error(api: BankApi, error: SandboxError, request: dict) -> Reply:
    """Render a canonical error in the bank's own status and body.

    A bank with an error table renders through it; a spec served without one answers in the media type
    and shape it declares for the status (so an SDK generated from it can read the refusal), and only
    a spec that declares nothing gets RFC 7807 problem+json.
    """
    role = (error.details or {}).get("role")
    rendering = (role and api.errors.get(f"{error.code}.{role}")) or api.errors.get(error.code) or api.errors.get("default")
    document = {
        "error": _error_document(error),
        "request": request, "now": request.get("now"), "today": request.get("today"), "bank": request.get("bank"),
    }
    if rendering is None:
        # No table: the shape the spec declares for this status, else RFC 7807.
        _as_declared_conflict(api, request.get("operation_id"), error)
        refusal = fallback.Refusal(error.code, error.message or error.title, error.status, error.title)
        reply = fallback.error_reply(api, request.get("operation_id"), error.status, request, refusal)
        reply = _as_its_shape_says(api, request.get("operation_id"), error.status, reply)
        if reply is None:
            reply = Reply(error.status, _problem(error), {"Content-Type": "application/problem+json"})
        elif reply.body is None:
            # The spec declares this status without content: the reason goes in a header (ASCII, as headers
            # are), or a client would be refused with nothing to say why.
            # (a control character too, `\x1f` of an id sent as `%1F`: in a header, the server dropped the connection)
            detail = (error.message or error.title).encode("ascii", "backslashreplace").decode()
            reply.headers[DETAIL_HEADER] = re.sub(r"[\x00-\x1f\x7f]", lambda found: f"\\x{ord(found.group()):02x}", detail)
        reply.error_code = error.code
        return reply
    reply = _render(rendering, document)
    reply.error_code = error.code
    return reply


def _as_declared_conflict(api: BankApi, operation_id: str | None, error: SandboxError) -> None:
    """A refusal of what the resource's state does not allow (`invalid_state`, 422), at the operation's 409 where it
    declares a 409 and no 422: the status its spec gives a conflict with the state (NextGenPSD2's authorisation of a
    cancelled payment, `STATUS_INVALID`; its SDKs raise the exception of the status declared)."""
    declared = fallback.declared_statuses(api, operation_id)
    if error.code == "invalid_state" and error.status == 422 and "409" in declared and "422" not in declared:
        error.status = 409


def _as_its_shape_says(api: BankApi, operation_id: str | None, status: int, reply: Reply | None) -> Reply | None:
    """`reply`, a refusal in the shape of a choice of error shapes each pinning its own status (Increase's
    `invalid_operation_error`, `status: [409]`), answered with the status its shape says where the operation declares
    none of its own for the refusal's: Increase's ACH transfer approved out of its state was a 422 whose body said
    409, and its SDK raised the exception of neither."""
    body = reply.body if reply is not None else None
    said = body.get("status") if isinstance(body, dict) else None
    said = int(said) if isinstance(said, int) and not isinstance(said, bool) or isinstance(said, str) and said.isdigit() \
        else None
    if said is None or said == status or str(said)[:1] != str(status)[:1]:
        return reply
    responses = (fallback.operation_of(api, operation_id) or {}).get("responses") or {} if operation_id else {}
    if str(status) in responses or str(said) not in {str(pin) for pin in _pinned(api, responses.get("default"))}:
        return reply
    reply.status = said
    return reply


def _pinned(api: BankApi, response) -> list:
    """The statuses the shapes of an error response that is a choice of shapes each pin by a one-value enum."""
    media = next((m for kind, m in ((fallback.deref(api.spec, response) or {}).get("content") or {}).items()
                  if carries_json(kind)), None)
    node = fallback.deref(api.spec, (media or {}).get("schema"))
    options = (node.get("oneOf") or node.get("anyOf")) if isinstance(node, dict) else None
    pinned = []
    for option in options if isinstance(options, list) else ():
        field = fallback.deref(api.spec, ((fallback.deref(api.spec, option) or {}).get("properties") or {}).get("status"))
        values = (field or {}).get("enum") if isinstance(field, dict) else None
        pinned += [values[0]] if isinstance(values, list) and len(values) == 1 else []
    return pinned


def _render(rendering: Rendering, document: dict) -> Reply:
    status = rendering.status
    if isinstance(status, Expression):
        status = int(status.search(document, OPTIONS))
    body = rendering.body.search(document, OPTIONS) if rendering.body else None
    headers = {}
    for name, expression in rendering.headers.items():
        value = expression.search(document, OPTIONS)
        if value is not None:
            headers[name] = str(value)
    return Reply(status, body, headers)


def _problem(error: SandboxError) -> dict:
    return {"type": f"urn:bank-sandbox:error:{error.code}", "title": error.title, "status": error.status,
            "detail": error.message, "code": error.code, "details": error.details or None}
