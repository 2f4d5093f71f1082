"""Reading a bank's published spec, as published, into the one shape every consumer reads.

A bank folder holds its spec exactly as the bank publishes it: Swagger 2.0, OpenAPI 3.0 or 3.1, YAML
or JSON, in one file or split over several files that `$ref` each other. `read(folder)` turns it, in
memory and never on disk, into one OpenAPI 3.0 document — the shape Connexion validates and serves, and
the one the binding loader, the fallback, the OAuth scopes and the SDK generator read — so no consumer
has to know which version the bank wrote:

- YAML is read without timestamp resolution: `baseDate: 2018-08-10` stays the string the author wrote.
- relative `$ref`s to other files in the folder are bundled into the document (a reference outside
  the folder, or over the network, is refused);
- Swagger 2.0 is converted (definitions, parameters, responses, security definitions, body and form
  parameters, consumes/produces, host/basePath/schemes);
- OpenAPI 3.1 schemas are written in 3.0 terms (`type: [T, "null"]` becomes `nullable`, numeric
  `exclusiveMinimum` a boolean one, `const` an enum, `examples` arrays an `example`); webhooks are
  left out (the sandbox serves requests, it does not call out);
- media types declared with parameters (`application/json;charset=UTF-8`) are keyed by their bare
  type, the way HTTP compares them; the declared form is kept in `Spec.media_types` so answers carry it;
- a `$ref` inside literal data (examples, defaults, enums, extensions) is data, and a key that names
  something (a response `default`, a property `value`) is a name (`_walk`); OpenAPI 3.1 `$id`/`$anchor`
  references become JSON pointers (`_resolve_ids`);
- every reference must point at something before Connexion sees the document: a missing schema is
  served as any value with a warning, anything else missing refuses the folder (`_check_refs`);
- a short list of cosmetic defects against the OpenAPI schema is normalised with a warning (`_tolerate`);
- a text field or parameter whose description gives its form as `yyyy-mm-dd` is a `date` (`_dates_in_words`);
- a money object's amount given as text beside its currency is a decimal number (`_amounts_as_text`).

Anything that cannot be served is a `SpecError` naming the file and the JSON pointer (or line), as
the author wrote it where the place exists in the author's file.
"""

from __future__ import annotations

import copy
import json
import pickle
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import fastjsonschema
import yaml
from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match

from .formats import OPENAPI_FORMATS
from .pointers import deref

# The spec file names a bank folder may hold (exactly one of them), in the order they are looked for.
SPEC_NAMES = ("openapi.yaml", "openapi.yml", "openapi.json", "swagger.yaml", "swagger.yml", "swagger.json")
TARGET_VERSION = "3.0.3"


class SpecError(ValueError):
    """A spec that cannot be served; the message names the file, the place in it and the reason."""


@dataclass(frozen=True)
class Spec:
    path: Path
    document: dict
    # What the author wrote: "Swagger 2.0", "OpenAPI 3.0.3", "OpenAPI 3.1.0".
    source_version: str
    # bare media type -> the type as declared, parameters and all ("application/json;charset=UTF-8")
    media_types: dict = field(default_factory=dict)
    warnings: tuple = ()
    # Every file the spec was read from: its own, and those its references reached.
    files: tuple = ()


def find(folder: Path) -> Path | None:
    """The folder's spec file, None when it has none; two spec files are an error.

    One of SPEC_NAMES; else the one YAML or JSON file of the folder that opens as an OpenAPI or Swagger document,
    as a spec is published and copied in under its own name (`cds_banking.json`, `polishapi.json`): a folder
    served nothing until the file was renamed."""
    found = [Path(folder) / name for name in SPEC_NAMES if (Path(folder) / name).is_file()]
    if not found:
        found = [path for path in sorted(Path(folder).iterdir()) if _opens_as_spec(path)]
        if len(found) > 1:
            raise SpecError(f"{folder}: holds {found[0].name} and {found[1].name}, both OpenAPI or Swagger documents; "
                            f"keep one spec per folder, or name the one to serve {SPEC_NAMES[0]}")
    if len(found) > 1:
        raise SpecError(f"{folder}: holds {found[0].name} and {found[1].name}; keep exactly one spec file")
    return found[0] if found else None


# The top of a document that says it is OpenAPI or Swagger (`openapi: 3.0.3`, `{"swagger": "2.0"`).
_SPEC_OPENING = re.compile(r'(^|\n|\{)\s*"?(openapi|swagger)"?\s*:')


def _opens_as_spec(path: Path) -> bool:
    """Whether `path` is a YAML or JSON file whose first few KB say it is an OpenAPI or Swagger document."""
    if not path.is_file() or path.suffix.lower() not in (".yaml", ".yml", ".json"):
        return False
    with path.open("rb") as file:
        return _SPEC_OPENING.search(file.read(4096).decode("utf-8", "replace")) is not None


def read(folder: Path) -> Spec:
    """Read and normalise the spec of a bank folder (see the module docstring)."""
    folder = Path(folder)
    path = find(folder)
    if path is None:
        raise SpecError(f"{folder}: no spec file (one of {', '.join(SPEC_NAMES)}, or a YAML or JSON file that opens "
                        "as an OpenAPI or Swagger document)")
    root = parse(path)
    if not isinstance(root, dict):
        raise SpecError(f"{path}: not an OpenAPI or Swagger document (the top level is not a mapping)")
    swagger, openapi = str(root.get("swagger", "")), str(root.get("openapi", ""))
    if swagger.startswith("2."):
        source, hoist = "Swagger 2.0", ("definitions",)
    elif re.fullmatch(r"3\.[01]\.\d+(-.+)?", openapi):
        source, hoist = f"OpenAPI {openapi}", ("components", "schemas")
    else:
        given = f"swagger: {swagger!r}" if swagger else f"openapi: {openapi!r}" if openapi else "no 'openapi' or 'swagger' key"
        raise SpecError(f"{path}: not a Swagger 2.0 or OpenAPI 3.0/3.1 document ({given})")
    swagger2 = source == "Swagger 2.0"
    if openapi.startswith("3.1"):
        _resolve_ids(root, path)
    warnings: list[str] = []
    bundler = _Bundler(folder, path, root, hoist, swagger2, warnings)
    document = bundler.bundle()
    _check_refs(document, path, warnings, swagger2=swagger2)  # in the author's terms, before any conversion
    if not swagger2:
        _hoist_deep_refs(document, hoist)  # before the conversion leaves out `definitions`/`$defs`
    if swagger2:
        document = _from_swagger2(document, path)
    elif openapi.startswith("3.1"):
        document = _from_openapi31(document, warnings)
    document.setdefault("paths", {})
    document["paths"] = document["paths"] or {}
    media_types = _bare_media_types(document, path, warnings)
    document = _string_keys(document)  # as Connexion reads it (YAML makes `200:` an int)
    if not source.startswith("OpenAPI 3.0") or media_types:  # what the conversion moved must still be where its references say
        _check_refs(document, path, warnings, form=_form(source))
    _tolerate(document, path, warnings)
    _dates_in_words(document, path, warnings)
    _amounts_as_text(document, path, warnings)
    _validate(document, path, source)
    return Spec(path, document, source, media_types, tuple(warnings), tuple(bundler.files))


# -- reading files --------------------------------------------------------------------------------

class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader read as OpenAPI means it (YAML 1.2): an unquoted date stays the text the
    author wrote, and only true/false are booleans (YAML 1.1 made a property named `no` a False)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def parse(path: Path):
    """One YAML or JSON file as a tree, read as OpenAPI means YAML (1.2), with libyaml when installed.

    Each version of a file (named by its modification time and size) is read once per process and kept
    pickled: every app made after the first (a server's workers, a test suite's servers) unpickles it,
    about fourteen times faster than reading the YAML again, and gets a tree of its own to change.
    """
    try:
        stat = path.stat()
    except OSError as error:
        raise SpecError(f"{path}: cannot read the file: {error}") from None
    return pickle.loads(_parsed(path, path.resolve(), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=256)
def _parsed(path: Path, resolved: Path, mtime_ns: int, size: int) -> bytes:
    """`path`'s tree pickled (`resolved`, the time and the size name the file's version; `path` is how errors name it)."""
    return pickle.dumps(_read(path), protocol=pickle.HIGHEST_PROTOCOL)


def _read(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte order mark (specs saved by Windows tools) is no content
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{path}: cannot read the file: {error}") from None
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise SpecError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, minus timestamps
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SpecError(f"{path}{line}: not valid YAML: {getattr(error, 'problem', None) or error}") from None


def _pointer(document, fragment: str, where: str):
    target = document
    for part in [p for p in fragment.split("/") if p != ""]:
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        elif isinstance(target, dict) and part in target:
            target = target[part]
        elif isinstance(target, dict) and part.isdigit() and int(part) in target:  # YAML's `200:` is an int key
            target = target[int(part)]
        else:
            raise SpecError(f"{where}: the reference points at nothing (no {part!r})")
    return target


class _Bundler:
    """Inlines `$ref`s to other files of the folder; a schema that contains itself becomes a named one.

    A reference back into the root file stays an ordinary internal reference (the root is the
    document); each target is bundled once and shared by every reference to it.
    """

    def __init__(self, folder: Path, path: Path, root: dict, hoist: tuple, swagger2: bool, warnings: list | None = None):
        self.folder, self.path, self.root, self.hoist, self.swagger2 = folder.resolve(), path.resolve(), root, hoist, swagger2
        self.warnings = warnings if warnings is not None else []
        self.files = {self.path: root}
        self.bundled: dict = {}  # (file, fragment) -> the bundled target
        self.hoisted: dict = {}  # (file, fragment) -> schema name, for targets that contain themselves
        self.named: dict = {}  # schema name -> the bundled schema
        self.urls: dict = {}  # a schema's URL reference -> the places it stands, each read as any value

    def bundle(self) -> dict:
        if not _refers_to_files(self.root):
            return self.root  # most specs: one file, nothing to do
        document = self._walk(self.root, self.path, "#", ())
        for ref, places in self.urls.items():
            shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
            self.warnings.append(f"{self.path.name}: $ref {ref!r} names a schema outside the bank folder (used at {shown}); "
                                 f"served as a schema that takes any value: the sandbox fetches nothing")
        if self.named:
            home = document
            for key in self.hoist:
                home = home.setdefault(key, {})
            home.update(self.named)
        return document

    def _walk(self, node, base: Path, at: str, stack: tuple):
        """Replace, in `node`, every reference that leaves `base` (or is not local to it) by its target."""
        def visit(obj: dict, where: str):
            ref = obj.get("$ref")
            if isinstance(ref, str) and not (base == self.path and ref.startswith("#")):
                return self._follow(ref, base, where, stack)
            discriminator = obj.get("discriminator")
            if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict) and base != self.path:
                obj["discriminator"] = {**discriminator, "mapping": self._mapping(discriminator["mapping"], base, where, stack)}
            return obj

        return _walk(node, visit, at, self.swagger2)

    def _follow(self, ref: str, base: Path, at: str, stack: tuple):
        where = f"{base}: {at}/$ref {ref!r}"
        name, _, fragment = ref.partition("#")
        if re.match(r"[a-z][a-z0-9+.-]*:", name, re.I):
            if _stands_for_schema(at):
                # A schema published in another document (the ePayment API's `receipt` names a URL of another
                # API's spec): the sandbox fetches nothing, so it takes any value, as a schema the spec does not
                # define does; as a refusal, the whole API was unserved for one field.
                self.urls.setdefault(ref, []).append(at)
                return {}
            raise SpecError(f"{where}: refers outside the bank folder; keep every file the spec needs in the folder")
        target_path = (base.parent / unquote(name)).resolve() if name else base
        if not target_path.is_relative_to(self.folder):
            raise SpecError(f"{where}: refers outside the bank folder {self.folder}; keep every file the spec needs in it")
        if target_path == self.path:
            return {"$ref": "#" + fragment}
        if at.rsplit("/", 1)[-1] in _TEXT_FIELDS and not fragment:
            # Text kept in a file of its own (Stoplight's and Redocly's `description: {$ref: docs/intro.md}`):
            # the file's text where it is in the folder, else no text; it is documentation either way.
            if target_path.suffix.lower() not in (".yaml", ".yml", ".json"):
                if target_path.is_file():
                    return target_path.read_text(encoding="utf-8", errors="replace")
                self.warnings.append(f"{where}: no such file in the bank folder; read as no text")
                return ""
        key = (target_path, fragment)
        if key in stack:
            self.hoisted.setdefault(key, self._name(fragment, target_path))
            return self._ref(key)
        if key not in self.bundled:
            if target_path not in self.files:
                if not target_path.is_file():
                    raise SpecError(f"{where}: no such file {target_path.relative_to(self.folder)} in the bank folder")
                self.files[target_path] = parse(target_path)
            # A copy: the walk replaces references in place, and the file's tree serves other references as written.
            target = copy.deepcopy(_pointer(self.files[target_path], fragment, where))
            self.bundled[key] = self._walk(target, target_path, f"#{fragment}", (*stack, key))
            if key in self.hoisted:
                self.named[self.hoisted[key]] = self.bundled[key]
        return self._ref(key) if key in self.hoisted else self.bundled[key]

    def _mapping(self, mapping: dict, base: Path, at: str, stack: tuple) -> dict:
        """A discriminator's mapping in a file other than the root, its targets named in the bundled document:
        its references are relative to that file (Unit's `#/components/schemas/DepositAccount` in
        `schemas/account.json`), and read from the root they named nothing, so no subtype was drawn."""
        out = {}
        for value, target in mapping.items():
            ref = str(target) if ("#" in str(target) or "/" in str(target)) else f"#/components/schemas/{target}"
            name, _, fragment = ref.partition("#")
            key = ((base.parent / unquote(name)).resolve() if name else base, fragment)
            if key[0] == self.path:
                out[value] = "#" + fragment
                continue
            self.hoisted.setdefault(key, self._name(fragment, key[0]))
            out[value] = self._follow(ref, base, f"{at}/discriminator/mapping", stack)["$ref"]
        return out

    def _ref(self, key) -> dict:
        return {"$ref": "#/" + "/".join(self.hoist) + "/" + self.hoisted[key]}

    def _name(self, fragment: str, path: Path) -> str:
        home = self.root
        for key in self.hoist:
            home = home.get(key) if isinstance(home, dict) else None
        taken = set(home or ()) | set(self.hoisted.values())
        base = re.sub(r"[^A-Za-z0-9._-]", "_", fragment.rstrip("/").rsplit("/", 1)[-1] or path.stem) or "Schema"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}{n}"
        return name


