"""Writing a value as the XML document its schema describes, for responses a spec declares as XML.

A value generated from a schema is JSON-shaped; a spec that answers `application/xml` promises
elements instead. OpenAPI's `xml` object names them: `name` renames an element, `attribute` makes a
property an attribute, `wrapped` puts an array's items inside an element of the array's own name.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from .fallback import deref


def to_xml(spec: dict, schema, value, name: str = "response") -> str:
    """`value` as an XML document, its root named by the schema (or `name`)."""
    schema = deref(spec, schema) or {}
    root = ElementTree.Element(_tag(_hint(schema).get("name") or name))
    _fill(spec, root, schema, value)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)


def _fill(spec: dict, element, schema: dict, value) -> None:
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        for key, item in value.items():
            sub = deref(spec, properties.get(key) or {}) or {}
            hint = _hint(sub)
            tag = _tag(hint.get("name") or key)
            if hint.get("attribute") and not isinstance(item, (dict, list)):
                element.set(tag, _text(item))
            elif isinstance(item, list):
                _array(spec, element, tag, sub, item, hint.get("wrapped"))
            else:
                _fill(spec, ElementTree.SubElement(element, tag), sub, item)
    elif isinstance(value, list):
        _array(spec, element, "item", schema, value, False)
    elif value is not None:
        element.text = _text(value)


def _array(spec: dict, parent, tag: str, schema: dict, items: list, wrapped) -> None:
    items_schema = deref(spec, schema.get("items") or {}) or {}
    holder = ElementTree.SubElement(parent, tag) if wrapped else parent
    item_tag = _tag(_hint(items_schema).get("name") or tag)
    for item in items:
        _fill(spec, ElementTree.SubElement(holder, item_tag), items_schema, item)


def _tag(name) -> str:
    """An XML name for a JSON key (`200` or `first name` are not element names)."""
    tag = re.sub(r"[^\w.\-:]", "_", str(name)) or "_"
    return tag if re.match(r"[^\W\d]", tag) else f"_{tag}"


def _hint(schema: dict) -> dict:
    hint = schema.get("xml") if isinstance(schema, dict) else None
    return hint if isinstance(hint, dict) else {}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
