"""Following a spec's own references (`#/components/schemas/Account`): one way for every part that reads a
spec after it is loaded, the answers drawn from it, its security and its repairs."""

from __future__ import annotations

from urllib.parse import unquote


def deref(spec: dict, node):
    """The node a local `$ref` points to, followed up to 32 times; {} for a reference outside the document."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 32:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            return {}
        target = spec
        for part in ref[2:].split("/"):
            part = unquote(part).replace("~1", "/").replace("~0", "~")
            if isinstance(target, list):  # RFC 6901: an index into an array (`.../allOf/1`)
                target = target[int(part)] if part.isdigit() and int(part) < len(target) else {}
            else:
                target = target.get(part, {}) if isinstance(target, dict) else {}
        node, seen = target, seen + 1
    return node
