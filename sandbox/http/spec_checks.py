"""Connexion's check of an API document: run once per document and process, and asked ahead of time.

Connexion checks every document it is given against the OpenAPI schema, defaults included, each time
an app adds it: about a quarter of a second per bank with the pure-Python validator. A process that
builds the app more than once — the pytest plugin's sandboxes, a test suite's servers — checked the
same documents again each time. Here a document that passed is remembered by the digest of its
content, so an identical one is not checked again; one that fails is checked (and fails) every time.
The first check is unchanged, and our own loader has checked the document before (bindings/spec.py).
A pass is also written to the cache folder (bindings/kept_on_disk.py), with the versions of the code
that checked it, so the next process (a worker, the next server) does not check that document again.

`bank-sandbox check` and `serve` ask the same question before any worker starts (`refusal`), so that a
folder Connexion would refuse is reported, in one line, rather than passed by one and dropped by the other.
"""

from __future__ import annotations

import hashlib

import orjson
from connexion.spec import Specification

from ..bindings import kept_on_disk

_passed: set[tuple[type, str]] = set()
_connexion_check = Specification._validate_spec.__func__


def _validate_once(cls, spec) -> None:
    try:
        content = orjson.dumps(spec, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    except orjson.JSONEncodeError:  # not a tree orjson can write (too deep): just check it
        return _connexion_check(cls, spec)
    key = (cls, hashlib.sha256(content).hexdigest())
    if key in _passed:
        return
    name = f"{cls.__module__}.{cls.__qualname__}:{key[1]}"
    if kept_on_disk.read("passed", name, kept_on_disk.code()) is None:
        _connexion_check(cls, spec)
        kept_on_disk.keep("passed", name, kept_on_disk.code(), True)
    _passed.add(key)


def check_each_document_once() -> None:
    """Make Connexion check each distinct document once in this process (idempotent)."""
    Specification._validate_spec = classmethod(_validate_once)


def refusal(api) -> str | None:
    """Why Connexion would not mount `api`'s document as `serve` gives it (None: it would), worded as the
    server words a bank it leaves out (`bank-sandbox check` asks, so that it never passes a folder `serve`
    then drops)."""
    try:
        Specification.from_dict(api.spec)
    except Exception as error:  # noqa: BLE001 - whatever Connexion refuses, as app.py catches it
        return cannot_load(api.folder.name, error)
    return None


def cannot_load(folder, error: Exception) -> str:
    """One line on why Connexion refused a bank's document: where in it, and the start of its complaint (a
    validator's message quotes the whole schema it judged, tens of kilobytes for a large one)."""
    if getattr(error, "context", None):  # "not valid under any of the given schemas": say which part is not
        error = _deepest(error)
    where = "/".join(str(part) for part in getattr(error, "absolute_path", ()) or ())
    message = str(getattr(error, "message", None) or error).replace("\n", " ")
    if len(message) > 300:
        message = message[:300] + "…"
    return f"{folder}: Connexion cannot load its spec{f' (at /{where})' if where else ''}: {message}"


def _deepest(error):
    """Of the reasons under a "valid under none of" error, the one deepest in the document: a schema is
    "not valid" as a whole when one keyword deep inside it is wrong (a default of the wrong type), while
    its other alternative (a reference) fails for not being one, which says nothing."""
    leaves, stack = [], [error]
    while stack:
        node = stack.pop()
        if getattr(node, "context", None):
            stack.extend(node.context)
        elif not (node.validator == "required" and "'$ref'" in node.message):
            leaves.append(node)
    return max(leaves, key=lambda leaf: len(leaf.absolute_path), default=error)

