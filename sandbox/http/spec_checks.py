"""Connexion's check of an API document, run once per document and process.

Connexion checks every document it is given against the OpenAPI schema, defaults included, each time
an app adds it: about a quarter of a second per bank with the pure-Python validator. A process that
builds the app more than once — the pytest plugin's sandboxes, a test suite's servers — checked the
same documents again each time. Here a document that passed is remembered by the digest of its
content, so an identical one is not checked again; one that fails is checked (and fails) every time.
The first check is unchanged, and our own loader has checked the document before (bindings/spec.py).
"""

from __future__ import annotations

import hashlib

import orjson
from connexion.spec import Specification

_passed: set[tuple[type, str]] = set()
_connexion_check = Specification._validate_spec.__func__


def _validate_once(cls, spec) -> None:
    try:
        content = orjson.dumps(spec, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    except orjson.JSONEncodeError:  # not a tree orjson can write (too deep): just check it
        return _connexion_check(cls, spec)
    key = (cls, hashlib.sha256(content).hexdigest())
    if key not in _passed:
        _connexion_check(cls, spec)
        _passed.add(key)


def check_each_document_once() -> None:
    """Make Connexion check each distinct document once in this process (idempotent)."""
    Specification._validate_spec = classmethod(_validate_once)
