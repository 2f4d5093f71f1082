"""Query strings, path segments and form bodies read as the spec's parameter styles and body encodings say.

Connexion's OpenAPI parser reads `style: deepObject` only for objects in a query string, and only where
every schema names its `type`. Real specs need more: an array sent as `expand[0]=a` or `expand[]=a`, a
filter declared as `anyOf: [object, integer]` and sent as `created=5` or `created[gte]=5`, a form
field written `metadata[order]=6735` or `items[0][price]=p` (how Stripe's SDKs send every nested field,
as the form's `encoding` declares it). Those ended as a 500 (a `type` looked up where the schema has
none) or as the field refused as unknown. Here:

- a key `name[a][0]` or `name[]` whose `name` is a declared parameter (or form field) and which is not
  itself declared (JSON:API declares `filter[status]` as a name of its own) is a part of `name`; the
  parts are put together into objects and arrays;
- every value is typed by its schema: the schema's `type`, or, for `anyOf`/`oneOf`/`allOf` and type
  lists, the alternative that fits the value's shape (an object for `a[b]=`, an array for `a[0]=`, the
  first scalar type the text can be read as);
- a value that cannot be read as its schema asks is left as it was sent: validation refuses it with a
  400 that says why, and nothing here raises.

Plain keys keep Connexion's reading (repeated keys joined, then split at the style's delimiter).
"""

from __future__ import annotations

import json
import re

from connexion.uri_parsing import OpenAPIURIParser
from connexion.utils import all_json, is_null, is_nullable

from ..bindings.fallback import property_schema

_PART = re.compile(r"\[([^\[\]]*)\]")
_INTEGER = re.compile(r"-?\d+")
_APPEND = ""  # the part of `name[]`: one more element
_SCALARS = ("integer", "number", "boolean", "string", "null")


def split_key(key: str) -> tuple[str, list[str]] | None:
    """`a[b][0]` -> ("a", ["b", "0"]); None for a plain key or one not wholly of that shape."""
    root, bracket, rest = key.partition("[")
    if not bracket or not root:
        return None
    parts = _PART.findall(bracket + rest)
    if "".join(f"[{part}]" for part in parts) != bracket + rest:
        return None  # `a[b` or `a[b]c`: a name of its own
    return root, parts


def gather(items: dict, declared) -> tuple[dict, dict]:
    """Split `items` (key -> values) into plain keys and the bracketed parts of declared names.

    Returns (plain, parts): plain is key -> values as given; parts is name -> [(path, values)].
    """
    plain, parts = {}, {}
    for key, values in items.items():
        split = None if key in declared else split_key(key)
        if split is None or split[0] not in declared:
            plain[key] = values
        else:
            parts.setdefault(split[0], []).append((split[1], values))
    return plain, parts


def assemble(entries: list, schema):
    """The value that the parts `entries` ([(path, values)]) of one name make, typed by `schema`."""
    tree: dict = {}
    for path, values in entries:
        node = tree
        for depth, part in enumerate(path):
            last = depth == len(path) - 1
            if part == _APPEND and last:
                node.setdefault(_APPEND, []).extend(values)
            elif last:
                node[part] = values
            else:
                if not isinstance(node.get(part), dict):
                    node[part] = {}
                node = node[part]
    return shape(tree, schema)


def shape(value, schema):
    """`value` (text, a list of texts, or a tree of parts) as `schema` reads it."""
    kind, chosen = _kind(schema, value)
    if isinstance(value, dict):
        numbered = all(key == _APPEND or _INTEGER.fullmatch(key) for key in value)
        if kind == "array" or (kind is None and numbered and value):
            items = chosen.get("items") if isinstance(chosen, dict) else None
            ordered = sorted((int(key), item) for key, item in value.items() if key != _APPEND and _INTEGER.fullmatch(key))
            elements = [shape(item, items) for _, item in ordered]
            elements += [coerce(text, items) for text in value.get(_APPEND, [])]
            return elements
        return {key: shape(item, property_schema({}, chosen, key) if isinstance(chosen, dict) else None)
                for key, item in value.items()}
    if isinstance(value, list):  # the values sent for one key
        if kind == "array":
            items = chosen.get("items") if isinstance(chosen, dict) else None
            return [coerce(text, items) for text in value]
        return coerce(value[-1], schema) if value else None
    return coerce(value, schema)


