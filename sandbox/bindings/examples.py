"""A spec's examples and defaults checked against their own schemas at load: repaired, replaced, and named in warnings.

Published specs often carry examples their schemas refuse (`count: 1` where the schema says a string,
a date that is not one). The fallback answers with examples first, so an example the schema refuses
would make the sandbox contradict the bank's own spec. Each bad example is coerced when that is safe
(a number written for a string, a digit string for an integer) or completed (a required field it
lacks generated, the author's data kept), otherwise replaced by a value generated from the schema,
otherwise dropped; every one is named once in a warning. The repair is made to the spec held in
memory, never to the author's file. A schema no value can satisfy (a required property its own
`additionalProperties: false` forbids) is named in a warning too: the fallback cannot answer it.
"""

from __future__ import annotations

import copy
import hashlib
import random
import re
from datetime import date, datetime

from .fallback import _words, deref, flattened, generate, live_flag, property_schema, sandbox_mode
from .schemas import Schemas, schemas_of
from .spec import schema_nodes


def repair(spec: dict, name: str = "openapi.yaml") -> tuple[str, ...]:
    """Make every example of `spec` valid against its schema, in place; one warning per bad example."""
    schemas = schemas_of(spec)
    warnings: list[str] = []
    seen: set = set()
    checked: dict = {}  # id of a shared example -> id of the schema it was checked under
    _paths_under_uri(spec, name, warnings)  # (before any check: the checks compile the schemas they read)
    for pointer, schema in schema_nodes(spec):
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        _unquoted_pattern(schema, f"{name}#{pointer}", warnings)
        for required in _forbidden(schema):
            warnings.append(f"{name}#{pointer}: '{required}' is required but the schema allows no such property; "
                            "no answer can satisfy it")
        if "example" in schema:
            _fix(schemas, schema, schema, "example", f"{name}#{pointer}/example", warnings)
        if "default" in schema:
            _one_level_too_deep(schemas, schema, f"{name}#{pointer}", warnings)
            # A default is a promise of what leaving the field out means, not an illustration: never replaced
            # by a generated value. Connexion refuses a whole document for one its schema refuses (Xero's
            # `type: boolean, default: "false"`).
            _fix(schemas, schema, schema, "default", f"{name}#{pointer}/default", warnings, replace=False)
        if isinstance(schema.get("examples"), list):  # OpenAPI 3.1: a list of values
            for index in range(len(schema["examples"]) - 1, -1, -1):
                _fix(schemas, schema, schema["examples"], index, f"{name}#{pointer}/examples/{index}", warnings)
    for pointer, holder in _example_holders(spec):
        schema = holder.get("schema")
        if not isinstance(schema, dict):
            continue
        if "example" in holder and id(holder) not in seen:
            _fix(schemas, schema, holder, "example", f"{name}#{pointer}/example", warnings)
        for key, entry in list((holder.get("examples") or {}).items()) if isinstance(holder.get("examples"), dict) else ():
            where = f"{name}#{pointer}/examples/{_escape(key)}"
            if isinstance(entry, dict) and "$ref" in entry:
                where, entry = f"{name}{entry['$ref']}", deref(spec, entry)
            if isinstance(entry, dict) and "value" in entry and id(entry) not in seen:
                seen.add(id(entry))
                checked[id(entry)] = id(schema)
                _fix(schemas, schema, entry, "value", f"{where}/value", warnings)
            elif (isinstance(entry, dict) and "value" in entry and checked.get(id(entry)) not in (None, id(schema))
                  and not schemas.fits(schema, entry["value"])):
                # An example of `components/examples` shared by answers of other schemas (Yapily's one 401
                # example under five error schemas): checked under the first only, it was served, and every
                # refusal built on it, under schemas it breaks. This use gets a repaired copy of its own.
                entry = copy.deepcopy(entry)
                holder["examples"][key] = entry
                _fix(schemas, schema, entry, "value", f"{where}/value (under {pointer})", warnings)
        seen.add(id(holder))
    _in_sandbox_mode(spec, name, warnings)
    _placeholders_drawn(spec, name, warnings)
    return tuple(warnings)


