"""Answers for operations no binding names: documented examples first, else generated from the schema.

The answer is the same for the same request (the generator is seeded with the request), honours
formats, patterns, enums and bounds, and follows `Prefer: code=NNN` and `Prefer: example=NAME` to
pick another documented response, as mock servers do — so any bank's published spec runs on day one.
Every answer is checked against the schema it is sent under before it leaves (examples were repaired
at load, see examples.py, and a generated draft the schema refuses is drawn again, then drawn with its
required fields only); one that still does not fit is named in the server log and in `Reply.problem`
(which `bank-sandbox check` reports), because response validation would turn it into a 500.
The same machinery answers refusals of a spec without an error table in the shape the spec declares
for their status (`error_reply`), so a client generated from the spec can read them.
"""

from __future__ import annotations

import contextvars
import copy
import hashlib
import json
import logging
import math
import random
import re
import string
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from itertools import chain
from http import HTTPStatus
from typing import NamedTuple

import rstr

from ..domain.calendar import JST
from .formats import UUID_TEXT
from .jws import SIGNED_ANSWER, carries_json, compact_jws, content_of
from . import regions
from .pointers import deref
from .schemas import schemas_of

MAX_DEPTH = 8
NO_BODY = frozenset({204, 205, 304})  # statuses whose answers have no body
log = logging.getLogger(__name__)


def respond(api, operation_id: str, request: dict):
    """Answer an unbound operation: its first documented success (`_pick_response`), or the one `Prefer` asks for.

    `Prefer: code=N` picks the response documented for N (exact, then range, then `default`). An error
    status the operation does not document is still answered, in the error shape the spec declares
    elsewhere (else RFC 7807), so an error path can be exercised; a success status it does not
    document, or an example name no response has, is refused as `invalid_request` naming what is
    documented, so a test never passes on an answer it did not ask for. Preferences honoured are
    listed in `Preference-Applied` (RFC 7240).
    """
    from ..domain.errors import SandboxError
    from .runner import Reply, render_error

    operation = operation_of(api, operation_id)
    if operation is None:
        return Reply(404, {"title": "Not Found", "status": 404}, {})
    prefer = _prefer(request.get("headers", {}).get("prefer", ""))
    responses = operation.get("responses") or {}
    wanted = prefer.get("code") if re.fullmatch(r"[1-5][0-9][0-9]", prefer.get("code") or "") else None
    status, response = _pick_response(api.spec, responses, wanted, request.get("method"))
    request = {**request, "operation_id": operation_id}
    try:
        if wanted and status != int(wanted):
            if int(wanted) < 400:
                raise SandboxError("invalid_request", f"Prefer: code={wanted} names a status this operation does not "
                                   f"document; it documents {', '.join(map(str, responses)) or 'none'}")
            reply = undeclared_error(api, operation_id, int(wanted), request)
        else:
            refusal = refusal_for_status(status, f"asked for with Prefer: code={wanted}") if status >= 400 else None
            reply = answer(api, operation_id, status, response, request, prefer.get("example"), refusal=refusal,
                           examples_as_written=True)
    except SandboxError as error:
        return render_error(api, error, request)
    applied = [f"code={wanted}"] if wanted else []
    applied += [f"example={prefer['example']}"] if prefer.get("example") else []
    if applied:
        reply.headers["Preference-Applied"] = ", ".join(applied)
    return reply


def answer(api, operation_id: str, status: int, response: dict, request: dict, example: str | None = None,
           refusal: Refusal | None = None, examples_as_written: bool = False):
    """The documented `response` as a reply: a body its schema accepts, and the headers it declares.

    With a `refusal`, the body is an error's: generated with its required fields and those that carry
    the error (`_error_field`), and its code, message and status put in their fields (`with_error`);
    `examples_as_written` keeps a documented example as its author wrote it. An `example` name the
    response does not document is refused (SandboxError).
    """
    from . import about, moments
    from .headers import declared
    from .runner import Reply

    response = deref(api.spec, response)
    # A 204, 205 or 304 has no body whatever content the spec declares for it (RFC 9110 15.3.5, 15.3.6,
    # 15.4.5): one sent anyway broke the connection it came on.
    content = (response.get("content") or {}) if status not in NO_BODY else {}
    if not content:
        if example:  # an answer without content has no example of any name
            _example(api.spec, {}, example)
        located = (lambda: about.location(api, operation_id, request, None)) if status < 300 and refusal is None else None
        headers = declared(api.spec, response, request, None, located, refused=status >= 400)
        json_type = _empty_object_type(api, operation_id, request) if status < 300 and status not in NO_BODY else None
        if json_type is not None:
            return Reply(status, {}, {"Content-Type": json_type, **headers})
        return Reply(status, None, headers)
    declared_type = _media_type(content, request.get("headers", {}).get("accept", ""))
    media = deref(api.spec, content[declared_type]) or {}
    media_type = _concrete(declared_type)
    schema = media.get("schema") or {}
    schemas = schemas_of(api.spec)
    named = tuple(str(v) for v in (request.get("path") or {}).values()) if status < 300 else ()
    paired = _paired(api, operation_id, request, media) if example is None and status < 300 else None
    body = _example(api.spec, media, example or paired, named)
    generated = body is _NONE
    shape = _error_branch(api.spec, schema, refusal) if refusal is not None else schema
    if generated and refusal is None and status < 300:  # the subtypes the request named, drawn as named
        body = _draw_as_sent(request.get("body"), lambda: _draw(api.spec, shape, _seed(operation_id, request, status),
                                                                request.get("today")))
    elif generated:
        body = _draw(api.spec, shape, _seed(operation_id, request, status), request.get("today"),
                     _error_keep(refusal) if refusal is not None else None)
    if refusal is not None and (generated or not examples_as_written):
        body = with_error(body, lambda candidate: schemas.fits(schema, candidate), *refusal,
                          enums=_enums(api.spec, shape))
        body = _issue_named(api.spec, shape, body, refusal.message, lambda candidate: schemas.fits(schema, candidate))
        body = _traced(body, request.get("interaction_id"), lambda candidate: schemas.fits(schema, candidate))
        body = _correlated(body, request.get("body"), lambda candidate: schemas.fits(schema, candidate))
        body = _wrapped_as_shown(api, shape, body, lambda candidate: schemas.fits(schema, candidate))
    elif example is None and status < 300:
        body = about.about_the_request(api, operation_id, status, request, body, schema,
                                       lambda candidate: schemas.fits(schema, candidate), drawn=generated)
    if example is None:  # (when it answered: now, not the example's moment)
        moments.answered_at(body, request.get("now"), lambda candidate: schemas.fits(schema, candidate),
                            refused=refusal is not None)
    problem = schemas.problem(schema, body)
    if problem is not None:
        # Response validation would answer a 500 for it: say which operation and why (see _draw).
        log.warning("%s: the %s answer of %s does not fit its own schema (%s)", api.slug, status,
                    operation_id or "a refusal", problem)
    bare = media_type.split(";")[0].strip().lower()
    document = _DOCUMENTS.get(bare) or _DOCUMENTS.get(f"application/{bare.rpartition('+')[2]}")  # vnd...+pdf
    if generated and document is not None and _opaque(api.spec, schema):
        body = document
    # (a signed success stays its JSON payload until it is kept and leaves the runner: `sealed`)
    payload = status < 300 and refusal is None and SIGNED_ANSWER.match(media_type.split(";")[0].strip())
    if not isinstance(body, str) and not carries_json(media_type, signed=False) and not payload:
        body = _as_text(api.spec, schema, body, media_type)
    located = (lambda: about.location(api, operation_id, request, body)) if status < 300 and refusal is None else None
    reply = Reply(status, body, {"Content-Type": media_type, **declared(api.spec, response, request, body, located,
                                                                           refused=status >= 400)})
    reply.problem = problem
    return reply


def _minimal_pdf() -> str:
    """A one-page PDF that PDF readers open (its cross-reference table counts the bytes before each object)."""
    objects = ["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[3 0 R]/Count 1>>",
               "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"]
    text, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(text))
        text += f"{number} 0 obj\n{body}\nendobj\n"
    table = len(text)
    text += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    return text + f"trailer\n<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{table}\n%%EOF\n"


# Documents an answer of these types is, where its schema says only "bytes" (`format: binary`) or nothing:
# a client that saves a statement or an invoice as PDF gets a file that opens, not the word "sample".
_DOCUMENTS = {"application/pdf": _minimal_pdf(),
              "image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'}


def _error_branch(spec: dict, schema, refusal: "Refusal"):
    """Of an error schema that is a choice of shapes (`oneOf`/`anyOf`, one per error: Increase's `type`
    with its own `status` enum), the shape meant for `refusal`: one whose status field admits the
    refusal's status, and of those the one whose code or kind enum is closest to its code. Drawn from
    the whole choice, the first shape answered every refusal (a 429 said `"status": 404`, and an SDK
    that picks its exception by `type` raised the wrong one). `schema` itself when no shape says.
    """
    node = deref(spec, schema)
    options = (node.get("oneOf") or node.get("anyOf")) if isinstance(node, dict) else None
    if not isinstance(options, list) or len(options) < 2:
        return schema

    def score(option, admits):
        shape = deref(spec, option)
        if isinstance(shape, dict) and "allOf" in shape:
            shape = _merge(spec, [*shape["allOf"], {k: v for k, v in shape.items() if k != "allOf"}])
        if not isinstance(shape, dict):
            return None
        total = 0.0
        for name, sub in (shape.get("properties") or {}).items():
            kind = _field_kind(name)
            values = (deref(spec, sub) or {}).get("enum") if isinstance(deref(spec, sub), dict) else None
            if not values or kind is None:
                continue
            if kind == "status":
                if not admits(values):
                    return None  # a shape for another status
                total += 1000
            elif kind in ("code", "kind"):
                total += max(_closeness(v, refusal.code, refusal.status) for v in values if isinstance(v, str)) \
                    if any(isinstance(v, str) for v in values) else 0
        return total

    exact = lambda values: refusal.status in values or str(refusal.status) in values  # noqa: E731
    # else a shape of the same class: a 503 is the 500's, never the 404's (Increase's SDK raised "not found")
    alike = lambda values: any(str(v)[:1] == str(refusal.status)[:1] for v in values)  # noqa: E731
    scored = [(s, index) for index, s in enumerate(score(option, exact) for option in options) if s is not None]
    if not scored:
        scored = [(s, index) for index, s in enumerate(score(option, alike) for option in options) if s is not None]
    if not scored:
        return schema
    best = max(scored, key=lambda pair: (pair[0], -pair[1]))
    return options[best[1]] if best[0] > 0 or len(scored) < len(options) else schema


def shape_status(spec: dict, response, code: str) -> int | None:
    """The status an error response (`default`) that is a choice of shapes, each with its own status enum, gives
    the error `code` (a canonical code): the one status of the shape whose code or kind enum shares most of the
    code's own words (Increase's `idempotency_key_already_used_error`, `status: [409]`, for
    `idempotency_conflict`); None where no shape shares one."""
    content = (deref(spec, response) or {}).get("content") or {}
    media = next((m for kind, m in content.items() if carries_json(kind)), None)
    node = deref(spec, (media or {}).get("schema"))
    options = (node.get("oneOf") or node.get("anyOf")) if isinstance(node, dict) else None
    own = set(_words(code)) - _COMMON_WORDS
    best, found = 0, None
    for option in options if isinstance(options, list) else ():
        shape = deref(spec, option)
        fields = {_field_kind(name): deref(spec, sub) for name, sub in ((shape or {}).get("properties") or {}).items()
                  if isinstance(shape, dict)}
        statuses = [int(v) for v in (fields.get("status") or {}).get("enum") or () if str(v).isdigit()]
        values = [v for kind in ("code", "kind") for v in (fields.get(kind) or {}).get("enum") or () if isinstance(v, str)]
        shared = max((len(own & set(_words(v))) for v in values), default=0)
        if len(statuses) == 1 and shared > best:
            best, found = shared, statuses[0]
    return found


def _opaque(spec: dict, schema) -> bool:
    schema = deref(spec, schema) or {}
    return not schema or (schema.get("type") in (None, "string") and schema.get("format") in (None, "binary", "byte")
                          and not schema.get("enum") and "pattern" not in schema)


def _draw(spec: dict, schema, seed: int, today: str | None, lean=None):
    """A generated body that fits `schema` if one is found, else the first draft.

    The generator keeps to the schema but cannot promise every combination (oneOf overlaps, patterns
    with lookarounds, bounds that contradict each other): a draft the schema refuses is drawn again,
    and the last drafts keep to the required fields only, which leaves out most of what can clash. When
    none fits, the first draft without the optional fields the schema refuses (a field two `allOf` members
    give disjoint enums fits no value at all). An error's body is drawn lean first: `lean(spec, name,
    schema)` says which optional properties it keeps.
    """
    schemas = schemas_of(spec)
    fits = schemas.fits
    kinds = [lean] * 6 + [None] * 2 if lean else [None] * 6 + [_required_only] * 2
    first = None
    for attempt, keep in enumerate(kinds):
        body = generate(spec, schema, random.Random(seed + attempt), today=today, keep=keep)
        if fits(schema, body):
            return body
        first = body if first is None else first
    pruned = schemas.pruned(schema, first)
    return first if pruned is None else pruned


def undeclared_error(api, operation_id: str, status: int, request: dict):
    """An error status the operation does not document: the spec's shape for it elsewhere, else RFC 7807."""
    from .runner import Reply

    refusal = refusal_for_status(status, f"asked for with Prefer: code={status}, which this operation does not document")
    reply = error_reply(api, operation_id, status, request, refusal)
    if reply is None:
        problem = {"type": f"urn:bank-sandbox:error:{refusal.code}", "title": refusal.title, "status": status,
                   "detail": refusal.message, "code": refusal.code}
        reply = Reply(status, problem, {"Content-Type": "application/problem+json"})
    reply.error_code = refusal.code
    return reply


class Refusal(NamedTuple):
    """What an error body says: the canonical code, the message, the HTTP status and the title."""

    code: str
    message: str
    status: int
    title: str


# The canonical code that stands for a whole HTTP status (a refusal asked for by status alone).
_BY_STATUS = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 415: "unsupported_media_type", 429: "rate_limited", 503: "maintenance",
              504: "gateway_timeout"}


