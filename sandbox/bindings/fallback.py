"""Answers for operations no binding names: documented examples first, else generated from the schema.

The answer is the same for the same request (the generator is seeded with the request), honours
formats, patterns, enums and bounds, and follows `Prefer: code=NNN` and `Prefer: example=NAME` to
pick another documented response, as mock servers do — so any bank's published spec runs on day one.
Every answer fits the schema it is sent under (examples were repaired at load, see examples.py, and a
generated draft the schema refuses is drawn again) and carries the headers the response declares.
The same machinery answers refusals of a spec without an error table in the shape the spec declares
for their status (`error_reply`), so a client generated from the spec can read them.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import random
import re
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import rstr

from ..domain.calendar import JST
from .schemas import schemas_of

MAX_DEPTH = 8


def respond(api, operation_id: str, request: dict):
    from .runner import Reply

    operation = _operation(api, operation_id)
    if operation is None:
        return Reply(404, {"title": "Not Found", "status": 404}, {})
    prefer = _prefer(request.get("headers", {}).get("prefer", ""))
    status, response = _pick_response(api.spec, operation.get("responses") or {}, prefer.get("code"))
    return answer(api, operation_id, status, response, request, prefer.get("example"))


def answer(api, operation_id: str, status: int, response: dict, request: dict, example: str | None = None,
           fill=None):
    """The documented `response` as a reply: a body its schema accepts, and the headers it declares.

    `fill(body, fits)` may adjust the body (an error's code and message put in their fields);
    `fits(body)` tells whether the body still satisfies the schema.
    """
    from .headers import declared
    from .runner import Reply

    response = deref(api.spec, response)
    content = response.get("content") or {}
    if not content:
        return Reply(status, None, declared(api.spec, response, request, None))
    declared_type = _media_type(content, request.get("headers", {}).get("accept", ""))
    media = deref(api.spec, content[declared_type]) or {}
    media_type = _concrete(declared_type)
    schema = media.get("schema") or {}
    schemas = schemas_of(api.spec)
    seed = _seed(operation_id, request, status)
    body = _example(api.spec, media, example)
    if body is _NONE:
        # The generator keeps to the schema but cannot promise every combination (oneOf overlaps,
        # patterns with lookarounds): a draft the schema refuses is drawn again.
        for attempt in range(8):
            body = generate(api.spec, schema, random.Random(seed + attempt), today=request.get("today"))
            if schemas.fits(schema, body):
                break
    if fill is not None:  # the documented example (or a generated body) with the refusal's own words
        body = fill(body, lambda candidate: schemas.fits(schema, candidate))
    if not isinstance(body, str) and "json" not in media_type.lower():
        body = _as_text(api.spec, schema, body, media_type)
    return Reply(status, body, {"Content-Type": media_type, **declared(api.spec, response, request, body)})


def _concrete(media_type: str) -> str:
    """A media type an answer can carry: a declared range (`*/*`, `application/*`, `text/*`) made concrete."""
    kind, _, subtype = media_type.split(";")[0].strip().partition("/")
    if subtype != "*":
        return media_type
    return "text/plain" if kind == "text" else "application/json"


def _as_text(spec: dict, schema, body, media_type: str) -> str:
    """A body for a media type that is not JSON: XML elements for XML, else the value as text."""
    from .xmlbody import to_xml

    if "xml" in media_type.lower():
        return to_xml(spec, schema, body)
    if isinstance(body, (dict, list)):
        return json.dumps(body, ensure_ascii=False)
    return "true" if body is True else "false" if body is False else "" if body is None else str(body)


def error_reply(api, operation_id: str | None, status: int, request: dict, fill):
    """A refusal in the shape the spec declares for `status`, or None when the spec declares none.

    The operation's own responses are asked first (the exact status, then its range, then `default`);
    when it declares nothing for that status (or no operation owns the refusal: an unknown path),
    the first declaration of that status elsewhere in the spec stands, as authors document one error
    shape for the whole API.
    """
    own = _operation(api, operation_id) if operation_id else None
    response = _declared((own or {}).get("responses") or {}, status)
    if response is None:
        everyone = [op.get("responses") or {} for _, _, _, op in api.spec_operations()]
        for key in (str(status), f"{str(status)[0]}XX", "default"):
            response = next((r for r in (_declared(rs, status, (key,)) for rs in everyone) if r is not None), None)
            if response is not None:
                break
    if response is None:
        return None
    return answer(api, operation_id or "", status, response, request, fill=fill)


# Fields of an error body that hold the code, the message, the HTTP status and the title, by their
# names with case, `_` and `-` ignored.
_ERROR_FIELDS = {
    "code": {"code", "errorcode", "errcode", "reasoncode", "error"},
    "message": {"message", "errormessage", "errmsg", "msg", "detail", "description", "errordescription", "reason"},
    "status": {"status", "statuscode", "httpstatus", "httpcode"},
    "title": {"title"},
}


def with_error(body, fits, code: str, message: str, status: int, title: str):
    """`body` with the error's code, message, status and title in the fields that look like theirs.

    Each value is kept only where the whole body still fits its schema (an enum of codes, an integer
    code field): the canonical code first, then the HTTP status as text or as a number.
    """
    values = {"code": [code, str(status), status], "message": [message], "status": [status, str(status)],
              "title": [title]}

    def visit(node):
        if isinstance(node, list):
            for item in node:
                visit(item)
        elif isinstance(node, dict):
            for key in list(node):
                kind = next((k for k, names in _ERROR_FIELDS.items()
                             if re.sub(r"[_\-]", "", str(key)).lower() in names), None)
                if kind is None or isinstance(node[key], (dict, list)):
                    visit(node[key])
                    continue
                before = node[key]
                for candidate in values[kind]:
                    node[key] = candidate
                    if fits(body):
                        break
                else:
                    node[key] = before

    if isinstance(body, str):  # a text error: the message is the body
        return message if fits(message) else body
    visit(body)
    return body


def _declared(responses: dict, status: int, keys=None):
    responses = {str(code).upper(): response for code, response in responses.items()}
    for key in keys or (str(status), f"{str(status)[0]}XX", "DEFAULT"):
        if key.upper() in responses:
            return responses[key.upper()]
    return None


def _operation(api, operation_id: str):
    return next((op for op_id, _, _, op in api.spec_operations() if op_id == operation_id), None)


def _media_type(content: dict, accept: str) -> str:
    """The media type to answer in: one the client accepts if it named one, JSON before others."""
    ranked = sorted(content, key=lambda m: "json" not in m)
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


def _pick_response(spec: dict, responses: dict, wanted: str | None):
    # YAML reads an unquoted `200:` as an int key; the spec means the same response.
    responses = {str(code): response for code, response in responses.items()}
    if wanted and re.fullmatch(r"[1-5][0-9][0-9]", wanted):
        # As mock servers do: the exact code, else its range (4XX), else the default response.
        for key in (wanted, wanted[0] + "XX", wanted[0] + "xx", "default"):
            if key in responses:
                return int(wanted), responses[key]
    ordered = sorted(responses, key=lambda c: (not c.startswith("2"), c))
    for code in ordered:
        if code[0] in "12345" and code[1:].isdigit():
            return int(code), responses[code]
        if code.upper().endswith("XX") and code[0].isdigit():
            return int(code[0]) * 100, responses[code]
    if "default" in responses:
        return 200, responses["default"]
    return 204, {}


def _example(spec: dict, media: dict, name: str | None):
    examples = media.get("examples") or {}
    if name and name in examples:
        return copy.deepcopy(deref(spec, examples[name]).get("value"))
    if "example" in media:
        return copy.deepcopy(media["example"])
    for entry in examples.values():
        entry = deref(spec, entry)
        if "value" in entry:
            return copy.deepcopy(entry["value"])
    schema = deref(spec, media.get("schema") or {})
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    return _NONE


def _seed(operation_id: str, request: dict, status: int | None = None) -> int:
    parts = [operation_id, request.get("path"), request.get("query"), request.get("body")]
    key = json.dumps(parts if status is None else [*parts, status], sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def deref(spec: dict, node):
    """The node a local `$ref` points to, followed up to 32 times; {} for a reference outside the document."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 32:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target = spec
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
        node, seen = target, seen + 1
    return node


def generate(spec: dict, schema, rng: random.Random, depth: int = 0, today: str | None = None):
    """A value valid against `schema` (OpenAPI 3.0/3.1 subset), chosen by `rng`."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict):
        return None
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "examples" in schema and isinstance(schema["examples"], list) and schema["examples"]:
        return copy.deepcopy(schema["examples"][0])
    if "const" in schema:
        return schema["const"]
    if "enum" in schema and schema["enum"]:
        choices = [v for v in schema["enum"] if v is not None] or schema["enum"]
        return rng.choice(choices)
    if "allOf" in schema:
        own = {key: value for key, value in schema.items() if key != "allOf"}
        return generate(spec, _merge(spec, [*schema["allOf"], own]), rng, depth, today)
    for key in ("oneOf", "anyOf"):
        if key in schema and schema[key]:
            # The first alternative that is not just null: a realistic answer (null stays possible).
            options = [o for o in schema[key] if not _is_null(deref(spec, o))] or schema[key]
            return generate(spec, options[0], rng, depth, today)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if depth >= MAX_DEPTH and (schema.get("nullable") or kind in ("object", "array")):
        return None if schema.get("nullable") else ({} if kind == "object" else [])
    if kind == "object":
        return _object(spec, schema, rng, depth, today)
    if kind == "array":
        low = int(schema.get("minItems", 1 if depth < 3 else 0))
        high = int(schema.get("maxItems", max(low, 2)))
        count = min(max(low, 1 if depth < 3 else 0), high)
        if not schema.get("uniqueItems"):
            return [generate(spec, schema.get("items") or {}, rng, depth + 1, today) for _ in range(count)]
        items = []
        for _ in range(count * 10):  # redraw duplicates, so minItems still holds when it can
            if len(items) == count:
                break
            item = generate(spec, schema.get("items") or {}, rng, depth + 1, today)
            if item not in items:
                items.append(item)
        return items
    if kind == "integer":
        return int(_number(schema, rng, integer=True))
    if kind == "number":
        return _number(schema, rng, integer=False)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return _string(schema, rng, today)


def _is_null(schema) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def _merge(spec: dict, parts) -> dict:
    """One schema that satisfies every part of an allOf (properties and required lists united)."""
    merged: dict = {}
    for part in parts:
        part = deref(spec, part)
        if not isinstance(part, dict):
            continue
        if "allOf" in part:
            part = _merge(spec, [*part["allOf"], {k: v for k, v in part.items() if k != "allOf"}])
        for key, value in part.items():
            if key == "properties":
                merged.setdefault("properties", {}).update(value)
            elif key == "required":
                merged["required"] = merged.get("required", []) + [r for r in value if r not in merged.get("required", [])]
            elif key != "type" or "type" not in merged:
                merged[key] = value
    return merged


def _object(spec, schema, rng, depth, today):
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    result = {}
    for name, sub in properties.items():
        sub_resolved = deref(spec, sub)
        if isinstance(sub_resolved, dict) and sub_resolved.get("writeOnly"):
            continue
        if name in required or depth < 4:
            result[name] = generate(spec, sub, rng, depth + 1, today)
    extra = schema.get("additionalProperties")
    minimum = int(schema.get("minProperties", 0))
    index = 0
    while len(result) < minimum and extra is not False:
        result[f"key{index}"] = generate(spec, extra if isinstance(extra, dict) else {"type": "string"}, rng, depth + 1, today)
        index += 1
    maximum = schema.get("maxProperties")
    if isinstance(maximum, int):
        for name in [n for n in reversed(list(result)) if n not in required][: max(0, len(result) - maximum)]:
            del result[name]
    return result


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
}


def _string(schema, rng, today):
    fmt = schema.get("format")
    base = date.fromisoformat(today) if today else date(2026, 1, 5)
    if fmt == "date":
        return (base - timedelta(days=rng.randrange(0, 30))).isoformat()
    if fmt == "date-time":
        moment = datetime(base.year, base.month, base.day, 9, 0, tzinfo=JST) + timedelta(minutes=rng.randrange(0, 600))
        return moment.isoformat(timespec="seconds")
    if fmt == "time":
        return f"{rng.randrange(9, 18):02d}:{rng.randrange(60):02d}:00"
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    if "pattern" in schema:
        candidate = _from_pattern(schema["pattern"], rng, low, high)
        if candidate is not None:
            return candidate
    if fmt in _FORMATS:
        value = _FORMATS[fmt](rng, today)
        if fmt == "email" and high is not None and len(value) > int(high):
            value = "u@x.jp"
        return value
    text = "ｻﾝﾌﾟﾙ" if rng.random() < 0.3 else "sample"
    while len(text) < low:
        text += "x"
    return text[: int(high)] if high is not None else text


class _Xeger(rstr.Rstr):
    """rstr's generator with `*`, `+` and `{n,}` repeats held between `floor` and `ceiling` (where the regex allows)."""

    floor, ceiling = 0, 100

    def _handle_repeat(self, start_range: int, end_range: int, value) -> str:
        least = max(start_range, min(end_range, self.floor))
        most = max(least, min(end_range, self.ceiling))
        times = self._random.randint(least, most)
        return "".join("".join(self._handle_state(state) for state in value) for _ in range(times))


def _from_pattern(pattern: str, rng: random.Random, low: int, high) -> str | None:
    """A string matching `pattern` within the length bounds if one is found; None if rstr cannot read it."""
    generator = _Xeger(rng)
    generator.ceiling = int(high) if high is not None else max(low, 12)
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