def coerce(text, schema):
    """One text as the first scalar type its schema allows that can read it, else the text unchanged."""
    if not isinstance(text, str) or not isinstance(schema, dict):
        return text
    if is_nullable(schema) and is_null(text):
        return None
    for kind in _types(schema):
        read = _read(text, kind)
        if read is not _UNREAD:
            return read
    return text


_UNREAD = object()


def _read(text: str, kind: str):
    if kind == "string":
        return text
    if kind == "integer" and _INTEGER.fullmatch(text.strip()):
        return int(text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return _UNREAD
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind == "null" and text == "null":
        return None
    return _UNREAD


def _types(schema: dict) -> list[str]:
    """The scalar types a schema allows, in the order it names them (through anyOf/oneOf/allOf)."""
    named = schema.get("type")
    if isinstance(named, str):
        found = [named]
    elif isinstance(named, list):
        found = [t for t in named if isinstance(t, str)]
    else:
        found = []
        for key in ("allOf", "anyOf", "oneOf"):
            for option in schema.get(key) or []:
                if isinstance(option, dict):
                    found += [t for t in _types(option) if t not in found]
    return [t for t in found if t in _SCALARS]


def _kind(schema, value) -> tuple[str | None, dict | None]:
    """The JSON type `schema` asks for a value of this shape, and the (sub)schema that says so."""
    if not isinstance(schema, dict):
        return None, None
    named = schema.get("type")
    if isinstance(named, str):
        return named, schema
    wanted = ("array", "object") if isinstance(value, dict) else ("array",) if isinstance(value, list) else ()
    if isinstance(named, list):
        return next((t for t in named if t in wanted), None), schema
    for key in ("allOf", "anyOf", "oneOf"):
        for option in schema.get(key) or []:
            kind, chosen = _kind(option, value)
            if kind in wanted:
                return kind, chosen
    return None, schema


class SpecSerialization(OpenAPIURIParser):
    """Connexion's URI parser for OpenAPI 3, reading what it could not (see the module docstring)."""

    def resolve_query(self, query_data):
        plain, parts = gather(query_data, self.param_defns)
        resolved = self.resolve_params(plain, "query")
        for name, entries in parts.items():  # `a[b]=` and `a=` both sent: the parts say more
            resolved[name] = assemble(entries, self.param_schemas.get(name))
        return resolved

    def resolve_params(self, params, _in):
        resolved = {}
        for key, values in params.items():
            definition, schema = self.param_defns.get(key), self.param_schemas.get(key)
            if not (definition or schema):
                resolved[key] = values  # not declared: validation decides
                continue
            if _in == "path":
                values = [values]
            resolved[key] = self._read_plain(values, definition, schema, _in)
        return resolved

    def resolve_form(self, form_data):
        schema = self._body_schema
        kind, chosen = _kind(schema, {})
        if kind != "object":
            return form_data
        properties = chosen.get("properties") or {}
        plain, parts = gather(form_data, properties)
        resolved = {}
        for key, values in plain.items():
            encoding = self._body_encoding.get(key, {"style": "form"})
            if "contentType" in encoding and all_json([encoding.get("contentType")]):
                try:
                    resolved[key] = json.loads(values[-1])
                except (ValueError, TypeError):
                    resolved[key] = values[-1]  # not JSON: validation says so
                continue
            resolved[key] = self._read_plain(values, encoding, property_schema({}, chosen, key), "form")
        for name, entries in parts.items():
            resolved[name] = assemble(entries, property_schema({}, chosen, name))
        return resolved

    def _read_plain(self, values, definition, schema, _in):
        """A key sent as itself: an array joined and split as its style says, else its last value, typed."""
        kind, chosen = _kind(schema, values)
        if kind == "array":
            joined = self._resolve_param_duplicates(values, definition or {}, _in)
            if not isinstance(joined, str):
                return values
            items = chosen.get("items") if isinstance(chosen, dict) else None
            return [coerce(text, items) for text in self._split(joined, definition or {}, _in)]
        return coerce(values[-1], schema) if values else None