def _example_leaves(spec: dict, answers_only: bool = False, kinds: tuple = (str,)):
    """(schema, container, key) for each text (each value of `kinds`) of every example in `spec` and the schema it stands under, following
    properties, items and the allOf they are written in; a oneOf or anyOf by its first branch declaring every
    property the value holds. `answers_only` leaves out the examples of request bodies and parameters (a
    client's, to copy)."""
    def walk(schema, container, key, depth: int = 0):
        node = flattened(spec, schema) if depth < 12 else None
        value = container[key]
        if not isinstance(node, dict):
            return
        if isinstance(value, dict) and not node.get("properties"):
            branches = [flattened(spec, b) for b in (node.get("oneOf") or node.get("anyOf") or ())]
            node = next((b for b in branches if isinstance(b, dict) and set(value) <= set(b.get("properties") or {})), node)
        if isinstance(value, kinds):
            yield node, container, key
        elif isinstance(value, dict):
            for name in list(value):
                sub = property_schema(spec, node, name)
                if sub is not None:
                    yield from walk(sub, value, name, depth + 1)
        elif isinstance(value, list) and isinstance(node.get("items"), dict):
            for index in range(len(value)):
                yield from walk(node["items"], value, index, depth + 1)

    for _, schema in list(schema_nodes(spec)):
        if "example" in schema:
            yield from walk(schema, schema, "example")
    for pointer, holder in list(_example_holders(spec)):
        if not isinstance(holder.get("schema"), dict) or answers_only and "/responses/" not in pointer:
            continue
        if "example" in holder:
            yield from walk(holder["schema"], holder, "example")
        for entry in (holder.get("examples") or {}).values() if isinstance(holder.get("examples"), dict) else ():
            entry = deref(spec, entry)
            if isinstance(entry, dict) and "value" in entry:
                yield from walk(holder["schema"], entry, "value")


def _in_sandbox_mode(spec: dict, name: str, warnings: list) -> None:
    """Each example's live value of a field that takes a live mode and a trial one (`fallback.sandbox_mode`) read as
    the trial one, with one warning: Mollie's payments, shown `mode: live`, were made here and read back live. So is
    each `true` of a boolean field named for live mode (`livemode`): Conekta's orders, shown `livemode: true`."""
    changed = 0
    for node, container, key in _example_leaves(spec, kinds=(str, bool)):
        live = container[key]
        trial = (False if live is True and isinstance(key, str) and live_flag(key) else None) if isinstance(live, bool) \
            else sandbox_mode(node.get("enum") or ())
        if trial is not None and container[key] != trial:
            container[key] = trial
            changed += 1
    if changed:
        warnings.append(f"{name}: {changed} example value(s) of a field taking a live mode or a trial one "
                        f"(live or test) read as the trial one, as what a sandbox makes is")


def _paths_under_uri(spec: dict, name: str, warnings: list) -> None:
    """Each `format: uri` field whose examples write a path (`/2010-04-01/Accounts/AC.../Messages.json?Page=0`, as
    Twilio's pages give `first_page_uri` and `next_page_uri`) read as `uri-reference`, one warning each: the
    client joins the path to its API's address. As an absolute URI, each such example was replaced by a drawn
    URL out of the sandbox, and a page of kept resources could not say where its next page is."""
    relaxed: set = set()

    def walk(schema, value, where: str, depth: int = 0) -> None:
        node = deref(spec, schema) if isinstance(schema, dict) and depth < 12 else None
        if not isinstance(node, dict):
            return
        for member in node.get("allOf") or ():
            walk(member, value, where, depth + 1)
        if isinstance(value, str) and node.get("format") == "uri" and value.startswith("/") and not value.startswith("//"):
            node["format"] = "uri-reference"
            if id(node) not in relaxed:
                relaxed.add(id(node))
                warnings.append(f"{where}: {value!r} is a path under `format: uri`; read as `uri-reference`")
        elif isinstance(value, dict):
            for key, item in value.items():
                sub = (node.get("properties") or {}).get(key)
                walk(sub, item, f"{where}/{key}", depth + 1)
        elif isinstance(value, list):
            for item in value:
                walk(node.get("items"), item, f"{where}/0", depth + 1)

    for pointer, holder in _example_holders(spec):
        schema = holder.get("schema")
        values = [holder.get("example")] + [deref(spec, entry).get("value") for entry in (holder.get("examples") or {}).values()
                                            if isinstance(deref(spec, entry), dict)] \
            if isinstance(holder.get("examples"), dict) else [holder.get("example")]
        for value in values:
            if value is not None:
                walk(schema, value, f"{name}#{pointer}")


