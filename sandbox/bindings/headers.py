"""Response headers a spec declares, produced so every answer carries what the spec promises.

Open-banking style specs require headers on every response (an interaction id, a detached JWS
signature); an answer without them is one a client's SDK refuses. An interaction or correlation id is
echoed from the request when the client sent one (the value it will look for), else the request's
interaction id; a signature header gets a well-formed detached JWS (`header..signature`, base64url)
whose signature is a placeholder; a header the request carried under the same name (an idempotency key,
the version asked for) is answered as sent when its schema takes it; any other is taken from its example or
generated from its schema. A binding's own headers and the sandbox's always win: only what is missing is added.
"""

from __future__ import annotations

import random
import re
from urllib.parse import quote

from ..domain.errors import SandboxError
from .names import _bare
from .fallback import deref, _seed, generate
from .examples import coerce
from .jws import detached_jws
from .schemas import schemas_of

_INTERACTION = re.compile(r"(interaction|correlation|request|trace|transaction)[-_]?id$", re.IGNORECASE)
_SIGNATURE = re.compile(r"(jws|signature)", re.IGNORECASE)
_IDEMPOTENCY = re.compile(r"idempotency[-_]?key$", re.IGNORECASE)
# A cursor to the next page carried in a header (Modern Treasury's `X-After-Cursor`, `X-Next-Page-Token`).
_NEXT_PAGE = re.compile(r"(after|next)[-_]?(cursor|page|page[-_]?token|token)$|continuation[-_]?token$", re.IGNORECASE)
# Headers that describe the HTTP message itself, set by the server from the body it really sends: a spec
# declaring them (PolishAPI's `Content-Encoding: gzip, deflate`) must not make the answer claim an encoding,
# a length or a framing it does not have (clients then fail to decode the plain JSON body).
_FRAMING = frozenset({"content-type", "content-length", "content-encoding", "transfer-encoding", "connection",
                      "keep-alive", "te", "trailer", "upgrade"})


def declared(spec: dict, response: dict, request: dict, body, location=None, refused: bool = False) -> dict:
    """Values for every header `response` declares (a fallback answer, a refusal in the spec's shape);
    `location()`, where given, is the URL a `Location` names (the resource a creation made). A refusal
    names no resource: a `Location` it does not require is left out (a shared error response declaring
    one, as NextGenPSD2's do, had a 404 point at the example's host)."""
    out = {}
    for name, header in ((deref(spec, response) or {}).get("headers") or {}).items():
        header = deref(spec, header)
        if not isinstance(header, dict) or name.lower() in _FRAMING:  # the server's own, whatever the spec says
            continue
        if refused and name.lower() in ("location", "content-location") and not header.get("required"):
            continue
        if _NEXT_PAGE.search(name) and not header.get("required") and not _next_cursor(request):
            continue  # the last page: no cursor to a next one
        url = location() if location is not None and name.lower() in ("location", "content-location") else None
        out[name] = url if url is not None and _fits(spec, header, url) else value(spec, name, header, request, body)
    return out


def required(api, operation_id: str | None, status: int, request: dict, body, present) -> dict:
    """The required headers the operation's response for `status` declares that `present` lacks."""
    key = (id(api.spec), operation_id, status)
    entry = _required.get(key)
    if entry is None or entry[0] is not api.spec:
        entry = _required[key] = (api.spec, _required_of(api, operation_id, status))
    if not entry[1]:  # the usual case, on every bound answer: nothing to add
        return {}
    present = {name.lower() for name in present}
    return {name: value(api.spec, name, header, request, body) for name, header in entry[1] if name.lower() not in present}


_required: dict = {}


def _required_of(api, operation_id: str | None, status: int) -> tuple:
    operation = next((op for op_id, _, _, op in api.spec_operations() if op_id == operation_id), None)
    responses = {str(code).upper(): response for code, response in ((operation or {}).get("responses") or {}).items()}
    response = next((responses[key] for key in (str(status), f"{str(status)[0]}XX", "DEFAULT") if key in responses), None)
    found = []
    for name, header in ((deref(api.spec, response) or {}).get("headers") or {}).items():
        header = deref(api.spec, header)
        if isinstance(header, dict) and header.get("required") and name.lower() not in _FRAMING:
            found.append((name, header))
    return tuple(found)