_TEXT_FIELDS = {"description", "summary", "title"}
# Where a `$ref` stands for a schema: under a key naming one, or one place down a key holding several.
_SCHEMA_KEYS = {"schema", "items", "additionalProperties", "not", "additionalItems", "contains"}
_SCHEMAS_KEYS = {"properties", "patternProperties", "schemas", "definitions", "$defs", "allOf", "anyOf", "oneOf", "prefixItems"}


def _stands_for_schema(at: str) -> bool:
    """Whether the object at JSON pointer `at` is a schema, by the keys leading to it."""
    parts = at.split("/")
    return parts[-1] in _SCHEMA_KEYS or (len(parts) > 1 and parts[-2] in _SCHEMAS_KEYS)


def _refers_to_files(node) -> bool:
    """Whether anything under `node` is a `$ref` to another file."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        return (isinstance(ref, str) and not ref.startswith("#")) or any(_refers_to_files(v) for v in node.values())
    if isinstance(node, list):
        return any(_refers_to_files(v) for v in node)
    return False


# -- walking the document -------------------------------------------------------------------------

# A key's meaning depends on where it stands. In an object of OpenAPI or JSON Schema keywords, `example`,
# `default`, `enum`, `const`, an Example's `value` and every `x-` extension hold literal data: a `$ref`
# in them is data (Square's examples are JSON Schemas, references and all), so nothing is followed,
# rewritten or checked there. The value of a key of _NAME_MAPS is a map of names: its keys are whatever
# the author called a response (`default`), a property (`value`), a parameter (`example`), and each
# value is again an object of keywords. `examples` is literal data in Swagger 2.0 (media type -> example)
# and as a 3.1 schema's list, and a map of names of Example objects in OpenAPI 3.
_NAME_MAPS = {"properties", "patternProperties", "definitions", "schemas", "securitySchemes", "securityDefinitions",
              "responses", "headers", "content", "paths", "callbacks", "links", "encoding", "requestBodies",
              "variables", "scopes", "mapping", "webhooks", "pathItems", "$defs", "dependentSchemas", "parameters",
              "examples"}
_LITERAL = {"example", "default", "enum", "const", "value"}


def _literal_key(key, value, swagger2: bool) -> bool:
    """Whether `key`, a keyword of an object, holds literal data (see above)."""
    if not isinstance(key, str):
        return False
    if key == "examples":
        return swagger2 or not isinstance(value, dict)
    return key in _LITERAL or key.startswith("x-")


def _walk(node, visit, at: str = "#", swagger2: bool = False, literal=None):
    """Visit every object of keywords under `node`, children first; return what stands in its place.

    `visit(object, pointer)` returns the object to keep where it stood (itself, changed or not, or a
    replacement); the containers are updated in place. Literal data is not walked: `literal(value,
    pointer)`, when given, returns what to keep instead. Pointers are escaped as RFC 6901 says.
    """
    def one(value, where: str):
        if isinstance(value, list):
            for index, item in enumerate(value):
                value[index] = one(item, f"{where}/{index}")
            return value
        if not isinstance(value, dict):
            return value
        for key, sub in list(value.items()):
            here = _join(where, key)
            if _literal_key(key, sub, swagger2):
                if literal is not None:
                    value[key] = literal(sub, here)
            elif key in _NAME_MAPS and isinstance(sub, dict):
                for name, entry in list(sub.items()):
                    sub[name] = one(entry, _join(here, name))
            else:
                value[key] = one(sub, here)
        return visit(value, where)

    return one(node, at)


def _join(pointer: str, key) -> str:
    return f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _form(source: str) -> str:
    """How a message names a place in the document the sandbox built from the author's."""
    return "" if source.startswith("OpenAPI 3.0") else f" (of the OpenAPI 3.0 form of this {source} document)"


# -- references ------------------------------------------------------------------------------------

def _resolve_ids(root: dict, path: Path) -> None:
    """OpenAPI 3.1: a `$ref` to a schema's `$id`, or to an `$anchor`, becomes the JSON pointer of that schema.

    JSON Schema 2020-12 lets a schema name itself (`$id: /components/schemas/petdetails`, resolved
    against the `$id`s around it) and a place in it (`$anchor: pet_details_id`), and a reference name
    either (`$ref: /components/schemas/petdetails#pet_details_id`). Only identifiers declared in the
    spec file itself are known; a reference that names one of them but matches none is refused saying
    so, rather than being taken for a file.
    """
    ids, anchors, refs = {}, {}, []

    def visit(obj: dict, at: str):
        if isinstance(obj.get("$id"), str):
            ids[at] = obj["$id"]
        if isinstance(obj.get("$anchor"), str):
            anchors[at] = obj["$anchor"]
        ref = obj.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#/") and ref != "#":
            refs.append((obj, at))
        return obj

    _walk(root, visit)
    if not refs:
        return

    def base(at: str) -> str:  # the `$id`s of the place and of what holds it, each resolved against the last
        uri, parts = "", at.split("/")
        for depth in range(1, len(parts) + 1):
            uri = urljoin(uri, ids.get("/".join(parts[:depth]), ""))
        return uri.partition("#")[0]

    known = {base(at): at for at in ids}
    known.update({f"{base(at)}#{name}": at for at, name in anchors.items()})
    for obj, at in refs:
        uri = urljoin(base(at), obj["$ref"])
        resource, _, fragment = uri.partition("#")
        if uri in known:
            obj["$ref"] = known[uri]
        elif resource in known and fragment.startswith("/"):
            obj["$ref"] = known[resource] + fragment
        elif resource in known or uri.startswith(("/", "#")):
            raise SpecError(f"{path}: {at}/$ref {obj['$ref']!r}: names no $id or $anchor declared in {path.name} "
                            f"(OpenAPI 3.1 $id/$anchor references are resolved within the spec file only)")


def _check_refs(document: dict, path: Path, warnings: list, form: str = "", swagger2: bool = False) -> None:
    """Every reference must point at something, before Connexion resolves them (it stops the app when one does not).

    A reference to a schema that is not there (`#/components/schemas/Missing`, `#/definitions/Missing`)
    is served as `{}`, a schema that takes any value, with a warning naming it and where it is used:
    published specs carry such slips (Square's `CatalogModifierToggleOverrideType`), and the rest of a
    large spec is worth serving; the sandbox then neither checks nor generates that part, which the
    warning says. Any other reference that points at nothing (a parameter, a response, a place in a
    path) refuses the folder: there is nothing neutral to put in its place. Literal data is not looked
    at (see `_walk`).
    """
    missing: dict = {}

    def visit(obj: dict, at: str):
        ref = obj.get("$ref")
        if not isinstance(ref, str):
            return obj
        where = f"{path}: {at}/$ref {ref!r}{form}"
        if not ref.startswith("#"):
            raise SpecError(f"{where}: not a reference within the document")
        try:
            _pointer(document, ref[1:], where)
        except SpecError:
            if not ref.startswith(("#/components/schemas/", "#/definitions/")):
                raise
            missing.setdefault(ref, []).append(at)
            return {key: value for key, value in obj.items() if key != "$ref"}
        return obj

    _walk(document, visit, swagger2=swagger2)
    for ref, places in missing.items():
        shown = ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
        warnings.append(f"{path.name}: $ref {ref!r}{form} points at no schema (used at {shown}); served as a schema "
                        f"that takes any value: the sandbox neither checks nor generates what it should describe")


class LiteralKey(str):
    """The key `$ref` in literal data (an example, a default): data, not a reference.

    Connexion resolves every mapping with a `$ref` key, data included (`connexion.json_schema.resolve_refs`),
    and stops the app when one does not resolve: Square's examples are JSON Schemas whose references
    point at Square's servers. This key reads and is written as the text `$ref`, but neither compares
    nor hashes equal to it, so `"$ref" in mapping` is false and no resolver takes the data for a
    reference; `str()` keeps it (Connexion rebuilds every mapping of the spec with `str(key)`).
    """

    def __eq__(self, other) -> bool:
        return type(other) is LiteralKey and str.__eq__(self, other)

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((LiteralKey, str.__str__(self)))

    def __str__(self) -> str:
        return self


def shield_literal_refs(document: dict) -> dict:
    """Make every `$ref` key inside literal data a `LiteralKey` (the document, changed in place).

    Called on the document as served, once nothing rebuilds its examples any more (loader.py).
    """
    def shield(value, _at=None):
        if isinstance(value, list):
            return [shield(item) for item in value]
        if isinstance(value, dict):
            return {(LiteralKey(key) if key == "$ref" else key): shield(sub) for key, sub in value.items()}
        return value

    def names(obj: dict, _at):
        # A map of names (a schema's `properties`) may name a property `$ref` (a schema describing JSON Schema
        # documents): a name, not a reference, which Connexion's resolver would read as one and fail on.
        for key in _NAME_MAPS & set(obj):
            entries = obj[key]
            if isinstance(entries, dict) and isinstance(entries.get("$ref"), dict):
                obj[key] = {(LiteralKey(name) if name == "$ref" else name): sub for name, sub in entries.items()}
        return obj

    return _walk(document, names, literal=shield)


# -- OpenAPI 3.1 -----------------------------------------------------------------------------------

# JSON Schema 2020-12 keywords OpenAPI 3.0 has no word for: the bookkeeping ones go quietly (a `$defs`
# has been bundled where it is referred to), the constraints go with a warning that they are not checked.
_BOOKKEEPING_31 = ("$schema", "$id", "$anchor", "$comment", "$defs", "$dynamicAnchor", "$vocabulary", "contentMediaType",
                   "contentEncoding")
_UNCHECKED_31 = ("$dynamicRef", "contentSchema", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
                 "dependentSchemas", "prefixItems", "contains", "minContains", "maxContains", "propertyNames",
                 "if", "then", "else")


def _null_admitted(node: dict) -> dict:
    """`node` taking null as well, in 3.0 terms: `nullable`, and null among its `enum` where it has one (3.0
    reads an enum without null as refusing it, `nullable` or not: Increase's `anyOf: [{enum: [...]}, {type:
    null}]` then refused its own examples' nulls)."""
    node = {**node, "nullable": True}
    if isinstance(node.get("enum"), list) and None not in node["enum"]:
        node["enum"] = [*node["enum"], None]
    return node


def _hoist_deep_refs(document: dict, home: tuple) -> None:
    """A `$ref` into a schema's own `definitions`/`$defs`, or by an escaped pointer, names a copy of its
    target under a new name among the named schemas instead (the document, changed in place).

    Published specs point into other schemas (`#/components/schemas/Company/definitions/companyDetails`,
    a JSON Schema `definitions` or `$defs` that OpenAPI 3.0 has no word for, and that is left out in the
    conversion, which left the reference pointing at nothing; `#/components/schemas/Companies/allOf/1`)
    and into operations (`#/paths/~1companies~1%7BcompanyId%7D~1syncSettings/post/requestBody/...`,
    escaped as RFC 6901 and RFC 3986 say, which Connexion's resolver reads only into a copy, leaving the
    reference in the parameters it was shared with). The target is copied under its key (else the key
    after its owner's name) and every reference to it, or to a place inside it, is rewritten; repeated
    until no reference goes deep (a copied schema may hold such references of its own)."""
    schemas = document
    for key in home:
        schemas = schemas.setdefault(key, {}) if isinstance(schemas, dict) else {}
    hoisted: dict = {}  # the pointer of a target -> its name among the schemas
    depth = len(home) + 1  # `#/components/schemas/Name`: the segments of a named schema

    def name_for(parts: list) -> str:
        words = [p for p in parts if p not in _NAME_MAPS and p not in ("allOf", "anyOf", "oneOf", "items", "schema",
                                                                       "content", "requestBody", "paths") and not p.isdigit()]
        base = re.sub(r"[^A-Za-z0-9._-]", "_", words[-1] if words else "Schema").strip("_") or "Schema"
        owner = re.sub(r"[^A-Za-z0-9._-]", "_", parts[depth - 1]).strip("_") if parts[:depth - 1] == list(home) else ""
        candidates = [base] + ([f"{owner}.{base}"] if owner else [])
        n = 2
        while all(c in schemas for c in candidates):
            candidates.append(f"{owner or 'Schema'}.{base}{n}")
            n += 1
        return next(c for c in candidates if c not in schemas)

    def visit(obj: dict, at: str):
        ref = obj.get("$ref")
        if _LISTED_PARAMETER.search(at):
            return _parameter_copied(document, obj, at)
        for _ in range(32):
            if not (isinstance(ref, str) and ref.startswith("#/")):
                break
            parts = [unquote(p).replace("~1", "/").replace("~0", "~") for p in ref[2:].split("/")]
            if parts[:depth - 1] == list(home) and len(parts) <= depth:
                break  # a named schema
            if parts[0] in ("components", "definitions", "parameters", "responses") and len(parts) <= 3:
                break  # a named parameter, response, ...: not a schema
            through_definitions = any(parts[i] in ("$defs", "definitions") and parts[i - 1] not in _NAME_MAPS
                                      for i in range(depth, len(parts) - 1))
            if not through_definitions and "~" not in ref and "%" not in ref:
                break  # a plain pointer into a schema (`.../Owner/properties/name`): every reader follows it
            try:
                target = _pointer(document, ref[1:], at)
            except SpecError:
                break  # points at nothing: _check_refs says so
            if not isinstance(target, dict):
                break
            key = "/".join(parts)
            if key not in hoisted:
                hoisted[key] = name_for(parts)
                schemas[hoisted[key]] = copy.deepcopy(target)
            ref = "#/" + "/".join(_join("", p)[1:] for p in home) + _join("", hoisted[key])
        if ref != obj.get("$ref"):
            obj["$ref"] = ref
        return obj

    for _ in range(8):  # a copied schema may refer deep itself
        before = len(hoisted)
        _walk(document, visit)
        if len(hoisted) == before:
            break