# Quotes an author wrapped a regular expression in, as prose writes it (Belvo's `‘^(\\d+)([mhd])$’`): with
# them, `^` follows a character and no value can match, so every answer holding the field was refused.
_QUOTES = (("\u2018", "\u2019"), ("\u201c", "\u201d"), ("'", "'"), ('"', '"'), ("`", "`"))


def _unquoted_pattern(schema: dict, where: str, warnings: list) -> None:
    """A `pattern` written inside quotes is read without them (the quotes anchor nothing), in place."""
    pattern = schema.get("pattern")
    if not isinstance(pattern, str) or len(pattern) < 3:
        return
    read = pattern
    for opening, closing in _QUOTES:
        if read.startswith(opening) and read.endswith(closing):
            read = read[len(opening):-len(closing)]
            break
    # A JavaScript regular expression literal (`/^\\d{11}$/`, as Brazil's Pix API writes its CPF and CNPJ
    # patterns): its slashes are delimiters, and with them `^` follows a character and no value can match, so
    # every request holding the field was refused and every answer holding it was a 500. Read without them
    # where what is inside anchors itself (a pattern that only contains slashes, `/api/`, stays as written).
    # Its flags after the closing slash (`/^[a-z0-9_+-]+$/i`, as Recurly writes its codes) are read too: `i` as
    # both cases written out (`_caseless`), `m` and `s` as inline flags; left as written, no value matched and
    # every answer holding the field was a 500.
    slashed = re.fullmatch(r"/(\^.*|.*\$)/([gimsuyd]*)", read, re.DOTALL)
    if slashed:
        flags = "".join(sorted({flag for flag in slashed.group(2) if flag in "ms"}))
        inner = _caseless(slashed.group(1)) if "i" in slashed.group(2) else slashed.group(1)
        read = (f"(?{flags})" if flags else "") + inner
    # Escaped twice (`\\\\d` for a digit): read once, where the schema's own example then fits and did not before.
    example = schema.get("example")
    if "\\\\" in read and isinstance(example, str) and not _matches(read, example) \
            and _matches(read.replace("\\\\", "\\"), example):
        read = read.replace("\\\\", "\\")
    # A lower bound written `{10+}` (the Recurring API's `transactionId: ^\\d{10+}$`) is no quantifier in any
    # dialect, so its braces are read as text and no value of digits fits: every answer holding the field failed
    # its own schema, and a charge was read as the draw, never as made. Read as `{10,}` where the schema's own
    # example then fits, or where it has none.
    bounded = re.sub(r"\{(\d+)\+\}", r"{\1,}", read)
    if bounded != read and (not isinstance(example, str) or _matches(bounded, example) and not _matches(read, example)):
        read = bounded
    if read != pattern:
        schema["pattern"] = read
        warnings.append(f"{where}/pattern: {pattern!r} is quoted, delimited, escaped twice or bounded as `{{n+}}`; "
                        f"read as {read!r}")


def _matches(pattern: str, value: str) -> bool:
    try:
        return re.search(pattern, value) is not None
    except re.error:
        return False


def _one_level_too_deep(schemas: Schemas, schema: dict, where: str, warnings: list) -> None:
    """An array of arrays whose own default is a flat list its inner items take is read as that flat list.

    Schema generators write a list of choices so (Nordigen's `access_scope`, declared a list of lists
    with the default `["balances", "details", "transactions"]`), and every client then sends the flat
    list, which the schema as written refuses. The author's default says which was meant.
    """
    items = deref(schemas.spec, schema.get("items"))
    value = schema.get("default")
    if (schema.get("type") != "array" or not isinstance(items, dict) or items.get("type") != "array"
            or not isinstance(value, list) or not value or schemas.fits(schema, value)):
        return
    inner = items.get("items") if isinstance(items.get("items"), dict) else {}
    if all(not isinstance(v, list) and schemas.fits(inner, v) for v in value):
        schema["items"] = inner
        warnings.append(f"{where}: an array of arrays whose default is a flat list ({value!r}); read as an "
                        "array of its inner items, as its default shows")


