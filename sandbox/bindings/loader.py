"""Loading a bank folder (openapi.yaml + binding.yaml) and refusing a binding that cannot work.

Every mistake a binding can make that is knowable before the first request — an operationId the spec
does not have, an unknown action, an input field the action does not take, an expression that does
not parse, an error code outside the vocabulary — stops start-up with the file, the line and the
reason, never a 500 at request time.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path

import jmespath
import yaml
from jmespath.exceptions import JMESPathError

from ..actions import ACTIONS
from ..domain.errors import CANONICAL_ERRORS
from .functions import OPTIONS

FUNCTION_TABLE = OPTIONS.custom_functions.FUNCTION_TABLE

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class BindingError(ValueError):
    """A bank folder that cannot be served; the message names the file, the line and the reason."""


@dataclass(frozen=True)
class Expression:
    """A compiled JMESPath expression with the text it came from (for messages)."""

    text: str
    compiled: object

    def search(self, document, options):
        return self.compiled.search(document, options=options)


@dataclass(frozen=True)
class Rendering:
    status: int | Expression
    body: Expression | None
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    action_name: str | None
    action: object
    input: Expression | None
    output: Rendering


@dataclass(frozen=True)
class BankApi:
    slug: str
    folder: Path
    spec_path: Path
    spec: dict
    mount: str
    bank_code: str | None
    operations: dict
    errors: dict
    echo_headers: tuple = ()
    binding_path: Path | None = None
    # Where the bank puts its own error code in a rendered error body (for the error tables).
    error_code: Expression | None = None

    @property
    def title(self) -> str:
        return self.spec.get("info", {}).get("title", self.slug)

    @property
    def bound(self) -> bool:
        return self.binding_path is not None

    def spec_operations(self):
        """Yield (operation_id, method, path, operation) for every operation in the spec."""
        for path, item in (self.spec.get("paths") or {}).items():
            for method in METHODS:
                operation = (item or {}).get(method)
                if isinstance(operation, dict):
                    yield operation.get("operationId") or f"{method.upper()} {path}", method, path, operation


def discover(folders) -> list[BankApi]:
    """Load every bank folder (a subfolder with an openapi.yaml) under each of `folders`.

    Folders are searched in order; a bank mounted by an earlier folder hides a later one of the same
    mount point, so a user's `--specs` folder can replace a shipped bank.
    """
    apis, seen = [], set()
    for root in folders:
        if not Path(root).is_dir():
            raise BindingError(f"{root}: no such specs folder")
        for folder in sorted(Path(root).iterdir()):
            if folder.is_dir() and (folder / "openapi.yaml").exists():
                api = load_bank(folder)
                if api.mount not in seen:  # an earlier folder (a user's own) overrides a shipped bank
                    seen.add(api.mount)
                    apis.append(api)
    return apis


def load_bank(folder: Path) -> BankApi:
    folder = Path(folder)
    spec_path = folder / "openapi.yaml"
    try:
        spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BindingError(f"{spec_path}: cannot read the spec: {error}") from None
    if not isinstance(spec, dict) or "paths" not in spec or "openapi" not in spec:
        raise BindingError(f"{spec_path}: not an OpenAPI 3 document (no 'openapi' or 'paths')")
    binding_path = folder / "binding.yaml"
    api = BankApi(folder.name, folder, spec_path, spec, f"/banks/{folder.name}", None, {}, {})
    if not binding_path.exists():
        return api
    text = binding_path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) or {}
        lines = _line_numbers(text)
    except yaml.YAMLError as error:
        raise BindingError(f"{binding_path}: not valid YAML: {error}") from None
    except _RepeatedKey as repeated:
        key, line = repeated.args
        raise BindingError(f"{binding_path}:{line}: {key!r} appears twice in the same mapping; YAML would keep "
                           f"only the last one") from None
    where = _Where(binding_path, lines)
    unknown = sorted(set(data) - {"bank", "mount", "echo_headers", "operations", "errors", "error_code", "glossary"})
    if unknown:
        raise BindingError(where(unknown[0]) + f"unknown top-level key {unknown[0]!r}")
    known_ids = {operation_id for operation_id, *_ in api.spec_operations()}
    operations = {}
    for operation_id, entry in (data.get("operations") or {}).items():
        at = ("operations", operation_id)
        if operation_id not in known_ids:
            raise BindingError(where(*at) + f"operation {operation_id!r} is not an operationId of {spec_path.name}")
        operations[operation_id] = _operation(operation_id, entry, where, at)
    errors = {}
    for code, entry in (data.get("errors") or {}).items():
        at = ("errors", code)
        if code != "default" and code not in CANONICAL_ERRORS:
            raise BindingError(where(*at) + f"{code!r} is not a canonical error code")
        errors[code] = _rendering(entry, where, at)
    if operations and "default" not in errors:
        raise BindingError(where("errors") + "the error table needs a 'default' entry, so every canonical code renders")
    bank = data.get("bank")
    if bank is not None and not (isinstance(bank, str) and len(bank) == 4 and bank.isdigit()):
        raise BindingError(where("bank") + f"bank must be a 4-digit bank code in quotes, got {bank!r}")
    mount = data.get("mount") or api.mount
    if not (isinstance(mount, str) and mount.startswith("/") and not mount.endswith("/")):
        raise BindingError(where("mount") + f"mount must be a path like /banks/name, got {mount!r}")
    echo = data.get("echo_headers") or []
    if not isinstance(echo, list) or not all(isinstance(h, str) for h in echo):
        raise BindingError(where("echo_headers") + "echo_headers must be a list of header names")
    error_code = _compile(data["error_code"], where, ("error_code",)) if data.get("error_code") is not None else None
    return BankApi(folder.name, folder, spec_path, spec, mount, bank, operations, errors,
                   tuple(h.lower() for h in echo), binding_path, error_code)


def _operation(operation_id: str, entry, where, at) -> Operation:
    if not isinstance(entry, dict):
        raise BindingError(where(*at) + "an operation needs 'action' and 'output'")
    unknown = sorted(set(entry) - {"action", "input", "output"})
    if unknown:
        raise BindingError(where(*at) + f"unknown key {unknown[0]!r} (expected action, input, output)")
    name = entry.get("action")
    if name == "none":
        action = None
    elif name not in ACTIONS:
        raise BindingError(where(*at, "action") + f"unknown action {name!r} (known: {', '.join(sorted(ACTIONS))})")
    else:
        action = ACTIONS[name]
    expression = _compile(entry.get("input"), where, (*at, "input")) if entry.get("input") else None
    if expression is not None and action is not None:
        _check_inputs(expression, action, name, where, (*at, "input"))
    if "output" not in entry:
        raise BindingError(where(*at) + "an operation needs an 'output'")
    return Operation(operation_id, None if action is None else name, action, expression, _rendering(entry["output"], where, (*at, "output")))


def _rendering(entry, where, at) -> Rendering:
    if not isinstance(entry, dict) or "status" not in entry:
        raise BindingError(where(*at) + "needs a 'status' (and usually a 'body')")
    unknown = sorted(set(entry) - {"status", "body", "headers"})
    if unknown:
        raise BindingError(where(*at) + f"unknown key {unknown[0]!r} (expected status, body, headers)")
    status = entry["status"]
    if isinstance(status, str):
        status = _compile(status, where, (*at, "status"))
    elif not (isinstance(status, int) and 100 <= status <= 599):
        raise BindingError(where(*at, "status") + f"status must be an HTTP status or an expression, got {status!r}")
    body = _compile(entry["body"], where, (*at, "body")) if entry.get("body") is not None else None
    headers = {name: _compile(expr, where, (*at, "headers", name)) for name, expr in (entry.get("headers") or {}).items()}
    return Rendering(status, body, headers)


def _compile(text, where, at) -> Expression:
    if not isinstance(text, str):
        raise BindingError(where(*at) + f"expected a JMESPath expression (a string), got {text!r}")
    try:
        compiled = jmespath.compile(text)
    except JMESPathError as error:
        raise BindingError(where(*at) + f"JMESPath expression does not parse: {error}") from None
    _check_calls(compiled.parsed, where, at)
    return Expression(text, compiled)


def _check_calls(node, where, at) -> None:
    """Every function an expression calls exists and gets a number of arguments it takes.

    JMESPath only finds out when the expression runs, which would make a typo in a binding a 500
    on the first request instead of a refusal at start-up.
    """
    if isinstance(node, dict):
        if node.get("type") == "function_expression":
            name, given = node["value"], len(node["children"])
            entry = FUNCTION_TABLE.get(name)
            if entry is None:
                raise BindingError(where(*at) + f"unknown function {name}() (known: {', '.join(sorted(FUNCTION_TABLE))})")
            signature = entry["signature"]
            variadic = bool(signature) and signature[-1].get("variadic")
            fixed = len(signature) - (1 if variadic else 0)
            if given < fixed or (given > len(signature) and not variadic):
                wanted = f"at least {fixed}" if variadic else str(len(signature))
                raise BindingError(where(*at) + f"{name}() takes {wanted} argument(s), got {given}")
        for child in node.get("children") or ():
            _check_calls(child, where, at)


def _check_inputs(expression: Expression, action, name: str, where, at) -> None:
    """An input that builds an object must only name keyword arguments the action takes."""
    tree = expression.compiled.parsed
    if tree.get("type") != "multi_select_dict":
        return
    parameters = inspect.signature(action).parameters
    accepted = {p for p in parameters if p != "ctx"}
    for pair in tree["children"]:
        if pair["value"] not in accepted:
            raise BindingError(
                where(*at) + f"input field {pair['value']!r} is not an input of {name} (it takes: {', '.join(sorted(accepted))})"
            )
    missing = [p.name for p in parameters.values() if p.name != "ctx" and p.default is inspect.Parameter.empty]
    given = {pair["value"] for pair in tree["children"]}
    for required in missing:
        if required not in given:
            raise BindingError(where(*at) + f"input lacks {required!r}, which {name} requires")


class _RepeatedKey(Exception):
    """A mapping key written twice (PyYAML silently keeps the last)."""


class _Where:
    """Formats 'file:line: ' for a path of keys in the binding."""

    def __init__(self, path: Path, lines: dict):
        self.path, self.lines = path, lines

    def __call__(self, *keys) -> str:
        for depth in range(len(keys), 0, -1):
            line = self.lines.get(tuple(str(k) for k in keys[:depth]))
            if line:
                return f"{self.path}:{line}: "
        return f"{self.path}: "


def _line_numbers(text: str) -> dict:
    """Map each path of mapping keys in a YAML document to the line its key stands on."""
    lines = {}

    def walk(node, prefix):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                path = (*prefix, str(key.value))
                if path in lines:
                    raise _RepeatedKey(key.value, key.start_mark.line + 1)
                lines[path] = key.start_mark.line + 1
                walk(value, path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*prefix, str(index)))

    root = yaml.compose(text)
    if root is not None:
        walk(root, ())
    return lines