# Where a Parameter object stands in an operation's or a path's list of them.
_LISTED_PARAMETER = re.compile(r"/parameters/\d+$")


def _parameter_copied(document: dict, obj: dict, at: str) -> dict:
    """A parameter of a list that refers to another operation's (Codat's `{$ref: '#/paths/~1companies~1%7BcompanyId
    %7D.../get/parameters/2'}`), as a copy of it: not a schema, so not among the named schemas (where it was put,
    and the document was refused for a schema `required: true`). A reference to a named parameter stays."""
    found = obj
    for _ in range(32):
        ref = found.get("$ref") if isinstance(found, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/paths/")):
            break
        try:
            found = _pointer(document, ref[1:], at)
        except SpecError:
            return obj  # points at nothing: _check_refs says so
    return copy.deepcopy(found) if found is not obj and isinstance(found, dict) else obj


def _from_openapi31(document: dict, warnings: list) -> dict:
    dropped: set = set()

    def fix(node: dict) -> dict:
        kind = node.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            node = {k: v for k, v in node.items() if k != "type"}
            if len(kinds) < len(kind):
                node = _null_admitted(node)
            if len(kinds) == 1:
                node["type"] = kinds[0]
            elif kinds:
                node["anyOf"] = [{"type": k} for k in kinds]
        elif kind == "null":
            node = {**{k: v for k, v in node.items() if k != "type"}, "nullable": True, "enum": [None]}
        for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            value = node.get(bound)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                node = {**node, limit: value, bound: True}
        if "const" in node:
            node = {**{k: v for k, v in node.items() if k != "const"}, "enum": [node["const"]]}
        if isinstance(node.get("examples"), list):
            examples = node["examples"]
            node = {k: v for k, v in node.items() if k != "examples"}
            if examples and "example" not in node:
                node["example"] = examples[0]
        for combinator in ("oneOf", "anyOf"):
            options = node.get(combinator)
            if isinstance(options, list) and any(_only_null(o) for o in options):
                rest = [o for o in options if not _only_null(o)]
                if len(rest) == 1 and "$ref" not in rest[0] and not (set(node) - {combinator, "nullable"}):
                    node = _null_admitted(rest[0])
                else:  # the null alternative stays: a validator of 3.0 reads `nullable` beside a combinator as no null
                    node = {**node, combinator: [*rest, {"nullable": True, "enum": [None]}], "nullable": True}
        if any(key in node for key in (*_BOOKKEEPING_31, *_UNCHECKED_31)):
            dropped.update(key for key in _UNCHECKED_31 if key in node)
            node = {k: v for k, v in node.items() if k not in _BOOKKEEPING_31 and k not in _UNCHECKED_31}
        return node

    out = _walk({k: v for k, v in document.items() if k not in ("webhooks", "jsonSchemaDialect")}, lambda node, _: fix(node))
    unknown: set = set()
    for _, schema in schema_nodes(out):  # 2020-12 lets a schema carry any keyword, an annotation; 3.0 does not
        extra = [key for key in schema if key not in _SCHEMA_30 and not str(key).startswith("x-")]
        unknown.update(extra)
        for key in extra:
            del schema[key]
    if unknown:
        warnings.append(f"schema keywords OpenAPI 3.0 does not know were left out (annotations): {', '.join(sorted(unknown))}")
    out["openapi"] = TARGET_VERSION
    info = out.get("info") or {}
    out["info"] = {k: v for k, v in info.items() if k != "summary"}
    if isinstance(info.get("license"), dict):
        out["info"]["license"] = {k: v for k, v in info["license"].items() if k != "identifier"}
    components = out.get("components") or {}
    components.pop("pathItems", None)
    for name, scheme in list((components.get("securitySchemes") or {}).items()):
        if isinstance(scheme, dict) and scheme.get("type") == "mutualTLS":
            del components["securitySchemes"][name]
            warnings.append(f"security scheme {name!r} (mutualTLS) is not enforced by the sandbox")
    if document.get("webhooks"):
        warnings.append("webhooks are documentation here: the sandbox serves the paths, it does not call webhooks")
    if dropped:
        warnings.append(f"JSON Schema keywords OpenAPI 3.0 cannot state were not checked: {', '.join(sorted(dropped))}")
    return out


# The Schema object's fields in OpenAPI 3.0.
_SCHEMA_30 = {"$ref", "title", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength",
              "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxProperties", "minProperties", "required",
              "enum", "type", "allOf", "oneOf", "anyOf", "not", "items", "properties", "additionalProperties",
              "description", "format", "default", "nullable", "discriminator", "readOnly", "writeOnly", "xml",
              "externalDocs", "example", "deprecated"}


# Keys under which a schema object holds further schemas (OpenAPI 3.0 and 3.1).
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_ONES = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames",
                "unevaluatedProperties", "unevaluatedItems", "additionalItems")


def schema_nodes(spec: dict):
    """(JSON pointer, schema) for every schema object written in the spec (each where it stands)."""
    stack, walked = [("", spec, False)], set()
    while stack:
        pointer, node, is_schema = stack.pop()
        if isinstance(node, (dict, list)):
            if (id(node), is_schema) in walked:  # a node shared through a YAML anchor: walked once
                continue
            walked.add((id(node), is_schema))
        if isinstance(node, list):
            stack.extend((f"{pointer}/{i}", item, is_schema) for i, item in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        if is_schema:
            yield pointer, node
            children = []
            for key in _SCHEMA_MAPS:
                if isinstance(node.get(key), dict):
                    children += [(_join(f"{pointer}/{key}", n), sub, True) for n, sub in node[key].items()]
            for key in _SCHEMA_LISTS:
                if isinstance(node.get(key), list):
                    children += [(f"{pointer}/{key}/{i}", sub, True) for i, sub in enumerate(node[key])]
            for key in _SCHEMA_ONES:
                if isinstance(node.get(key), (dict, list)):
                    children.append((f"{pointer}/{key}", node[key], True))
            stack.extend(reversed(children))
            continue
        for key, value in reversed(list(node.items())):
            if key in ("example", "examples") or str(key).startswith("x-"):
                continue  # data, not more of the document
            child = _join(pointer, key)
            if key == "schema":
                stack.append((child, value, True))
            elif (pointer, key) in (("/components", "schemas"), ("", "definitions")) and isinstance(value, dict):
                stack.extend((_join(child, n), sub, True) for n, sub in reversed(list(value.items())))
            else:
                stack.append((child, value, False))


def _only_null(schema) -> bool:
    """`{type: "null"}`, as written or as already rewritten (the walk goes bottom up)."""
    return schema in ({"type": "null"}, {"nullable": True, "enum": [None]})


# -- Swagger 2.0 -----------------------------------------------------------------------------------

_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
                "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
                "multipleOf")
_STYLES = {"csv": ("form", False), "multi": ("form", True), "ssv": ("spaceDelimited", False),
           "pipes": ("pipeDelimited", False), "tsv": ("form", False)}
_FLOWS = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
          "accessCode": "authorizationCode"}
_FLOW_URLS = {"implicit": ("authorizationUrl",), "password": ("tokenUrl",), "clientCredentials": ("tokenUrl",),
              "authorizationCode": ("authorizationUrl", "tokenUrl")}


def _from_swagger2(source: dict, path: Path) -> dict:
    """Swagger 2.0 → OpenAPI 3.0, as the 3.0 specification maps each part."""
    source = _walk(source, _swagger_object, swagger2=True)
    consumes = source.get("consumes") or ["application/json"]
    produces = source.get("produces") or ["application/json"]
    shared = source.get("parameters") or {}
    out = {"openapi": TARGET_VERSION, "info": source.get("info") or {"title": path.parent.name, "version": "0"}}
    for key in ("tags", "externalDocs", "security"):
        if key in source:
            out[key] = source[key]
    out.update({k: v for k, v in source.items() if isinstance(k, str) and k.startswith("x-")})
    host, base = source.get("host"), source.get("basePath") or "/"
    schemes = source.get("schemes") or ["https"]
    out["servers"] = [{"url": f"{scheme}://{host}{base}"} for scheme in schemes] if host else [{"url": base}]
    components: dict = {}
    if source.get("definitions"):
        components["schemas"] = source["definitions"]
    plain = {name: _parameter(p) for name, p in shared.items() if isinstance(p, dict) and p.get("in") not in ("body", "formData")}
    if plain:
        components["parameters"] = plain
    if source.get("responses"):
        components["responses"] = {str(code): _response(r, produces) for code, r in source["responses"].items()}
    schemes_out = {}
    for name, definition in (source.get("securityDefinitions") or {}).items():
        schemes_out[name] = _security_scheme(name, definition, path)
    if schemes_out:
        components["securitySchemes"] = schemes_out
    if components:
        out["components"] = components
    paths = {}
    for route, item in (source.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        common = item.get("parameters") or []
        new_item = {k: v for k, v in item.items() if isinstance(k, str) and (k.startswith("x-") or k in ("summary", "description"))}
        if common:
            new_item["parameters"] = [_parameter(p) for p in common if _place(p, shared) not in ("body", "formData")]
        for method in ("get", "put", "post", "delete", "options", "head", "patch"):
            if isinstance(item.get(method), dict):
                new_item[method] = _operation(item[method], common, shared, consumes, produces)
        paths[route] = new_item
    out["paths"] = paths
    return out


def _swagger_object(node: dict, _at: str) -> dict:
    """One object of a Swagger 2.0 document in OpenAPI 3.0's words: schema keywords, and where references point."""
    if node.get("type") == "file":
        node = {**node, "type": "string", "format": "binary"}
    if "x-nullable" in node:
        node = {**{k: v for k, v in node.items() if k != "x-nullable"}, "nullable": bool(node["x-nullable"])}
    if isinstance(node.get("discriminator"), str) and "properties" in node:
        node = {**node, "discriminator": {"propertyName": node["discriminator"]}}
    ref = node.get("$ref")
    for old, new in (("#/definitions/", "#/components/schemas/"), ("#/responses/", "#/components/responses/"),
                     ("#/parameters/", "#/components/parameters/")):
        if isinstance(ref, str) and ref.startswith(old):
            node = {**node, "$ref": new + ref[len(old):]}
    return node


def _place(parameter, shared) -> str | None:
    """Where a parameter travels (`in`), following a reference to a shared parameter."""
    return _shared(parameter, shared).get("in")


def _shared(parameter, shared) -> dict:
    ref = parameter.get("$ref") if isinstance(parameter, dict) else None
    if isinstance(ref, str) and ref.startswith("#/components/parameters/"):
        return shared.get(ref.rsplit("/", 1)[1]) or {}
    return parameter if isinstance(parameter, dict) else {}


def _parameter(parameter: dict) -> dict:
    if "$ref" in parameter:
        return parameter
    out = {k: v for k, v in parameter.items()
           if k in ("name", "in", "description", "required", "deprecated", "allowEmptyValue") or str(k).startswith("x-")}
    out.pop("x-example", None)
    if out.get("in") == "path":
        out["required"] = True
    schema = _schema_of(parameter)
    if schema.get("type") == "array":
        style, explode = _STYLES.get(parameter.get("collectionFormat", "csv"), ("form", False))
        if parameter.get("in") in ("path", "header"):
            style = "simple"
        if parameter.get("in") in ("query", "cookie") or style == "simple":
            out["style"], out["explode"] = style, explode
    out["schema"] = schema
    if "x-example" in parameter:
        out["example"] = parameter["x-example"]
    return out


def _schema_of(parameter: dict) -> dict:
    schema = {k: parameter[k] for k in _SCHEMA_KEYS if k in parameter}
    if isinstance(schema.get("items"), dict):
        schema["items"] = _schema_of(schema["items"]) if "$ref" not in schema["items"] else schema["items"]
    return schema


def _operation(operation: dict, common: list, shared: dict, consumes: list, produces: list) -> dict:
    consumes = operation.get("consumes") or consumes
    produces = operation.get("produces") or produces
    out = {k: v for k, v in operation.items() if k in ("tags", "summary", "description", "externalDocs", "operationId",
                                                       "deprecated", "security") or str(k).startswith("x-")}
    own = operation.get("parameters") or []
    names = {(_shared(p, shared).get("in"), _shared(p, shared).get("name")) for p in own}
    # The path item keeps its other parameters; a body or form field shared by the path joins the operation's body.
    every = [p for p in common if _place(p, shared) in ("body", "formData")
             and (_place(p, shared), _shared(p, shared).get("name")) not in names] + own
    parameters, form, body = [], {}, None
    for parameter in every:
        resolved = _shared(parameter, shared)
        place = resolved.get("in")
        if place == "body":
            body = resolved
        elif place == "formData":
            form[resolved.get("name")] = resolved
        else:
            parameters.append(_parameter(parameter))
    if parameters:
        out["parameters"] = parameters
    if body is not None:
        examples = body.get("x-examples") or {}
        content = {}
        for media in consumes:
            content[media] = {"schema": body.get("schema") or {}}
            if media in examples:
                content[media]["example"] = examples[media]
        out["requestBody"] = {"content": content, "required": bool(body.get("required"))}
        if body.get("description"):
            out["requestBody"]["description"] = body["description"]
    elif form:
        schema = {"type": "object", "properties": {}}
        for name, parameter in form.items():
            schema["properties"][name] = {**_schema_of(parameter), **({"description": parameter["description"]}
                                                                      if parameter.get("description") else {})}
        required = [name for name, parameter in form.items() if parameter.get("required")]
        if required:
            schema["required"] = required
        files = any(p.get("type") in ("file", "string") and p.get("format") == "binary" for p in form.values()) \
            or any(p.get("type") == "file" for p in form.values())
        kinds = [m for m in consumes if m.split(";")[0].strip().lower() in ("multipart/form-data", "application/x-www-form-urlencoded")]
        kinds = kinds or (["multipart/form-data"] if files else ["application/x-www-form-urlencoded"])
        out["requestBody"] = {"content": {media: {"schema": schema} for media in kinds}, "required": bool(required)}
    out["responses"] = {str(code): _response(r, produces) for code, r in (operation.get("responses") or {}).items()}
    return out


def _response(response, produces: list) -> dict:
    if not isinstance(response, dict) or "$ref" in response:
        return response
    out = {"description": response.get("description", "")}
    out.update({k: v for k, v in response.items() if str(k).startswith("x-")})
    examples = response.get("examples") or {}
    content = {}
    if "schema" in response:
        content = {media: {"schema": response["schema"]} for media in produces}
    for media, example in examples.items():
        bare = media.split(";")[0].strip().lower()
        key = next((m for m in content if m.split(";")[0].strip().lower() == bare), None)
        if key is None:
            key = media
            content[key] = {}
        content[key]["example"] = example
    if content:
        out["content"] = content
    if response.get("headers"):
        out["headers"] = {name: {**({"description": h["description"]} if h.get("description") else {}),
                                 "schema": _schema_of(h)} for name, h in response["headers"].items()}
    return out


def _security_scheme(name: str, definition, path: Path) -> dict:
    at = f"{path}: #/securityDefinitions/{name}"
    if not isinstance(definition, dict) or not definition.get("type"):
        raise SpecError(f"{at}: Swagger 2.0 security definition {name!r} has no type (basic, apiKey or oauth2)")
    kind = definition["type"]
    described = {"description": definition["description"]} if definition.get("description") else {}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **described}
    if kind == "apiKey":
        missing = [key for key in ("in", "name") if not definition.get(key)]
        if missing:
            raise SpecError(f"{at}: Swagger 2.0 apiKey security definition {name!r} has no {missing[0]!r}")
        return {"type": "apiKey", "in": definition["in"], "name": definition["name"], **described}
    if kind == "oauth2":
        flow = _FLOWS.get(definition.get("flow"))
        if flow is None:
            raise SpecError(f"{at}/flow: Swagger 2.0 oauth2 security definition {name!r} has flow "
                            f"{definition.get('flow')!r} (expected one of {', '.join(_FLOWS)})")
        entry = {"scopes": definition.get("scopes") or {}}
        for url in _FLOW_URLS[flow]:
            if not definition.get(url):
                raise SpecError(f"{at}: Swagger 2.0 oauth2 security definition {name!r} ({definition['flow']}) has no {url!r}")
            entry[url] = definition[url]
        return {"type": "oauth2", "flows": {flow: entry}, **described}
    raise SpecError(f"{at}/type: Swagger 2.0 security definition {name!r} has unknown type {kind!r} (basic, apiKey or oauth2)")


