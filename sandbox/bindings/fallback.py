"""Answers for operations no binding names: documented examples first, else generated from the schema.

The answer is the same for the same request (the generator is seeded with the request), honours
formats, patterns, enums and bounds, and follows `Prefer: code=NNN` and `Prefer: example=NAME` to
pick another documented response, as mock servers do — so any bank's published spec runs on day one.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
import uuid
from datetime import date, datetime, timedelta

import rstr

from ..domain.calendar import JST

MAX_DEPTH = 8


def respond(api, operation_id: str, request: dict):
    from .runner import Reply

    operation = next((op for op_id, _, _, op in api.spec_operations() if op_id == operation_id), None)
    if operation is None:
        return Reply(404, {"title": "Not Found", "status": 404}, {})
    prefer = _prefer(request.get("headers", {}).get("prefer", ""))
    status, response = _pick_response(api.spec, operation.get("responses") or {}, prefer.get("code"))
    content = _deref(api.spec, response).get("content") or {}
    if not content:
        return Reply(status, None, {})
    media_type = next((m for m in content if "json" in m), next(iter(content)))
    media = _deref(api.spec, content[media_type]) or {}
    rng = random.Random(_seed(operation_id, request))
    body = _example(api.spec, media, prefer.get("example"))
    if body is _NONE:
        body = generate(api.spec, media.get("schema") or {}, rng, today=request.get("today"))
    return Reply(status, body, {"Content-Type": media_type})


_NONE = object()


def _prefer(header: str) -> dict:
    preferences = {}
    for part in re.split(r"[,;]", header or ""):
        if "=" in part:
            key, value = part.split("=", 1)
            preferences[key.strip().lower()] = value.strip().strip('"')
    return preferences


def _pick_response(spec: dict, responses: dict, wanted: str | None):
    if wanted and wanted in responses:
        return int(wanted), responses[wanted]
    ordered = sorted((str(code) for code in responses), key=lambda c: (not c.startswith("2"), c))
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
        return copy.deepcopy(_deref(spec, examples[name]).get("value"))
    if "example" in media:
        return copy.deepcopy(media["example"])
    for entry in examples.values():
        entry = _deref(spec, entry)
        if "value" in entry:
            return copy.deepcopy(entry["value"])
    schema = _deref(spec, media.get("schema") or {})
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    return _NONE


def _seed(operation_id: str, request: dict) -> int:
    key = json.dumps([operation_id, request.get("path"), request.get("query"), request.get("body")], sort_keys=True, default=str)
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def _deref(spec: dict, node):
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
    schema = _deref(spec, schema)
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
        return generate(spec, _merge(spec, schema["allOf"]), rng, depth, today)
    for key in ("oneOf", "anyOf"):
        if key in schema and schema[key]:
            return generate(spec, schema[key][0], rng, depth, today)
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
        items = [generate(spec, schema.get("items") or {}, rng, depth + 1, today) for _ in range(count)]
        if schema.get("uniqueItems"):
            unique = []
            for item in items:
                if item not in unique:
                    unique.append(item)
            items = unique
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


def _merge(spec: dict, parts) -> dict:
    merged: dict = {"type": "object", "properties": {}, "required": []}
    for part in parts:
        part = _deref(spec, part)
        if "allOf" in part:
            part = _merge(spec, part["allOf"])
        for key, value in part.items():
            if key == "properties":
                merged["properties"].update(value)
            elif key == "required":
                merged["required"] += [r for r in value if r not in merged["required"]]
            elif key not in merged or key != "type":
                merged[key] = value
    return merged


def _object(spec, schema, rng, depth, today):
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    result = {}
    for name, sub in properties.items():
        sub_resolved = _deref(spec, sub)
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
    return result


def _number(schema, rng, integer: bool):
    low, high = schema.get("minimum"), schema.get("maximum")
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    step = 1 if integer else 0.01
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
        low, exclusive_low = exclusive_low, True
    if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
        high, exclusive_high = exclusive_high, True
    low = (low if low is not None else (0 if high is None or high >= 0 else high - 1000))
    high = high if high is not None else low + 1000
    if exclusive_low is True:
        low += step
    if exclusive_high is True:
        high -= step
    multiple = schema.get("multipleOf")
    if multiple:
        first = -(-low // multiple) * multiple
        count = max(0, int((high - first) // multiple))
        value = first + multiple * rng.randint(0, min(count, 1000))
        return int(value) if integer else value
    if integer:
        import math

        return rng.randint(math.ceil(low), math.floor(high)) if math.ceil(low) <= math.floor(high) else math.ceil(low)
    return round(rng.uniform(low, high), 2) if high > low else low


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
        generator = rstr.Rstr(rng)
        candidate = ""
        for _ in range(20):
            try:
                candidate = generator.xeger(schema["pattern"])
            except Exception:  # a pattern rstr cannot generate from: fall through to plain text
                break
            if len(candidate) >= low and (high is None or len(candidate) <= high):
                return candidate
        return candidate
    if fmt in _FORMATS:
        return _FORMATS[fmt](rng, today)
    text = "ｻﾝﾌﾟﾙ" if rng.random() < 0.3 else "sample"
    while len(text) < low:
        text += "x"
    return text[: int(high)] if high is not None else text