def _wrapped_as_shown(api, schema, body, fits):
    """An error `body` in the object the spec's own prose shows its errors in, where its schema declares the
    error's fields flat (Recurly's schema declares `{type, message, params}`, its guide shows `{"error": {"type":
    ..., "message": ...}}`, and its SDK reads `body["error"]`: answered flat, every refusal raised a KeyError, not
    the SDK's NotFoundError); kept only where it still fits the schema."""
    shown = api.derived.get("shown_errors")
    if shown is None:
        shown = api.derived["shown_errors"] = tuple(_shown_wrapped(api.spec))
    declared = set((flattened(api.spec, schema) or {}).get("properties") or ()) if shown else set()
    if not isinstance(body, dict) or not declared or not set(body) <= declared:
        return body
    for key, inner in shown:
        if key not in declared and len(inner & declared) >= 2 and fits({key: body}):
            return {key: body}
    return body


# A code block of the prose (Markdown's fenced ```...```).
_FENCED = re.compile(r"```[A-Za-z0-9+-]*\n(.*?)```", re.DOTALL)


def _shown_wrapped(node, depth: int = 0):
    """(the key, the keys inside) of each JSON object of one key holding an object that the spec's descriptions
    (`node`, the spec at first) show in a code block (`{"error": {"type": ..., "message": ...}}`). A null below
    is a value like any other, not the spec again: read so, each `null` of a list (Plaid's nullable enums) walked
    the whole spec anew, and the first refusal of such an API never came back (its server answered nothing more)."""
    if depth > 40:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str) and "```" in value:
                for block in _FENCED.findall(value):
                    try:
                        shown = json.loads(block)
                    except ValueError:
                        continue
                    if isinstance(shown, dict) and len(shown) == 1 and isinstance(next(iter(shown.values())), dict):
                        key_, inner = next(iter(shown.items()))
                        yield key_, frozenset(inner)
            elif isinstance(value, (dict, list)) and key not in ("example", "examples"):
                yield from _shown_wrapped(value, depth + 1)
    elif isinstance(node, list):
        for value in node:
            yield from _shown_wrapped(value, depth + 1)


def refusal_for_status(status: int, why: str) -> Refusal:
    """The refusal a status stands for: its canonical code, else the HTTP reason phrase (`internal_server_error`)."""
    from ..domain.errors import CANONICAL_ERRORS

    if status in _BY_STATUS:
        code = _BY_STATUS[status]
        title = CANONICAL_ERRORS[code][1]
    else:
        try:
            title = HTTPStatus(status).phrase
        except ValueError:
            title = f"HTTP {status}"
        code = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
    return Refusal(code, f"{title} ({why})", status, title)


def _concrete(media_type: str) -> str:
    """A media type an answer can carry: a declared range (`*/*`, `application/*`, `text/*`) made concrete."""
    kind, _, subtype = media_type.split(";")[0].strip().partition("/")
    if subtype != "*":
        return media_type
    # (an image of any type: an SVG, a picture in text, which any image reader takes: answered as JSON, Moov's
    # `image/*` avatars failed response validation, a 500)
    return "text/plain" if kind == "text" else "image/svg+xml" if kind == "image" else "application/json"


def sealed(reply):
    """`reply` as it is sent: a signed answer's JSON payload (`application/jwt`) as the compact JWS it is. A success
    is signed only here, after what it made was kept and read from it: signed at once, Brazil's payment consents and
    Pix payments were a text no resource could be kept from, and each was never found again."""
    media = str(reply.headers.get("Content-Type", "")).split(";")[0].strip()
    if SIGNED_ANSWER.match(media) and isinstance(reply.body, (dict, list)):
        reply.body = compact_jws(reply.body)
    return reply


def _as_text(spec: dict, schema, body, media_type: str) -> str:
    """A body for a media type that is not JSON: XML elements for XML, a compact JWS for a signed body
    (`application/jwt`), else the value as text."""
    from .xmlbody import to_xml

    if "xml" in media_type.lower():
        return to_xml(spec, schema, body)
    if SIGNED_ANSWER.match(media_type.split(";")[0].strip()) and not isinstance(body, str):
        return compact_jws(body)  # Brazil's signed answers: the JSON payload in a JWS
    if isinstance(body, (dict, list)):
        return json.dumps(body, ensure_ascii=False)
    return "true" if body is True else "false" if body is False else "" if body is None else str(body)


def error_reply(api, operation_id: str | None, status: int, request: dict, refusal: Refusal):
    """A refusal in the shape the spec declares for `status`, or None when the spec declares none.

    The operation's own responses are asked first (the exact status, then its range, then `default`);
    when it declares nothing for that status (or no operation owns the refusal: an unknown path),
    the first declaration of that status elsewhere in the spec stands, as authors document one error
    shape for the whole API.
    """
    own = operation_of(api, operation_id) if operation_id else None
    response = _declared((own or {}).get("responses") or {}, status)
    everyone = [op.get("responses") or {} for _, _, _, op in api.spec_operations()]
    # (a refusal no operation owns, a path the API does not have, `/v2/pay%01ments`, of a status declared nowhere, is
    # in JSON where the API speaks it: Square's was RFC 7807, though its every other refusal is its `{errors: [...]}`)
    speaks = _speaks_json(api.spec, own) if own is not None else \
        any(_speaks_json(api.spec, op) for _, _, _, op in api.spec_operations())
    if response is None:
        # (one another operation declares without content is no shape for an operation's own refusal: declaring
        # only its 200, refused, it answered the bare `400: {description: Bad request}` of another, an empty body;
        # a method the path does not offer is refused as the path's operations declare it, content or none)
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            response = next((r for r in (_declared(rs, status, (key,)) for rs in everyone)
                             if r is not None and (own is None or (deref(api.spec, r) or {}).get("content"))), None)
            if response is not None:
                break
        if response is None and speaks:
            # Declared for no status of its own anywhere (Up declares its `{errors: [...]}` only for a 401): the
            # JSON shape the spec gives another error of its class, as authors document one error shape.
            response = _shaped(api.spec, everyone, status)
        if response is None and speaks:
            response = _errors_beside(api.spec, [own, *(op for _, _, _, op in api.spec_operations())])
    if response is not None and not (deref(api.spec, response) or {}).get("content") and _speaks_json(api.spec, own):
        # Declared without content (Paystack's `default: {description: Server error}` answering its 400s; or, for
        # a status the operation does not declare, the first other operation's bare `400: {description: bad_request}`,
        # as Modern Treasury's, where three others declare its JSON error) for an operation that answers JSON: the
        # JSON shape the spec gives the status elsewhere, else its class's, so the client reads why (its SDK's
        # exception had an empty body).
        response = _shaped(api.spec, everyone, status) or response
    if response is None:
        return None
    return answer(api, operation_id or "", status, response, request, refusal=refusal)


def _errors_beside(spec: dict, operations: list):
    """A JSON response holding nothing but the list of errors the first of `operations` to declare one declares
    beside its resource in a success answer (`errors: [Error]`), one error long, or None. Square documents no
    error response at all: each answer holds such a list, and a refusal is that list alone, which its SDKs read
    into their exception (answered RFC 7807, the Python SDK's exception held one error of code `Unknown`)."""
    for operation in operations:
        for code, response in sorted((str(k), v) for k, v in ((operation or {}).get("responses") or {}).items()):
            content = (deref(spec, response) or {}).get("content") or {} if code.startswith("2") else {}
            media = next((m for kind, m in content.items() if carries_json(kind)), None)
            schema = deref(spec, (media or {}).get("schema")) or {}
            for name, field in (schema.get("properties") or {}).items() if isinstance(schema, dict) else ():
                field = deref(spec, field) or {}
                if str(name).lower() == "errors" and field.get("type") == "array" \
                        and (deref(spec, field.get("items")) or {}).get("properties"):
                    listed = {**field, "minItems": 1, "maxItems": 1}
                    return {"description": "refused", "content": {"application/json": {"schema": {
                        "type": "object", "required": [name], "properties": {name: listed}}}}}
    return None


def _speaks_json(spec: dict, operation) -> bool:
    """Whether some response of `operation` is declared in a JSON type."""
    return any(_has_json(spec, response) for response in ((operation or {}).get("responses") or {}).values())


def _has_json(spec: dict, response) -> bool:
    """Whether `response` declares a JSON type among its content."""
    return any(carries_json(media, signed=False) for media in ((deref(spec, response) or {}).get("content") or {}))


def _shaped(spec: dict, everyone: list, status: int):
    """The first response declared with JSON content for `status` anywhere in the spec (the exact status,
    its range, `default`), else for another status of its class (a 401's shape for a 400), or None."""
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        found = next((r for rs in everyone if (r := _declared(rs, status, (key,))) is not None and _has_json(spec, r)), None)
        if found is not None:
            return found
    return next((r for rs in everyone for code, r in sorted((str(k), v) for k, v in rs.items())
                 if code[:1] == str(status)[:1] and _has_json(spec, r)), None)


# Fields of an error body by what they carry, by their names with case, `_` and `-` ignored (a name
# ending in `message`/`messages` is a message too). `kind` fields classify the error (Stripe `type`,
# Plaid `error_type`, Berlin Group and Square `category`).
_ERROR_FIELDS = {
    "status": {"status", "statuscode", "httpstatus", "httpcode", "httpstatuscode"},
    "code": {"code", "errorcode", "errcode", "reasoncode", "error", "name", "errorname", "issue", "errorcodes", "codes",
             "reasoncodes"},
    "kind": {"type", "errortype", "category", "errorcategory", "kind", "errorkind", "class", "errorclass"},
    "message": {"msg", "errmsg", "detail", "description", "errordescription", "reason", "text", "errortext"},
    "title": {"title", "summary"},
    "field": {"field", "fieldname", "param", "parameter", "pointer"},
}


def _refused_field(message: str) -> str | None:
    """The request field a validation refusal names (`'redirectUrl' is a required property`, `... -
    'amount.value'`, `query parameter 'limit': ...`), for an error's `field` or `param` (Mollie's named the
    example's field, not the one refused)."""
    for pattern in (r"^'([^']+)' is a required property", r" - '([^']+)'$", r"parameter '([^']+)'"):
        found = re.search(pattern, message or "")
        if found:
            return found.group(1)
    return None


# The fields of an error that name the exchange for the bank's support desk (PayPal's `debug_id`).
_TRACE_FIELDS = {"debugid", "traceid", "correlationid", "requestid", "interactionid"}


def trace_field(key) -> bool:
    """Whether a field is named as the exchange's own id for support (`_TRACE_FIELDS`), or the API request's
    (Straddle's `api_request_id`)."""
    bare = re.sub(r"[_\-]", "", str(key)).lower()
    return bare in _TRACE_FIELDS or bare.startswith("api") and bare[3:] in _TRACE_FIELDS


def _traced(body, interaction_id: str | None, fits):
    """An error `body` whose trace fields (`debug_id`, `trace_id`, `correlation_id`, ... at any depth) hold the
    request's interaction id, where the schema takes it: the id a developer quotes to the bank's support,
    and finds in the sandbox's request log."""
    if not interaction_id or not isinstance(body, (dict, list)):
        return body
    # The id as sent, or (a UUID where the field wants 32 hex digits, as Belvo's `request_id`) without dashes.
    forms = [interaction_id] + ([uuid.UUID(interaction_id).hex] if UUID_TEXT.fullmatch(interaction_id) else [])
    for form in forms:
        candidate = copy.deepcopy(body)
        changed, holders = False, [candidate]
        while holders:
            holder = holders.pop()
            for key, value in holder.items() if isinstance(holder, dict) else enumerate(holder):
                if isinstance(value, (dict, list)):
                    holders.append(value)  # at any depth, in lists too (Belvo's errors are a list)
                elif isinstance(holder, dict) and trace_field(key) and value != form:
                    holder[key], changed = form, True
        if not changed:
            return body
        if fits(candidate):
            return candidate
    return body


def _correlated(body, sent, fits):
    """An error `body` whose ids at its top that the request's body sent at its top (`txnid`, `requestId`; not the
    bare `id`, the error's own) hold what was sent, where the schema takes it: India's Account Aggregator echoes
    each request's `txnid` in its answer, refusals too ("must be same as the value sent in the request"), and was
    refused with its example's, a stray quote and all."""
    if not isinstance(body, dict) or not isinstance(sent, dict):
        return body
    candidate = dict(body)
    for key, value in body.items():
        given = sent.get(key)
        bare = re.sub(r"[_\-]", "", str(key)).lower()
        if bare.endswith("id") and bare != "id" and isinstance(given, str) and given and _scalar_text(value) \
                and value != given:
            candidate[key] = given
            if not fits(candidate):
                candidate[key] = value
    return candidate