# -- media types and validation --------------------------------------------------------------------

def served_at(spec: dict, url: str) -> dict:
    """The spec with `url` as its one server: at the top, and in place of any a path or an operation
    declares of its own (CDR's public products name another host), which clients and Swagger UI would
    otherwise call. The document itself is not changed; only what differs is copied."""
    paths = {}
    for route, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict) and ("servers" in item or any(isinstance(op, dict) and "servers" in op
                                                                for op in item.values())):
            item = {key: ({k: v for k, v in value.items() if k != "servers"} if isinstance(value, dict) else value)
                    for key, value in item.items() if key != "servers"}
        paths[route] = item
    return {**spec, "servers": [{"url": url}], "paths": paths}


def server_prefixes(spec: dict) -> set[str]:
    """The paths of the spec's server URLs (Swagger 2.0's `basePath`), where no path of the spec starts with
    them: `https://api.example.com/v2` gives `/v2`. An SDK that writes each endpoint in full (Currencycloud's
    `/v2/authenticate/api`) after a bare host asks for `<mount>/v2/...`, which the mount serves as `<mount>/...`."""
    found = set()
    for server in _all_servers(spec):
        url = str(server.get("url", "")) if isinstance(server, dict) else ""
        prefix = urlsplit(url).path.rstrip("/") if "{" not in url else ""
        if prefix and not any(str(path).startswith(prefix + "/") for path in spec.get("paths") or {}):
            found.add(prefix)
    return found


def _all_servers(spec: dict) -> list:
    """The spec's servers, then each path's and each operation's own (Revolut's v2 webhooks at `/api/2.0`
    beside the API's `/api/1.0`)."""
    servers = list(spec.get("servers") or [])
    for item in (spec.get("paths") or {}).values():
        if isinstance(item, dict):
            servers += item.get("servers") or []
            servers += [s for op in item.values() if isinstance(op, dict) for s in op.get("servers") or []]
    return servers


# Server URL variables expanded into at most this many addresses (a product of enums grows fast).
_MOST_ADDRESSES = 64


def server_hosts(spec: dict, more: tuple = ()) -> list[tuple[str, str]]:
    """(host, base path) of each address the spec's servers name on a host of their own: `https://api.example.com/v2`
    gives `("api.example.com", "/v2")`; then those of the URLs `more` (a binding's `hosts`: names a vendor gives
    only in prose, a sandbox host beside the spec's live one), read as servers are. A server variable takes each value its enum lists and its default; one
    with no enum that makes up a host's first label (`https://{tenant}.example.com`) gives `*.example.com`.
    Relative servers, `localhost` and addresses by number are left out: they are where the sandbox itself
    answers. What `serve` routes by the `Host` header and names in its TLS certificate (http/hosts.py), so an
    SDK whose base URL cannot be changed reaches the sandbox under its vendor's own name."""
    found: dict[tuple[str, str], None] = {}
    for server in [*_all_servers(spec), *({"url": url} for url in more)]:
        if not isinstance(server, dict):
            continue
        url, variables = str(server.get("url") or ""), server.get("variables") or {}
        for address in _expanded(url, variables if isinstance(variables, dict) else {}):
            parts = urlsplit(address if "://" in address else f"https://{address}" if address[:1] not in "/{" else "")
            host = (parts.hostname or "").rstrip(".")
            labels = host.split(".")
            if (not host or "." not in host or host == "localhost" or re.fullmatch(r"[\d.]+|[0-9a-f:]+", host)
                    or any(not label or ("*" in label and (label != "*" or n)) for n, label in enumerate(labels))):
                continue
            found[(host, parts.path.rstrip("/"))] = None
    return list(found)


def _expanded(url: str, variables: dict) -> list[str]:
    """`url` with each `{variable}` replaced by each of its values (a wildcard `*` for a free one in the host)."""
    addresses = [url]
    for name in dict.fromkeys(re.findall(r"\{([^{}]+)\}", url)):
        variable = variables.get(name) if isinstance(variables.get(name), dict) else {}
        values = [str(v) for v in variable.get("enum") or [] if v is not None]
        if variable.get("default") is not None:
            values.append(str(variable["default"]))
        if not variable.get("enum"):
            values.append("*")  # free: in a host, any first label; anywhere else it is dropped below
        addresses = [a.replace("{" + name + "}", v) for a in addresses for v in dict.fromkeys(values)][:_MOST_ADDRESSES]
    return [a for a in addresses if "{" not in a and "*" not in urlsplit(a if "://" in a else f"https://{a}").path]


def routing_order(paths: dict) -> dict:
    """The paths in the order a router must try them: at the first segment where two differ, a literal one
    before one with a template in it, and a template with literal text (`{guid}.pdf`) before a bare one.
    OpenAPI matches concrete paths first, but routers try paths in the order given, so a literal path
    written after a templated one (`/goals/{goal_guid}` then `/goals/reposition`) was never reached.
    Of paths that rank alike, one served at the API's own servers comes before one whose path or operations
    name servers of their own (another host: a payee's public page, Pix's `/rec/{recUrlAccessToken}` on the
    receiving PSP's domain beside the API's `/rec/{idRec}`): every path is mounted under the one base URL, and
    the foreign page, declared first, took every read of the API's own. Otherwise paths that rank alike keep
    the author's order; the document keeps it throughout (this order is the router's)."""
    def rank(route) -> tuple:
        return tuple(0 if "{" not in part else 1 if re.sub(r"\{[^}]*\}", "", part) else 2
                     for part in str(route).split("/"))

    def elsewhere(item) -> bool:
        return isinstance(item, dict) and bool(item.get("servers") or any(
            isinstance(op, dict) and op.get("servers") for op in item.values()))
    return dict(sorted(paths.items(), key=lambda item: (rank(item[0]), elsewhere(item[1]))))


def json_aliases(paths: dict, resolve) -> dict:
    """The paths with `application/json` taken beside a request body declared only in vendor JSON types
    (`application/vnd.dwolla.v1.hal+json`): RFC 6839's `+json` says the body is JSON, and SDKs send it as
    `application/json` (Dwolla's official one does, on every write: each was refused with 415). The body
    is checked against the first vendor type's schema. `resolve` follows a `$ref` to a request body; an
    operation that changes gets its own copy (the router's document, not the author's)."""
    out = {}
    for route, item in paths.items():
        if not isinstance(item, dict):
            out[route] = item
            continue
        changed = dict(item)
        for method, operation in item.items():
            body = resolve(operation.get("requestBody")) if isinstance(operation, dict) else None
            content = body.get("content") if isinstance(body, dict) else None
            if not isinstance(content, dict):
                continue
            alias = dict(content)
            vendor = next((media for media in content if media.endswith("+json")), None)
            if vendor is not None and "application/json" not in content:
                alias["application/json"] = content[vendor]
            # An HTML form is one set of fields in either encoding: a body declared only as
            # multipart/form-data is taken urlencoded too (Currencycloud's SDK posts every form so), and the
            # other way round, as the web frameworks banks run on read both.
            forms = ("multipart/form-data", "application/x-www-form-urlencoded")
            for given, other in (forms, forms[::-1]):
                if given in content and other not in content and not _has_file(resolve, content[given]):
                    alias[other] = content[given]
            if alias != content:
                changed[method] = {**operation, "requestBody": {**body, "content": alias}}
        out[route] = changed
    return out


def _has_file(resolve, media) -> bool:
    """Whether a form's schema has a binary field (a file only multipart can carry)."""
    schema = resolve((media or {}).get("schema")) if isinstance(media, dict) else None
    for prop in ((schema or {}).get("properties") or {}).values() if isinstance(schema, dict) else ():
        prop = resolve(prop)
        items = resolve(prop.get("items")) if isinstance(prop, dict) else None
        if any(isinstance(f, dict) and f.get("format") in ("binary", "base64") for f in (prop, items)):
            return True
    return False


def _bare_media_types(document: dict, path: Path, warnings: list) -> dict:
    """Key every request and response body by its bare media type; return bare -> declared. A key that is
    no media type (`examples: {}` written into a content map) is left out with a warning."""
    declared: dict = {}

    def rekey(content):
        if not isinstance(content, dict):
            return content
        out = {}
        for media, value in content.items():
            bare = str(media).split(";")[0].strip().lower()
            if "/" not in bare:
                warnings.append(f"{path.name}: {media!r} among a body's media types is no media type; left out")
                continue
            if bare != media:
                declared.setdefault(bare, str(media).replace(" ", ""))
            first = out.setdefault(bare, value)
            # One body under two spellings of its type (Zuora's answers: `application/json` holding the examples,
            # `application/json; charset=utf-8` the schema): read as one, the first's fields filled from the other's.
            # Keeping the first alone lost the schema, and with it the token operation its SDK first calls.
            if first is not value and isinstance(first, dict) and isinstance(value, dict) \
                    and set(value) - set(first):
                out[bare] = {**value, **first}
                warnings.append(f"{path.name}: {media!r} beside another spelling of {bare!r} for one body; read as "
                                f"one body, its {', '.join(sorted(map(str, set(value) - set(first))))} from {media!r}")
        return out

    def each_body(holder):
        if isinstance(holder, dict) and isinstance(holder.get("content"), dict):
            holder["content"] = rekey(holder["content"])

    components = document.get("components") or {}
    for group in ("requestBodies", "responses"):
        for item in (components.get(group) or {}).values():
            each_body(item)
    for item in (document.get("paths") or {}).values():
        for operation in (item or {}).values() if isinstance(item, dict) else ():
            if isinstance(operation, dict) and "responses" in operation:
                each_body(operation.get("requestBody"))
                for response in (operation.get("responses") or {}).values():
                    each_body(response)
    return declared