# The headers an answer echoes from its request whatever its status, where the spec declares them on some
# answer: FAPI's `x-fapi-interaction-id` (Brazil's spec says every answer carries it, but declares it on its
# 200s only), `X-Request-ID`, `X-Correlation-ID`.
_ECHOED = re.compile(r"(interaction|correlation|request)[-_]?id$", re.IGNORECASE)


def echoed(spec: dict, operations) -> tuple:
    """The names of the interaction headers some answer of the spec declares (`operations`: the spec's
    (id, method, path, operation)), to be echoed on every answer, refusals too."""
    found = {}
    for _, _, _, operation in operations:
        for response in (operation.get("responses") or {}).values():
            for name in (deref(spec, response) or {}).get("headers") or {}:
                if _ECHOED.search(str(name)):
                    found.setdefault(str(name).lower(), str(name))
    return tuple(found.values())


# Rate-limit headers (the IETF's `RateLimit-Limit`, `-Remaining`, `-Reset`; the older `X-RateLimit-*` and
# `X-Rate-Limit-*`, with the window they count over after them, Zuora's `X-RateLimit-Remaining-minute`), by what
# each counts: whole numbers, whatever type a spec gives them. Drawn from a `type: number` schema, Zuora's
# `RateLimit-Remaining: 790.57` broke its SDK, which reads it with `int()`. Where the caller is a connector, the
# gate writes its plan's real figures over these (http/access.py).
RATE_LIMIT = re.compile(r"^(?:x-)?rate-?limit-(limit|remaining|reset|used)(?:-(?:second|minute|hour|day))?$",
                        re.IGNORECASE)
# What they say where no plan limits the caller (open access, an operation its spec leaves public).
_UNLIMITED = {"limit": "1000", "remaining": "999", "reset": "60", "used": "1"}


def value(spec: dict, name: str, header: dict, request: dict, body) -> str:
    """One header's value, as text."""
    counted = RATE_LIMIT.match(name)
    if counted and _fits(spec, header, _UNLIMITED[counted.group(1).lower()]):
        return _UNLIMITED[counted.group(1).lower()]
    if _NEXT_PAGE.search(name):  # the next page of kept resources, else the last page: an empty cursor
        return _field(_next_cursor(request))
    if _INTERACTION.search(name):
        sent = (request.get("headers") or {}).get(name.lower())
        return sent or request.get("interaction_id") or _generated(spec, name, header, request)
    if _SIGNATURE.search(name):
        return detached_jws(body)
    bare = _bare_header(name)
    asked = next((str(v) for k, v in (request.get("query") or {}).items() if _bare_header(k) == bare and v not in (None, "")), None)
    if asked is not None and _fits(spec, header, asked):  # `X-Per-Page` of `?per_page=2`: the page as asked
        return asked
    total = (request.get("remembered_page") or {}).get("total")
    if total is not None and _TOTAL.search(bare) and _fits(spec, header, str(total)):  # `X-Total-Count` of kept ones
        return str(total)
    served = request.get("served_version")
    if served is not None and bare in _VERSION_ASKED and _fits(spec, header, served):  # (`version_refusal`)
        return served
    sent = (request.get("headers") or {}).get(name.lower())
    if sent and (_IDEMPOTENCY.search(name) or _fits(spec, header, sent)):
        # A header the request carries under the same name is the one it asked for: the key it sent, the
        # version it wants served (CDR's `x-v`, `Stripe-Version`), as long as the answer's schema takes it.
        return sent
    return _generated(spec, name, header, request)


# A header counting a list's items (`X-Total-Count`, `Total-Count`, `X-Total`), by its bare name.
_TOTAL = re.compile(r"^total(count|items|results|records)?$")


# The request headers naming the versions of an endpoint a client takes, by their bare names: the highest (CDR's
# `x-v`) and the lowest (`x-min-v`).
_VERSION_ASKED = ("v", "version")
_VERSION_LOWEST = ("minv", "minversion")