def _scalar_text(value) -> bool:
    return value is None or isinstance(value, (str, int)) and not isinstance(value, bool)


def _field_kind(name) -> str | None:
    bare = re.sub(r"[_\-]", "", str(name)).lower()
    if bare.endswith(("message", "messages", "msg")):  # (India's Account Aggregator's `errorMsg`)
        return "message"
    return next((kind for kind, names in _ERROR_FIELDS.items() if bare in names), None)


def _error_keep(refusal: Refusal):
    """The optional properties an error's body keeps (`_error_field`), and the one naming the request field
    refused where the refusal names one (Finix's `field`, beside its code and message)."""
    if _refused_field(refusal.message) is None:
        return _error_field
    return lambda spec, name, schema: (_field_kind(name) == "field" or _error_field(spec, name, schema)
                                       or _lists_fields(spec, schema))


def _lists_fields(spec: dict, schema) -> bool:
    """Whether `schema` is a list of objects naming a field and nothing else of an error (Recurly's `params:
    [{param}]`): where a refusal names the field refused, the list of field errors that names it."""
    schema = deref(spec, schema)
    items = deref(spec, schema.get("items")) if isinstance(schema, dict) and schema.get("type") == "array" else None
    kinds = {_field_kind(key) for key in (items.get("properties") or {})} if isinstance(items, dict) else set()
    return "field" in kinds and not kinds & {"message", "code", "kind"}


def _error_field(spec: dict, name: str, schema, depth: int = 0) -> bool:
    """Whether an error body keeps an optional property: one that carries the error (its code, kind,
    message, status or title), or an object (or list of them) holding both a code and a message, or
    holding such an object a level or two down (HAL's `_embedded: {errors: [{code, message}]}`, as
    Finix answers) — not the sub-objects and extras an error may also describe (Stripe's
    `payment_intent`; its `param` only where the refusal names a field, `_error_keep`)."""
    if _field_kind(name) not in (None, "field") or re.sub(r"[_\-]", "", str(name)).lower() in _TRACE_FIELDS:
        return True  # also the id the bank's support desk asks for (PayPal's optional `debug_id`)
    properties = _error_properties(spec, schema)
    kinds = {_field_kind(key) for key in properties}
    if "message" in kinds and bool(kinds & {"code", "kind"}):
        return True
    # (not through a resource of its own, one with an `id`, that holds an error of its own: Stripe's error's
    # `payment_intent`, whose `last_payment_error` is an error, was drawn in every refusal, holding the error
    # holding it again, five levels down)
    return depth < 2 and "id" not in properties and any(
        _field_kind(key) is None and _error_field(spec, key, sub, depth + 1) for key, sub in properties.items())