@cache
def _openapi_30() -> tuple:
    """The published OpenAPI 3.0 schema, and its check compiled to Python once (Connexion's check, 20x faster)."""
    from openapi_spec_validator.schemas import schema_v30  # imported when first needed: it takes a while

    return schema_v30, fastjsonschema.compile(dict(schema_v30), use_default=False)  # check only: fill in no defaults


# Defects against the OpenAPI meta-schema that vendors publish and that cannot change what the sandbox
# does, each with the normalisation that makes the document valid (a warning names every one):
#   - a field the meta-schema does not know in a documentation object (info, contact, license, the
#     spec's externalDocs, a tag and its externalDocs; Square's `info.externalDocs`): left out;
#   - a security requirement whose scopes are null (`{oauth2: null}`, Square's again): no scopes, `[]`;
#   - `info.version` written as a number (`version: 1.0` unquoted in YAML): the text of the number.
# Every other violation refuses the folder (`_validate`): it is in a part that routes, validates or
# answers requests, where guessing would make the sandbox disagree with the bank.
_NULL_LISTS = ("parameters", "tags", "servers")
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _nullable_refs(document: dict, path: Path, warnings: list) -> None:
    """A `$ref` with `nullable: true` beside it (`current_return: {$ref: Return, nullable: true}`, as
    Stainless-made specs write a link that may be empty) read as taking null too: an `anyOf` of the
    reference and null, in place. OpenAPI 3.0 has a `$ref`'s siblings ignored, but the author means null,
    and where the schema refers to itself through a required field (a return's `current_return` is a
    return) no value at all could fit it otherwise: every answer holding one was a 500."""
    found = []
    for at, schema in schema_nodes(document):
        if isinstance(schema.get("$ref"), str) and schema.get("nullable") is True:
            rest = {k: v for k, v in schema.items() if k not in ("$ref", "nullable")}
            ref = schema["$ref"]
            schema.clear()
            schema.update({**rest, "anyOf": [{"$ref": ref}, {"nullable": True, "enum": [None]}], "nullable": True})
            found.append(at)
    if found:
        warnings.append(f"{path.name}#{found[0]}: a $ref with `nullable: true` beside it (OpenAPI 3.0 ignores a $ref's "
                        f"siblings) read as taking null too" + (f", and {len(found) - 1} more" if len(found) > 1 else ""))
    # `nullable: true` beside `anyOf`/`oneOf` and no `type` (Stripe's expandable `customer: {anyOf: [string,
    # customer], nullable: true}`, hundreds of them): 3.0.3 lets `nullable` widen only a `type` of its own
    # schema, so a validator refused every null the bank answers and every null a client sends there. The
    # author means null: a null alternative is added, as for a 3.1 `{type: null}` one.
    combined = []
    for at, schema in schema_nodes(document):
        if schema.get("nullable") is not True or "type" in schema:
            continue
        for combinator in ("anyOf", "oneOf"):
            options = schema.get(combinator)
            if isinstance(options, list) and options and not any(_only_null(o) for o in options if isinstance(o, dict)):
                schema[combinator] = [*options, {"nullable": True, "enum": [None]}]
                combined.append(at)
    if combined:
        warnings.append(f"{path.name}#{combined[0]}: `nullable: true` beside anyOf/oneOf without a type (OpenAPI 3.0.3 "
                        f"widens only a type of its own) read as taking null too"
                        + (f", and {len(combined) - 1} more" if len(combined) > 1 else ""))


def _object_fields(document: dict, schema, depth: int = 0) -> tuple[dict, set]:
    """(properties, required names) of an object schema and of its `allOf` members."""
    schema = deref(document, schema)
    if not isinstance(schema, dict) or depth > 8:
        return {}, set()
    properties, required = dict(schema.get("properties") or {}), set(schema.get("required") or ())
    for member in schema.get("allOf") or ():
        more, needed = _object_fields(document, member, depth + 1)
        properties = {**more, **properties}
        required |= needed
    return properties, required


def _exploded_object_queries(document: dict, path: Path, warnings: list) -> None:
    """A query parameter whose schema is an object of named properties, sent as OpenAPI's defaults say (`style:
    form`, `explode: true`): each property is a query field of its own and the parameter's name is never sent
    (fincode's `クエリ`, whose SDK sends `?pay_type=Card`). Read as one parameter per property, each required
    where the parameter and the object require it, in place, with a warning: checked by its name, every call
    was a 400 "missing query parameter"."""
    found = []
    for route, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        holders = [(_join("#/paths", route), item)] + [
            (_join(_join("#/paths", route), method), operation) for method, operation in item.items()
            if method in _METHODS and isinstance(operation, dict)]
        for at, holder in holders:
            listed = holder.get("parameters")
            if not isinstance(listed, list):
                continue
            names = {(deref(document, p) or {}).get("name") for p in listed if isinstance(deref(document, p), dict)}
            rewritten = []
            for entry in listed:
                parameter = deref(document, entry)
                properties, required = _object_fields(document, (parameter or {}).get("schema")) \
                    if isinstance(parameter, dict) and parameter.get("in") == "query" \
                    and parameter.get("style", "form") == "form" and parameter.get("explode", True) is True else ({}, set())
                if not properties:
                    rewritten.append(entry)
                    continue
                rewritten += [{"name": name, "in": "query", "schema": sub,
                               "required": bool(parameter.get("required")) and name in required}
                              for name, sub in properties.items() if name not in names]
                found.append(f"{at}/parameters ({parameter.get('name')})")
            holder["parameters"] = rewritten
    if found:
        warnings.append(f"{path.name}{found[0]}: an object query parameter sent exploded (OpenAPI's default form style) "
                        f"read as one parameter per property" + (f", and {len(found) - 1} more" if len(found) > 1 else ""))


_BYPASS = re.compile(r"x-.*bypass.*validation", re.IGNORECASE)


def _bypassed_validation(document: dict, path: Path, warnings: list) -> None:
    """A schema of what clients send (a request body's, a parameter's) that its author marks as not checked by
    the server (`x-stripeBypassValidation: true`: Stripe's `external_account` is declared a string, and its SDKs
    send the object its server takes) takes any value as well, in place: an `anyOf` of what it declares and any
    value. Checked as declared, the SDK's documented call was a 400. A mark in what the server answers changes
    nothing: answers are drawn from what it declares (read as `anyOf`, Stripe's invoice `status` lost its
    states to the actions that name them)."""
    found = []
    for at, schema in schema_nodes(document):
        if "/requestBody/" not in at and "/parameters/" not in at:
            continue
        flags = [key for key, value in schema.items() if isinstance(key, str) and _BYPASS.fullmatch(key) and value]
        if flags:
            declared = {k: v for k, v in schema.items() if k not in flags}
            schema.clear()
            schema.update({"anyOf": [declared, {}]})
            found.append(at)
    if found:
        warnings.append(f"{path.name}#{found[0]}: marked as not checked by its server; takes any value as well"
                        + (f", and {len(found) - 1} more" if len(found) > 1 else ""))


_SCHEME_OBJECTS = {"apiKey": "APIKeySecurityScheme", "http": "HTTPSecurityScheme", "oauth2": "OAuth2SecurityScheme",
                   "openIdConnect": "OpenIdConnectSecurityScheme"}
_SCHEME_NAMES = {"apiKey": "API key", "http": "HTTP", "oauth2": "OAuth2", "openIdConnect": "OpenID Connect"}


def _scheme_fields_of_another_type(document: dict, path: Path, warnings: list, fields: dict) -> None:
    """A security scheme's field that its `type` does not have (finAPI's Web Form spec declares its OAuth2 scheme
    with `name: Authorization`, an API key's field) left out, with a warning: the type says where the credential
    goes, and the meta-schema had refused the whole folder ("'in' is a required property")."""
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for name, scheme in schemes.items() if isinstance(schemes, dict) else ():
        kind = scheme.get("type") if isinstance(scheme, dict) and "$ref" not in scheme else None
        if kind not in _SCHEME_OBJECTS:
            continue
        for key in [k for k in scheme if k not in fields[_SCHEME_OBJECTS[kind]] and not str(k).startswith("x-")]:
            del scheme[key]
            warnings.append(f"{path.name}{_join(_join('#/components/securitySchemes', name), key)}: the OpenAPI "
                            f"{_SCHEME_NAMES[kind]} security scheme has no field {key!r}; left out (its type says "
                            f"where the credential goes)")


def _tolerate(document: dict, path: Path, warnings: list) -> None:
    """Normalise the tolerated defects listed above, in place, with one warning each."""
    fields = {name: set(schema.get("properties") or ()) for name, schema in _openapi_30()[0]["definitions"].items()}
    info = document.get("info") if isinstance(document.get("info"), dict) else {}
    # The document's own top: a field 3.0 does not have (PayPal's payments v1 spec says `deprecated: true`
    # there) refused the whole folder; like the others below, it is documentation only.
    root = set(_openapi_30()[0].get("properties") or ())
    for key in [k for k in document if root and k not in root and not str(k).startswith("x-")]:
        del document[key]
        warnings.append(f"{path.name}#/{key}: the OpenAPI document has no field {key!r}; left out (documentation only)")
    holders = [("#/info", info, "Info"), ("#/info/contact", info.get("contact"), "Contact"),
               ("#/info/license", info.get("license"), "License"),
               ("#/externalDocs", document.get("externalDocs"), "ExternalDocumentation")]
    for index, tag in enumerate(document.get("tags") or []):
        if isinstance(tag, dict):
            holders += [(f"#/tags/{index}", tag, "Tag"), (f"#/tags/{index}/externalDocs", tag.get("externalDocs"),
                                                          "ExternalDocumentation")]
    for at, holder, kind in holders:
        for key in [k for k in holder or () if k not in fields[kind] and not str(k).startswith("x-")]:
            del holder[key]
            warnings.append(f"{path.name}{_join(at, key)}: the OpenAPI {kind} object has no field {key!r}; "
                            f"left out (documentation only)")
    _scheme_fields_of_another_type(document, path, warnings, fields)
    for at, schema in schema_nodes(document):  # 3.0 asks `required` for one name at least; [] requires nothing
        if schema.get("required") == []:
            del schema["required"]
            warnings.append(f"{path.name}#{at}/required: an empty list (OpenAPI 3.0 asks for one name at least); "
                            f"left out, as it requires nothing")
    _close_over_siblings(document, path, warnings)
    _choices_extended_by_their_shapes(document, path, warnings)
    _open_extended_bases(document, path, warnings)
    _json_api_errors(document, path, warnings)
    _nullable_refs(document, path, warnings)
    _bounds_of_other_types(document, path, warnings)
    _example_objects(document, path, warnings)
    _referred_examples(document, path, warnings)
    _ghost_requirements(document, path, warnings)
    _requirements_of_answers(document, path, warnings)
    _object_kinds(document, path, warnings)
    _mappings_by_schema_names(document)
    _discriminators_without_property(document, path, warnings)
    _schema_keywords_of_parameters(document, path, warnings)
    _untyped_parameter_items(document, path, warnings)
    _renamed_path_parameters(document, path, warnings)
    _loose_path_parameters(document, path, warnings)
    _unknown_types(document, path, warnings)
    _object_branches_of_scalars(document, path, warnings)
    _null_properties(document, path, warnings)
    _misindented_map_values(document, path, warnings)
    _bypassed_validation(document, path, warnings)
    _exploded_object_queries(document, path, warnings)
    if isinstance(info.get("version"), (int, float)) and not isinstance(info["version"], bool):
        info["version"] = str(info["version"])
        warnings.append(f"{path.name}#/info/version: a number, read as the text {info['version']!r}")
    for route, item in (document.get("paths") or {}).items():  # `parameters: null` (Finix's) means no parameters
        holders = [(_join("#/paths", route), item)]
        holders += [(_join(_join("#/paths", route), method), operation) for method, operation in
                    (item.items() if isinstance(item, dict) else ()) if method in _METHODS and isinstance(operation, dict)]
        for at, holder in holders:
            for key in [k for k in _NULL_LISTS if isinstance(holder, dict) and k in holder and holder[k] is None]:
                del holder[key]
                warnings.append(f"{path.name}{_join(at, key)}: null where a list belongs; left out (none)")
    requirements = [("#/security", document.get("security"))]
    for route, item in (document.get("paths") or {}).items():
        for method, operation in item.items() if isinstance(item, dict) else ():
            if isinstance(operation, dict):
                requirements.append((f"{_join(_join('#/paths', route), method)}/security", operation.get("security")))
    components = document.get("components", {})
    schemes = components.get("securitySchemes", {}) if isinstance(components, dict) else None
    for at, listed in requirements:
        for index, requirement in enumerate(listed if isinstance(listed, list) else ()):
            for name, scopes in list(requirement.items()) if isinstance(requirement, dict) else ():
                where = f"{path.name}{_join(f'{at}/{index}', name)}"
                if scopes is None:
                    requirement[name] = []
                    warnings.append(f"{where}: null where a list of scopes belongs; read as no scopes ([])")
                same = [declared for declared in schemes if declared.lower() == name.lower()] \
                    if isinstance(schemes, dict) and name not in schemes else []
                if len(same) == 1:  # the scheme, written in another case (ReBIT's `Client_api_key`: `client_api_key`)
                    renamed = {same[0] if key == name else key: value for key, value in requirement.items()}
                    requirement.clear()
                    requirement.update(renamed)
                    warnings.append(f"{where}: names the security scheme {name!r}, which the document declares as "
                                    f"{same[0]!r}; read as that one")
                elif isinstance(schemes, dict) and name not in schemes and isinstance(requirement[name], list):
                    schemes[name] = _undeclared_scheme(name, where)
                    document["components"] = {**components, "securitySchemes": schemes}
                    warnings.append(f"{where}: names the security scheme {name!r}, which the document does not "
                                    f"declare; read as HTTP {schemes[name]['scheme']}, as its name says")


