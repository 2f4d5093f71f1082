"""Response validation that keeps up with the sandbox: each response schema compiled once to Python.

Connexion checks every parameter and response against the spec with jsonschema, copying the schema
and building a validator anew each time; that was a third of the cost of a stateful request. Here each OpenAPI response schema is
translated once to plain JSON Schema (`nullable` becomes a null type, write-only fields stop being
required) and compiled with fastjsonschema. When a body fails, jsonschema runs once more on it, so
the error names the same field and path Connexion's own would.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from datetime import datetime
from xml.etree import ElementTree

import fastjsonschema
import orjson
from connexion.exceptions import BadRequestProblem, NonConformingResponseBody, TypeValidationError, UnsupportedMediaTypeProblem
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.middleware.response_validation import (
    ResponseValidationAPI,
    ResponseValidationMiddleware,
    ResponseValidationOperation,
)
from connexion.json_schema import Draft4RequestValidator, Draft4ResponseValidator, format_error_with_path
from connexion.utils import coerce_type, is_null, is_nullable
from connexion.validators import (
    VALIDATOR_MAP,
    AbstractRequestBodyValidator,
    FormDataValidator,
    JSONRequestBodyValidator,
    JSONResponseBodyValidator,
    MediaTypeDict,
    MultiPartFormDataValidator,
)
from connexion.validators import ParameterValidator as ConnexionParameterValidator
from jsonschema import Draft4Validator, ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import extend
from starlette.datastructures import Headers

from ..bindings.formats import OPENAPI_FORMATS as _OPENAPI_FORMATS
from ..bindings.formats import REQUEST_FORMATS
from ..bindings.names import _bare
from ..bindings.jws import payload_of
from ..bindings.schemas import by_branch, one_of_as_any_of, overlapping
from .access import request_state

log = logging.getLogger("sandbox")
_compiled: dict = {}
SENT = "sent_json"  # in the request's state: (the body bytes a view sent, the document they were made from)
PARSED = "parsed_json"  # in the request's state: the JSON request body as request validation read it


def json_body(document) -> tuple[bytes, bool]:
    """`document` as UTF-8 JSON bytes, and whether reading them back gives `document` itself.

    orjson writes the JSON types as they are; anything else (keys that are not text, say) goes
    through the standard library, which converts it, so the document is not what was sent.
    """
    try:
        return orjson.dumps(document), True
    except TypeError:
        return json.dumps(document, ensure_ascii=False).encode(), False


def sent(state: dict, body: bytes, document) -> None:
    """Note that `body` was made from `document`, so response validation checks it without parsing it again."""
    state[SENT] = (body, document)


# Annotations, and the spec's `components` that Connexion puts beside a body's schema for its refs (resolved
# already): kept, a large spec's components went into the compiled code with every error it can raise
# (9 MB of schema and 1.6 s to compile for one of Plaid's bodies, on the operation's first call).
_DROP = {"example", "examples", "discriminator", "xml", "externalDocs", "deprecated", "readOnly", "writeOnly", "nullable",
         "components"}


_INTEGER_FORMATS = {"int32": (-(1 << 31), (1 << 31) - 1), "int64": (-(1 << 63), (1 << 63) - 1)}


def _formats():
    """Draft 4's formats, OpenAPI's `date` and `uuid`, and its integer widths, for the checks that explain a refusal."""
    checker = copy.deepcopy(Draft4Validator.FORMAT_CHECKER)
    for name, (low, high) in _INTEGER_FORMATS.items():
        checker.checks(name)(lambda value, low=low, high=high: not isinstance(value, int) or low <= value <= high)
    for name, test in {**_OPENAPI_FORMATS, **REQUEST_FORMATS}.items():
        checker.checks(name)(test)
    return checker


FORMATS = _formats()


def json_schema(schema, memo=None, request: bool = False):
    """Translate an OpenAPI 3.0 schema object (refs already resolved) to JSON Schema draft 4: for a request
    (`request`), read-only fields stop being required; for an answer, write-only ones (OpenAPI 3.0: "the
    required will take effect on the response only", and the reverse)."""
    memo = {} if memo is None else memo
    if isinstance(schema, list):
        return [json_schema(item, memo, request) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if id(schema) in memo:
        raise RecursionError("recursive schema")
    memo[id(schema)] = True
    out = {}
    for key, value in schema.items():
        if key in _DROP or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {name: json_schema(sub, memo, request) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = json_schema(value, memo, request)
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [json_schema(sub, memo, request) for sub in value]
        else:
            out[key] = value
    if schema.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        for combinator in ("allOf", "anyOf", "oneOf"):
            if combinator in out:
                out = {"anyOf": [{"type": "null"}, out]}
                break
    bounds = _INTEGER_FORMATS.get(schema.get("format"))
    kinds = out.get("type") if isinstance(out.get("type"), list) else [out.get("type")]
    if bounds is not None and "integer" in kinds:
        # OpenAPI's int32/int64 are bounds the JSON Schema validators do not know: written out as such.
        low, high = bounds
        if not isinstance(out.get("minimum"), (int, float)) or out["minimum"] < low:
            out["minimum"] = low
            out.pop("exclusiveMinimum", None)
        if not isinstance(out.get("maximum"), (int, float)) or out["maximum"] > high:
            out["maximum"] = high
            out.pop("exclusiveMaximum", None)
    if "required" in out and isinstance(schema.get("properties"), dict):
        flag = "readOnly" if request else "writeOnly"
        skipped = {n for n, s in schema["properties"].items() if isinstance(s, dict) and s.get(flag)}
        out["required"] = [r for r in out["required"] if r not in skipped]
        if not out["required"]:
            del out["required"]
    del memo[id(schema)]
    return out


def _compile(schema: dict, request: bool = False):
    key = (id(schema), request)
    entry = _compiled.get(key)
    if entry is None or entry[0] is not schema:
        try:
            # fastjsonschema writes a function for every place a shared schema stands: DocuSign's recipients (thirty
            # kinds of tab, each a schema shared by every kind of recipient) took minutes and gigabytes to compile
            # at a request. Past the bound jsonschema alone decides: it walks the body, reading each shared schema
            # where it is used.
            check = None if _spelled_out(schema, {}) > COMPILED_NODES else fastjsonschema.compile(
                {"$schema": "http://json-schema.org/draft-04/schema#", **json_schema(schema, request=request)},
                formats={**_OPENAPI_FORMATS, **REQUEST_FORMATS})
        except (RecursionError, fastjsonschema.JsonSchemaDefinitionException, TypeError, ValueError, re.error):
            # A schema fastjsonschema cannot take (it writes every `$` of a pattern as `\Z`, which a `$` in a
            # character class makes no regular expression): jsonschema alone decides.
            check = None
        entry = _compiled[key] = (schema, check)
    return entry[1]


# The most schema nodes, counted as fastjsonschema writes them out (each shared schema once where it stands), that
# are compiled: the shipped banks' bodies and answers hold a few hundred.
COMPILED_NODES = 5_000


def _spelled_out(node, sizes: dict) -> int:
    """How many nodes `node` has written out as a tree (a schema used in several places counted in each); a
    schema that holds itself counts as past any bound. `sizes`: each object's count, by identity."""
    if isinstance(node, dict):
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return 1
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = COMPILED_NODES + 1  # while it is being counted: met again inside itself, it is a cycle
    total = 1
    for child in children:
        total += _spelled_out(child, sizes)
        if total > COMPILED_NODES:
            break
    sizes[id(node)] = total
    return total


_LOCAL_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?")
_without_format: dict = {}


def _as_parameter(schema: dict, value):
    """The schema a parameter's value is held to: a `date-time` parameter also takes ISO 8601's local time
    and a bare date (`2017-04-05T10:43:07`, `2017-04-05`), read in the bank's time zone.

    UK Open Banking tells clients to send query date-times without a zone, under a `format: date-time` that
    JSON Schema reads as RFC 3339 (which needs one): refusing them refused every conforming client. Bodies
    keep RFC 3339. Anything else that is no moment (`2017-13-45`) is still refused by the format."""
    if schema.get("format") != "date-time" or not isinstance(value, str) or not _LOCAL_MOMENT.fullmatch(value):
        return schema
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return schema
    entry = _without_format.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _without_format[id(schema)] = (schema, {k: v for k, v in schema.items() if k != "format"})
    return entry[1]


class _DateRefusal(str):
    """A parameter's refusal for a date that is not one: the control plane and the banks answer it with the
    domain's own `invalid_date`, as their handlers did before the spec's `format: date` was checked here."""


def _is_bad_date(exception: ValidationError) -> bool:
    return exception.validator == "format" and exception.validator_value == "date"


def _required_but_read_only(validator, required, instance, schema):
    """`required`, less the read-only properties: a client does not send what only the server writes."""
    properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    wanted = [name for name in required if not (isinstance(properties.get(name), dict) and properties[name].get("readOnly"))]
    yield from Draft4Validator.VALIDATORS["required"](validator, wanted, instance, schema)


_RequestValidator = extend(Draft4RequestValidator, {"required": _required_but_read_only})


def _request_validator(schema: dict):
    """jsonschema's validator of a request body's schema (which explains a refusal), built once a schema."""
    key = ("request", id(schema))
    entry = _compiled.get(key)
    if entry is None or entry[0] is not schema:
        entry = _compiled[key] = (schema, _RequestValidator(schema, format_checker=FORMATS))
    return entry[1]


# Request headers that list what the client takes, one of which the server picks (RFC 9110 12.5).
_NEGOTIATED = frozenset({"accept", "accept-encoding", "accept-language", "accept-charset"})


class ParameterValidator(ConnexionParameterValidator):
    """Connexion's parameter checks, with each parameter's schema compiled once (it copied and rebuilt it)."""

    def validate_header_parameter(self, param, request):
        # Open banking specs declare the credential's own header (`Authorization`) among an operation's
        # required parameters: its absence is for the security scheme to answer (401, or the development
        # caller with open access), not a 400 for a missing parameter. What is sent is checked as declared.
        if param["name"].lower() == "authorization" and request.headers.get("authorization") is None:
            return None
        value = request.headers.get(param["name"])
        if param["name"].lower() in _NEGOTIATED and value and "," in value:
            # A list of what the client takes (`gzip, deflate, br`), not one value: it is acceptable where
            # the spec's enum takes one of them, as the server then answers in that one.
            for choice in (part.split(";")[0].strip() for part in value.split(",")):
                if choice and self.validate_parameter("header", choice, param) is None:
                    return None
        if value is not None and (param.get("schema") or param).get("type") not in (None, "string"):
            # Headers are text on the wire: `TPP-Redirect-Preferred: true` (Berlin Group) is the boolean its
            # schema declares, as query and path values are typed before they are checked.
            try:
                value = coerce_type(param, value, "header", param["name"])
            except TypeValidationError as error:
                return str(error.detail or error)
            return self.validate_parameter("header", value, param)
        return super().validate_header_parameter(param, request)

    def validate_request(self, request):
        try:
            super().validate_request(request)
        except BadRequestProblem as problem:
            if isinstance(problem.detail, _DateRefusal):
                problem.code, problem.details = "invalid_date", {"field": problem.detail.field}
            raise

    @staticmethod
    def validate_parameter(parameter_type, value, param, param_name=None):
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            if isinstance(value, int) and not isinstance(value, bool) and not -(1 << 63) <= value < 1 << 63:
                # No id, cursor or count is that big, and SQLite cannot even be asked about it.
                return f"'{param['name']}' is out of range: {str(value)[:30]}... is not a 64-bit integer"
            schema = _as_parameter(param.get("schema", param), value)
            check = _compile(schema)
            if check is not None:
                try:
                    check(value)
                    return None
                except fastjsonschema.JsonSchemaValueException:
                    pass
            try:
                Draft4Validator(schema, format_checker=FORMATS).validate(value)
            except ValidationError as exception:
                # One line naming the parameter (jsonschema's own text goes on with the whole schema).
                text = f"{parameter_type} parameter '{param['name']}': {exception.message}" \
                       f"{format_error_with_path(exception=exception)}"
                if not _is_bad_date(exception):
                    return text
                refusal = _DateRefusal(text)
                refusal.field = param["name"]
                return refusal
            return None
        if param.get("required"):
            return f"Missing {parameter_type} parameter '{param['name']}'"
        return None


def any_of(schema):
    """`schema` with each `oneOf` read as `anyOf` (a copy, made once a schema): what a request body is held to.

    Published specs' alternatives often overlap (Dwolla's customer updates fit several of its `oneOf`
    branches at once), and a client whose body fits more than one is not wrong: the bank takes it. An
    answer is held to exactly one branch, unless it fails only by fitting several (`schemas.overlapping`)."""
    entry = _any_of.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _any_of[id(schema)] = (schema, _ibans_checked(one_of_as_any_of(schema, {}), {}))
    return entry[1]


def _ibans_checked(schema, memo: dict):
    """`schema` (a request body's) with each text field named for an IBAN (`iban`, `counterpartIban`), of no format
    of its own, held to ISO 13616's (`formats.REQUEST_FORMATS`): its check digits are the bank's first check of a
    payee (finAPI declares `counterpartIban` as plain text, and a transfer to `XX00BAD` had been made).

    A copy made once per schema object (`memo`, by identity), so what the resolved spec shares stays shared and a
    schema that contains itself gets one copy: walked as a tree, Square's catalog objects (each holding others of
    their kind) took 20 s and gigabytes at a request's first validation."""
    if isinstance(schema, list):
        return [_ibans_checked(item, memo) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if id(schema) in memo:
        return memo[id(schema)]
    out = memo[id(schema)] = {}
    for key, value in schema.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _as_iban(name, _ibans_checked(sub, memo)) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[key] = _ibans_checked(value, memo)
        else:
            out[key] = value
    return out


def _as_iban(name, schema):
    if isinstance(schema, dict) and _bare(name).endswith("iban") and schema.get("type") == "string" \
            and "format" not in schema and "enum" not in schema:
        return {**schema, "format": "well-formed IBAN"}
    return schema


_any_of: dict = {}


def unset_nulls(schema, body, depth: int = 0):
    """`body` as the bank reads what SDKs send (not changed in place):

    - a JSON null an optional field is given where its schema does not let it be null is read as not sent.
      Generated SDKs write every optional field they were not given as `null` (Rapyd's, made with
      `alwaysInitializeOptionals`: `{"name": "Jane", "addresses": null, "coupon": null, ...}`), and the banks
      they are made for take it; each such creation was a 400. A required field, a nullable one, and a merge
      patch (RFC 7386: a null removes the field) keep their nulls;
    - a JSON number where the schema wants a number written as text (a string of `format: decimal`,
      `double`, `int64`..., or whose example is a number's text) is read as that text: an SDK that types the
      field as a number sends `"qty": 1.0` (alpaca-py's orders and journals: `qty`, `amount`), and the bank
      takes it; each was a 400. A number whose text the field's pattern or bounds refuse stays a number (and
      is refused as before)."""
    if depth > 32 or not isinstance(schema, dict):
        return body
    if isinstance(body, list):
        items = schema.get("items")
        return [unset_nulls(items, item, depth + 1) for item in body] if isinstance(items, dict) else body
    if not isinstance(body, dict):
        return body
    properties, required = {}, set()
    for part in [schema, *(s for s in schema.get("allOf") or () if isinstance(s, dict))]:
        properties.update(part.get("properties") or {})
        required.update(part.get("required") or ())
    if not properties:
        return body
    out = {}
    for key, value in body.items():
        field = properties.get(key)
        if value is None and key not in required and isinstance(field, dict) and not _takes_null(field):
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(field, dict):
            value = _as_number_text(field, value, _examples_of(schema, key))
        out[key] = unset_nulls(field, value, depth + 1) if isinstance(field, dict) else value
    return out


# The formats of a string that holds a number (OpenAPI's numeric formats written on a string, and the usual
# extras): a JSON number sent for such a field is its text.
_NUMBER_TEXT_FORMATS = {"decimal", "double", "float", "int32", "int64", "integer", "number", "money", "amount",
                        "decimal-string", "bigdecimal", "big-decimal"}


def _examples_of(schema: dict, key: str) -> list:
    """The values an object schema's own examples give `key` (`example`, `examples`, Stoplight's `x-examples`):
    Alpaca's CreateJournalRequest writes `amount` as `"51"` only there, its field saying nothing but `string`."""
    found = []
    for part in [schema, *(s for s in schema.get("allOf") or () if isinstance(s, dict))]:
        whole = [part.get("example"), *(part.get("examples") if isinstance(part.get("examples"), list) else ())]
        named = part.get("x-examples")
        whole += list(named.values()) if isinstance(named, dict) else []
        found += [example[key] for example in whole if isinstance(example, dict) and key in example]
    return found


def _as_number_text(field: dict, value, examples: list = ()):
    """`value`, a JSON number, as the text a string field of numbers holds; else `value` unchanged. `examples`:
    what the object's own examples give the field (used where the field has no example of its own)."""
    if field.get("type") != "string" or field.get("enum"):
        return value
    example = field.get("example", examples[0] if examples else None)
    numeric_example = isinstance(example, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", example) is not None
    if str(field.get("format") or "").lower() not in _NUMBER_TEXT_FORMATS and not numeric_example:
        return value
    text = str(int(value)) if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 else str(value)
    if "e" in text.lower() or not (field.get("minLength") or 0) <= len(text) <= field.get("maxLength", len(text)):
        return value
    pattern = field.get("pattern")
    try:
        if isinstance(pattern, str) and re.search(pattern, text) is None:
            return value
    except re.error:
        return value
    return text


def _takes_null(schema: dict) -> bool:
    """Whether a field's schema lets it be null (nullable, a null type or enum value, or no type at all)."""
    if schema.get("nullable") or None in (schema.get("enum") or ()):
        return True
    kinds = schema.get("type")
    if kinds is None and not any(schema.get(k) for k in ("allOf", "anyOf", "oneOf", "enum", "properties", "items")):
        return True  # a schema that takes any value
    if kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
        return True
    return any(_takes_null(s) for k in ("anyOf", "oneOf") for s in schema.get(k) or () if isinstance(s, dict))


def _names_required(schema) -> bool:
    """Whether a body's schema requires fields of its own, at its top or in its `allOf` (NextGenPSD2's consent
    `required: [access, recurringIndicator, ...]`): left out, such a body lacks them, whatever OpenAPI's default
    `required: false` of the body says (its authors leave it out; a consent posted with nothing had been made). A
    choice of shapes (`oneOf` of an empty object and others: an authorisation started bare) requires none."""
    if not isinstance(schema, dict):
        return False
    return bool(schema.get("required")) or any(_names_required(part) for part in schema.get("allOf") or ())


class RequestBodyValidator(JSONRequestBodyValidator):
    """Connexion's request validator, with the schema compiled once (jsonschema explains refusals), and each
    `oneOf` read as `anyOf` (`any_of`).

    It also refuses a body that is not valid in its charset with a 400, and a charset no codec knows
    with a 415 (Connexion's own parser let both escape as 500s).
    """

    unsets_nulls = False  # a bank's (BankRequestBodyValidator): SDKs' nulls for optional fields are not sent

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schema = any_of(self._schema)

    def _validate(self, body):
        if body is None and getattr(self, "_absent", False) and not self._required and not _names_required(self._schema):
            return None  # an optional body left out (Connexion refused it as "must not be empty")
        check = _compile(self._schema, request=True) if body is not None else None
        if check is not None:
            try:
                check(body)
                return None
            except fastjsonschema.JsonSchemaValueException:
                pass  # jsonschema decides, and words the refusal
        try:
            return super()._validate(body)
        except BadRequestProblem as problem:
            first = next(_request_validator(self._schema).iter_errors(body), None) if body is not None else None
            if first is not None and _is_bad_date(first):
                problem.code = "invalid_date"
                problem.details = {"field": ".".join(str(part) for part in first.absolute_path)}
            meant = _in_shape_meant(first) if first is not None else None
            if meant is not None:
                where = ".".join(str(part) for part in meant.absolute_path)
                problem.detail = meant.message + (f" - '{where}'" if where else "")
            problem.misfit = body is not None  # (`BankMount.render_http_error`: a 422 where one is declared)
            raise

    async def _parse(self, stream, scope):
        try:
            body = await super()._parse(stream, scope)
        except UnicodeDecodeError as error:
            raise BadRequestProblem(detail=f"the body is not valid {self._encoding}: {error.reason}") from None
        except LookupError:  # a charset parameter naming no known encoding
            raise UnsupportedMediaTypeProblem(detail=f"unknown charset {self._encoding!r} in the Content-Type") from None
        except RecursionError:  # `[[[[...` nested past what any request needs
            raise BadRequestProblem(detail="the JSON body is nested too deeply") from None
        except ValueError as error:  # e.g. an integer of thousands of digits (Python's int limit)
            raise BadRequestProblem(detail=f"the JSON body cannot be read: {error}") from None
        if self.unsets_nulls and "merge-patch" not in str(Headers(scope=scope).get("content-type", "")).lower():
            body = unset_nulls(self._schema, body)
        request_state(scope)[PARSED] = body  # the view takes this document instead of parsing the bytes again
        # No bytes at all, as opposed to the JSON `null`: an optional body simply not sent.
        headers = Headers(scope=scope)
        self._absent = body is None and headers.get("content-length", "0") == "0" and "transfer-encoding" not in headers
        return body

    @property
    def _validator(self):
        return _request_validator(self._schema)


def _in_shape_meant(error):
    """What is wrong with a body refused by a choice of shapes (`oneOf`/`anyOf`), said of the shape it meant: the one
    alternative whose fixed values (a `type` enum, a `const`) it matched, down through nested choices; None where no
    single one did. Refused as "... is not valid under any of the given schemas", a payment of Unit's six kinds said
    nothing of its one unexpected field (`direction`, which a book payment does not take)."""
    found = None
    while error.validator in ("oneOf", "anyOf") and error.context:
        branches = by_branch(error)
        matched = [subs for subs in branches.values() if not any(sub.validator in ("enum", "const") for sub in subs)]
        if len(matched) != 1 or len(matched) == len(branches):
            break
        found = error = best_match(matched[0])
    return found


class _RefusesUnreadableForms:
    """Form bodies that cannot be parsed (no content type, no boundary, broken parts) are a 400.

    Connexion let Starlette's and python-multipart's parser errors escape as 500s. Everything raised
    while parsing the client's bytes is about those bytes, so all of it is the client's 400.
    """

    @property
    def _validator(self):
        return _request_validator(self._schema)  # OpenAPI's integer widths too

    async def _parse(self, stream, scope):
        if "content-type" not in Headers(scope=scope):
            # No content type means no form was sent: an optional body is simply absent.
            if self._required:
                raise BadRequestProblem(detail="this operation needs a form body, sent with its Content-Type")
            return {}
        try:
            return await super()._parse(stream, scope)
        except Exception as error:  # noqa: BLE001 - see the docstring
            raise BadRequestProblem(detail=f"the form body cannot be read: {error}") from None

    def _validate(self, body):
        try:
            return super()._validate(body)
        except BadRequestProblem as problem:
            problem.misfit = True  # a form read, that does not fit its schema (as a JSON body's)
            raise


class FormBodyValidator(_RefusesUnreadableForms, FormDataValidator):
    pass


class MultiPartBodyValidator(_RefusesUnreadableForms, MultiPartFormDataValidator):
    pass


class OpaqueBodyValidator(AbstractRequestBodyValidator):
    """Bodies that are neither JSON nor a form (JOSE, XML, plain text, bytes), which Connexion passed unchecked.

    A required body must be there (Connexion's common check, which runs once a validator exists); a body
    whose schema is a string is text in its charset and held to that string's rules (a JWE's five parts,
    a length); bytes (`format: binary`) are passed as they are.
    """

    async def _parse(self, stream, scope):
        return b"".join([chunk async for chunk in stream])

    def _validate(self, body: bytes):
        if self._schema.get("type") != "string" or self._schema.get("format") in ("binary", "byte"):
            return None
        try:
            text = body.decode(self._encoding)
        except UnicodeDecodeError as error:
            raise BadRequestProblem(detail=f"the body is not valid {self._encoding}: {error.reason}") from None
        except LookupError:
            raise UnsupportedMediaTypeProblem(detail=f"unknown charset {self._encoding!r} in the Content-Type") from None
        try:
            Draft4Validator(self._schema, format_checker=FORMATS).validate(text)
        except ValidationError as exception:
            raise BadRequestProblem(detail=f"the body does not fit its schema: {exception.message}") from None
        return None


class SignedBodyValidator(OpaqueBodyValidator):
    """A body sent as a compact JWS (`application/jwt`, Brazil's open finance): its payload is held to the
    schema the spec declares for the body (it went through unchecked). The signature is not verified: the
    sandbox holds no client key (bindings/jws.py)."""

    def _validate(self, body: bytes):
        if self._schema.get("type") == "string":
            return super()._validate(body)
        try:
            payload = payload_of(body.decode(self._encoding))
        except (UnicodeDecodeError, LookupError):
            payload = None
        if payload is None:
            raise BadRequestProblem(detail="the body is not a compact JWS (header.payload.signature, base64url) "
                                           "of a JSON payload")
        first = next(_request_validator(self._schema).iter_errors(payload), None)
        if first is not None:
            where = ".".join(str(part) for part in first.absolute_path)
            raise BadRequestProblem(detail=f"the JWS payload does not fit its schema: {first.message}"
                                           + (f" - '{where}'" if where else ""))
        return None


class XmlBodyValidator(OpaqueBodyValidator):
    """An XML body must be XML: one that does not parse is a 400 (it went through unchecked), and then
    it is held to its schema's rules for text as any opaque body is. Python's parser (expat) refuses
    entity expansion bombs on its own."""

    def _validate(self, body: bytes):
        if body:
            try:
                ElementTree.fromstring(body)
            except ElementTree.ParseError as error:
                raise BadRequestProblem(detail=f"the XML body cannot be read: {error}") from None
        return super()._validate(body)


class ResponseBodyValidator(JSONResponseBodyValidator):
    """A JSON answer checked against its compiled schema; a view's own answer is not parsed back.

    A bank view serialises its reply once and notes the document it came from (`sent`); the bytes
    arriving here are those very bytes (the same object), so the document is what they say.
    """

    def _parse(self, stream):
        body = b"".join(stream)
        made = request_state(self._scope).get(SENT)
        if made is not None and (made[0] is body or made[0] == body):  # (a copy of them: compared, a memcmp)
            return made[1]
        if not body:
            return None
        if self._encoding.lower().replace("-", "") != "utf8":
            return super()._parse(iter((body,)))
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as error:
            raise NonConformingResponseBody(str(error)) from None

    def _validate(self, body):
        check = _compile(self._schema)
        if check is not None:
            try:
                check(body)
                return
            except fastjsonschema.JsonSchemaValueException:
                pass  # explain it with jsonschema below (which may also find it fine: its verdict stands)
        try:
            Draft4ResponseValidator(self._schema, format_checker=FORMATS).validate(body)
        except ValidationError as exception:
            if overlapping(exception) and Draft4ResponseValidator(any_of(self._schema), format_checker=FORMATS).is_valid(body):
                return  # it fits several of a `oneOf`'s overlapping alternatives, as no answer can help it
            detail = f"{exception.message}{format_error_with_path(exception=exception)}"
            # A 500 is always worth a line in the log: which call, and what of the answer the spec refuses.
            log.warning("%s %s: the answer does not fit the spec's schema (%s)", self._scope.get("method"),
                        self._scope.get("path"), detail)
            raise NonConformingResponseBody(detail=f"Response body does not conform to specification. {detail}") from None


class TextResponseBodyValidator(ResponseBodyValidator):
    """A text answer read as its schema reads it: text when the schema is a string.

    Connexion's own reader parsed every text body as JSON first, so a string schema's `"123"` was
    judged as the number 123 and a correct answer became a 500.
    """

    def _parse(self, stream):
        text = b"".join(stream).decode(self._encoding)
        if (self._schema or {}).get("type") == "string":
            return text
        try:
            return json.loads(text)
        except ValueError:
            return text



class CanonicalContentType:
    """ASGI middleware writing a request's Content-Type the way HTTP compares media types.

    Type and subtype are case-insensitive and parameters may carry spaces and quotes
    (`Application/JSON; Charset="UTF-8"`); Connexion compared the type as written (a request in
    capitals skipped body validation) and read `charset=` only without a space before it. Specs
    declare their types bare (bindings/spec.py), so `application/json;charset=utf-8` is simply JSON
    decoded in that charset.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and any(name == b"content-type" for name, _ in scope["headers"]):
            scope = {**scope, "headers": [(name, canonical_media_type(value) if name == b"content-type" else value)
                                          for name, value in scope["headers"]]}
        await self.app(scope, receive, send)


def canonical_media_type(value: bytes) -> bytes:
    kind, *parameters = value.decode("latin-1").split(";")
    parts = [kind.strip().lower()]
    for parameter in parameters:
        name, _, given = parameter.partition("=")
        if name.strip():
            parts.append(f"{name.strip().lower()}={given.strip().strip(chr(34))}")
    return ";".join(parts).encode("latin-1")

class BankRequestBodyValidator(RequestBodyValidator):
    """A bank API's JSON bodies: a null an SDK sends for an optional field that takes none is read as not sent
    (`unset_nulls`). The control plane's own API stays strict: its views read what was sent."""

    unsets_nulls = True


VALIDATORS = {
    **VALIDATOR_MAP,
    "parameter": ParameterValidator,
    "body": MediaTypeDict({
        **VALIDATOR_MAP["body"],
        "*/*json": RequestBodyValidator,
        "application/x-www-form-urlencoded": FormBodyValidator,
        "multipart/form-data": MultiPartBodyValidator,
        "*/*xml": XmlBodyValidator,
        "*/*jwt": SignedBodyValidator,
        "*/*": OpaqueBodyValidator,  # the least specific key: only what no key above names
    }),
    "response": MediaTypeDict({**VALIDATOR_MAP["response"], "*/*json": ResponseBodyValidator,
                               "text/plain": TextResponseBodyValidator}),
}
BANK_VALIDATORS = {**VALIDATORS, "body": MediaTypeDict({**VALIDATORS["body"], "*/*json": BankRequestBodyValidator})}


# -- Connexion's validation middlewares, with what depends only on the operation worked out once ----------

_MEMO_LIMIT = 64  # media types (or status and type pairs) remembered per operation: a client picks its own


class _RequestChecks(RequestValidationOperation):
    """Connexion's request validation of one operation, which built the parameter validator and its URI
    parser, and looked up the body's schema and validator, for every request: here once, for the
    operation and for each Content-Type it accepted. The checks themselves are Connexion's, as before."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        operation = self._operation
        self._parameters = self._validator_map["parameter"](
            operation.parameters, uri_parser=operation.uri_parser_class(operation.parameters, operation.body_definition()),
            strict_validation=self.strict_validation, security_query_params=self.security_query_params)
        # A Content-Type as sent (None: none), once accepted -> (its encoding, (validator class, options) or None)
        self._bodies: dict[bytes | None, tuple] = {}

    def _body(self, mime_type: str) -> tuple | None:
        operation = self._operation
        schema = operation.body_schema(mime_type)
        if not schema:
            return None
        try:
            validator = self._validator_map["body"][mime_type]
        except KeyError:
            return None  # no validator for the type: Connexion skips it too
        return validator, {
            "schema": schema, "required": operation.request_body.get("required", False),
            "nullable": is_nullable(operation.body_definition(mime_type)), "strict_validation": self.strict_validation,
            "uri_parser": operation.uri_parser_class(operation.parameters, operation.body_definition())}

    async def __call__(self, scope, receive, send):
        self._parameters.validate(scope)
        given = next((value for name, value in scope["headers"] if name == b"content-type"), None)
        known = self._bodies.get(given)
        if known is None:
            mime_type, encoding = self.extract_content_type(scope["headers"])
            self.validate_mime_type(mime_type)  # refused types are not remembered
            known = (encoding, self._body(mime_type))
            if len(self._bodies) < _MEMO_LIMIT:
                self._bodies[given] = known
        encoding, body = known
        if body is not None:
            validator, options = body
            receive, scope = await validator(encoding=encoding, **options).wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class _ResponseChecks(ResponseValidationOperation):
    """Connexion's response validation of one operation, which parsed the media type, checked it against
    the operation's and looked up the answer's definition and schema for every response: here once for
    each status and Content-Type. The checks themselves are Connexion's, as before."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._answers: dict[tuple, tuple] = {}  # (status, Content-Type) -> what checking such an answer needs

    def _answer(self, status: int, headers) -> tuple:
        mime_type, encoding = self.extract_content_type(headers)
        if status < 400:
            self.validate_mime_type(mime_type)
        definition = self._operation.response_definition(str(status), mime_type)
        required = {name.lower() for name, header in definition.get("headers", {}).items() if header.get("required", False)}
        try:
            validator = self._validator_map["response"][mime_type]
        except KeyError:
            validator = None  # no validator for the type: Connexion skips it too
        options = {"schema": self._operation.response_schema(str(status), mime_type),
                   "nullable": is_nullable(definition), "encoding": encoding}
        return required, definition, validator, options

    async def __call__(self, scope, receive, send):
        async def checked_send(message) -> None:
            nonlocal send
            if message["type"] == "http.response.start":
                headers = message["headers"]
                key = (message["status"], next((value for name, value in headers if name.lower() == b"content-type"), None))
                answer = self._answers.get(key)
                if answer is None:
                    answer = self._answer(message["status"], headers)  # a refused type raises, and is not remembered
                    if len(self._answers) < _MEMO_LIMIT:
                        self._answers[key] = answer
                required, definition, validator, options = answer
                if required:
                    self.validate_required_headers(headers, definition)
                # A 204, 205 or 304 carries no body whatever content the spec declares for it (the fallback
                # sends none, RFC 9110): there is nothing to hold to a schema (a 204 that refers to the
                # spec's 429 response, content and all, answered 500 for its empty body).
                if validator is not None and message["status"] not in (204, 205, 304):
                    send = validator(scope, **options).wrap_send(send)
            return await send(message)

        await self.next_app(scope, receive, checked_send)


class _RequestChecksAPI(RequestValidationAPI):
    def make_operation(self, operation):
        return _RequestChecks(self.next_app, operation=operation, strict_validation=self.strict_validation,
                              validator_map=self.validator_map)


class _ResponseChecksAPI(ResponseValidationAPI):
    def make_operation(self, operation):
        if not self.validate_responses:
            return self.next_app
        return _ResponseChecks(self.next_app, operation=operation, validator_map=self.validator_map)


class RequestChecks(RequestValidationMiddleware):
    """Connexion's request validation middleware, its operations `_RequestChecks`."""

    api_cls = _RequestChecksAPI


class ResponseChecks(ResponseValidationMiddleware):
    """Connexion's response validation middleware, its operations `_ResponseChecks`."""

    api_cls = _ResponseChecksAPI