def _caseless(pattern: str) -> str:
    """`pattern` matching either case without a flag (`[a-z0-9_]` -> `[a-zA-Z0-9_]`, `x` -> `[xX]`): JSON Schema's
    patterns have no flags, and generators of test data (schemathesis) refuse an inline `(?i)`."""
    out, at, inside = [], 0, False
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            out.append(pattern[at:at + 2])
            at += 2
            continue
        if inside:
            if char == "]":
                inside = False
                out.append(char)
            elif at + 2 < len(pattern) and pattern[at + 1] == "-" and pattern[at + 2] != "]" and char.isalpha():
                low, high = char, pattern[at + 2]
                out.append(f"{low}-{high}{low.swapcase()}-{high.swapcase()}")
                at += 3
                continue
            else:
                out.append(char + (char.swapcase() if char.isalpha() and char.isascii() else ""))
        elif char == "[":
            inside = True
            out.append(char)
            if pattern[at + 1:at + 2] == "^":
                out.append("^")
                at += 1
        elif char.isalpha() and char.isascii():
            out.append(f"[{char}{char.swapcase()}]")
        else:
            out.append(char)
        at += 1
    return "".join(out)


def _fix(schemas: Schemas, schema: dict, container, key, where: str, warnings: list, replace: bool = True) -> None:
    """Coerce a bad value, else (with `replace`) complete or replace it, else leave it out; one warning."""
    value = container[key]
    problem = schemas.problem(schema, value)
    if problem is None:
        return
    if value is None and key == "example":
        # `example: null` where the schema takes no null is how generators write "no example" (Chargebee's
        # spec, on every field): replaced by a value drawn here, without the field's name, every id was the
        # word "sample" (all customers one customer) and every answer held that example, not what was sent.
        del container[key]
        warnings.append(f"{where}: {problem}; read as no example")
        return
    coerced = coerce(schemas.spec, schema, value)
    if schemas.fits(schema, coerced):
        container[key] = coerced
        shown = "the schema's types" if isinstance(coerced, (dict, list)) else repr(coerced)
        warnings.append(f"{where}: {problem}; coerced to {shown}")
        return
    if not replace:
        del container[key]
        warnings.append(f"{where}: {problem}; left out (a default its own schema refuses promises nothing)")
        return
    unnulled = nulls_left_out(schemas, schema, coerced)
    if unnulled != coerced and schemas.fits(schema, unnulled):
        container[key] = unnulled
        warnings.append(f"{where}: {problem}; the nulls it gives optional fields that take none left out")
        return
    rng = random.Random(int.from_bytes(hashlib.sha256(where.encode()).digest()[:8], "big"))
    # a required field's null too is drawn afresh, not the whole example: Open Banking Nigeria's transfer answer
    # writes `errors: null` (required text) beside `status: "00"`, which a generated example answered `sample`
    bare = nulls_left_out(schemas, schema, unnulled, required=True)
    completed = complete(schemas.spec, schema, bare, rng)
    if schemas.fits(schema, completed):
        container[key] = completed
        gave = " or gave a null" if bare != unnulled else ""
        warnings.append(f"{where}: {problem}; completed with values generated for the required fields it lacked{gave}")
        return
    # a field that does not fit is drawn afresh, not the whole example: Open Banking Nigeria's accounts answer
    # writes `data: {page_info, accounts}` where its schema says an array, and a generated example answered its
    # `status: "00"` as `sample`, which a connector checking the code reads as a refusal
    mended = field_by_field(schemas, schema, completed, rng) if isinstance(completed, (dict, list)) else None
    if mended is not None and schemas.fits(schema, mended):
        container[key] = mended
        warnings.append(f"{where}: {problem}; the fields that do not fit drawn afresh, the rest of the example kept")
        return
    for attempt in range(8):
        rng = random.Random(int.from_bytes(hashlib.sha256(f"{where}:{attempt}".encode()).digest()[:8], "big"))
        generated = generate(schemas.spec, _without_example(schema), rng)
        if schemas.fits(schema, generated):
            container[key] = generated
            warnings.append(f"{where}: {problem}; replaced by a value generated from the schema")
            return
    del container[key]
    warnings.append(f"{where}: {problem}; left out (no value generated from the schema fits it either)")