# A description giving a text's form as a day (`発生日 (yyyy-mm-dd)`, `(YYYY-MM-DD, JST)`), not as a moment of it
# (`yyyy-mm-dd hh:mm:ss`, `yyyy-mm-ddThh:mm`).
_DAY_IN_WORDS = re.compile(r"(?<![\w-])yyyy-mm-dd(?![\w:-])(?!\s*(?:t|\s)\s*hh)", re.IGNORECASE)


def _dates_in_words(document: dict, path: Path, warnings: list) -> None:
    """A `type: string` without a format, an enum or a pattern, whose description (or its parameter's) gives its
    form as `yyyy-mm-dd` and whose example, if any, is such a day, is read as `format: date`, with one warning
    for them all: freee's accounting API declares every day so (`issue_date: {type: string, description: 発生日
    (yyyy-mm-dd)}`, a query's `start_date` likewise), and a deal made with `issue_date: 2026-13-45` was made and
    listed, and `start_date=yesterday` filtered nothing out; both are the spec's 400 now, as a `date` is."""
    read: list[str] = []

    def day(schema, description, example, at: str) -> None:
        if not isinstance(schema, dict) or "$ref" in schema or schema.get("type") != "string" \
                or any(key in schema for key in ("format", "enum", "pattern")):
            return
        words = description if isinstance(description, str) else schema.get("description")
        example = schema.get("example", example)
        if isinstance(words, str) and _DAY_IN_WORDS.search(words) \
                and (example is None or isinstance(example, str) and OPENAPI_FORMATS["date"](example)):
            schema["format"] = "date"
            read.append(at)

    for at, schema in list(schema_nodes(document)):
        day(schema, None, None, at)
    for at, key, value in _objects_named(document, ("parameters", "headers")):
        items = enumerate(value) if isinstance(value, list) else value.items() if isinstance(value, dict) else ()
        for name, item in items:
            if isinstance(item, dict) and "$ref" not in item:
                day(item.get("schema"), item.get("description"), item.get("example"), f"{_join(at, name)}/schema")
    if read:
        warnings.append(f"{path.name}{read[0] if read[0].startswith('#') else '#' + read[0]}"
                        f"{f' and {len(read) - 1} more' if len(read) > 1 else ''}: text whose description gives its "
                        f"form as yyyy-mm-dd; read as `format: date`")


# A money object's currency and its amount given as text, by their bare names (`{currency, value}`,
# `{currencyCode, amount}`), and the decimal such an amount is.
_CURRENCY_NAMES = {"currency", "currencycode", "ccy", "curr"}
_AMOUNT_NAMES = {"value", "amount", "amt"}
DECIMAL_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"


def _amounts_as_text(document: dict, path: Path, warnings: list) -> None:
    """The amount of a money object given as text (a `type: string` without a format, an enum or a pattern, whose
    example, if any, is a decimal number) beside its currency is read as a decimal number (`pattern`), with one
    warning for them all: Mollie's `amount: {currency, value}` says only "a string containing an exact monetary
    amount", and a payment of `{currency: EUR, value: "ten"}` was made and read back so, where the API refuses it;
    it is the spec's 400 now."""
    read: list[str] = []
    for at, schema in list(schema_nodes(document)):
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            continue
        bare = {re.sub(r"[^a-z]", "", str(name).lower()): name for name in properties}
        currency = next((properties[bare[key]] for key in _CURRENCY_NAMES if key in bare), None)
        amounts = [bare[key] for key in _AMOUNT_NAMES if key in bare]
        if not isinstance(currency, dict) or len(amounts) != 1 or not isinstance(properties[amounts[0]], dict):
            continue
        amount = properties[amounts[0]]
        example = amount.get("example")
        if "$ref" in amount or amount.get("type") != "string" or any(key in amount for key in ("format", "enum", "pattern")) \
                or example is not None and not (isinstance(example, str) and re.match(DECIMAL_TEXT, example)):
            continue
        amount["pattern"] = DECIMAL_TEXT
        read.append(_join(f"{at}/properties", amounts[0]))
    if read:
        warnings.append(f"{path.name}{read[0] if read[0].startswith('#') else '#' + read[0]}"
                        f"{f' and {len(read) - 1} more' if len(read) > 1 else ''}: a money object's amount given as "
                        f"text beside its currency; read as a decimal number (`pattern: {DECIMAL_TEXT}`)")


_BOUNDS = {"maximum": (int, float), "minimum": (int, float), "multipleOf": (int, float), "maxLength": (int,),
           "minLength": (int,), "maxItems": (int,), "minItems": (int,), "maxProperties": (int,),
           "minProperties": (int,)}


def _bounds_of_other_types(document: dict, path: Path, warnings: list) -> None:
    """A schema bound written as something else than a number (Revolut's `expiration_period: {type: string,
    format: duration, maximum: P7D}`, a bound in the value's own terms) is no bound JSON Schema can check:
    the meta-schema refuses the whole document for it. A number written as text (`maxLength: "35"`) is read
    as that number; anything else is left out (the value is then not held to it), each with a warning."""
    known = set(_openapi_30()[0]["definitions"]["Schema"]["properties"])
    later: list[str] = []
    for at, schema in schema_nodes(document):
        if "$ref" not in schema and _later_keywords(schema):
            later.append(at)
        if "$ref" not in schema:  # a reference's siblings are ignored, as OpenAPI 3.0 reads them
            unknown = [k for k in schema if k not in known and not str(k).startswith("x-")]
            for key in unknown:  # a parameter's `explode` written into its schema (Revolut's), a typo
                del schema[key]
            if unknown:
                warnings.append(f"{path.name}#{at}: the OpenAPI Schema object has no keyword "
                                f"{', '.join(repr(k) for k in unknown)}; left out")
        for key, kinds in _BOUNDS.items():
            if key not in schema:
                continue
            value = schema[key]
            if isinstance(value, kinds) and not isinstance(value, bool):
                continue
            number = None
            if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
                number = float(value) if "." in value else int(value)
                if not isinstance(number, kinds):
                    number = None
            if number is not None:
                schema[key] = number
                warnings.append(f"{path.name}#{at}/{key}: the number {value!r} written as text; read as {number}")
            else:
                del schema[key]
                warnings.append(f"{path.name}#{at}/{key}: {value!r} is not a number; left out (JSON Schema's "
                                f"{key} bounds numbers only)")
    if later:
        warnings.append(f"{path.name}#{later[0]}{f' and {len(later) - 1} more' if len(later) > 1 else ''}: OpenAPI "
                        f"3.1's `const` or `examples` in a 3.0 document; read as `enum` of its one value and `example` "
                        f"of the first")


def _later_keywords(schema: dict) -> bool:
    """A schema of a document calling itself OpenAPI 3.0 that writes JSON Schema's `const` or `examples`, as 3.1
    does, is read as 3.1 reads them: `const` as an `enum` of its one value, `examples` as its first `example`
    (PAY.JP's v2 spec, made for 3.1 and published in its Go SDK relabelled 3.0.3, writes every answer's `object:
    {const: payment_flow}`; left out, `object` was drawn as any text, and the generated SDKs, which check it
    against its one value, refused every answer). Says whether it read any."""
    read = False
    if "const" in schema:
        value = schema.pop("const")
        if "enum" not in schema or value in (schema["enum"] or ()):
            schema["enum"] = [value]
        read = True
    if "examples" in schema and isinstance(schema["examples"], list):
        examples = schema.pop("examples")
        if examples and "example" not in schema:
            schema["example"] = examples[0]
        read = True
    return read


def _schema_keywords_of_parameters(document: dict, path: Path, warnings: list) -> None:
    """A Parameter or Header object holding a keyword of its schema (Revolut's `{in: query, name: state,
    schema: {type: array, ...}, explode: true, uniqueItems: true}`): the keyword is moved into its schema, as
    its author meant, where the schema does not say otherwise; any other field the object does not have is
    left out. Each with a warning; the meta-schema refused the whole document for it."""
    definitions = _openapi_30()[0]["definitions"]
    schema_keys = set(definitions["Schema"]["properties"])

    def repair(holder, at: str, kind: str):
        if not isinstance(holder, dict) or "$ref" in holder:
            return
        fields = set(definitions[kind]["properties"])
        unknown = [k for k in holder if k not in fields and not str(k).startswith("x-")]
        schema = holder.get("schema")
        for key in unknown:
            value = holder.pop(key)
            if key in schema_keys and isinstance(schema, dict) and "$ref" not in schema and key not in schema:
                schema[key] = value
                warnings.append(f"{path.name}{_join(at, key)}: a keyword of the {kind.lower()}'s schema written "
                                f"beside it; moved into its schema")
            else:
                warnings.append(f"{path.name}{_join(at, key)}: the OpenAPI {kind} object has no field {key!r}; "
                                f"left out")

    for at, key, value in _objects_named(document, ("parameters", "headers")):
        if key == "parameters" and isinstance(value, (list, dict)):
            for name, item in (enumerate(value) if isinstance(value, list) else value.items()):
                repair(item, _join(at, name), "Parameter")
        elif key == "headers" and isinstance(value, dict):
            for name, item in value.items():
                repair(item, _join(at, name), "Header")


def _untyped_parameter_items(document: dict, path: Path, warnings: list) -> None:
    """A list parameter whose items are any value (`schema: {type: array, items: {}, default: [paymentData]}`, as
    VTEX's checkout declares `allowedOutdatedData`): its items are read as text, which is what a query string,
    a header or a path carries, with a warning. Connexion reads each item by its schema's `type`, and without
    one every call of the operation was a 500, whether the list was sent or its default stood in."""
    for at, key, value in _objects_named(document, ("parameters",)):
        items = enumerate(value) if isinstance(value, list) else value.items() if isinstance(value, dict) else ()
        for name, parameter in items:
            schema = parameter.get("schema") if isinstance(parameter, dict) and "$ref" not in parameter else None
            inner = schema.get("items") if isinstance(schema, dict) and schema.get("type") == "array" else None
            if isinstance(inner, dict) and "type" not in inner and not _UNTYPED_BUT_SAID.intersection(inner):
                inner["type"] = "string"
                warnings.append(f"{path.name}{_join(_join(_join(at, name), 'schema'), 'items')}: a list parameter's items of "
                                f"no type; read as text, as a request carries them")


# What gives a schema its type without `type`: a reference, or a combination of schemas that say it.
_UNTYPED_BUT_SAID = {"$ref", "allOf", "anyOf", "oneOf", "not"}


def _renamed_path_parameters(document: dict, path: Path, warnings: list) -> None:
    """A path parameter declared under another name than its template's (Revolut's
    `/card-invitations/{cardInvitationId}/cancel` declares `card_invitation_id`): where exactly one template
    variable is undeclared and exactly one declared path parameter is in no template, they are one, renamed to
    the template's name (a shared `components/parameters` entry is copied, not renamed). Left as written, every
    call was refused for a missing parameter no client can send."""
    for route, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        variables = re.findall(r"\{([^}/]+)\}", str(route))
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            holders = [(holder, index) for holder in (item.get("parameters"), operation.get("parameters"))
                       if isinstance(holder, list) for index in range(len(holder))]
            declared = [(holder, index, found) for holder, index in holders
                        if isinstance(found := deref(document, holder[index]), dict) and found.get("in") == "path"]
            names = {found.get("name") for _, _, found in declared}
            undeclared = [name for name in variables if name not in names]
            strays = [entry for entry in declared if entry[2].get("name") not in variables]
            if len(undeclared) != 1 or len(strays) != 1:
                continue
            holder, index, found = strays[0]
            if found.get("name") == undeclared[0]:
                continue
            if "$ref" in holder[index]:  # shared with other paths: this one's own copy
                holder[index] = copy.deepcopy(found)
            warnings.append(f"{path.name}{_join(_join('#/paths', route), method)}: the path parameter "
                            f"{holder[index].get('name')!r} is not in the template; read as {{{undeclared[0]}}}, "
                            f"the one variable it does not declare")
            holder[index]["name"] = undeclared[0]


_TYPES = ("array", "boolean", "integer", "number", "object", "string")


def _unknown_types(document: dict, path: Path, warnings: list) -> None:
    """A schema `type` that names no JSON type (Checkout.com's `type: "enum - HMACSHA256"`, `type: strings`):
    a plural or a different case of a type's name is read as that type; a schema written under `type` in a
    schema of nothing else (Codat's `itemType: {type: {enum: [...], type: string}}`) is that schema; anything else
    is left out (the value is then of any type). Each with a warning; the meta-schema refused the whole document
    for it."""
    for at, schema in schema_nodes(document):
        written = schema.get("type")
        if isinstance(written, dict) and "$ref" not in schema:
            if set(schema) <= {"type", "description", "title"} and isinstance(written.get("type", "string"), str):
                del schema["type"]
                schema.update({key: value for key, value in written.items() if key not in schema})
                warnings.append(f"{path.name}#{at}/type: a schema where a type's name belongs, in a schema of nothing "
                                f"else; read as that schema")
            else:
                del schema["type"]
                warnings.append(f"{path.name}#{at}/type: a schema where a type's name belongs; left out (any type)")
            continue
        if "$ref" in schema or not isinstance(written, str) or written in _TYPES:
            continue
        word = written.strip().lower()
        meant = word if word in _TYPES else word[:-1] if word.endswith("s") and word[:-1] in _TYPES else None
        if meant:
            schema["type"] = meant
            warnings.append(f"{path.name}#{at}/type: {written!r} is no JSON type; read as {meant!r}")
        else:
            del schema["type"]
            warnings.append(f"{path.name}#{at}/type: {written!r} is no JSON type; left out (any type)")


