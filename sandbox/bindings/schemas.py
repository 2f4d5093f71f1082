"""Checking values against a spec's own schemas, as the spec's version reads them (OpenAPI 3.0 or 3.1).

The fallback answers, repaired examples and errors in a spec's declared shape are all checked here
before they are sent, so the sandbox never answers with something the bank's schema refuses. OpenAPI
3.0's dialect (`nullable`, boolean `exclusiveMinimum`, `int32`/`int64` formats) and 3.1's JSON Schema
2020-12 are read by `openapi-schema-validator`; `$ref`s resolve against the spec itself.
"""

from __future__ import annotations

import copy
import itertools

import orjson
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
        self._found: dict = {}
        self._held = 0

    def problem(self, schema, value) -> str | None:
        """Why `value` does not fit `schema` (a sentence naming where), or None when it fits.

        Remembered by the value's JSON text: an answer is checked as each step makes it (a page of a list
        five times, mostly unchanged), and checking a page of 20 resources costs a millisecond where
        writing it out costs a few microseconds."""
        if not isinstance(schema, dict) or not schema:
            return None
        try:
            text = orjson.dumps(value)
        except (TypeError, orjson.JSONEncodeError):  # what JSON cannot hold is checked each time
            text = None
        if text is None or len(text) > _REMEMBERED_TEXT or (b"null" in text and _float_in(value)):
            return self._problem(schema, value)
        key = (id(schema), text)
        entry = self._found.get(key)
        if entry is not None and entry[0] is schema:
            return entry[1]
        found = self._problem(schema, value)
        self._held += len(text)
        if self._held > _REMEMBERED_BYTES:  # (forgotten all at once: what is checked again is cheap to remember)
            self._found.clear()
            self._held = len(text)
        self._found[key] = (schema, found)
        return found

    def _problem(self, schema, value) -> str | None:
        try:
            errors = list(itertools.islice(self._validator(schema).iter_errors(value), 8))
            if errors and all(overlapping(error) for error in errors) and \
                    next(self._validator(schema, lenient=True).iter_errors(value), None) is None:
                return None
        except Exception:  # noqa: BLE001 - a schema the validator cannot read (a ref to nowhere) decides nothing
            return None
        if not errors:
            return None
        error = errors[0]
        where = "/".join(str(part) for part in error.absolute_path)
        return f"{where}: {error.message}" if where else error.message

    def fits(self, schema, value) -> bool:
        return self.problem(schema, value) is None

    def pruned(self, schema, value):
        """`value` with the fields and list items `schema` refuses left out where leaving them out fits it
        better, at any depth.

        A schema can make a value impossible: SendGrid's message answer is an `allOf` of two objects whose
        `events` items each require `bounce_type`, one with the enum `[soft, hard]` and the other `[bounced,
        blocked, expired]`, so no event fits both and every drawn answer was a 500; its events are left out.
        A part is left out only when that removes errors (a required field's absence is one too), the
        deepest first, so what the schema asks for stays; None when nothing fits better."""
        errors = self._misfits(schema, value)
        if not errors:
            return value
        value = copy.deepcopy(value)
        improved = False
        for _ in range(_PRUNED_FIELDS):
            for path in errors:
                count = len(errors)
                # the deepest field on the error's path first: the bad `bounce_type`, not the whole `events`
                for depth in range(len(path), 0, -1):
                    holder = _at(value, path[:depth - 1])
                    key = path[depth - 1]
                    if not (isinstance(holder, dict) and key in holder or isinstance(holder, list)
                            and isinstance(key, int) and 0 <= key < len(holder)):
                        continue
                    taken = holder.pop(key)
                    fewer = self._misfits(schema, value)
                    if len(fewer) < count:
                        errors, improved = fewer, True
                        break
                    if isinstance(holder, list):
                        holder.insert(key, taken)
                    else:
                        holder[key] = taken
                else:
                    continue
                break
            else:
                break
            if not errors:
                break
        return value if improved else None

    def _misfits(self, schema, value) -> list:
        """Where `value` does not fit `schema` (each error's path), empty when it fits as `problem` reads it."""
        if self.problem(schema, value) is None:
            return []
        try:
            return [tuple(error.absolute_path)
                    for error in itertools.islice(self._validator(schema).iter_errors(value), _PRUNED_FIELDS)]
        except Exception:  # noqa: BLE001 - (as in _problem)
            return []

    def _validator(self, schema: dict, lenient: bool = False):
        entry = self._validators.get((id(schema), lenient))
        if entry is None or entry[0] is not schema:
            document = {**self._parts, "allOf": [schema]}
            if lenient:
                document = one_of_as_any_of(document, {})
            if self.modern:
                validator = OAS31Validator(document, format_checker=_checker(True))
            else:
                validator = OAS30ReadValidator(document, format_checker=_checker(False))
            entry = self._validators[(id(schema), lenient)] = (schema, validator)
        return entry[1]


