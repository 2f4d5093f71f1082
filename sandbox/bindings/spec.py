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
  type, the way HTTP compares them; the declared form is kept in `Spec.media_types` so answers carry it.

Anything that cannot be served is a `SpecError` naming the file and the JSON pointer (or line).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import fastjsonschema
import yaml
from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match

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


def find(folder: Path) -> Path | None:
    """The folder's spec file, None when it has none; two spec files are an error."""
    found = [Path(folder) / name for name in SPEC_NAMES if (Path(folder) / name).is_file()]
    if len(found) > 1:
        raise SpecError(f"{folder}: holds {found[0].name} and {found[1].name}; keep exactly one spec file")
    return found[0] if found else None


def read(folder: Path) -> Spec:
    """Read and normalise the spec of a bank folder (see the module docstring)."""
    folder = Path(folder)
    path = find(folder)
    if path is None:
        raise SpecError(f"{folder}: no spec file (expected one of {', '.join(SPEC_NAMES)})")
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
    document = _Bundler(folder, path, root, hoist).bundle()
    warnings: list[str] = []
    if source == "Swagger 2.0":
        document = _from_swagger2(document, path)
    elif openapi.startswith("3.1"):
        document = _from_openapi31(document, warnings)
    document.setdefault("paths", {})
    document["paths"] = document["paths"] or {}
    media_types = _bare_media_types(document)
    document = _string_keys(document)  # as Connexion reads it (YAML makes `200:` an int)
    _validate(document, path, source)
    return Spec(path, document, source, media_types, tuple(warnings))


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
    """One YAML or JSON file as a tree, read as OpenAPI means YAML (1.2), with libyaml when installed."""
    try:
        text = path.read_text(encoding="utf-8")
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

    def __init__(self, folder: Path, path: Path, root: dict, hoist: tuple):
        self.folder, self.path, self.root, self.hoist = folder.resolve(), path.resolve(), root, hoist
        self.files = {self.path: root}
        self.bundled: dict = {}  # (file, fragment) -> the bundled target
        self.hoisted: dict = {}  # (file, fragment) -> schema name, for targets that contain themselves
        self.named: dict = {}  # schema name -> the bundled schema

    def bundle(self) -> dict:
        if not _refers_to_files(self.root):
            return self.root  # most specs: one file, nothing to do
        document = self._walk(self.root, self.path, "#", ())
        if self.named:
            home = document
            for key in self.hoist:
                home = home.setdefault(key, {})
            home.update(self.named)
        return document

    def _walk(self, node, base: Path, at: str, stack: tuple):
        if isinstance(node, list):
            return [self._walk(item, base, f"{at}/{i}", stack) for i, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and not (base == self.path and ref.startswith("#")):
            return self._follow(ref, base, at, stack)
        return {key: self._walk(value, base, f"{at}/{key}", stack) for key, value in node.items()}

    def _follow(self, ref: str, base: Path, at: str, stack: tuple):
        where = f"{base}: {at}/$ref {ref!r}"
        name, _, fragment = ref.partition("#")
        if re.match(r"[a-z][a-z0-9+.-]*:", name, re.I):
            raise SpecError(f"{where}: refers outside the bank folder; keep every file the spec needs in the folder")
        target_path = (base.parent / unquote(name)).resolve() if name else base
        if not target_path.is_relative_to(self.folder):
            raise SpecError(f"{where}: refers outside the bank folder {self.folder}; keep every file the spec needs in it")
        if target_path == self.path:
            return {"$ref": "#" + fragment}
        key = (target_path, fragment)
        if key in stack:
            self.hoisted.setdefault(key, self._name(fragment, target_path))
            return self._ref(key)
        if key not in self.bundled:
            if target_path not in self.files:
                if not target_path.is_file():
                    raise SpecError(f"{where}: no such file {target_path.relative_to(self.folder)} in the bank folder")
                self.files[target_path] = parse(target_path)
            target = _pointer(self.files[target_path], fragment, where)
            self.bundled[key] = self._walk(target, target_path, f"#{fragment}", (*stack, key))
            if key in self.hoisted:
                self.named[self.hoisted[key]] = self.bundled[key]
        return self._ref(key) if key in self.hoisted else self.bundled[key]

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


def _refers_to_files(node) -> bool:
    """Whether anything under `node` is a `$ref` to another file."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        return (isinstance(ref, str) and not ref.startswith("#")) or any(_refers_to_files(v) for v in node.values())
    if isinstance(node, list):
        return any(_refers_to_files(v) for v in node)
    return False


# -- walking schemas -------------------------------------------------------------------------------

# Keys whose value is a map of names (its keys are names, not keywords) and keys whose value is data
# (an example, a default): a schema rewrite must neither take a name for a keyword nor touch data.
_NAME_MAPS = {"properties", "patternProperties", "definitions", "schemas", "securitySchemes", "securityDefinitions",
              "responses", "headers", "content", "paths", "callbacks", "links", "encoding", "requestBodies",
              "variables", "scopes", "mapping", "webhooks", "pathItems", "components", "$defs", "dependentSchemas",
              "parameters"}
_DATA = {"example", "default", "enum", "const", "value", "x-example", "x-examples"}


def _rewrite(node, fix):
    """Apply `fix` to every object of the document that is not data or a map of names, bottom up."""
    if isinstance(node, list):
        return [_rewrite(item, fix) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in _DATA or (isinstance(key, str) and key.startswith("x-")):
            out[key] = value
        elif key in _NAME_MAPS and isinstance(value, dict):
            out[key] = {name: _rewrite(sub, fix) for name, sub in value.items()}
        elif key == "examples" and isinstance(value, dict):
            out[key] = value  # named examples: data
        else:
            out[key] = _rewrite(value, fix)
    return fix(out)


# -- OpenAPI 3.1 -----------------------------------------------------------------------------------

# JSON Schema 2020-12 keywords OpenAPI 3.0 has no word for: the bookkeeping ones go quietly (a `$defs`
# has been bundled where it is referred to), the constraints go with a warning that they are not checked.
_BOOKKEEPING_31 = ("$schema", "$id", "$anchor", "$comment", "$defs", "$dynamicAnchor", "contentMediaType",
                   "contentEncoding")
_UNCHECKED_31 = ("$dynamicRef", "contentSchema", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
                 "dependentSchemas", "prefixItems", "contains", "minContains", "maxContains", "propertyNames",
                 "if", "then", "else")


def _from_openapi31(document: dict, warnings: list) -> dict:
    dropped: set = set()

    def fix(node: dict) -> dict:
        kind = node.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            node = {k: v for k, v in node.items() if k != "type"}
            if len(kinds) < len(kind):
                node["nullable"] = True
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
                node = {**node, combinator: rest, "nullable": True}
                if len(rest) == 1 and "$ref" not in rest[0] and not (set(node) - {combinator, "nullable"}):
                    node = {**rest[0], "nullable": True}
        if any(key in node for key in (*_BOOKKEEPING_31, *_UNCHECKED_31)):
            dropped.update(key for key in _UNCHECKED_31 if key in node)
            node = {k: v for k, v in node.items() if k not in _BOOKKEEPING_31 and k not in _UNCHECKED_31}
        return node

    out = _rewrite({k: v for k, v in document.items() if k not in ("webhooks", "jsonSchemaDialect")}, fix)
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
    source = _rewrite(source, _swagger_schema)
    source = _refs(source)
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


def _swagger_schema(node: dict) -> dict:
    if node.get("type") == "file":
        node = {**node, "type": "string", "format": "binary"}
    if "x-nullable" in node:
        node = {**{k: v for k, v in node.items() if k != "x-nullable"}, "nullable": bool(node["x-nullable"])}
    if isinstance(node.get("discriminator"), str) and "properties" in node:
        node = {**node, "discriminator": {"propertyName": node["discriminator"]}}
    return node


def _refs(node):
    """Swagger 2.0's reference targets, moved to where OpenAPI 3.0 keeps them."""
    if isinstance(node, list):
        return [_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: (v if k in _DATA else _refs(v)) for k, v in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str):
        for old, new in (("#/definitions/", "#/components/schemas/"), ("#/responses/", "#/components/responses/"),
                         ("#/parameters/", "#/components/parameters/")):
            if ref.startswith(old):
                out["$ref"] = new + ref[len(old):]
    return out


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

def _bare_media_types(document: dict) -> dict:
    """Key every request and response body by its bare media type; return bare -> declared."""
    declared: dict = {}

    def rekey(content):
        if not isinstance(content, dict):
            return content
        out = {}
        for media, value in content.items():
            bare = str(media).split(";")[0].strip().lower()
            if bare != media:
                declared.setdefault(bare, str(media).replace(" ", ""))
            out.setdefault(bare, value)
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
    pointer = "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
    shape = "" if source.startswith("OpenAPI 3.0") else f" (of the OpenAPI 3.0 form of this {source} document)"
    raise SpecError(f"{path}: {pointer}{shape}: {error.message[:300]}")


def _string_keys(node):
    if isinstance(node, dict):
        return {str(k): _string_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_string_keys(v) for v in node]
    return node