_OBJECT_KEYWORDS = {"properties", "required", "additionalProperties", "minProperties", "maxProperties",
                    "description", "title"}


def _object_branches_of_scalars(document: dict, path: Path, warnings: list) -> None:
    """A schema of a text, number or boolean whose `oneOf`/`anyOf`/`allOf` branches say only what an object
    holds (Checkout.com's path parameter `identifier: {type: string, properties: {id, email}, oneOf: [{required:
    [id]}, {required: [email]}]}`, the customer's id or email): such a branch holds of any value that is no
    object, so a `oneOf` of two is met twice and refused every value; Connexion answered every
    `GET /customers/{identifier}` 400. The branches are left out, with a warning; the type and its other
    keywords stand."""
    for at, schema in schema_nodes(document):
        if "$ref" in schema or schema.get("type") not in ("string", "integer", "number", "boolean"):
            continue
        for key in ("oneOf", "anyOf", "allOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches and all(
                    isinstance(branch, dict) and "$ref" not in branch and set(branch) <= _OBJECT_KEYWORDS
                    and set(branch) & {"properties", "required", "additionalProperties", "minProperties",
                                       "maxProperties"} for branch in branches):
                del schema[key]
                warnings.append(f"{path.name}#{at}/{key}: branches saying only what an object holds, in a schema "
                                f"of a {schema['type']}; left out (they hold of every such value)")


def _null_properties(document: dict, path: Path, warnings: list) -> None:
    """A property written with no schema at all (`properties: {required: null, href: {...}}`, YAML's `required:`
    with nothing after it, meant as the object's list of required names): no property; left out, with a
    warning. The meta-schema refused the whole document for it."""
    for at, schema in schema_nodes(document):
        properties = schema.get("properties")
        if "$ref" in schema or not isinstance(properties, dict):
            continue
        for name in [n for n, sub in properties.items() if sub is None]:
            del properties[name]
            warnings.append(f"{path.name}#{at}/properties/{name}: null where a schema belongs; left out")


def _misindented_map_values(document: dict, path: Path, warnings: list) -> None:
    """A property named `additionalProperties` written just after an object with no fields of its own
    (`_links: {type: object}` then `additionalProperties: {$ref: HalLink}`, one level too far out, as Dwolla's
    `Events` writes it): the values of that object's map, as its indentation slipped. Read as a field, every
    answer held one named `additionalProperties`, and the links no relation; with a warning. A property of that
    name holding `true` or `false` (Codat's `DataConnection`) is the schema's own keyword one level too far in: no
    field's schema is a bare boolean in OpenAPI 3.0, and the document was refused. A property of that name after
    anything else (a schema describing JSON Schema documents) is a name."""
    for at, schema in schema_nodes(document):
        properties = schema.get("properties")
        if "$ref" in schema or not isinstance(properties, dict) or "additionalProperties" not in properties:
            continue
        if isinstance(properties["additionalProperties"], bool) and "additionalProperties" not in schema:
            schema["additionalProperties"] = properties.pop("additionalProperties")
            warnings.append(f"{path.name}#{at}/properties/additionalProperties: {schema['additionalProperties']!r} "
                            f"among the properties, a keyword one level too far in; read as the schema's own")
            continue
        names = list(properties)
        index = names.index("additionalProperties")
        before = properties[names[index - 1]] if index else None
        values = properties["additionalProperties"]
        if not isinstance(values, dict) or not isinstance(before, dict) or before.get("type") != "object" \
                or any(key in before for key in ("$ref", "properties", "additionalProperties", "allOf", "anyOf",
                                                  "oneOf", "patternProperties")):
            continue
        before["additionalProperties"] = properties.pop("additionalProperties")
        if "additionalProperties" in (schema.get("required") or ()):
            schema["required"] = [name for name in schema["required"] if name != "additionalProperties"]
            if not schema["required"]:
                del schema["required"]
        warnings.append(f"{path.name}#{at}/properties/additionalProperties: a property named as a keyword, after "
                        f"{names[index - 1]!r}, an object with no fields; read as the values of its map")


def _loose_path_parameters(document: dict, path: Path, warnings: list) -> None:
    """Path parameters as OpenAPI wants them: one without `required: true` (Checkout.com's
    `/customers/{id}`) is required, as every path parameter is; one named in no variable of its path's template
    (an alternative the prose describes: `email` beside `{id}`) is left out, since no request can carry it.
    Each with a warning; the meta-schema refused the whole document for the first, and Connexion refused every
    call for the second."""
    for route, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        variables = set(re.findall(r"\{([^}/]+)\}", str(route)))
        for method in (None, *_METHODS):
            holder = item if method is None else item.get(method)
            if not isinstance(holder, dict) or not isinstance(holder.get("parameters"), list):
                continue
            at = _join(_join("#/paths", route), method) if method else _join("#/paths", route)
            kept = []
            for index, parameter in enumerate(holder["parameters"]):
                found = deref(document, parameter)
                if not isinstance(found, dict) or found.get("in") != "path":
                    kept.append(parameter)
                    continue
                if found.get("name") not in variables:
                    warnings.append(f"{path.name}{at}/parameters/{index}: the path parameter {found.get('name')!r} "
                                    f"is in no variable of the template; left out")
                    continue
                if found.get("required") is not True:
                    if "$ref" in parameter:
                        parameter = copy.deepcopy(found)
                    parameter["required"] = True
                    warnings.append(f"{path.name}{at}/parameters/{index}: a path parameter not marked required; "
                                    f"read as required, as every path parameter is")
                kept.append(parameter)
            holder["parameters"] = kept


def _objects_named(document: dict, names: tuple):
    """(pointer, name, value) of each field named one of `names` in the document, outside schemas and literal
    data (examples, defaults, enums, extensions): where Parameter, Header and Example objects are held."""
    found = []

    def walk(node, at: str):
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, f"{at}/{index}")
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key in ("schema", "schemas", "example", "default", "enum") or str(key).startswith("x-"):
                continue
            here = _join(at, key)
            if key in names:
                found.append((here, key, value))
            if key != "examples":  # literal data below
                walk(value, here)

    walk(document, "#")
    return found