# How many fields `pruned` leaves out at most (and how many errors it counts).
_PRUNED_FIELDS = 32


def _at(value, path):
    """The part of `value` at `path` (keys and indexes), or None where the path leads nowhere."""
    for step in path:
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return None
    return value


# How much JSON text of checked values is remembered per spec, and how long one value's may be.
_REMEMBERED_BYTES = 4 * 1024 * 1024
_REMEMBERED_TEXT = 128 * 1024


def _float_in(value) -> bool:
    """Whether a value holds a float JSON text does not tell apart (NaN and the infinities are written `null`)."""
    if isinstance(value, float):
        return value != value or value in (float("inf"), float("-inf"))
    if isinstance(value, dict):
        return any(_float_in(item) for item in value.values())
    if isinstance(value, list):
        return any(_float_in(item) for item in value)
    return False


def overlapping(error) -> bool:
    """Whether a validation error is only a `oneOf` whose alternatives the value fits several of.

    Published specs' alternatives often overlap (open objects that differ in optional fields: NextGenPSD2's
    authorisation answers, Belvo's payment method details), so that no value fits exactly one, and the bank's
    server answers with what fits several. Such a value is taken where it fits the `oneOf` read as `anyOf`.
    So is a `oneOf` none of whose alternatives the value fits only because, inside one of them, it fits
    several of a nested `oneOf`'s (Belvo's payment intents: a one-alternative `oneOf` around an object whose
    `next_step` and `last_error` are overlapping `oneOf`s). So is a `oneOf`/`anyOf` whose discriminator's value
    names no schema (Lithic's `type: WORKFLOW` of `workflow-event-data`, with no mapping; a mapping keyed
    `CARD TRANSACTION` for a `category: CARD`): the alternatives decide, as the request checks read them."""
    if error.validator not in ("oneOf", "anyOf"):
        return False
    if error.message.endswith("could not be resolved"):  # a discriminator value that names no schema: see below
        return True
    if error.validator != "oneOf":
        return False
    if "valid under each of" in error.message:
        return True
    return any(all(overlapping(sub) for sub in subs) for subs in by_branch(error).values())


def by_branch(error) -> dict:
    """The errors inside a `oneOf`/`anyOf` refusal, by the alternative each is of (its index)."""
    branches: dict = {}
    for sub in error.context or ():
        branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(sub)
    return branches


def one_of_as_any_of(node, memo: dict):
    """`node` with each `oneOf` read as `anyOf` (a copy; a schema that contains itself gets one copy)."""
    if isinstance(node, list):
        return [one_of_as_any_of(item, memo) for item in node]
    if not isinstance(node, dict):
        return node
    if id(node) in memo:
        return memo[id(node)]
    out = memo[id(node)] = {}
    for key, value in node.items():
        if key == "discriminator" and isinstance(value, dict) and "propertyName" in value:  # the alternatives decide
            continue
        out["anyOf" if key == "oneOf" and "anyOf" not in node else key] = one_of_as_any_of(value, memo)
    return out


_by_spec: dict = {}


def schemas_of(spec: dict) -> Schemas:
    """The one `Schemas` of a loaded spec (specs live as long as the app that serves them)."""
    entry = _by_spec.get(id(spec))
    if entry is None or entry.spec is not spec:
        entry = _by_spec[id(spec)] = Schemas(spec)
    return entry