def nulls_left_out(schemas: Schemas, schema, value, required: bool = False):
    """`value` without the nulls it writes for optional fields whose schemas take none, at any depth; the
    rest of the author's data kept. Left out, such a field says what the null meant (Cashfree's order
    example has `terminal_data: null` where the schema says an object: the whole example was replaced by a
    generated order, whose card filters its own SDK cannot read). With `required`, required fields' such
    nulls too, for `complete` to draw."""
    spec = schemas.spec
    schema = flattened(spec, schema)
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        needed = set() if required else set(schema.get("required") or ())
        kept = {}
        for name, item in value.items():
            sub = property_schema(spec, schema, name)
            if item is None and name not in needed and sub is not None and not schemas.fits(sub, None):
                continue
            kept[name] = nulls_left_out(schemas, sub, item, required) if sub is not None else item
        return kept
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [nulls_left_out(schemas, schema["items"], item, required) for item in value]
    return value


def field_by_field(schemas: Schemas, schema, value, rng: random.Random, name: str | None = None):
    """`value` with each field that does not fit its schema made to, at any depth; every field that fits kept.

    An object where the schema says an array is the one item it fits as, or the one array it holds (a page's
    items beside its `page_info`); anything else that does not fit is drawn from its own schema, under its
    field's name. A value under a choice of schemas (oneOf, anyOf) that fits none is drawn whole."""
    spec = schemas.spec
    if schemas.fits(schema, value):
        return value
    node = flattened(spec, schema)
    if not isinstance(node, dict):
        return value
    if node.get("oneOf") or node.get("anyOf"):
        return generate(spec, _without_example(node), rng, name=name)
    items = node.get("items") if isinstance(node.get("items"), dict) else None
    kind = node.get("type")
    if isinstance(value, dict) and items is not None and kind in (None, "array"):
        if schemas.fits(items, value):
            return [value]
        arrays = [item for item in value.values() if isinstance(item, list)]
        if len(arrays) == 1:
            return field_by_field(schemas, schema, arrays[0], rng, name)
    if isinstance(value, list) and items is not None:
        return [field_by_field(schemas, items, item, rng, name) for item in value]
    if isinstance(value, dict) and kind in (None, "object"):
        mended = {}
        for field, item in value.items():
            sub = property_schema(spec, node, field)
            if sub is None:
                continue  # (a field the schema forbids is left out)
            mended[field] = field_by_field(schemas, sub, item, rng, field)
        return complete(spec, node, mended, rng)
    drawn = generate(spec, schema, rng, name=name)
    # (a field's own example may be as bad as the one it stands in: drawn without it)
    return drawn if schemas.fits(schema, drawn) else generate(spec, _without_example(node), rng, name=name)


def _forbidden(schema: dict) -> list:
    """The names `schema` requires but does not allow (no property, pattern or additionalProperties for them)."""
    return [name for name in schema.get("required") or () if isinstance(name, str)
            and schema.get("additionalProperties") is False and property_schema({}, schema, name) is None]


def complete(spec: dict, schema, value, rng: random.Random):
    """`value` with the required properties it lacks generated, at any depth; what it has is kept."""
    schema = flattened(spec, schema)
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        value = {k: complete(spec, property_schema(spec, schema, k) or {}, v, rng) for k, v in value.items()}
        for name in schema.get("required") or ():
            sub = property_schema(spec, schema, name)
            if name not in value and sub is not None and not deref(spec, sub).get("writeOnly"):
                value[name] = generate(spec, sub, rng, name=name)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        value = [complete(spec, schema["items"], item, rng) for item in value]
    return value


def _without_example(schema: dict) -> dict:
    """The schema without its own (bad) example, so the generator does not hand it back."""
    return {k: v for k, v in schema.items() if k not in ("example", "examples")}