def version_refusal(api, operation_id: str | None, request: dict) -> SandboxError | None:
    """Why a request is refused for the version of the endpoint it asks for, or None; the version served is left in
    `request["served_version"]`, which the answer's version header says. An operation declaring the version it is
    (CDR's `x-version: "3"` on each endpoint) serves that one alone: a request whose version header (`x-v`, the
    highest it takes, and `x-min-v`, the lowest) leaves it out is refused 406, as the API's `Unsupported Version`,
    and one naming no whole version 400. Every version had been answered in the one schema, and told it was served
    (`x-v: 99`)."""
    headers = request.get("headers") or {}
    asked = next((str(v) for k, v in headers.items() if _bare_header(k) in _VERSION_ASKED), None)
    if asked is None:  # (first: most calls name no version, and finding the operation walks the spec)
        return None
    operation = next((op for op_id, _, _, op in api.spec_operations() if op_id == operation_id), None) or {}
    declared = str(operation.get("x-version") or "")
    if not declared.isdigit():
        return None
    lowest = next((str(v) for k, v in headers.items() if _bare_header(k) in _VERSION_LOWEST), asked)
    if not asked.isdigit() or not lowest.isdigit() or int(asked) < 1:
        return SandboxError("invalid_request", f"Invalid Version: the version asked for ({asked}) is not a positive integer")
    if not min(int(lowest), int(asked)) <= int(declared) <= int(asked):  # (a lowest above the highest: none sent)
        error = SandboxError("invalid_request", f"Unsupported Version: this endpoint serves version {declared}, "
                                                f"not {asked}" + (f" to {lowest}" if lowest != asked else ""))
        error.status = 406
        return error
    request["served_version"] = declared
    return None


def _bare_header(name) -> str:
    """A header's or query parameter's name as they are compared: `_bare`, without an `x-` before it."""
    return _bare(re.sub(r"^x-", "", str(name).lower()))


def _next_cursor(request: dict) -> str:
    """What the next page of a list of kept resources is asked with (remembered.recall's `remembered_page`:
    the value of the next page's query, Modern Treasury's `after_cursor`), or "" on the last page. Left out,
    its SDK's auto-paging stopped after the first page of what the connector made."""
    following = (request.get("remembered_page") or {}).get("next")
    if following is None:
        return ""
    found = next(iter(following.values()), None) if following else request["remembered_page"].get("after")
    return "" if found is None else str(found)


def _fits(spec: dict, header: dict, text: str) -> bool:
    """`text` is a value the declared header's schema takes (a scalar, as the simple style writes it)."""
    schema = deref(spec, header.get("schema") or {}) or {}
    if schema.get("type", "string") not in ("string", "integer", "number", "boolean"):
        return False  # an array or object header is written, not echoed
    return schemas_of(spec).fits(schema, coerce(spec, schema, text))


def _generated(spec: dict, name: str, header: dict, request: dict) -> str:
    schema = header.get("schema") or next(iter((header.get("content") or {}).values()), {}).get("schema") or {}
    if "example" in header:
        return _field(header["example"])
    if isinstance(header.get("examples"), dict) and header["examples"]:
        return _field((deref(spec, next(iter(header["examples"].values()))) or {}).get("value"))
    seed = _seed(name, request)
    for attempt in range(8):  # the generator writes kana now and then; a header wants ASCII
        text = _text(generate(spec, schema, random.Random(seed + attempt), today=request.get("today")))
        if _PRINTABLE.fullmatch(text):
            break
    return _field(text)


_PRINTABLE = re.compile(r"[\x20-\x7e]*")


def _field(found) -> str:
    """A header field value: printable ASCII, anything else percent-encoded (HTTP carries no other text)."""
    return quote(_text(found), safe="".join(map(chr, range(0x20, 0x7F))))


def _text(found) -> str:
    """A header value in the simple style OpenAPI uses for headers."""
    if isinstance(found, bool):
        return "true" if found else "false"
    if isinstance(found, list):
        return ",".join(_text(item) for item in found)
    if isinstance(found, dict):
        return ",".join(f"{key},{_text(item)}" for key, item in found.items())
    return "" if found is None else str(found)
