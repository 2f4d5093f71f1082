"""Checking values against a spec's own schemas, as the spec's version reads them (OpenAPI 3.0 or 3.1).

The fallback answers, repaired examples and errors in a spec's declared shape are all checked here
before they are sent, so the sandbox never answers with something the bank's schema refuses. OpenAPI
3.0's dialect (`nullable`, boolean `exclusiveMinimum`, `int32`/`int64` formats) and 3.1's JSON Schema
2020-12 are read by `openapi-schema-validator`; `$ref`s resolve against the spec itself.
"""

from __future__ import annotations

import copy

from openapi_schema_validator import OAS30ReadValidator, OAS31Validator, oas30_format_checker, oas31_format_checker

from .formats import OPENAPI_FORMATS

_CHECKERS: dict = {}


def _checker(modern: bool):
    """openapi-schema-validator's format checker with the formats request and response validation check
    and it does not (`uri`, `date`, `uuid`: bindings/formats.py)."""
    if modern not in _CHECKERS:
        checker = copy.deepcopy(oas31_format_checker if modern else oas30_format_checker)
        for name, test in OPENAPI_FORMATS.items():
            checker.checks(name)(test)
        _CHECKERS[modern] = checker
    return _CHECKERS[modern]


class Schemas:
    """Validators for the schemas of one spec, built once per schema object.

    Values are read as a response carries them: a required write-only field may be absent.
    """

    def __init__(self, spec: dict):
        self.spec = spec
        self.modern = str(spec.get("openapi", "3.0")).startswith("3.1")
        self._validators: dict = {}
        # Refs point into the spec (`#/components/schemas/...`): each schema is checked inside a document
        # that carries the spec's parts, so a pointer from the document's root finds its target.
        self._parts = {key: spec[key] for key in ("components", "paths", "definitions") if key in spec}

    def problem(self, schema, value) -> str | None:
        """Why `value` does not fit `schema` (a sentence naming where), or None when it fits."""
        if not isinstance(schema, dict) or not schema:
            return None
        try:
            error = next(self._validator(schema).iter_errors(value), None)
        except Exception:  # noqa: BLE001 - a schema the validator cannot read (a ref to nowhere) decides nothing
            return None
        if error is None:
            return None
        where = "/".join(str(part) for part in error.absolute_path)
        return f"{where}: {error.message}" if where else error.message

    def fits(self, schema, value) -> bool:
        return self.problem(schema, value) is None

    def _validator(self, schema: dict):
        entry = self._validators.get(id(schema))
        if entry is None or entry[0] is not schema:
            document = {**self._parts, "allOf": [schema]}
            if self.modern:
                validator = OAS31Validator(document, format_checker=_checker(True))
            else:
                validator = OAS30ReadValidator(document, format_checker=_checker(False))
            entry = self._validators[id(schema)] = (schema, validator)
        return entry[1]


_by_spec: dict = {}


def schemas_of(spec: dict) -> Schemas:
    """The one `Schemas` of a loaded spec (specs live as long as the app that serves them)."""
    entry = _by_spec.get(id(spec))
    if entry is None or entry.spec is not spec:
        entry = _by_spec[id(spec)] = Schemas(spec)
    return entry