def coerce(spec: dict, schema, value):
    """`value` turned into the types `schema` asks for where no information is lost (else unchanged)."""
    schema = deref(spec, schema)
    if not isinstance(schema, dict):
        return value
    for part in schema.get("allOf") or ():
        value = coerce(spec, part, value)
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if not kinds:
        kinds = ["object"] if "properties" in schema else ["array"] if "items" in schema else []
    if value is None or any(_is(kind, value) for kind in kinds):
        if isinstance(value, dict):
            properties = schema.get("properties") or {}
            return {k: coerce(spec, properties[k], v) if k in properties else v for k, v in value.items()}
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            return [coerce(spec, schema["items"], item) for item in value]
        return value
    for kind in kinds:
        converted = _convert(kind, value)
        if converted is not _NO:
            return converted
    return value


_NO = object()


def _is(kind: str, value) -> bool:
    if isinstance(value, bool):
        return kind == "boolean"
    return {"string": isinstance(value, str), "integer": isinstance(value, int),
            "number": isinstance(value, (int, float)), "object": isinstance(value, dict),
            "array": isinstance(value, list), "null": value is None}.get(kind, False)


def _convert(kind: str, value):
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, (date, datetime)):  # YAML reads an unquoted date as a date
            return value.isoformat()
    elif kind in ("integer", "number") and isinstance(value, str):
        try:
            number = int(value.strip()) if kind == "integer" else float(value.strip())
        except ValueError:
            return _NO
        return int(number) if kind == "number" and number.is_integer() and "." not in value else number
    elif kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    elif kind == "boolean" and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return _NO


def _example_holders(spec: dict):
    """(JSON pointer, object) for every media type, parameter and header object that has examples."""
    stack, walked = [("", spec)], set()
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, (dict, list)):
            if id(node) in walked:
                continue
            walked.add(id(node))
        if isinstance(node, list):
            stack.extend((f"{pointer}/{i}", item) for i, item in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        if "schema" in node and ("example" in node or "examples" in node):
            yield pointer, node
        for key, value in reversed(list(node.items())):
            if key not in ("example", "examples", "schema", "schemas") and not str(key).startswith("x-"):
                stack.append((f"{pointer}/{_escape(key)}", value))


def _escape(key) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


# A value written where the author meant "put yours here": `YOUR_MERCHANT_ACCOUNT`, `<id>`, `...`, `xxxxxxxx`, or
# the word `string` a generator of examples writes for any text.
_PLACEHOLDER = re.compile(r"^(?:YOUR_[A-Z0-9_]+|<[^<>]+>|\.{3}|\u2026|string|[xX]{6,})$")


def _placeholders_drawn(spec: dict, name: str, warnings: list) -> None:
    """Each example's placeholder (`_PLACEHOLDER`) of a field that takes other values drawn afresh as a value of its
    field, one warning for them all: Adyen's payment answered `merchantReference: "string"`, its links
    `merchantAccount: YOUR_MERCHANT_ACCOUNT`, Mollie's links `href: "..."`, to every client as if they were data. A
    field the client sends is answered as sent, as before. Where nothing better is drawn, the field's own words and
    a number (`MerchantReference4821`)."""
    schemas = schemas_of(spec)
    drawn: list = []
    for node, container, key in _example_leaves(spec, answers_only=True):
        value = container[key]
        field = key if isinstance(key, str) else None
        if not _PLACEHOLDER.match(value) or value in (node.get("enum") or ()) \
                or value == "string" and _words(field or "")[-1:] in (["type"], ["kind"], ["format"]):
            continue  # (`dataType: string` names a type: data, not a place held)
        rng = random.Random(int.from_bytes(hashlib.sha256(f"{field}:{value}".encode()).digest()[:8], "big"))
        candidate = generate(spec, _without_example(node), rng, name=field)
        if not isinstance(candidate, str) or _PLACEHOLDER.match(candidate) or candidate == "sample":
            candidate = "".join(word.capitalize() for word in _words(field or "value")) + str(rng.randrange(1000, 10000))
        if schemas.fits(node, candidate):
            container[key] = candidate
            drawn.append(value)
    if drawn:
        shown = ", ".join(repr(v) for v in sorted(set(drawn))[:3])
        warnings.append(f"{name}: {len(drawn)} example value(s) that only hold a place ({shown}"
                        f"{', ...' if len(set(drawn)) > 3 else ''}) drawn afresh as values of their fields")