def _error_properties(spec: dict, schema, depth: int = 0) -> dict:
    """The properties an error's part declares, of its items where it is a list, through every `allOf`,
    `anyOf` and `oneOf` (PayPal's `details` is the `allOf` of a list of `{issue, description}` and a list of
    the operation's own issues, each a branch of an `anyOf`: read as one, it declared none, and its 422s
    were answered without the details that say why)."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict) or depth > 6:
        return {}
    found = dict(schema.get("properties") or {})
    parts = [branch for key in ("allOf", "anyOf", "oneOf") for branch in schema.get(key) or ()]
    for part in parts + ([schema["items"]] if "items" in schema else []):
        for name, sub in _error_properties(spec, part, depth + 1).items():
            # (declared by two parts: both, as an allOf merges them)
            found[name] = sub if name not in found or found[name] == sub else {"allOf": [found[name], sub]}
    return found


def _issue_named(spec: dict, schema, body, message: str, fits):
    """An error `body` whose list of details (`details: [{issue, description}]`), where its items are a choice of
    issues each pinned by its enums (PayPal's `AUTHORIZATION_ALREADY_CAPTURED` with its own description), holds
    the issue the refusal's message names, the words it says first weighing most (`... is VOIDED: it cannot be
    captured` is `AUTHORIZATION_VOIDED`, not `AUTHORIZATION_ALREADY_CAPTURED`). Drawn, every refusal said
    the first issue listed (`INVALID_CURRENCY_CODE` for a second capture)."""
    said = _words(message)
    if not isinstance(body, dict) or not said:
        return body

    def weight(word: str) -> float:
        word = _ALIKE.get(word, word)
        near = next((index for index, other in enumerate(said) if _same_stem(word, other)), None)
        return 0.0 if near is None or word in _FILLERS else 1 / (1 + near)

    for key, field in _error_properties(spec, schema).items():
        items = body.get(key)
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            continue
        scored = []
        for branch in _branches(spec, field):
            pinned = {name: values[0] for name, sub in _error_properties(spec, branch).items()
                      if len(values := (deref(spec, sub) or {}).get("enum") or ()) == 1}
            named = [value for name, value in pinned.items() if _field_kind(name) == "code" and isinstance(value, str)]
            if named:
                scored.append((sum(weight(word) for word in _words(named[0])), pinned))
        best = max(scored, key=lambda pair: pair[0], default=(0, None))
        if best[0] > 0:
            candidate = {**body, key: [{**items[0], **best[1]}, *items[1:]]}
            body = candidate if fits(candidate) else body
    return body


# Words of an issue that name none (`CANNOT_BE_VOIDED` is about voiding, not about `cannot`), and words that say
# what another does (`PREVIOUSLY_VOIDED` is `already VOIDED`).
_FILLERS = frozenset(("is", "it", "be", "been", "has", "have", "cannot", "not", "the", "a", "an", "of", "to", "and", "or"))
_ALIKE = {"previously": "already"}


def _same_stem(one: str, other: str) -> bool:
    """Whether two words are one word but for its ending (`captured` and `capture`, `voided` and `void`)."""
    common = next((index for index, (a, b) in enumerate(zip(one, other)) if a != b), min(len(one), len(other)))
    return one == other or common >= max(4, min(len(one), len(other)) - 2)


def _branches(spec: dict, schema, depth: int = 0) -> list:
    """The branches of each `anyOf`/`oneOf` a list's items are a choice of, through `allOf`s and `items`."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict) or depth > 6:
        return []
    found = [branch for key in ("anyOf", "oneOf") for branch in schema.get(key) or ()]
    for part in [*(schema.get("allOf") or ()), *([schema["items"]] if "items" in schema else [])]:
        found += _branches(spec, part, depth + 1)
    return found


def _required_only(spec: dict, name: str, schema) -> bool:
    return False


def with_error(body, fits, code: str, message: str, status: int, title: str, enums: dict | None = None):
    """`body` with the error's code, message, status and title in the fields that look like theirs.

    Each value is kept only where the whole body still fits its schema: the canonical code first, then
    the HTTP status as text or as a number. A field with an enum (`enums`: its values by field name)
    gets the value closest to the error (`_closeness`), so a client that branches on it takes the right
    branch; a list of messages gets the one message.
    """
    # A message longer than its field allows is cut to the lengths error schemas commonly set (OBIE's 500).
    shorter = [f"{message[:n - 3]}..." for n in (2048, 500, 255, 140, 60) if len(message) > n]
    refused = _refused_field(message)
    values = {"code": [code, str(status), status], "kind": [code], "message": [message, [message], *shorter],
              "status": [status, str(status)], "title": [title], "field": [refused] if refused else []}
    problem_shape = isinstance(body, dict) and {"title", "detail"} & set(body)

    def candidates(key, kind, node):
        if kind == "kind" and key == "type" and problem_shape and node is body:
            return [f"urn:bank-sandbox:error:{code}", code]  # RFC 7807: `type` is a URI
        choices = (enums or {}).get(re.sub(r"[_\-]", "", str(key)).lower())
        if choices and kind in ("code", "kind"):  # the code itself where the field is free text, but a value the
            # spec names for it that says the same (its prose's `resource_missing` for a 404: `_said_values`)
            # (where no value says this error, the one that says "any other" before one naming a rule of its own:
            # Brazil's `ERRO_NAO_MAPEADO`, not `PERMISSOES_PJ_INCORRETAS`, for a date longer than its maxLength)
            ranked = sorted(choices, key=lambda value: -max(_closeness(value, code, status),
                                                             0.5 if _catch_all(value) else float("-inf")))
            same = [value for value in ranked if _closeness(value, code, status) >= 100]
            return [*same, code, *ranked, *values[kind][1:]]
        return values[kind]

    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict) and isinstance(node.get("href"), str):
            return  # a link (HAL's `_links.documentation`): its `type` is a media type, its `title` the link's
        elif isinstance(node, dict):
            # An item of a list of field errors, `{name, value, message}` (Adyen's `invalidFields`): its
            # `name` is the field refused and its `value` the value refused, not the error's code.
            field_item = node is not body and "name" in node and "value" in node
            for key in list(node):
                kind = _field_kind(key)
                value = node[key]
                if field_item and key == "name":
                    kind = "field"
                elif field_item and key == "value":
                    rejected = re.match(r"^'([^']*)' (is|does)", message or "")
                    settle(node, key, ([rejected.group(1)] if rejected else []) + [""])
                    continue
                if kind == "field" and not values["field"]:
                    # No field to name: left out where the schema lets it (Mollie's example names `field: from`,
                    # and a reused idempotency key blamed the list cursor), else the drawn one stays (it fits).
                    if not field_item:
                        written = dict(node)
                        del node[key]
                        if not fits(body):
                            node.clear()
                            node.update(written)
                    continue
                if kind == "message" and isinstance(value, dict):
                    # Messages keyed by the field they are about (Rails-style `{"email": ["is invalid"]}`,
                    # Currencycloud's `error_messages`): one entry, under the refused field.
                    under = refused or "base"
                    settle(node, key, ({under: [{"code": code, "message": message}]}, {under: [message]}, {under: message}))
                    continue
                if refused and kind is None and _lists_fields_only(value):
                    # a list of field errors whose items name the field alone (Recurly's `params: [{param}]`): the
                    # one field refused, with the message (its client reads each item's `param` and `message`)
                    named = next(name for name in value[0] if _field_kind(name) == "field")
                    settle(node, key, ([{**value[0], named: refused, "message": message}], [{**value[0], named: refused}]))
                    continue
                if kind == "code" and isinstance(value, list) and not any(isinstance(v, (dict, list)) for v in value):
                    # a list of codes (Checkout.com's `error_codes`): the one code, saying what was wrong where
                    # no field carries the message
                    settle(node, key, [[choice] for choice in candidates(key, kind, node) if isinstance(choice, str)])
                    continue
                if kind is None and node is body and isinstance(value, str):
                    # what the answer is, among the values its enum names: the one naming an error (Straddle's
                    # `response_type` of `object`, `array`, `error` or `none`, which its guide tells clients to
                    # read first: a refusal was drawn `object`)
                    said = [choice for choice in (enums or {}).get(re.sub(r"[_\-]", "", str(key)).lower()) or ()
                            if isinstance(choice, str) and choice.lower() == "error" and choice != value]
                    if said:
                        settle(node, key, said)
                        continue
                if kind is None or isinstance(value, dict) or (
                        isinstance(value, list) and (kind != "message" or any(isinstance(v, (dict, list)) for v in value))):
                    visit(value)
                    continue
                settle(node, key, candidates(key, kind, node))

    def settle(node: dict, key, choices) -> None:
        """`node[key]` as the first of `choices` with which the whole body fits, else as it was."""
        value = node[key]
        for candidate in choices:
            node[key] = candidate
            if fits(body):
                return
        node[key] = value

    if isinstance(body, str):  # a text error: the message is the body
        return message if fits(message) else body
    if not _holds_kind(body, "message"):
        # No field for the message (Codat's `{statusCode, service, error}`, whose `error` is "a brief
        # description"): a free-text code field says both, so a refusal still says what was wrong.
        values["code"] = [f"{code}: {message}", *(f"{code}: {text}" for text in shorter), *values["code"]]
    visit(body)
    return body


def _lists_fields_only(value) -> bool:
    """Whether `value`, drawn, is a list of objects naming a field and nothing else of an error (`_lists_fields`)."""
    if not isinstance(value, list) or not value or not isinstance(value[0], dict):
        return False
    kinds = {_field_kind(key) for key in value[0]}
    return "field" in kinds and not kinds & {"message", "code", "kind"}


def _holds_kind(node, kind: str) -> bool:
    """Whether an error body has, at any depth, a field of `kind` (`_field_kind`)."""
    if isinstance(node, list):
        return any(_holds_kind(item, kind) for item in node)
    return isinstance(node, dict) and any(_field_kind(key) == kind or _holds_kind(value, kind)
                                          for key, value in node.items())


_ENUMS: dict = {}


def _enums(spec: dict, schema) -> dict:
    """The enum values each property name may take anywhere in `schema` (by name, case, `_`, `-` ignored).

    Worked out once per error schema (a large spec's took milliseconds to walk, at every refusal).
    """
    key = (id(spec), id(schema))
    known = _ENUMS.get(key)
    if known is None or known[0] is not spec or known[1] is not schema:
        known = _ENUMS[key] = (spec, schema, _walk_enums(spec, schema))
    return known[2]


def _walk_enums(spec: dict, schema) -> dict:
    found: dict = {}
    seen: set = set()

    def walk(node, depth):
        node = deref(spec, node)
        if not isinstance(node, dict) or id(node) in seen or depth > MAX_DEPTH:
            return
        seen.add(id(node))
        for key in ("allOf", "oneOf", "anyOf"):
            for part in node.get(key) or ():
                walk(part, depth)
        if isinstance(node.get("items"), dict):
            walk(node["items"], depth + 1)
        for name, sub in (node.get("properties") or {}).items():
            values = _enum_of(spec, sub) or _said_values(spec, sub)
            if values:
                bucket = found.setdefault(re.sub(r"[_\-]", "", str(name)).lower(), [])
                bucket.extend(v for v in values if v not in bucket)
            walk(sub, depth + 1)

    walk(schema, 0)
    return found


def _said_values(spec: dict, schema) -> list:
    """The values a free-text field's description or example names as codes (`resource_missing` in "`resource_missing`
    when the id names nothing"): words of letters joined by `_` or written together in PascalCase (Dwolla's `NotFound`,
    `ValidationError`), in code spans, and its example."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict) or schema.get("type") not in (None, "string"):
        return []
    said = re.findall(rf"`({_A_CODE})`", str(schema.get("description") or ""))
    example = schema.get("example")
    return list(dict.fromkeys(said + ([example] if isinstance(example, str) and re.fullmatch(_A_CODE, example) else [])))


# A code of two words or more: `resource_missing`, `RESOURCE_MISSING`, `ResourceMissing`.
_A_CODE = r"[A-Za-z]+(?:_[A-Za-z0-9]+)+|(?:[A-Z][a-z0-9]+){2,}"


def _enum_of(spec: dict, schema) -> list:
    schema = deref(spec, schema)
    if not isinstance(schema, dict):
        return []
    values = [v for v in schema.get("enum") or () if isinstance(v, str)]
    for part in schema.get("allOf") or ():
        values += _enum_of(spec, part)
    return values


# Closeness of an enum value to a canonical error, by the words they share. Each canonical code reads
# as its own words, these synonyms, and the synonyms of the generic code of its status (a 404 of any
# kind is also "not found"); the words of its status class count less, words every error uses least.
_SYNONYMS = {
    "invalid_request": ("bad request", "format error", "invalid input", "invalid parameter", "parameter",
                        "validation error", "malformed request", "invalid value"),
    "unauthorized": ("unauthenticated", "authentication", "authentication error", "invalid token", "token invalid",
                     "invalid credentials", "credentials", "invalid api key", "invalid api keys", "invalid keys",
                     "invalid client credentials", "auth"),
    "forbidden": ("permission denied", "access denied", "insufficient permissions", "permission", "authorization",
                  "not allowed"),
    "not_found": ("resource unknown", "resource not found", "resource missing", "unknown", "no such"),
    "method_not_allowed": ("unsupported method", "not allowed"),
    "unsupported_media_type": ("invalid content type", "content type", "media type"),
    "rate_limited": ("rate limit", "rate limit exceeded", "too many requests", "throttled", "access exceeded",
                     "quota exceeded"),
    "maintenance": ("service unavailable", "unavailable", "temporarily unavailable", "server error"),
    "gateway_timeout": ("timeout", "timed out", "gateway timeout", "server error"),
    "idempotency_conflict": ("idempotency error", "idempotency", "duplicate request", "conflict"),
    "version_mismatch": ("version mismatch", "version conflict", "stale version", "conflict"),
    "insufficient_funds": ("insufficient balance", "balance"),
    "scope_missing": ("insufficient scopes", "insufficient scope", "scope"),
    "consent_required": ("consent missing", "consent unknown", "consent"),
    # (a call naming a consent its token was not granted for, or under one no longer authorised: NextGenPSD2's codes)
    "consent_mismatch": ("payment consent mismatch", "consent mismatch", "consent invalid"),
    "consent_inactive": ("consent invalid",),
    "consent_expired": ("consent expired", "consent invalid"),
    "consent_not_found": ("consent unknown",),
}
# ... and at a status of its own: a request refused 422 failed validation, its 400 being for what could not be read
# (Recurly's error types `bad_request` and `validation`: read as `bad_request`, its client raised BadRequestError
# for a 422).
_SYNONYMS_AT = {(422, "invalid_request"): ("validation", "validation error", "validation failed", "invalid parameters",
                                           "invalid fields", "unprocessable entity", "unprocessable")}
_CLASS_WORDS = {4: {"invalid", "request", "client", "bad", "input"}, 5: {"api", "server", "internal", "service",
                                                                        "system", "unavailable"}}
_COMMON_WORDS = {"error", "errors", "exception", "failure", "failed", "not"}


def _words(text) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", str(text))]


# The words of a consent's refusals in the other languages specs enumerate their error codes in, as the English words
# the canonical codes are told by (Brazil's `CONSENTIMENTO_INVALIDO`, consent invalid, and
# `PAGAMENTO_DIVERGENTE_CONSENTIMENTO`, a payment not matching its consent).
_IN_ENGLISH = {"consentimento": "consent", "consentimiento": "consent", "consentement": "consent",
               "invalido": "invalid", "invalida": "invalid", "invalide": "invalid", "ungultig": "invalid",
               "expirado": "expired", "expirada": "expired", "caducado": "expired", "expire": "expired",
               "abgelaufen": "expired", "desconhecido": "unknown", "desconocido": "unknown", "inconnu": "unknown",
               "unbekannt": "unknown", "rejeitado": "rejected", "rechazado": "rejected", "rejete": "rejected",
               "revogado": "revoked", "revocado": "revoked", "revoque": "revoked", "divergente": "mismatch",
               "pagamento": "payment", "pago": "payment", "paiement": "payment"}


def _read_words(text) -> list[str]:
    """The words of an enum value read in English where a consent's refusal is told in another language."""
    return [_IN_ENGLISH.get(word, word) for word in _words(text)]


def _closeness(value, code: str, status: int) -> float:
    """How near enum `value` is to the canonical `code` at `status`: 200 for the code itself, 110 for a
    synonym of it, 100 for one of its status's generic code (NextGenPSD2's `CONSENT_INVALID` before `TOKEN_INVALID`
    for a consent refused at 401), else its words weighed (10 a word of a synonym, 3 of the status class, 1 a common
    word, -0.5 any other), and 12 for each synonym it says whole (two at most)."""
    own = [code.replace("_", " "), *(_SYNONYMS_AT.get((status, code)) or _SYNONYMS.get(code, ()))]
    phrases = list(own)
    generic = _BY_STATUS.get(status)
    if generic and generic != code:
        phrases += [generic.replace("_", " "), *_SYNONYMS.get(generic, ())]
    words = _read_words(value)
    if words == _words(code):
        return 200
    # (a synonym said in other words' order, or with the short words that join them: `CONSENTIMENTO_EM_ESTADO_...`;
    # the first synonyms say the refusal best: a payment not matching its consent before a consent invalid)
    said = {word for word in words if len(word) > 2}
    for rank, phrase in enumerate(own):
        if " ".join(words) == " ".join(_words(phrase)) or said == set(_words(phrase)):
            return 110 + (len(own) - rank) / 100
    if " ".join(words) in {" ".join(_words(p)) for p in phrases}:
        return 100
    specific = {w for p in phrases for w in _words(p)} - _COMMON_WORDS
    klass = _CLASS_WORDS.get(status // 100, set())
    # a synonym the value says whole counts more than its words said apart: Visma's `AuthenticationRequired` says
    # "authentication", `InvalidApiVersion` two words of "invalid api key", and the latter had answered every 401
    whole = sum(1 for p in set(phrases) if (named := set(_words(p)) - _COMMON_WORDS) and named <= set(words))
    return 12 * min(whole, 2) + sum(10 if w in specific else 3 if w in klass else 1 if w in _COMMON_WORDS else -0.5
                                    for w in words)


# Words of a code that stands for any error the others do not name ("unmapped error", "other"), in the languages
# specs are written in (Brazil's `ERRO_NAO_MAPEADO`).
_CATCH_ALL_WORDS = {"unmapped", "mapeado", "other", "others", "outro", "outros", "otro", "unspecified", "unclassified",
                    "generic", "general", "unexpected", "undefined", "uncategorized", "misc"}


def _catch_all(value) -> bool:
    return bool(set(_words(value)) & _CATCH_ALL_WORDS)


def says_misfit(api, response) -> int:
    """How well a declared error `response` says that a request does not fit its schema: 2 where its code is free
    text or one of its codes says so (`invalid`, `validation`, `format`, `parameter`), 1 where one only says "any
    other error" (`unmapped`, `other`), 0 where each names a rule of its own (a 422 of business codes only)."""
    content = (deref(api.spec, response) or {}).get("content") or {}
    media = next((m for kind, m in content.items() if carries_json(kind)), None)
    if media is None:
        return 2
    enums = _enums(api.spec, deref(api.spec, (deref(api.spec, media) or {}).get("schema")))
    codes = [value for name, values in enums.items() if name in _ERROR_FIELDS["code"] for value in values]
    if not codes or any(_closeness(value, "invalid_request", 422) >= 3 for value in codes):  # (not "error" alone)
        return 2
    return 1 if any(_catch_all(value) for value in codes) else 0


def said_status(api, responses: dict, code: str, status: int) -> int:
    """The status of the refusal `code` (`status`, its own) where the operation's `responses` declare none at its own
    but name it among the error codes of another 4xx, by its name or a synonym (an API keyed by a client id and secret
    whose 400 lists `INVALID_API_KEYS` and which declares no 401, as Plaid answers a wrong secret 400): that one."""
    declared = {str(key).upper() for key in responses}
    if str(status) in declared or f"{str(status)[0]}XX" in declared:
        return status
    for key, response in responses.items():
        content = (deref(api.spec, response) or {}).get("content") or {} if str(key)[:1] == "4" else {}
        values = [value for media in content.values() for found in
                  _enums(api.spec, deref(api.spec, (media or {}).get("schema"))).values() for value in found]
        if str(key).isdigit() and any(isinstance(value, str) and _closeness(value, code, int(key)) >= 110
                                      for value in values):
            return int(key)
    return status


def _declared(responses: dict, status: int, keys=None):
    responses = {str(code).upper(): response for code, response in responses.items()}
    for key in keys or (str(status), f"{str(status)[0]}XX", "DEFAULT"):
        if key.upper() in responses:
            return responses[key.upper()]
    return None


def operation_of(api, operation_id: str):
    """The operation object of `operation_id`, or None."""
    return _located(api, operation_id)[1]


def declared_statuses(api, operation_id: str | None) -> set[str]:
    """The statuses `operation_id` declares an answer for, as written, upper-cased (`404`, `4XX`, `DEFAULT`)."""
    operation = operation_of(api, operation_id) if operation_id else None
    return {str(code).upper() for code in (operation or {}).get("responses") or {}}


def _located(api, operation_id: str) -> tuple:
    """(path template, operation object) of `operation_id`, or (None, None)."""
    return next(((path, op) for op_id, _, path, op in api.spec_operations() if op_id == operation_id), (None, None))


def _media_type(content: dict, accept: str) -> str:
    """The media type to answer in: one the client accepts if it named one, JSON before others."""
    ranked = sorted(content, key=lambda m: not carries_json(m, signed=False))
    wanted = [part.split(";")[0].strip().lower() for part in (accept or "").split(",") if part.strip()]
    for pattern in wanted:
        if pattern in ("*/*", ""):
            break
        for media_type in ranked:
            bare = media_type.split(";")[0].strip().lower()
            if bare == pattern or (pattern.endswith("/*") and bare.startswith(pattern[:-1])):
                return media_type
    return ranked[0]


_NONE = object()


def _prefer(header: str) -> dict:
    preferences = {}
    for part in re.split(r"[,;]", header or ""):
        if "=" in part:
            key, value = part.split("=", 1)
            preferences[key.strip().lower()] = value.strip().strip('"')
    return preferences


def _empty_object_type(api, operation_id: str, request: dict) -> str | None:
    """The JSON type a success documented without content is answered in, as an empty object: the JSON APIs
    whose specs leave such a body out send one (Currencycloud's closed session), and a hand-written client
    reads every answer as JSON; a client generated from the spec reads nothing. None (no body) where the
    operation answers in other types only, deletes, or the client accepts no JSON."""
    if str(request.get("method", "")).upper() in ("DELETE", "HEAD"):
        return None
    operation = operation_of(api, operation_id) or {}
    types = [media for response in (operation.get("responses") or {}).values()
             for media in (deref(api.spec, response).get("content") or {})]
    json_type = next((media for media in types if carries_json(media, signed=False)), None if types else "application/json")
    accept = str((request.get("headers") or {}).get("accept") or "*/*").lower()
    if json_type is None or not any(word in accept for word in ("json", "*/*", "application/*")):
        return None
    return json_type


def _pick_response(spec: dict, responses: dict, wanted: str | None, method: str | None = None):
    # YAML reads an unquoted `200:` as an int key; the spec means the same response.
    responses = {str(code): response for code, response in responses.items()}
    if wanted and re.fullmatch(r"[1-5][0-9][0-9]", wanted):
        # As mock servers do: the exact code, else its range (4XX), else the default response.
        for key in (wanted, wanted[0] + "XX", wanted[0] + "xx", "default"):
            if key in responses:
                return int(wanted), responses[key]
    if str(method or "").upper() == "POST" and "201" in responses:
        # A POST that documents 201 creates: its 200 is the idempotent replay (PayPal's orders), and a new
        # order answered as a replay skipped the state a new resource starts in.
        return 201, responses["201"]
    for code in sorted(responses):
        if code[0] == "2" and code[1:].isdigit():
            return int(code), responses[code]
        if code.upper() == "2XX":
            return 200, responses[code]
    if "default" in responses:
        return 200, responses["default"]
    if not responses:
        return 204, {}
    for code in sorted(responses):
        if code[0] in "13" and code[1:].isdigit():  # a redirect (or an informational answer) and no success
            return int(code), responses[code]
    # Only errors are documented (Nordigen's balances declare 400-503 and no 200): a call that breaks no
    # rule still succeeds, with an empty object; an error is answered when Prefer asks for it.
    return 200, _UNDOCUMENTED_SUCCESS


_UNDOCUMENTED_SUCCESS = {"description": "success (the spec documents none)",
                         "content": {"application/json": {"schema": {"type": "object"}}}}


def _example(spec: dict, media: dict, name: str | None, about: tuple = ()):
    """The example named `name`, else the one example, else the first of the named ones (the first of
    those about one of `about`, the values the request's path named: an institution asked for by its id
    is answered with its own example when the spec has one)."""
    from ..domain.errors import SandboxError

    examples = media.get("examples") or {}
    if name and name in examples:
        entry = deref(spec, examples[name])
        if not isinstance(entry, dict) or "value" not in entry:
            # left out at load, its schema refusing it beyond repair (the bank's warnings name it): no null answered
            raise SandboxError("invalid_request", f"Prefer: example={name} names an example of this response that "
                               "breaks its schema and was left out; the bank's warnings say why")
        return copy.deepcopy(entry["value"])
    if name:
        raise SandboxError("invalid_request", f"Prefer: example={name} names no example of this response; "
                           f"it documents {', '.join(map(str, examples)) or 'none'}")
    if "example" in media:
        return copy.deepcopy(media["example"])
    values = [deref(spec, entry)["value"] for entry in examples.values()
              if isinstance(deref(spec, entry), dict) and "value" in deref(spec, entry)]
    named = [value for value in values if about and _mentions(value, about)]
    if named or values:
        return copy.deepcopy((named or values)[0])
    schema = deref(spec, media.get("schema") or {})
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    return _NONE


def _paired(api, operation_id: str, request: dict, media: dict) -> str | None:
    """The name of the answer's example whose namesake among the request's examples is most like the body sent,
    where the spec pairs them by name: a plain card payment is answered as the spec's plain card example
    (`Authorised`, a reference to capture by), not as its first one (a 3-D Secure challenge, no reference).
    None where no request example shares a name with the answer's, or the body is no object. Alike: the
    fields (two levels deep) and values both hold, less the fields the example holds and the body does not."""
    answers = media.get("examples") or {}
    sent = content_of(request)
    if len(answers) < 2 or not isinstance(sent, dict):
        return None
    body = deref(api.spec, (_located(api, operation_id)[1] or {}).get("requestBody")) or {}
    asked = {}
    for entry in (body.get("content") or {}).values():
        asked.update((deref(api.spec, entry) or {}).get("examples") or {})
    # (an answer example left out at load, its schema refusing it, pairs with nothing: answered, it was a null)
    shared = [name for name in answers if name in asked and "value" in (deref(api.spec, answers[name]) or {})]
    if not shared:
        return None
    mine = _traits(sent)

    def likeness(name: str) -> int:
        theirs = _traits((deref(api.spec, asked[name]) or {}).get("value"))
        return len(mine & theirs) - len({trait for trait in theirs - mine if len(trait) == 1})
    return max(shared, key=likeness)  # (the first of the most alike)


def _traits(value, at: str = "", depth: int = 0) -> set:
    """A body's fields two levels deep, as (path,), and its plain values, as (path, value)."""
    found = set()
    if isinstance(value, dict) and depth < 2:
        for key, inner in value.items():
            path = f"{at}/{key}"
            found.add((path,))
            if isinstance(inner, (str, int, float, bool)):
                found.add((path, str(inner)))
            found |= _traits(inner, path, depth + 1)
    return found


def _mentions(value, wanted: tuple) -> bool:
    """Whether an example's top level, or its envelope's, holds one of the `wanted` values."""
    from .mirror import envelope_of
    if not isinstance(value, dict):
        return False
    envelope = envelope_of(value)
    holders = [value] + ([value[envelope]] if envelope is not None else [])
    return any(str(v) in wanted for holder in holders for v in holder.values()
               if isinstance(v, (str, int)) and not isinstance(v, bool))


_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


# Headers naming one request, which tell two writes apart: `X-Request-ID`, `PayPal-Request-Id`, the FAPI
# `x-fapi-interaction-id` (Brazil's consents: two POSTs under two interaction ids are two consents).
_REQUEST_ID = re.compile(r"(request|interaction|correlation)-id$")


def idempotency_keys(request: dict) -> list:
    """What makes a request a creation of its own: an idempotency key in a header (`Idempotency-Key`,
    `x-idempotency-key`) or in a field of its body so named, at the top or one object down (Square's
    `idempotency_key`, Yapily's `paymentIdempotencyId`), or, on a write, a request id in a header (PayPal's
    `PayPal-Request-Id`, `X-Request-ID`, `x-fapi-interaction-id`) or in the body (Currencycloud's
    `unique_request_id`): the same key, the same answer; two keys, two."""
    return [value for _, value in _keys(request)]


def idempotency_key(request: dict) -> str | None:
    """The key a write names as its idempotency key (by that name, in a header or its body), which the server
    holds it to: reused with another request, it is refused. A request id only tells requests apart."""
    return next((str(value) for name, value in _keys(request) if _IDEMPOTENT.search(name)), None)


# An idempotency key by its name: `Idempotency-Key`, `idempotency_key`, fincode's `idempotent_key` header.
_IDEMPOTENT = re.compile(r"idempoten(cy|t)", re.IGNORECASE)


def _keys(request: dict):
    """(name, value) of each key `idempotency_keys` reads, names in lower case, headers first."""
    headers = request.get("headers") or {}
    writing = str(request.get("method", "")).upper() in _UNSAFE
    for name, value in headers.items():
        if _IDEMPOTENT.search(name) or (writing and _REQUEST_ID.search(name)):
            yield name, value
    body = request.get("body")
    for holder in [body] + (list(body.values()) if isinstance(body, dict) else []):
        if isinstance(holder, dict):
            for name, value in holder.items():
                name = str(name).lower()
                if (_IDEMPOTENT.search(name) or (writing and re.sub(r"[^a-z]", "", name).endswith("requestid"))) \
                        and isinstance(value, (str, int)) and not isinstance(value, bool):
                    yield name, value


def _seed(operation_id: str, request: dict, status: int | None = None) -> int:
    """The answer's seed: the same request gets the same answer, and requests under two idempotency keys, or
    sent without a key after another of their kind was made (remembered.recall's `made_before`), are two
    creations (their ids differ). An answer about one kept resource, read or changed (`remembered` names it
    `own`: its kind and id), is drawn from the resource's seed, whatever the request: what it was not made
    with nor answered at its making is drawn alike on every read, change and page that holds it (SumUp's
    reader had a new `service_account_id` at each read and change, and every reader listed had one and
    the same). One never made here, read by its id (`drawn_own`), is drawn alike: as its lists show it."""
    kept = request.get("remembered")
    own = kept.get("own") if isinstance(kept, dict) else request.get("drawn_own")
    if own is not None:  # one kept resource read or changed, or one never made read by its id: its own draw
        parts = ["kept", *own]
        key = json.dumps(parts if status is None else [*parts, status], sort_keys=True, default=str)
        return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    # (a drawn list's pages are drawn as one collection: its query without what pages it, `drawn_collection`)
    query = request["drawn_collection"] if request.get("drawn_collection") is not None else request.get("query")
    parts = [operation_id, request.get("path"), query, content_of(request), *idempotency_keys(request)]
    if request.get("on_behalf_of") is not None:  # made for an account (remembered.recall): its own, keyed alike or not
        parts.append(request["on_behalf_of"])
    if "made_before" in request:  # a creation without an idempotency key: the same body twice makes two
        parts.append(request["made_before"])
    if request.get("connector") is not None and idempotency_keys(request):
        # (a key is its client's own: two connectors sending one key, as a fixed test key or an interaction id
        # copied from a guide, make two resources, not the first one's twice)
        parts.append({"connector": request["connector"]})
    key = json.dumps(parts if status is None else [*parts, status], sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def generate(spec: dict, schema, rng: random.Random, depth: int = 0, today: str | None = None, *,
             name: str | None = None, keep=None):
    """A value valid against `schema` (OpenAPI 3.0/3.1 subset), chosen by `rng`.

    `name` is the property the value is for (a format-less `currency` reads better as "JPY" than as
    placeholder text); `keep(spec, name, schema)` says whether an optional property is generated
    (by default those near the top are).
    """
    schema = deref(spec, schema)
    if not isinstance(schema, dict):
        return None
    again = {"today": today, "keep": keep}
    if "example" in schema and not _own_number(name, schema["example"]):
        return copy.deepcopy(schema["example"])
    if "examples" in schema and isinstance(schema["examples"], list) and schema["examples"] \
            and not _own_number(name, schema["examples"][0]):
        return copy.deepcopy(schema["examples"][0])
    if "const" in schema:
        return schema["const"]
    if "enum" in schema and schema["enum"]:
        choices = [v for v in schema["enum"] if v is not None] or schema["enum"]
        return sandbox_mode(choices) or rng.choice(choices)
    if "allOf" in schema:
        own = {key: value for key, value in schema.items() if key != "allOf"}
        merged = _merge(spec, [*schema["allOf"], own])
        merged.pop("discriminator", None)  # a subtype is drawn as itself, not dispatched again to one
        return generate(spec, merged, rng, depth, name=name, **again)
    subtype = _mapped_subtype(spec, schema)
    if subtype is not None:
        return subtype(lambda target: generate(spec, target, rng, depth, name=name, **again))
    for key in ("oneOf", "anyOf"):
        if key in schema and schema[key]:
            # The first alternative that is not just null: a realistic answer (null stays possible).
            options = [o for o in schema[key] if not _is_null(deref(spec, o))] or schema[key]
            if depth >= MAX_DEPTH and len(options) < len(schema[key]):
                return None  # deep down, a link that may be empty is (a return's `current_return` is a return)
            first = chosen = _sent_option(spec, schema, options) or options[0]
            # The alternatives may only say which of the schema's own fields they require (Rapyd's coupon:
            # `properties` beside `oneOf: [{required: [amount_off, currency]}, {required: [percent_off]}]`):
            # drawn alone, such a branch gave every field placeholder text, and the answer holding it never fit.
            own = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator", "example", "examples")}
            if own.get("properties") or own.get("required"):
                # (the alternative's own example shows that alternative only, as an allOf member's does: Alpaca's
                # securities journal's example, with an id that is no uuid, stood for every journal, a 500)
                alone = deref(spec, chosen)
                alone = {k: v for k, v in alone.items() if k not in ("example", "examples")} \
                    if isinstance(alone, dict) else alone
                chosen = _merge(spec, [own, alone])
                # a field only the other alternatives require is what tells them apart: left out, the answer
                # fits this one alone (a voucher with both `amount_off` and `percent_off` fitted both)
                mine = set(chosen.get("required") or ())
                theirs = {name for option in options if option is not first
                          for name in (deref(spec, option) or {}).get("required") or ()
                          if isinstance(deref(spec, option), dict)} - mine
                if theirs and isinstance(chosen.get("properties"), dict):
                    chosen["properties"] = {k: v for k, v in chosen["properties"].items() if k not in theirs}
            # a text beside an object is that object's id (Stripe's expandable `latest_charge`: an id or the
            # charge), not what the field's name says (it had been drawn as an amount, "192642.44")
            named = "id" if _id_or_object(spec, chosen, options) else name
            drawn = generate(spec, chosen, rng, depth, name=named, **again)
            return _discriminated(spec, schema, first, chosen, drawn)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = _kind_of_untyped(schema)
    if depth >= MAX_DEPTH and (schema.get("nullable") or kind in ("object", "array")):
        if kind == "object" and not schema.get("nullable") and (schema.get("required") or schema.get("minProperties")
                                                                or _money_fields(spec, schema)) \
                and depth < 2 * MAX_DEPTH:
            # deep but required: its required fields only (Paystack's countries nest 9 objects deep; `{}` broke it)
            return _object(spec, schema, rng, depth, today, lambda *_: False)
        return None if schema.get("nullable") else ({} if kind == "object" else [])
    if kind == "object":
        return _object(spec, schema, rng, depth, today, keep)
    if kind == "array":
        low = int(schema.get("minItems", 1 if depth < 3 else 0))
        high = int(schema.get("maxItems", max(low, 2)))
        count = min(max(low, 1 if depth < 3 else 0), high)
        items = []
        for _ in range(count * 10 if schema.get("uniqueItems") else count):  # redraw duplicates, so minItems holds
            if len(items) == count:
                break
            item = generate(spec, schema.get("items") or {}, rng, depth + 1, name=name, **again)
            if not schema.get("uniqueItems") or item not in items:
                items.append(item)
        return items
    if kind == "string" and schema.get("x-is-msdate") is True:
        # Xero's dates as its SDK reads them: Microsoft's JSON date, `/Date(<epoch ms>+0000)/`.
        return f"/Date({int(_moment(rng, today).timestamp()) * 1000}+0000)/"
    if kind in ("integer", "number"):
        # seconds since 1970 where the format says so (Stripe's `format: unix-time` invoice item `date`, drawn 22)
        value = int(_moment(rng, today).timestamp()) if schema.get("format") in _EPOCH_FORMATS \
            else _named(name, kind, rng, today, region=regions.of(spec))
        if value is not None and _within(schema, value):
            return value
        return int(_number(schema, rng, integer=True)) if kind == "integer" else _number(schema, rng, integer=False)
    if kind == "boolean":
        value = _named(name, kind, rng, today, region=regions.of(spec))
        return value if value is not None else rng.random() < 0.5
    if kind == "null":
        return None
    return _string(schema, rng, today, name, written_moments(spec), regions.of(spec))


_OBJECT_WORDS = ("properties", "additionalProperties", "patternProperties", "required", "minProperties", "maxProperties",
                 "propertyNames")
_ARRAY_WORDS = ("items", "minItems", "maxItems", "uniqueItems")


def _kind_of_untyped(schema: dict) -> str:
    """The type a schema without `type` describes by its other keywords: a HAL `_links` map written as
    `additionalProperties: {$ref: Link}` alone is an object of links, which a string (valid, since such a
    schema takes anything) was to no client."""
    if any(word in schema for word in _OBJECT_WORDS):
        return "object"
    return "array" if any(word in schema for word in _ARRAY_WORDS) else "string"


# The values a request sent, by field name, while its answer is drawn (`_draw_as_sent`): where the answer's schema
# dispatches on a discriminator, the subtype drawn is the one the request named (Unit's `POST /payments` sent
# `type: bookPayment` was answered as the first subtype mapped, an ACH payment with `addenda` and no
# `counterpartyAccount`).
_SENT: contextvars.ContextVar[dict | None] = contextvars.ContextVar("sent", default=None)


def _draw_as_sent(sent, draw):
    """`draw()` with the values of `sent` (a request's JSON body) known by field name, to the depth a body nests."""
    values: dict = {}

    def walk(node, depth: int) -> None:
        if depth > 8:
            return
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str):
                    values.setdefault(key, set()).add(value)
                walk(value, depth + 1)
        elif isinstance(node, list):
            for value in node[:50]:
                walk(value, depth + 1)
    walk(sent, 0)
    token = _SENT.set(values or None)
    try:
        return draw()
    finally:
        _SENT.reset(token)


def _named_by_sent(schema: dict, mapping: dict) -> str | None:
    """The key of `mapping` (a discriminator's value -> its subtype) the request being answered sent in the
    discriminator's property, if any."""
    sent = _SENT.get()
    field = (schema.get("discriminator") or {}).get("propertyName")
    named = sent.get(field) if sent and isinstance(field, str) else None
    return next((value for value in mapping if value in named), None) if named else None


def _sent_option(spec: dict, schema: dict, options: list):
    """The alternative of a discriminated `oneOf`/`anyOf` the request being answered named by the discriminator's
    value: through its mapping, or an alternative's `$ref` named as that value (OpenAPI's implicit mapping), or
    whose own property holds it as its one allowed value; None where the request named none."""
    discriminator = schema.get("discriminator")
    sent = _SENT.get()
    field = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    named = sent.get(field) if sent and isinstance(field, str) else None
    if not named:
        return None
    mapping = discriminator.get("mapping") if isinstance(discriminator.get("mapping"), dict) else {}
    refs = {_ref_of(target) for value, target in mapping.items() if value in named}
    for option in options:
        ref = option.get("$ref") if isinstance(option, dict) else None
        if ref in refs or (ref and not mapping and ref.rsplit("/", 1)[-1] in named):
            return option
        own = deref(spec, ((deref(spec, option) or {}).get("properties") or {}).get(field)) \
            if isinstance(deref(spec, option), dict) else None
        allowed = ([own["const"]] if "const" in own else own.get("enum")) if isinstance(own, dict) else None
        if isinstance(allowed, list) and len(allowed) == 1 and allowed[0] in named:
            return option
    return None


def _ref_of(target) -> str:
    """A discriminator mapping's target as a reference (a bare name is a schema of the components)."""
    return str(target) if str(target).startswith("#/") else f"#/components/schemas/{target}"


def _mapped_subtype(spec: dict, schema: dict):
    """For a base schema whose `discriminator.mapping` names its subtypes (and no `oneOf` lists them: Unit's
    `Account` maps `depositAccount` to `DepositAccount`, an `allOf` of the base and its own fields), a
    function drawing the subtype the request named (`_named_by_sent`), else the first, with its discriminating
    value; None otherwise. Drawn as the base
    alone, an account had no `attributes`, and the SDK reading them failed on every call."""
    discriminator = schema.get("discriminator")
    mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
    if not isinstance(mapping, dict) or not mapping or "oneOf" in schema or "anyOf" in schema:
        return None
    if schema.get("type") not in (None, "object") or any(word in schema for word in _ARRAY_WORDS):
        # a discriminator only dispatches objects: one written beside an array (Alpaca's journal list maps
        # `entry_type` beside `type: array`) is no subtype of the list, whose one journal drawn was a 500
        return None
    value = _named_by_sent(schema, mapping) or next(iter(mapping))
    found = deref(spec, {"$ref": _ref_of(mapping[value])})
    if not isinstance(found, dict) or not found or found is schema:
        return None
    field = discriminator.get("propertyName")

    def draw(generate_one):
        drawn = generate_one(found)
        if isinstance(drawn, dict) and field:
            drawn[field] = value
        return drawn
    return draw


def _discriminated(spec: dict, schema: dict, option, chosen, drawn):
    """`drawn`, an alternative of a `oneOf`/`anyOf` with a discriminator, naming that alternative in the
    discriminator's property as the mapping does (`type: card`), where the alternative's own schema left it free
    text: drawn as text ("sample"), a client dispatching on it had no subtype to read it into."""
    discriminator = schema.get("discriminator")
    field = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
    if not isinstance(drawn, dict) or not field or not isinstance(option, dict) or "$ref" not in option:
        return drawn
    chosen = deref(spec, chosen)
    declared = deref(spec, ((chosen.get("properties") or {}) if isinstance(chosen, dict) else {}).get(field)) or {}
    if not isinstance(declared, dict) or any(key in declared for key in ("enum", "const", "allOf", "$ref")):
        return drawn  # (its own schema says its value)
    mapping = discriminator.get("mapping") if isinstance(discriminator.get("mapping"), dict) else {}
    ref = option["$ref"]
    value = next((key for key, target in mapping.items()
                  if target == ref or f"#/components/schemas/{target}" == ref), None)
    if value is None and not mapping:  # no mapping: the schema's name is its value (OpenAPI 3.0)
        value = ref.rsplit("/", 1)[-1]
    if value is not None and (field not in drawn or isinstance(drawn[field], str)):
        drawn = {**drawn, field: value}
    return drawn


_EPOCH_FORMATS = ("unix-time", "unixtime", "unix-timestamp", "epoch", "timestamp")


def _id_or_object(spec: dict, chosen, options: list) -> bool:
    """Whether an alternative drawn is a bare string beside an object alternative: an id or what it names."""
    drawn = deref(spec, chosen)
    if not isinstance(drawn, dict) or drawn.get("type") != "string" or set(drawn) & {"enum", "format", "pattern"}:
        return False
    return any(isinstance(o, dict) and (o.get("type") == "object" or "properties" in o or "allOf" in o)
               for o in (deref(spec, option) for option in options))


def _named(name, kind: str, rng: random.Random, today: str | None, written: tuple | None = None,
           region: regions.Region = regions.JAPAN):
    """A realistic value for a format-less field by its name, or None: ISO 4217 and 3166 codes, an
    e-mail address, a URL or a phone number where the name says so (the `region`'s: regions.py), epoch
    seconds for `created`/`*_at`, `livemode` false (a sandbox is not live)."""
    words = _words(name or "")
    if not words:
        return None
    last = words[-1]
    if kind == "string":
        if last.startswith("currenc") or last == "ccy" or words[-2:] == ["currency", "code"]:
            return region.currency
        if last == "country" or words[-2:] == ["country", "code"]:
            return region.country
        if last in ("language", "lang"):
            return region.language
        # An id by another name (Marqeta's and Lithic's `token`, `user_token`; a `guid`, a `uuid`): "sample"
        # gave every user a client created the same token, and each read, card and order was about them all.
        if last in ("id", "token", "guid", "uuid"):
            return f"{rng.getrandbits(64):016x}"
        if last in ("email", "mail") or words[-2:] == ["email", "address"]:
            return _FORMATS["email"](rng, today)
        if last in ("url", "uri", "website", "homepage", "href", "link"):
            return _FORMATS["url"](rng, today)
        if last in ("phone", "telephone", "tel", "mobile") or words[-2:] == ["phone", "number"]:
            return regions.telephone(region, rng)
        if "".join(words) in _CARD_NUMBERS:
            return _test_card(rng)
        if "".join(words) in _LAST_FOURS:
            return _test_card(rng)[-4:]
        # Amounts, rates and moments published as text (CDR's AmountString, DateTimeString): a client
        # parses them as a decimal or a date, which 'sample' broke.
        if last in ("amount", "balance", "total", "fee", "price", "charge", "cost", "subtotal"):
            return f"{rng.randrange(100, 1_000_000)}.{rng.randrange(100):02d}"
        if last == "rate":
            return f"0.{rng.randrange(1, 500):04d}"
        if last == "date":
            return _day(rng, today).isoformat()
        if last in ("time", "datetime", "timestamp") or (last == "at" and len(words) > 1):
            return _stamp(_moment(rng, today), None, written)
        return None
    if kind == "integer" and (last in ("created", "updated", "timestamp") or (last == "at" and len(words) > 1)):
        return int(_moment(rng, today).timestamp())
    if kind == "boolean" and live_flag(name):
        return False
    return None


def live_flag(name) -> bool:
    """Whether a boolean field's name says its object was made live (`livemode`, `live_mode`, `isLive`): what a
    sandbox makes is not."""
    return "".join(_words(name or "")) in ("livemode", "islive", "live")


# The two modes an API's objects are made in, a live one and the one for trying things out: what a sandbox makes is
# in the second (Mollie's `mode: live | test`, an environment `sandbox | production`).
_LIVE_MODES, _TRIAL_MODES = {"live", "production", "prod"}, {"test", "sandbox", "testmode", "demo"}


def sandbox_mode(enum) -> str | None:
    """The trial member of an enum that is just a live mode and a trial one (`[live, test]`), else None: answered
    `live`, a payment made here told its client it moved real money, as `livemode: true` would."""
    values = [v for v in enum if v is not None]
    if len(values) != 2 or not all(isinstance(v, str) for v in values):
        return None
    trial = [v for v in values if v.lower() in _TRIAL_MODES]
    live = [v for v in values if v.lower() in _LIVE_MODES]
    return trial[0] if len(trial) == 1 and len(live) == 1 else None


# A card's number by its name (Marqeta's `pan`, `card_number`), and its last four digits (`last_four`, `last4`).
_CARD_NUMBERS = ("pan", "cardnumber", "primaryaccountnumber", "pannumber", "cardpan")
_LAST_FOURS = ("lastfour", "last4", "lastfourdigits", "panlastfour", "cardlastfour", "lastdigits")
# The test BIN card numbers are drawn under: Visa's (4111 11), which card SDKs and test gateways take as a test card.
_TEST_BIN = "411111"


def _own_number(name: str | None, example) -> bool:
    """Whether a field's `example` is a card number (by the field's name: `pan`) that each card has its own of, drawn
    anew: every card Lithic's sandbox issued had the example's `pan` 4111111289144142, and its `last_four`."""
    return name is not None and "".join(_words(name)) in _CARD_NUMBERS and isinstance(example, str) and example.isdigit()


def _test_card(rng: random.Random) -> str:
    """A 16-digit card number of the test BIN whose check digit is right (Luhn): drawn as text, Marqeta's card was
    made with `pan: "sample"` and `last_four: "sample"`, which no client's card check takes."""
    body = _TEST_BIN + "".join(str(rng.randrange(10)) for _ in range(9))
    total = sum(int(digit) if index % 2 else sum(divmod(int(digit) * 2, 10))
                for index, digit in enumerate(reversed(body)))
    return body + str(-total % 10)


def own_card_numbers(body, sent, fits, seed: str):
    """`body`, a card just made whose number (`pan`, `card_number`, at its top or one object down) is its spec's
    example, not one its client sent, with a test card's number of its own drawn from `seed` (the card's), and its
    last four digits beside it; where it still fits. Answered from the example, every card Lithic's `POST /v1/cards`
    issued had its `pan` 4111111289144142."""
    given = set()
    stack = [sent]
    while stack:  # (the numbers the client sent stay theirs)
        here = stack.pop()
        values = here.values() if isinstance(here, dict) else here if isinstance(here, list) else ()
        stack += [value for value in values if isinstance(value, (dict, list))]
        given |= {value for value in values if isinstance(value, str)}
    out = copy.deepcopy(body)
    rng = random.Random(f"{seed}:card")
    for holder in [out, *(value for value in (out.values() if isinstance(out, dict) else ()) if isinstance(value, dict))]:
        if not isinstance(holder, dict):
            continue
        for name in [name for name, value in holder.items() if "".join(_words(name)) in _CARD_NUMBERS
                     and isinstance(value, str) and value.isdigit() and len(value) == 16 and value not in given]:
            holder[name] = _test_card(rng)
            for four in [key for key, value in holder.items() if "".join(_words(key)) in _LAST_FOURS
                         and isinstance(value, str) and value.isdigit() and len(value) == 4 and value not in given]:
                holder[four] = holder[name][-4:]
    return out if out != body and fits(out) else body


def sent_last_fours(body, sent, fits):
    """`body`, what a creation answers, whose field named for the last four digits of a number its client sent
    (`lastFourAccountNumber` or `accountNumberLast4` beside a sent `accountNumber`, at the top or one object down
    of either) holds that number's last four, where it still fits: Moov's bank account linked with the number
    0004321567000 said it ended in its example's 6789."""
    numbers = {}
    for holder in [sent, *(value for value in (sent.values() if isinstance(sent, dict) else ()) if isinstance(value, dict))]:
        for name, value in (holder.items() if isinstance(holder, dict) else ()):
            if isinstance(value, str) and value.isdigit() and len(value) > 4:
                numbers.setdefault(tuple(_words(name)), value)
    if not numbers or not isinstance(body, dict):
        return body
    out = copy.deepcopy(body)
    for holder in [out, *(value for value in out.values() if isinstance(value, dict))]:
        for name, value in holder.items():
            words = _words(name)
            rest = [word for word in words if word not in ("last", "four", "4")]
            if isinstance(value, str) and len(words) - len(rest) >= 2 - ("4" in words) and tuple(rest) in numbers:
                holder[name] = numbers[tuple(rest)][-4:]
    return out if out != body and fits(out) else body


def _card_digits(result: dict, field) -> None:
    """An object's last four digits (`last_four`) as those of the card number it holds beside them (`pan`), where
    its schema takes them: drawn apart, a card ending in 0006 said its last four were 8210."""
    number = next((value for name, value in result.items() if "".join(_words(name)) in _CARD_NUMBERS
                   and isinstance(value, str) and value.isdigit() and len(value) > 4), None)
    for name in [name for name, value in result.items() if number and "".join(_words(name)) in _LAST_FOURS
                 and isinstance(value, str)]:
        schema = field(name) or {}
        if _matches(schema.get("pattern"), number[-4:]) and int(schema.get("minLength", 0)) <= 4 \
                and int(schema.get("maxLength", 4)) >= 4:
            result[name] = number[-4:]


def _within(schema: dict, value) -> bool:
    """Whether a number chosen by name may stand: only where the schema sets no bounds of its own."""
    return not any(key in schema for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"))


def _is_null(schema) -> bool:
    """A schema only null fits: 3.1's `{type: null}`, or 3.0's `{nullable: true, enum: [null]}` (spec.py's)."""
    return isinstance(schema, dict) and (schema.get("type") == "null" or (schema.get("enum") == [None] and bool(schema.get("nullable"))))


def _merge(spec: dict, parts) -> dict:
    """One schema that satisfies every part of an allOf (properties and required lists united).

    A member's own `example` shows that member only (a paging block's counters, without the list the
    other member declares): it is not taken as the example of the whole, which the last part, the
    allOf's own keywords, may still give."""
    merged: dict = {}
    last = len(parts) - 1
    for index, part in enumerate(parts):
        part = deref(spec, part)
        if not isinstance(part, dict):
            continue
        if index != last and ("example" in part or "examples" in part):
            part = {k: v for k, v in part.items() if k not in ("example", "examples")}
        if "allOf" in part:
            part = _merge(spec, [*part["allOf"], {k: v for k, v in part.items() if k != "allOf"}])
        for key, value in part.items():
            if key == "properties":
                # A property two members both declare must satisfy both (Pix's recurring charge: one member's
                # `calendario` requires `dataDeVencimento`, another's `criacao`): the later one alone, drawn,
                # lacked what the earlier required, and every answer holding it was a 500.
                into = merged.setdefault("properties", {})
                for name, sub in (value or {}).items():
                    into[name] = sub if name not in into or into[name] == sub else {"allOf": [into[name], sub]}
            elif key == "required":
                merged["required"] = merged.get("required", []) + [r for r in value if r not in merged.get("required", [])]
            elif key != "type" or "type" not in merged:
                merged[key] = value
    return merged


def flattened(spec: dict, schema):
    """`schema` with its `$ref` followed and its `allOf` merged into one schema (`_merge`): what a reader of its
    properties reads."""
    schema = deref(spec, schema)
    if isinstance(schema, dict) and "allOf" in schema:
        return _merge(spec, [*schema["allOf"], {k: v for k, v in schema.items() if k != "allOf"}])
    return schema


def property_schema(spec: dict, schema: dict, name: str):
    """The schema property `name` of an object under `schema` must satisfy, or None when it forbids it.

    A name `properties` does not declare is read as JSON Schema reads it: the `patternProperties` it
    matches, else `additionalProperties` (any value when absent) — so a name listed in `required`
    but not in `properties` (legal, and common in published specs) still gets a value.
    """
    properties = schema.get("properties") or {}
    if name in properties:
        return properties[name]
    matching = []
    for pattern, sub in (schema.get("patternProperties") or {}).items():
        try:
            if re.search(pattern, name):
                matching.append(sub)
        except re.error:
            continue
    if matching:
        return matching[0] if len(matching) == 1 else {"allOf": matching}
    extra = schema.get("additionalProperties", True)
    if extra is False:
        return None
    return extra if isinstance(extra, dict) else {}


def _object(spec, schema, rng, depth, today, keep):
    properties = schema.get("properties") or {}
    required = list(schema.get("required") or [])
    again = {"today": today, "keep": keep}
    result = {}
    money = _money_fields(spec, schema)
    for name, sub in properties.items():
        sub_resolved = deref(spec, sub)
        if isinstance(sub_resolved, dict) and sub_resolved.get("writeOnly"):
            continue
        if name in required or name in money or (keep(spec, name, sub_resolved) if keep else depth < 4):
            result[name] = generate(spec, sub, rng, depth + 1, name=name, **again)
    for name in required:
        if name not in properties and name not in result:
            sub = property_schema(spec, schema, name)
            if sub is not None:  # a forbidden one cannot be satisfied: examples.py warns at load
                result[name] = generate(spec, sub, rng, depth + 1, name=name, **again)
    extra = schema.get("additionalProperties")
    minimum = int(schema.get("minProperties", 0))
    for name, sub in properties.items():  # its own optional fields first (a file's `size`, `filename`, ...: with
        if len(result) >= minimum:       # `additionalProperties: false`, no other key could make up the count)
            break
        sub_resolved = deref(spec, sub)
        if name not in result and not (isinstance(sub_resolved, dict) and sub_resolved.get("writeOnly")):
            result[name] = generate(spec, sub, rng, depth + 1, name=name, **again)
    index = 0
    while len(result) < minimum and extra is not False:
        result[f"key{index}"] = generate(spec, extra if isinstance(extra, dict) else {"type": "string"}, rng, depth + 1,
                                         **again)
        index += 1
    maximum = schema.get("maxProperties")
    if isinstance(maximum, int):
        for name in [n for n in reversed(list(result)) if n not in required][: max(0, len(result) - maximum)]:
            del result[name]
    _in_order(result, lambda a, b: _values_alike(deref(spec, properties.get(a)), deref(spec, properties.get(b))))
    _money(result, lambda name: deref(spec, property_schema(spec, schema, name)), rng)
    _card_digits(result, lambda name: deref(spec, property_schema(spec, schema, name)))
    return result


# A money object's fields by their bare names: its currency, its amount as text, its amount in minor units.
_CURRENCY_FIELDS = {"currency", "currencycode", "ccy", "curr"}
_AMOUNT_TEXT = {"value", "amount", "amt"}
_ZERO_DECIMALS = {"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG", "RWF", "KMF", "GNF", "VUV"}


def _money_fields(spec, schema) -> tuple:
    """The names of an object's amount and currency where its fields are those of a sum of money (an amount,
    a number or a text, beside a currency's text), else (). Such an object is drawn with both wherever it is
    drawn, required or not: Brex's `Money {amount: integer, currency: string}` declares neither required, and
    drawn deep in an account (`available_balance: {}`) it was read by clients as no balance at all."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return ()
    found = {}
    for name, sub in properties.items():
        sub = deref(spec, sub)
        kind = sub.get("type") if isinstance(sub, dict) else None
        kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
        bare = re.sub(r"[^a-z]", "", str(name).lower())
        if bare in _CURRENCY_FIELDS and kind == "string" and not sub.get("writeOnly"):
            found.setdefault("currency", name)
        elif bare in _AMOUNT_TEXT and kind in ("integer", "number", "string") and not sub.get("writeOnly"):
            found.setdefault("amount", name)
    return (found["amount"], found["currency"]) if len(found) == 2 else ()


def _money(result: dict, schema_of, rng) -> None:
    """A drawn money object made one: beside a currency, its amount given as text (`value`, Up's and Adyen's
    `{currencyCode, value, valueInBaseUnits}`) is a decimal in that currency, and an amount in minor units
    (`valueInBaseUnits`, `minorUnits`, `cents`) says the same sum. `"sample"` crashed every client's
    `Decimal(value)`. In place, each field only where its schema takes the value."""
    bare = {re.sub(r"[^a-z]", "", str(name).lower()): name for name in result}
    currency = next((result[bare[key]] for key in _CURRENCY_FIELDS if key in bare and isinstance(result[bare[key]], str)), None)
    text = next((bare[key] for key in _AMOUNT_TEXT if key in bare and isinstance(result[bare[key]], str)), None)
    if currency is None or text is None:
        return
    minor_units = next((name for key, name in bare.items() if key.endswith(("inbaseunits", "minorunits", "inminorunits"))
                        or key == "cents"), None)
    whole = rng.randrange(100, 100_000)
    cents = 0 if currency.upper() in _ZERO_DECIMALS else rng.randrange(100)
    amount = f"{whole}" if currency.upper() in _ZERO_DECIMALS else f"{whole}.{cents:02d}"
    for name, value in ((text, amount), (minor_units, whole if currency.upper() in _ZERO_DECIMALS else whole * 100 + cents)):
        if name is None or isinstance(result.get(name), bool) or type(result.get(name)) is not type(value):
            continue
        field = schema_of(name) or {}
        if _within(field, value) if isinstance(value, int) else _matches(field.get("pattern"), value):
            result[name] = value


# The words that open and close a range in a pair of field names (`TransactionFromDateTime` and
# `TransactionToDateTime`, `period_start`/`period_end`, `clock_in_at`/`clock_out_at`).
_RANGES = (("from", "to"), ("start", "end"), ("begin", "end"), ("in", "out"), ("min", "max"), ("since", "until"))


# What documents a schema without saying which values it takes.
_DOCUMENTATION = ("description", "title", "example", "examples", "externalDocs", "deprecated")


def _values_alike(one, other) -> bool:
    """Whether two schemas take the same values, whatever their documentation says (Brex's statement `period`
    describes `start_date` and `end_date` each in its own words: compared whole, they were two kinds, and the
    ends of every period were left in the order they were drawn)."""
    if not isinstance(one, dict) or not isinstance(other, dict):
        return one == other
    return all(one.get(key) == other.get(key) for key in {*one, *other}
               if key not in _DOCUMENTATION and not str(key).startswith("x-"))


def _in_order(values: dict, alike) -> None:
    """Each pair of values that opens and closes a range, put in order (two draws came in either order).

    Only values of fields with the same schema (`alike`), of a kind that compares (ISO dates and times
    as text, numbers), are swapped: each stays valid for the other's field."""
    named = {tuple(_words(name)): name for name in values}
    for words, first in named.items():
        for opening, closing in _RANGES:
            if opening not in words:
                continue
            at = words.index(opening)
            second = named.get((*words[:at], closing, *words[at + 1:]))
            a, b = values[first], values.get(second)
            if second is None or type(a) is not type(b) or not isinstance(a, (str, int, float)) or isinstance(a, bool) \
                    or not alike(first, second):
                continue
            if a > b:
                values[first], values[second] = b, a


def _number(schema, rng, integer: bool):
    low, high = schema.get("minimum"), schema.get("maximum")
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):  # OpenAPI 3.1 / JSON Schema
        low, exclusive_low = exclusive_low, True
    if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
        high, exclusive_high = exclusive_high, True
    low = (low if low is not None else (0 if high is None or high >= 0 else high - 1000))
    high = high if high is not None else low + 1000
    exclusive_low, exclusive_high = exclusive_low is True, exclusive_high is True

    def inside(value) -> bool:
        return (value > low if exclusive_low else value >= low) and (value < high if exclusive_high else value <= high)

    multiple = schema.get("multipleOf")
    if multiple:
        first, last = math.ceil(low / multiple), math.floor(high / multiple)
        places = max(0, -Decimal(str(multiple)).as_tuple().exponent)
        for _ in range(20):
            value = round(rng.randint(first, max(first, min(last, first + 1000))) * multiple, places)
            # Validators test a float multiple as value / multipleOf == int(value / multipleOf).
            if inside(value) and (value / multiple) == int(value / multiple):
                return int(value) if integer else value
        return int(value) if integer else value
    if integer:
        first = math.floor(low) + 1 if exclusive_low else math.ceil(low)
        last = math.ceil(high) - 1 if exclusive_high else math.floor(high)
        return rng.randint(first, last) if first <= last else first
    if high <= low:
        return low
    value = round(rng.uniform(low, high), 2)
    if not inside(value):  # bounds tighter than two decimals
        value = rng.uniform(low, high)
    return value if inside(value) else (low + high) / 2


_FORMATS = {
    "email": lambda rng, today: f"user{rng.randrange(1000)}@example.jp",
    "uuid": lambda rng, today: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    "uri": lambda rng, today: f"https://example.jp/{rng.randrange(10000)}",
    "url": lambda rng, today: f"https://example.jp/{rng.randrange(10000)}",
    "hostname": lambda rng, today: "example.jp",
    "ipv4": lambda rng, today: f"192.0.2.{rng.randrange(1, 255)}",
    "ipv6": lambda rng, today: "2001:db8::1",
    "byte": lambda rng, today: "c2FuZGJveA==",
    "binary": lambda rng, today: "sandbox",
    "password": lambda rng, today: "********",
    # Numbers published as text (Stripe's `unit_amount_decimal: {type: string, format: decimal}`, Google's
    # int64 as a string): a client parses them (the Stripe SDK's `Decimal(value)`), which "sample" broke.
    "decimal": lambda rng, today: f"{rng.randrange(100, 100_000)}.{rng.randrange(100):02d}",
    "number": lambda rng, today: f"{rng.randrange(100, 100_000)}.{rng.randrange(100):02d}",
    "double": lambda rng, today: f"{rng.randrange(100, 100_000)}.{rng.randrange(100):02d}",
    "float": lambda rng, today: f"{rng.randrange(100, 100_000)}.{rng.randrange(100):02d}",
    "int32": lambda rng, today: str(rng.randrange(1, 100_000)),
    "int64": lambda rng, today: str(rng.randrange(1, 100_000)),
    "integer": lambda rng, today: str(rng.randrange(1, 100_000)),
}


def _day(rng: random.Random, today: str | None) -> date:
    """A day of the month before the sandbox's `today`."""
    return (date.fromisoformat(today) if today else date(2026, 1, 5)) - timedelta(days=rng.randrange(0, 30))


def _moment(rng: random.Random, today: str | None) -> datetime:
    """A moment of the banking hours (JST) of the day before the sandbox's `today`: drawn in today's, a moment was
    after the sandbox's now for most of the day (before 19:00 JST, any of 09:00-19:00 could still be to come: UK
    Open Banking's `StatusUpdateDateTime` was answered hours ahead of the request, a `FirstAvailableDateTime`
    after its `LastAvailableDateTime`), which a client checking what it reads takes for a clock gone wrong."""
    base = (date.fromisoformat(today) if today else date(2026, 1, 6)) - timedelta(days=1)
    return datetime(base.year, base.month, base.day, 9, 0, tzinfo=JST) + timedelta(minutes=rng.randrange(0, 600))


def _stamp(moment: datetime, pattern: str | None = None, written: tuple | None = None) -> str:
    """A moment as JSON APIs write it: as the spec's own examples write theirs (`written`: with milliseconds or
    not, in UTC's `Z` or with an offset: SDKs parse one form, Recurly's `%Y-%m-%dT%H:%M:%S%z` no fraction, Unit's
    `%S.%f` nothing else), else RFC 3339 with milliseconds (`2026-01-05T09:30:00.000+09:00`), as servers written
    in JavaScript or Java send them. Where the schema's pattern wants another of RFC 3339's forms, that one."""
    utc = moment.astimezone(timezone.utc)
    forms = {(True, False): moment.isoformat(timespec="milliseconds"), (False, False): moment.isoformat(timespec="seconds"),
             (True, True): utc.strftime("%Y-%m-%dT%H:%M:%S.000Z"), (False, True): utc.strftime("%Y-%m-%dT%H:%M:%SZ")}
    first = forms.get(written, forms[(True, False)])
    return next((form for form in (first, *forms.values()) if _matches(pattern, form)), first)


_WRITTEN_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})")
_written_forms: dict[int, tuple] = {}


def _without_parameters(spec: dict) -> dict:
    """The spec without what clients send: its parameters (the paths', the operations', the shared ones) and its
    operations' own request bodies, as a shallow copy."""
    paths = {}
    for template, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict):
            paths[template] = {method: {key: value for key, value in operation.items()
                                        if key not in ("parameters", "requestBody")} if isinstance(operation, dict)
                               else operation for method, operation in item.items() if method != "parameters"}
    components = spec.get("components")
    if isinstance(components, dict):
        components = {key: value for key, value in components.items() if key not in ("parameters", "requestBodies")}
    return {**{key: value for key, value in spec.items() if key != "parameters"}, "paths": paths,
            "components": components}


def written_moments(spec: dict) -> tuple | None:
    """How the spec's examples write a moment, most of them: (with a fraction of a second?, in `Z`?), or None
    where none does. Read once per spec (its text searched: a 6 MB spec, about a tenth of a second)."""
    known = _written_forms.get(id(spec))
    if known is None or known[0] is not spec:
        counts: dict = {}
        # as the answers' examples write them, where any does: a parameter's example is what a client sends
        # (Paystack's `from=2024-06-01T00:00:01Z`, four of them, outnumbered its answers' `...53.824Z`, and its
        # `createdAt` was answered without the fraction that Airbyte's Paystack source parses)
        answered = list(_WRITTEN_MOMENT.finditer(json.dumps(_without_parameters(spec), default=str)))
        for found in answered or _WRITTEN_MOMENT.finditer(json.dumps(spec, default=str)):
            # (a moment written at a zero offset is in UTC, as `Z` writes it: Recurly's spec writes its one moment
            # `+00:00`, and its API answers `Z`; answered at +09:00, Airbyte's Recurly source, parsing `%SZ`, stopped)
            form = (found.group(1) is not None, found.group(2) in ("Z", "+00:00", "+0000", "-00:00"))
            counts[form] = counts.get(form, 0) + 1
        known = _written_forms[id(spec)] = (spec, max(counts, key=counts.get) if counts else None)
    return known[1]


# A text its description says is a token: "The tokenized paykey value." (Straddle's paykey `paykey`, drawn "sample":
# every paykey the same, and a charge naming one named them all), "A token identifying ...".
_SAID_TOKEN = re.compile(r"\btokeni[sz]ed\b|^\s*(?:the|a|an)\s+(?:[\w-]+\s+){0,3}token\b", re.IGNORECASE)


def _string(schema, rng, today, name=None, written=None, region: regions.Region = regions.JAPAN):
    fmt = schema.get("format")
    if fmt == "date":
        return _day(rng, today).isoformat()
    if fmt == "date-time":
        return _stamp(_moment(rng, today), schema.get("pattern"), written)
    if fmt == "time":
        # RFC 3339's full-time carries its offset; a spec's pattern may ask for the time alone.
        bare = f"{rng.randrange(9, 18):02d}:{rng.randrange(60):02d}:00"
        return next((form for form in (bare + "+09:00", bare) if _matches(schema.get("pattern"), form)), bare + "+09:00")
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    # A format the generator does not know (a vendor's `ppaas_common_email_address_v2`) is an annotation
    # only, as JSON Schema reads it: the field's name still says what it holds.
    named = _named(name, "string", rng, today, written, region) if fmt is None or fmt not in _FORMATS else None
    if named is not None and (low <= len(named) and (high is None or len(named) <= int(high))
                              and _matches(schema.get("pattern"), named)):
        return named  # a currency "JPY" or an amount "1234.50" that its pattern also takes
    if fmt not in _FORMATS and _moment_pattern(schema.get("pattern"), fmt, name):
        return _stamp(_moment(rng, today), schema.get("pattern"), written)
    if "pattern" in schema:
        # (an id goes into the path that reads it back: Brazil's consent id pattern takes `%`, `/`, `?` and `#`,
        # and `urn:PCi17:%c*A/` named another path, the consent made with it never read again)
        candidate = _from_pattern(schema["pattern"], rng, low, high, path_safe=bool(_ID_NAME.search(str(name or ""))))
        if candidate is not None:
            return candidate
    if fmt in _FORMATS:
        value = _FORMATS[fmt](rng, today)
        if fmt == "email" and high is not None and len(value) > int(high):
            value = "u@x.jp"
        return value
    if fmt is None and _SAID_TOKEN.search(str(schema.get("description") or "")):
        return f"{rng.getrandbits(64):016x}"  # (one of its own, as an id by another name: `_named`)
    text = "ｻﾝﾌﾟﾙ" if region.kana and name is not None and _HUMAN_TEXT.search(str(name)) and rng.random() < 0.3 \
        else "sample"
    while len(text) < low:
        text += "x"
    return text[: int(high)] if high is not None else text


# Fields a person reads or writes (a name, a memo), which a Japanese bank's data fills with kana now and then
# so that clients meet it. Anything else stays ASCII: a token, a key or an id goes into a header or a URL,
# where a client library may refuse what is not Latin-1 (an SDK sent a generated access token back as
# `Authorization: Bearer ｻﾝﾌﾟﾙ` and failed before the request left).
_HUMAN_TEXT = re.compile(r"name|kana|memo|note|remark|comment|description|title|label|message|purpose|address", re.I)


def _matches(pattern, value: str) -> bool:
    """Whether `value` fits a schema's `pattern` (none: it does), as JSON Schema searches: anywhere in it."""
    if pattern is None:
        return True
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return False


def _moment_pattern(pattern, fmt, name) -> bool:
    """Whether a string is a moment its pattern spells out, under a format of the vendor's own (PayPal's
    `ppaas_date_time_v3`, an RFC 3339 regex with `[T,t]` and any offset) or a name saying so: it takes RFC 3339
    moments and no text. Drawn from the regex, `transaction_updated_date` was `5948-08-09,22:54:17+96:87`, which
    Airbyte's PayPal source could not parse ("Invalid minutes in time zone offset"), and no window held it."""
    said = re.search(r"date.?time|timestamp|moment|instant", str(fmt or ""), re.I) or re.search(
        r"(date|time|timestamp|_at)$|[a-z]At$", str(name or ""), re.I)
    if not said or not pattern or _matches(pattern, "sample") or _matches(pattern, "12345"):
        return False
    return any(_matches(pattern, form) for form in (
        "2026-01-05T09:30:00.000+09:00", "2026-01-05T09:30:00+09:00", "2026-01-05T00:30:00.000Z", "2026-01-05T00:30:00Z"))


# The characters a URL's path segment holds as they are: RFC 3986's unreserved ones, then its sub-delimiters, `:`, `@`.
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SEGMENT = _UNRESERVED | frozenset("!$&'()*+,;=:@")
# The names of fields and parameters that hold an id (`id`, `consentId`, `payment_id`, `ID`, `identifier`).
_ID_NAME = re.compile(r"(^|[_\-.])([iI][dD]|[iI]dentifier)s?$|[a-z0-9](Id|ID|Identifier)s?$")


class _Xeger(rstr.Rstr):
    """rstr's generator with `*`, `+` and `{n,}` repeats held between `floor` and `ceiling` (where the regex allows)."""

    floor, ceiling, path_safe = 0, 100, False

    def _handle_in(self, value) -> str:
        """One character of a class; for a value that goes into a URL, one of the class's unreserved characters
        where it has any, else one a path segment takes as it is (`:`, `@`, `!`, ...): never `/`, `%`, `?`, `#`
        or a space, which name another path, an escape, a query or a fragment."""
        if not self.path_safe:
            return super()._handle_in(value)
        candidates = list(chain(*(self._handle_state(state) for state in value)))
        if candidates and candidates[0] is False:
            candidates = sorted(set(string.printable).difference(candidates[1:]))
        for allowed in (_UNRESERVED, _SEGMENT):
            kept = [c for c in candidates if c in allowed]
            if kept:
                return self._random.choice(kept)
        return self._random.choice(candidates)

    def _handle_repeat(self, start_range: int, end_range: int, value) -> str:
        least = max(start_range, min(end_range, self.floor))
        most = max(least, min(end_range, self.ceiling))
        times = self._random.randint(least, most)
        return "".join("".join(self._handle_state(state) for state in value) for _ in range(times))


def _from_pattern(pattern: str, rng: random.Random, low: int, high, path_safe: bool = False) -> str | None:
    """A string matching `pattern` within the length bounds if one is found; None if rstr cannot read it.
    `path_safe`: one a URL's path segment holds as it is, where the pattern takes one (`_Xeger.path_safe`)."""
    generator = _Xeger(rng)
    generator.path_safe = path_safe
    # The ceiling bounds each open repeat (`*`, `+`, `{n,}`), and nested repeats multiply: an e-mail pattern
    # `(?:[a-z]+(?:\.[a-z]+)*)@...` under maxLength 254 drew strings of tens of thousands of characters, 30
    # times over, for seconds per field. Short repeats first; the length bounds are checked below.
    generator.ceiling = min(int(high), max(low, 12)) if high is not None else max(low, 12)
    candidate = None
    for attempt in range(30):
        generator.floor = 0 if attempt < 10 else low if attempt < 20 else rng.randint(0, max(low, 1))
        try:
            candidate = generator.xeger(pattern)
        except Exception:  # a pattern rstr cannot generate from: plain text instead
            return candidate
        if len(candidate) >= low and (high is None or len(candidate) <= int(high)):
            return candidate
    return candidate