def _mappings_by_schema_names(document: dict) -> None:
    """A discriminator's `mapping` naming its schemas by their bare names (`cash_payment: payment_method_cash`, as
    OpenAPI allows and Conekta's spec writes them): each name of a schema the document defines read as the reference
    to it. The validator resolves mapping values as references only; a bare name could not be resolved, so the
    alternatives decided instead, and a cash payment's example fitting the card shape was answered under
    `object: cash_payment`, which SDKs read as cash and refused."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    for _at, schema in list(schema_nodes(document)):
        mapping = (schema.get("discriminator") or {}).get("mapping") if isinstance(schema.get("discriminator"),
                                                                                   dict) else None
        if not isinstance(mapping, dict):
            continue
        for value, target in list(mapping.items()):
            if isinstance(target, str) and target in schemas:
                mapping[value] = f"#/components/schemas/{target}"


def _discriminators_without_property(document: dict, path: Path, warnings: list) -> None:
    """A `discriminator` with a `mapping` and no `propertyName` (Revolut's `ValidateAccountNameRequest:
    {discriminator: {mapping: {UK: ..., AU: ...}}}`, a schema that is only that): the author lists the shapes
    the value may take, with no field saying which, as documentation renderers show them (one tab each).
    Read as a choice of those shapes (`anyOf` of the mapped schemas) where the schema offers none of its own
    and none of them builds on it; the discriminator, which OpenAPI requires to name its property, is left
    out. The meta-schema refused the whole document for it."""
    for at, schema in list(schema_nodes(document)):
        discriminator = schema.get("discriminator")
        if not isinstance(discriminator, dict) or "propertyName" in discriminator:
            continue
        mapping = discriminator.get("mapping") if isinstance(discriminator.get("mapping"), dict) else {}
        targets = [t for t in mapping.values() if isinstance(t, str) and t.startswith("#/")]
        home = f"#{at}"

        def builds_on(target: str) -> bool:
            found = deref(document, {"$ref": target})
            return isinstance(found, dict) and home in json.dumps(found)

        del schema["discriminator"]
        if targets and not ({"oneOf", "anyOf", "allOf"} & set(schema)) and not any(map(builds_on, targets)):
            schema["anyOf"] = [{"$ref": t} for t in dict.fromkeys(targets)]
            warnings.append(f"{path.name}#{at}/discriminator: no propertyName; read as a choice (anyOf) of the "
                            f"{len(schema['anyOf'])} schemas its mapping names")
        else:
            warnings.append(f"{path.name}#{at}/discriminator: no propertyName; left out")


_EXAMPLE_FIELDS = ("summary", "description", "value", "externalValue")


def _example_objects(document: dict, path: Path, warnings: list) -> None:
    """An Example object with fields OpenAPI's Example does not have. The one vendors publish is a map of named
    examples where one Example belongs (Revolut's `components/examples/X: {card: {summary, value}, sepa:
    {...}}`, referred to as one example): read as its first named example. Any other unknown field is left out.
    Either way with a warning; the meta-schema refused the whole document for it."""
    def repair(entry, at: str):
        if not isinstance(entry, dict) or "$ref" in entry:
            return entry
        unknown = [k for k in entry if k not in _EXAMPLE_FIELDS and not str(k).startswith("x-")]
        if not unknown:
            return entry
        nested = [k for k in unknown if isinstance(entry[k], dict)
                  and ({"value", "externalValue", "$ref"} & set(entry[k]))]
        if nested and not {"value", "externalValue"} & set(entry):
            warnings.append(f"{path.name}{at}: a map of named examples ({', '.join(map(str, nested))}) where one "
                            f"Example object belongs; read as its first, {nested[0]!r}")
            return copy.deepcopy(entry[nested[0]])
        if len(unknown) == len([k for k in entry if not str(k).startswith("x-")]):  # none of an Example's fields
            warnings.append(f"{path.name}{at}: an example's value written without its Example object "
                            f"(no summary, value, ...); read as {{value: ...}}")
            return {"value": entry}
        for key in unknown:
            del entry[key]
        warnings.append(f"{path.name}{at}: the OpenAPI Example object has no field "
                        f"{', '.join(repr(k) for k in unknown)}; left out")
        return entry

    held = [(at, value) for at, _, value in _objects_named(document, ("examples",)) if isinstance(value, dict)]
    for at, value in held:
        for name in list(value):
            value[name] = repair(value[name], _join(at, name))
    # an example's value that is only a reference to another Example (Revolut's `value: {$ref:
    # '#/components/examples/...'}`) is that example's value, as documentation renderers show it; as data, the
    # answers carried a literal `$ref`
    for at, value in held:
        for name, entry in value.items():
            inner = entry.get("value") if isinstance(entry, dict) else None
            if isinstance(inner, dict) and set(inner) == {"$ref"} and str(inner["$ref"]).startswith("#/components/examples/"):
                target = deref(document, inner)
                if isinstance(target, dict) and "value" in target:
                    entry["value"] = copy.deepcopy(target["value"])
                    warnings.append(f"{path.name}{_join(_join(at, name), 'value')}: a reference to the example "
                                    f"{inner['$ref']!r}; read as its value")


# What a free-text `object` field says of its value: "Will always be `coupon`.", "It will always be "list"".
_ALWAYS = re.compile(r"\balways(?: be)?\s+[`\"']?([A-Za-z][A-Za-z0-9_.-]*)([`\"']?)", re.IGNORECASE)
_OBJECT_TYPE = re.compile(r"object(?:'s)? type|type of (?:the )?object", re.IGNORECASE)
# What a schema's name may say beside its kind: that it is one part or one view of it.
_PART_SUFFIX = re.compile(r"(?<=[a-z0-9])(ReadOnly|Response|Resource|Read|Output|Entity|Model|Dto|Mini)$")


def _object_kinds(document: dict, path: Path, warnings: list) -> None:
    """A resource's free-text `object` field (`object: {type: string, title: Object type}`, as Recurly's spec
    writes all of them) says which kind the resource is, and clients pick the model they read it into by it
    (`account` -> Account, `list` -> a page): drawn as text ("sample"), every answer was an untyped map and no
    page could be followed. Its value is the one its description says it always is ("Will always be `coupon`",
    unquoted words in lower case: "Will always be List." -> `list`), else, for a field that says it is the
    object's type, the kind its schema is named for (`BillingInfo` -> `billing_info`), as an example."""
    named = 0
    for name, schema in ((document.get("components") or {}).get("schemas") or {}).items():
        field = (schema.get("properties") or {}).get("object") if isinstance(schema, dict) else None
        if not isinstance(field, dict) or "$ref" in field or field.get("type") not in (None, "string") \
                or any(key in field for key in ("enum", "const", "example", "examples", "default")):
            continue
        prose = f"{field.get('title') or ''} {field.get('description') or ''}"
        always = _ALWAYS.search(prose)
        if always:
            value = always.group(1).rstrip(".")
            field["enum"] = [value if always.group(2) else value.lower()]
        elif _OBJECT_TYPE.search(prose):
            kind = re.sub(_PART_SUFFIX, "", str(name)) or str(name)  # `AccountReadOnly`, a part of `Account`
            field["example"] = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", kind).replace("-", "_").lower()
        else:
            continue
        named += 1
    if named:
        warnings.append(f"{path.name}: the free-text `object` field of {named} schema(s) read as the kind each names")


def _sent_schemas(document: dict):
    """Every schema a client sends, by identity: request bodies' (their `$ref`s into the components followed), at
    every depth."""
    stack, seen = [], set()
    components = document.get("components") or {}
    for item in (document.get("paths") or {}).values():
        for operation in (item or {}).values() if isinstance(item, dict) else ():
            body = deref(document, operation.get("requestBody")) if isinstance(operation, dict) else None
            for media in ((body or {}).get("content") or {}).values() if isinstance(body, dict) else ():
                if isinstance(media, dict):
                    stack.append(media.get("schema"))
    for body in (components.get("requestBodies") or {}).values():
        for media in ((deref(document, body) or {}).get("content") or {}).values():
            if isinstance(media, dict):
                stack.append(media.get("schema"))
    while stack:
        node = deref(document, stack.pop())
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        for key in _SCHEMA_MAPS:
            if isinstance(node.get(key), dict):
                stack.extend(node[key].values())
        for key in _SCHEMA_LISTS:
            if isinstance(node.get(key), list):
                stack.extend(node[key])
        for key in _SCHEMA_ONES:
            if isinstance(node.get(key), dict):
                stack.append(node[key])


def _ghost_requirements(document: dict, path: Path, warnings: list) -> None:
    """A name a request body's schema requires but declares nowhere (`required: [client, entity, reference_id]`
    beside `properties` that have no `client` nor `entity`, as Xendit's customer requests) is not required of
    clients: generated SDKs make their models from the properties and can never send it, so every call of theirs
    was a 400. Left in where the schema takes more than its properties by other words (members of a
    combination, pattern properties, an `additionalProperties` schema), which may declare it."""
    ghosts = []
    for schema in _sent_schemas(document):
        declared = schema.get("properties")
        required = schema.get("required")
        extra = schema.get("additionalProperties")
        if (not isinstance(declared, dict) or not isinstance(required, list) or "patternProperties" in schema
                or any(key in schema for key in _SCHEMA_LISTS) or isinstance(extra, dict) and extra):
            continue
        kept = [name for name in required if name in declared]
        if len(kept) < len(required):
            ghosts += [name for name in required if name not in declared]
            if kept:
                schema["required"] = kept
            else:
                del schema["required"]
    if ghosts:
        warnings.append(f"{path.name}: request bodies require {len(ghosts)} name(s) they do not declare "
                        f"({', '.join(sorted(set(map(str, ghosts)))[:5])}); not required of clients, who cannot send them")


def _requirements_of_answers(document: dict, path: Path, warnings: list) -> None:
    """A request body's schema made of a resource's schema and a member of its own saying what the request
    requires (`allOf: [{$ref: entity-refund}, {required: [amount]}]`, as Mollie writes its requests) requires
    of the resource's fields only those its own member names: the resource's `required` lists what its answers
    always hold (Mollie's refund: `description`, `metadata`), and every refund its SDK made without metadata was
    a 422. The resource's schema is read in that request as a copy without the others, with a warning."""
    loosened = []
    for schema in list(_sent_schemas(document)):
        members = schema.get("allOf")
        if not isinstance(members, list) or len(members) < 2:
            continue
        own = {str(name) for member in members if isinstance(member, dict) and "$ref" not in member
               for name in member.get("required") or ()}
        if not own:
            continue
        for at, member in enumerate(members):
            target = deref(document, member) if isinstance(member, dict) and "$ref" in member else None
            required = target.get("required") if isinstance(target, dict) else None
            if not isinstance(required, list) or not isinstance(target.get("properties"), dict):
                continue
            fields = target["properties"]
            dropped = [name for name in required if name not in own
                       and not (deref(document, fields.get(name)) or {}).get("readOnly")
                       and not (fields.get(name) or {}).get("readOnly")]
            if dropped:
                copied = copy.deepcopy(target)
                kept = [name for name in required if name not in dropped]
                if kept:
                    copied["required"] = kept
                else:
                    del copied["required"]
                members[at] = copied
                loosened.append(f"{member['$ref'].rsplit('/', 1)[-1]} ({', '.join(map(str, dropped[:4]))})")
    if loosened:
        warnings.append(f"{path.name}: request bodies made of a resource's schema and their own `required` ask only "
                        f"for those: {'; '.join(sorted(set(loosened))[:5])} not required of clients")


def _referred_examples(document: dict, path: Path, warnings: list) -> None:
    """An `example` (of a schema, a media type, a parameter or a header) that is only a reference into the
    document (Cashfree's `OrderEntity: {example: {$ref: '#/components/examples/order_entity_list_example/value/0'}}`,
    as openapi-generator writes them) is what it points to: an Example object's `value`, else the value itself,
    as documentation renderers show it. As data, each answer drawn from it was the literal `{"$ref": ...}` and no
    field of the resource (an order with no `order_status`, no `cf_order_id`). A reference to nothing stays."""
    def resolved(example, at: str):
        if not (isinstance(example, dict) and set(example) == {"$ref"} and str(example["$ref"]).startswith("#/")):
            return example
        target = deref(document, example)
        if isinstance(target, dict) and re.match(r"#/components/examples/[^/]+$", example["$ref"]) and "value" in target:
            target = target["value"]
        if target in ({}, None) or (isinstance(target, dict) and "$ref" in target):
            return example
        warnings.append(f"{path.name}#{at}/example: a reference to {example['$ref']!r}; read as what it points to")
        return copy.deepcopy(target)

    for at, schema in list(schema_nodes(document)):
        if "example" in schema:
            schema["example"] = resolved(schema["example"], at)
    for at, holder in [(at, value) for at, name, value in _objects_named(document, ("content", "parameters", "headers"))]:
        objects = holder.items() if isinstance(holder, dict) else enumerate(holder) if isinstance(holder, list) else ()
        for key, item in list(objects):
            if isinstance(item, dict) and "example" in item and "$ref" not in item:
                item["example"] = resolved(item["example"], _join(at, str(key)))


def _close_over_siblings(document: dict, path: Path, warnings: list) -> None:
    """An `allOf` member that says `additionalProperties: false` but declares none of the properties its
    siblings declare (Unit's `relationships: {allOf: [{required: [customer], additionalProperties: false},
    {properties: {customer: ...}}]}`) is read as closing the object over the properties of the whole
    `allOf`, as its author meant: JSON Schema reads each member alone, so no value could satisfy it and every
    request carrying the object was refused. Each such member gets its siblings' names, with a warning. So does
    a schema saying it beside its own `allOf` (Codat's `TransactionMetadataList: {additionalProperties: false,
    allOf: [{properties: {results}}, {$ref: PagingInfo}]}`, whose every answer was refused)."""
    def names(member) -> set:
        return _declared_names(document, member)

    def close(holder: dict, declared: set, where: str, beside: str) -> None:
        missing = sorted(declared - set(holder.get("properties") or {}))
        if missing:
            holder["properties"] = {**(holder.get("properties") or {}), **{n: {} for n in missing}}
            warnings.append(f"{path.name}{where}: additionalProperties: false beside {beside} {', '.join(missing)}; "
                            f"read as closed over the whole allOf")

    for at, schema in list(schema_nodes(document)):
        members = schema.get("allOf")
        if not isinstance(members, list):
            continue
        if schema.get("additionalProperties") is False and "$ref" not in schema:
            close(schema, set().union(*(names(m) for m in members)), f"#{at}", "an allOf whose members declare")
        for index, member in enumerate(members):
            if not isinstance(member, dict) or member.get("additionalProperties") is not False or "$ref" in member:
                continue
            close(member, set().union(*(names(m) for i, m in enumerate(members) if i != index)),
                  f"#{at}/allOf/{index}", "siblings that declare")


def _declared_names(document: dict, schema) -> set:
    """The property names a schema declares, its own and those of its `allOf` members (referred ones too)."""
    schema = deref(document, schema)
    if not isinstance(schema, dict):
        return set()
    found = set(schema.get("properties") or {})
    for inner in schema.get("allOf") or []:
        found |= _declared_names(document, inner)
    return found


def _choices_extended_by_their_shapes(document: dict, path: Path, warnings: list) -> None:
    """A schema that is a choice (`oneOf`/`anyOf`) of shapes each built on it by `allOf` (Brex's
    `PaymentAccountDetails: {oneOf: [ACHDetailsRequest, ...], discriminator: ...}`, `ACHDetailsRequest: {allOf:
    [PaymentAccountDetails, {properties: ...}]}`, as Micronaut writes subtypes): the shape builds on what its
    base declares of its own, not on the choice again, which JSON Schema follows without end (every body
    holding such a field, and every answer, was a 500). In each shape's `allOf`, the base is read without its
    choice and discriminator, with a warning."""
    schemas = (document.get("components") or {}).get("schemas")
    for name, base in list(schemas.items()) if isinstance(schemas, dict) else ():
        if not isinstance(base, dict):
            continue
        home = _join("#/components/schemas", name)
        shapes = [deref(document, member) for key in ("oneOf", "anyOf") for member in base.get(key) or ()
                  if isinstance(member, dict) and "$ref" in member]
        own = {key: value for key, value in base.items() if key not in ("oneOf", "anyOf", "discriminator")}
        built = 0
        for shape in shapes:
            members = shape.get("allOf") if isinstance(shape, dict) else None
            for index, member in enumerate(members if isinstance(members, list) else ()):
                if isinstance(member, dict) and member.get("$ref") == home:
                    members[index], built = copy.deepcopy(own), built + 1
        if built:
            warnings.append(f"{path.name}{home}: a choice of {built} shape(s) that build on it by allOf; read in "
                            f"them as its own fields, without the choice (JSON Schema followed it without end)")


def _open_extended_bases(document: dict, path: Path, warnings: list) -> None:
    """A base schema that says `additionalProperties: false` while the subtypes its discriminator maps add
    fields to it (Unit's `Payment: {properties: {type, id}, additionalProperties: false, discriminator:
    {mapping: {bookPayment: BookPayment}}}`, `BookPayment: {allOf: [{$ref: Payment}, {properties: {attributes}}]}`)
    can hold none of them: JSON Schema reads the base alone, so every payment answered was refused and drawn
    empty, `{}`. Read as open, with a warning naming the fields its subtypes add."""
    for at, schema in list(schema_nodes(document)):
        mapping = (schema.get("discriminator") or {}).get("mapping")
        if schema.get("additionalProperties") is not False or not isinstance(mapping, dict):
            continue
        targets = [{"$ref": t if t.startswith("#") else f"#/components/schemas/{t}"} for t in mapping.values()
                   if isinstance(t, str)]
        added = sorted(set().union(set(), *(_declared_names(document, t) for t in targets
                                            if deref(document, t) is not schema)) - _declared_names(document, schema))
        if added:
            del schema["additionalProperties"]
            warnings.append(f"{path.name}#{at}: additionalProperties: false, but the subtypes its discriminator maps "
                            f"add {', '.join(added[:6])}{', ...' if len(added) > 6 else ''}; read as open")


def _json_api_errors(document: dict, path: Path, warnings: list) -> None:
    """An error answered as JSON:API (`application/vnd.api+json`) whose schema is the list of error objects itself
    (Unit's `UnitError: {type: array, items: {status, title, code, detail}}`) is read as JSON:API's error document,
    an object holding that list as `errors`: the media type's standard makes every document an object, and SDKs
    read `body["errors"]` (answered a bare list, each refusal raised a TypeError in the client, not its error)."""
    done = set()
    for at, item in (document.get("paths") or {}).items():
        for method, operation in (item or {}).items() if isinstance(item, dict) else ():
            if method not in _METHODS or not isinstance(operation, dict):
                continue
            for status, response in (operation.get("responses") or {}).items():
                response = deref(document, response)
                if not (str(status)[:1] in "45" or str(status) == "default") or not isinstance(response, dict):
                    continue
                for media_type, media in (response.get("content") or {}).items():
                    schema = media.get("schema") if isinstance(media, dict) else None
                    if id(media) in done or media_type.split(";")[0].strip().lower() != "application/vnd.api+json" \
                            or (deref(document, schema) or {}).get("type") != "array":
                        continue
                    done.add(id(media))
                    media["schema"] = {"type": "object", "required": ["errors"], "properties": {"errors": schema}}
                    where = _join(_join(_join(_join("#/paths", at), method), "responses"), status)
                    warnings.append(f"{path.name}{where}: a JSON:API error "
                                    f"answered as a bare list; read as the error document holding it as `errors`")


def _undeclared_scheme(name: str, where: str) -> dict:
    """The scheme a requirement names without declaring it, where its name says which (`basicAuth`).

    Connexion takes such a document and then fails building the routes of every bank at the first request
    (a KeyError: every call of the server, /healthz included, answered 500). Any other name refuses the
    folder: guessing where its credential goes would make the sandbox disagree with the bank."""
    bare = re.sub(r"[^a-z]", "", name.lower())
    kind = "basic" if "basic" in bare else "bearer" if "bearer" in bare else None
    if kind is None:
        raise SpecError(f"{where}: the security requirement names {name!r}, which components.securitySchemes "
                        f"does not declare")
    return {"type": "http", "scheme": kind}


def _validate(document: dict, path: Path, source: str) -> None:
    """Refuse a document Connexion would refuse, naming the place (JSON pointer) in it."""
    schema, check = _openapi_30()
    try:
        check(document)
        return
    except fastjsonschema.JsonSchemaValueException:
        pass  # jsonschema explains it, with the place
    error = best_match(Draft4Validator(schema).iter_errors(document))
    if error is None:
        return
    while error.context:  # "not valid under any of the given schemas": say what the likeliest one lacks
        written = [e for e in error.context if "$ref" not in e.message]  # not the "or a reference" alternative
        error = best_match(written or error.context)
    pointer = "#"
    for part in error.absolute_path:
        pointer = _join(pointer, part)
    raise SpecError(f"{path}: {pointer}{_form(source)}: {error.message[:300]}")


def _string_keys(node):
    if isinstance(node, dict):
        return {str(k): _string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_string_keys(v) for v in node]
    return node
