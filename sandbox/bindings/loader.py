"""Loading a bank folder (openapi.yaml + binding.yaml) and refusing a binding that cannot work.

Every mistake a binding can make that is knowable before the first request — an operationId the spec
does not have, an unknown action, an input field the action does not take, an expression that does
not parse, an error code outside the vocabulary — stops start-up with the file, the line and the
reason, never a 500 at request time.
"""

from __future__ import annotations

import inspect
import os
import pickle
import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable

import jmespath
import yaml
from jmespath.exceptions import JMESPathError

from ..actions import ACTIONS
from ..domain.errors import CANONICAL_ERRORS, ROLES
from .closures import compile_tree
from .functions import ARITY, OPTIONS, placeholders
from .spec import SPEC_NAMES, SpecError, find as find_spec, read as read_spec, shield_literal_refs
from . import examples, headers, kept_on_disk, security

# The safe loader, in C when libyaml is installed: a binding is read (and composed, for line numbers)
# at every start, and the pure-Python loader made that a large part of it.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FUNCTION_TABLE = OPTIONS.custom_functions.FUNCTION_TABLE

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class BindingError(ValueError):
    """A bank folder that cannot be served; the message names the file, the line and the reason."""


@dataclass(frozen=True)
class Expression:
    """A compiled JMESPath expression with the text it came from (for messages), and its closures
    (`closures.py`), which evaluate it with the sandbox's functions."""

    text: str
    compiled: object
    evaluate: Callable | None = field(default=None, compare=False, repr=False)

    def search(self, document, options):
        if options is OPTIONS and self.evaluate is not None:
            return self.evaluate(document)
        return self.compiled.search(document, options=options)


@dataclass(frozen=True)
class Rendering:
    status: int | Expression
    body: Expression | None
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Refusal:
    """A case that answers with a canonical error instead of running an action."""

    code: str
    message: str
    field: str | None = None


@dataclass(frozen=True)
class Case:
    """One way an operation answers: an action (once, or once per item of `each`) and its output, or a refusal."""

    when: Expression | None
    action_name: str | None
    action: object
    input: Expression | None
    output: Rendering | None
    each: Expression | None = None
    atomic: bool = False
    item_id: Expression | None = None
    refuse: Refusal | None = None
    # (argument, name to report) for each argument the action cannot do without: a null one is a 400 naming it.
    required: tuple = ()


@dataclass(frozen=True)
class Operation:
    """A bound operation: its cases in order, the last one the default (a plain operation has only that one)."""

    operation_id: str
    cases: tuple

    @cached_property
    def default(self) -> Case:
        # The last case that runs an action stands for the operation (plans, glossary, scenarios read it:
        # every request does, hence found once).
        return next(case for case in reversed(self.cases) if case.refuse is None)

    @property
    def action_name(self) -> str | None:
        return self.default.action_name

    @property
    def action(self):
        return self.default.action

    @property
    def input(self) -> Expression | None:
        return self.default.input

    @property
    def output(self) -> Rendering:
        return self.default.output

    def choose(self, request: dict, options) -> Case:
        """The first case whose `when` holds for the request (JMESPath truth), else the default."""
        for case in self.cases:
            if case.when is None or truthy(case.when.search(request, options)):
                return case
        return self.cases[-1]


def truthy(value) -> bool:
    """JMESPath's truth: null, false, '', [] and {} are false; everything else (0 too) is true."""
    return not (value is None or value is False or (isinstance(value, (str, list, dict)) and not value))


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
    # Where callers put the access token when the spec declares no security (the binding's `auth`).
    auth: dict | None = None
    # `fapi2`: the bank takes only DPoP-bound access tokens (the FAPI 2.0 profile); `plain` otherwise.
    security_profile: str = "plain"
    # The bank this folder declares itself (bank.yaml or a `bank:` mapping), seeded in every new workspace.
    declared_bank: dict | None = None
    # What the author wrote ("Swagger 2.0", "OpenAPI 3.1.0"); `spec` is always its OpenAPI 3.0 form (spec.py).
    source_version: str = ""
    # bare media type -> as the spec declares it with its parameters ("application/json;charset=UTF-8")
    media_types: dict = field(default_factory=dict)
    # What loading noticed but could live with (`bank-sandbox check` and the serve banner print them).
    warnings: list = field(default_factory=list)
    # OAuth scopes the bank uses that its spec names only in prose (the binding's `scopes`: name -> what it grants).
    extra_scopes: dict = field(default_factory=dict)
    # Server URLs the bank also answers under besides its spec's servers (the binding's `hosts`: a vendor's
    # sandbox host or per-merchant names that its spec gives only in prose; http/hosts.py).
    hosts: tuple = ()
    # What is worked out once per operation from the spec alone (roles.address), by what it is. Not an
    # argument: a copy made with other fields (dataclasses.replace) starts with its own.
    derived: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    # The other parts of one API served beside it, whose kept resources it shares (specs answering under one
    # host and base path with no path in common: a vendor's API split over files, http/hosts.py's `join_parts`).
    # Filled once, when the banks are mounted.
    kin: list = field(default_factory=list, init=False, compare=False, repr=False)

    @property
    def scopes(self) -> dict:
        """scope -> description: those its spec declares (`security.declared_scopes`) and its binding's."""
        return {**security.declared_scopes(self.spec), **self.extra_scopes}

    @property
    def title(self) -> str:
        return self.spec.get("info", {}).get("title", self.slug)

    @property
    def bound(self) -> bool:
        return self.binding_path is not None

    @property
    def security_mode(self) -> str:
        """`declared`, `binding` (the binding's `auth` says where the token is) or `undeclared`."""
        return security.api_mode(self.spec, self.auth)

    def spec_operations(self):
        """Yield (operation_id, method, path, operation) for every operation in the spec."""
        for path, item in (self.spec.get("paths") or {}).items():
            for method in METHODS:
                operation = (item or {}).get(method)
                if isinstance(operation, dict):
                    yield operation.get("operationId") or f"{method.upper()} {path}", method, path, operation


@dataclass(frozen=True)
class Unavailable:
    """A bank folder that cannot be served, and exactly why (file, line or JSON pointer, reason)."""

    folder: Path
    reason: str


def discover(folders) -> list[BankApi]:
    """Load every bank folder under each of `folders`; the first folder that cannot be served is an error."""
    apis, unavailable = survey(folders)
    if unavailable:
        raise BindingError(unavailable[0].reason)
    return apis


def survey(folders) -> tuple[list[BankApi], list[Unavailable]]:
    """Load every bank folder among `folders`: each one that is a bank folder, else its subfolders that are.

    A bank folder holds a spec file or a binding.yaml. `serve --specs DIR` and `check DIR` take a bank
    folder or a folder of them alike, so the folder a user just dropped a spec into is served as it is
    (its own subfolders are then parts of its spec, not banks). A folder that cannot be served is set
    aside with its reason, so one bad folder never takes the others down. Folders are searched in
    order; a bank mounted by an earlier folder hides a later one of the same mount point, so a user's
    `--specs` folder can replace a shipped bank.
    """
    apis, unavailable, seen = [], [], set()
    for root in map(Path, folders):
        if not root.is_dir():
            raise BindingError(f"{root}: no such specs folder")
        subfolders = [folder for folder in sorted(root.iterdir()) if folder.is_dir() and not folder.name.startswith((".", "_"))]
        inside = [folder for folder in subfolders if is_bank_folder(folder)]
        # (a folder of banks may hold another document beside them: the shipped specs/ holds the control plane's)
        banks = [root] if is_bank_folder(root, named=True) or not inside and is_bank_folder(root) else inside
        for folder in banks:
            try:
                api = load_bank(folder)
            except (BindingError, SpecError) as error:
                unavailable.append(Unavailable(folder, str(error)))
                continue
            if api.mount not in seen:  # an earlier folder (a user's own) overrides a shipped bank
                seen.add(api.mount)
                apis.append(api)
    return apis, unavailable


def is_bank_folder(folder: Path, named: bool = False) -> bool:
    """Whether `folder` holds a spec file or a binding.yaml (a bank folder, servable or not); `named`: a spec file
    named as SPEC_NAMES say, not one found by what it opens with."""
    if named:
        return any((Path(folder) / name).is_file() for name in (*SPEC_NAMES, "binding.yaml"))
    try:
        return (Path(folder) / "binding.yaml").is_file() or find_spec(folder) is not None
    except SpecError:
        return True  # two specs: a bank folder that cannot be served, and says why


# A spec as read and repaired, by folder: (the stamps of the files it was read from, the pickled result).
_READ: dict[Path, tuple[tuple, bytes]] = {}


def _stamps(files) -> tuple:
    try:
        return tuple((str(path), os.stat(path).st_mtime_ns, os.stat(path).st_size) for path in files)
    except OSError:
        return ()  # a file gone: read again


def _read_repaired(folder: Path):
    """The folder's spec read, normalised and its examples repaired: worked out once per process while its
    files stay as they were, since a large spec takes most of a second (a suite or a connector's tests
    start a server per module, each serving the same banks), and kept on disk for the next process
    (kept_on_disk.py). Each call gets its own copy of the result (unpickled: the app built from it may
    change it)."""
    key = folder.resolve()
    known = _READ.get(key)
    if known is not None and known[0] and _stamps(path for path, *_ in known[0]) == known[0]:
        return pickle.loads(known[1])
    on_disk = kept_on_disk.folder_key(key)
    kept = kept_on_disk.read("specs", str(key), on_disk)
    if kept is not None:
        _READ[key] = kept
        return pickle.loads(kept[1])
    published = read_spec(folder)
    spec = published.document
    warnings = [*published.warnings, *examples.repair(spec, published.path.name)]
    result = (replace(published, document=None), shield_literal_refs(spec), warnings)  # shielded after the repair,
    try:                                                                                 # which may rebuild an example
        _READ[key] = (_stamps(published.files), pickle.dumps(result, pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, RecursionError):
        return result  # read again next time
    kept_on_disk.keep("specs", str(key), on_disk, _READ[key])
    return result


def load_bank(folder: Path) -> BankApi:
    folder = Path(folder)
    try:
        published, spec, warnings = _read_repaired(folder)
    except SpecError as error:
        raise BindingError(str(error)) from None
    spec_path = published.path
    binding_path = folder / "binding.yaml"
    api = BankApi(folder.name, folder, spec_path, spec, f"/banks/{folder.name}", None, {}, {},
                  source_version=published.source_version, media_types=published.media_types, warnings=warnings)
    if next(api.spec_operations(), None) is None:
        api = replace(api, warnings=[*warnings, f"{spec_path.name}: declares no operations (its `paths` hold none): the "
                                     f"bank is served with nothing to call; a spec split over files is served "
                                     f"bundled, or with the files it refers to beside it"])
    inferred = security.inferred_auth(spec)
    if inferred is not None:  # a binding's own `auth` (read below) replaces it
        api = replace(api, spec=security.with_auth(spec, inferred[0]), auth=inferred[0],
                      warnings=[*api.warnings, f"{spec_path.name}: {inferred[1]}"])
    if not binding_path.exists():
        return _echoing(_unguarded_warned(_with_bank(api, None, _Where(binding_path, {}))))
    try:
        data, lines = read_yaml(binding_path)
        data = data or {}
    except yaml.YAMLError as error:
        raise BindingError(f"{binding_path}: not valid YAML: {error}") from None
    except _RepeatedKey as repeated:
        key, line = repeated.args
        raise BindingError(f"{binding_path}:{line}: {key!r} appears twice in the same mapping; YAML would keep "
                           f"only the last one") from None
    where = _Where(binding_path, lines)
    unknown = sorted(set(data) - {"bank", "mount", "echo_headers", "operations", "errors", "error_code", "glossary", "auth",
                                  "security_profile", "scopes", "hosts"})
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
        canonical, _, role = str(code).partition(".")
        if code != "default" and canonical not in CANONICAL_ERRORS:
            raise BindingError(where(*at) + f"{canonical!r} is not a canonical error code")
        if role and role not in ROLES:
            raise BindingError(where(*at) + f"{role!r} is not a role an error names (roles: {', '.join(ROLES)})")
        errors[code] = _rendering(entry, where, at)
    if operations and "default" not in errors:
        raise BindingError(where("errors") + "the error table needs a 'default' entry, so every canonical code renders")
    bank = data.get("bank")
    if bank is not None and not isinstance(bank, dict) and not (isinstance(bank, str) and len(bank) == 4 and bank.isdigit()):
        raise BindingError(where("bank") + f"bank must be a 4-digit bank code in quotes, got {bank!r} "
                                            f"(or a mapping of the bank's own fields, as in bank.yaml)")
    mount = data.get("mount") or api.mount
    if not (isinstance(mount, str) and mount.startswith("/") and not mount.endswith("/")):
        raise BindingError(where("mount") + f"mount must be a path like /banks/name, got {mount!r}")
    echo = data.get("echo_headers") or []
    if not isinstance(echo, list) or not all(isinstance(h, str) for h in echo):
        raise BindingError(where("echo_headers") + "echo_headers must be a list of header names")
    error_code = _compile(data["error_code"], where, ("error_code",)) if data.get("error_code") is not None else None
    auth = _auth(data.get("auth"), spec, where) if "auth" in data else api.auth
    scopes = _scopes(data.get("scopes"), where) if "scopes" in data else {}
    profile = data.get("security_profile", "plain")
    if profile not in ("plain", "fapi2"):
        raise BindingError(where("security_profile") + f"security_profile must be plain or fapi2, got {profile!r}")
    hosts = data.get("hosts") or []
    if not isinstance(hosts, list) or not all(isinstance(h, str) and re.match(r"https?://[^/]", h) for h in hosts):
        raise BindingError(where("hosts") + "hosts must be a list of URLs the bank also answers under, such as "
                                            "https://sandbox.example.com/v1 or https://{merchant}.api.example.com")
    api = BankApi(folder.name, folder, spec_path, security.with_auth(spec, auth), mount, bank if isinstance(bank, str) else None,
                  operations, errors, tuple(h.lower() for h in echo), binding_path, error_code, auth=auth,
                  security_profile=profile, extra_scopes=scopes, hosts=tuple(hosts),
                  source_version=api.source_version, media_types=api.media_types, warnings=api.warnings)
    return _echoing(_unguarded_warned(_with_bank(api, bank, where)))


def _with_bank(api: BankApi, inline, where) -> BankApi:
    """The API with the bank its folder declares, if it declares one (see bank.py)."""
    from .bank import declared_bank  # bank.py builds on this module's errors and line numbers

    declared = declared_bank(api.folder, inline, where)
    return api if declared is None else replace(api, bank_code=declared["code"], declared_bank=declared)


def _echoing(api: BankApi) -> BankApi:
    """The API, echoing the interaction headers its spec declares on some answer, unless its binding names
    the headers it echoes (`echo_headers`)."""
    if api.echo_headers:
        return api
    return replace(api, echo_headers=headers.echoed(api.spec, api.spec_operations()))


def _unguarded_warned(api: BankApi) -> BankApi:
    """The API, with a warning where its spec declares no security and nothing says where the token goes: its
    operations answer anyone (Marqeta's spec leaves out the HTTP Basic its API requires)."""
    if api.auth or security.declares_security(api.spec):
        return api
    return replace(api, warnings=[*api.warnings, f"{api.spec_path.name}: declares no security: an operation is answered "
                                  "to anyone, and a credential sent anyway (Authorization: Bearer or Basic) is checked "
                                  "and makes the call its connector's; the binding's `auth` says where a token is "
                                  "required"])


def _scopes(value, where) -> dict:
    """The binding's `scopes`: a list of names, or a mapping of each to what it grants."""
    if isinstance(value, list) and all(isinstance(name, str) and name and " " not in name for name in value):
        return {name: name for name in value}
    if isinstance(value, dict) and all(isinstance(name, str) and name and " " not in name for name in value):
        return {name: str(text) for name, text in value.items()}
    raise BindingError(where("scopes") + "scopes must be a list of scope names, or a mapping of each name to what it "
                                          "grants (names without spaces)")


def _auth(value, spec: dict, where) -> dict:
    """The binding's token location, for a spec that declares no security of its own."""
    if security.declares_security(spec):
        raise BindingError(where("auth") + "the spec declares its own security; auth is only for a spec that declares none")
    try:
        return security.check_auth(value)
    except ValueError as error:
        raise BindingError(where("auth") + str(error)) from None


OPERATION_KEYS = ("action", "input", "output", "each", "atomic", "item_id")
CASE_KEYS = ("when", *OPERATION_KEYS, "refuse")


def _operation(operation_id: str, entry, where, at) -> Operation:
    if not isinstance(entry, dict):
        raise BindingError(where(*at) + "an operation needs 'action' and 'output'")
    if "cases" not in entry:
        unknown = sorted(set(entry) - set(OPERATION_KEYS))
        if unknown:
            raise BindingError(where(*at) + f"unknown key {unknown[0]!r} (expected action, input, output) "
                                            f"or, to iterate, each, atomic, item_id; or cases to branch")
        return Operation(operation_id, (_case(entry, where, at),))
    if len(entry) > 1:
        other = sorted(set(entry) - {"cases"})[0]
        raise BindingError(where(*at, other) + f"{other!r} beside 'cases': each case carries its own")
    cases = entry["cases"]
    if not isinstance(cases, list) or len(cases) < 2:
        raise BindingError(where(*at, "cases") + "cases must be a list of at least two: cases with 'when', then the default")
    parsed = []
    for index, case in enumerate(cases):
        case_at = (*at, "cases", index)
        if not isinstance(case, dict):
            raise BindingError(where(*case_at) + "a case is a mapping: 'when' with an action and output, or with 'refuse'")
        unknown = sorted(set(case) - set(CASE_KEYS))
        if unknown:
            raise BindingError(where(*case_at, unknown[0]) + f"unknown key {unknown[0]!r} in a case (expected {', '.join(CASE_KEYS)})")
        last = index == len(cases) - 1
        if last and "when" in case:
            raise BindingError(where(*case_at, "when") + "the last case is the default and takes no 'when', so every request is answered")
        if not last and "when" not in case:
            raise BindingError(where(*case_at) + "only the last case may leave out 'when' (it is the default)")
        parsed.append(_case(case, where, case_at))
    if all(case.refuse is not None for case in parsed):
        raise BindingError(where(*at, "cases") + "every case refuses: at least one must run an action")
    return Operation(operation_id, tuple(parsed))


def _case(entry: dict, where, at) -> Case:
    when = _compile(entry["when"], where, (*at, "when")) if "when" in entry else None
    if "refuse" in entry:
        other = sorted(set(entry) - {"when", "refuse"})
        if other:
            raise BindingError(where(*at, other[0]) + f"a refusing case takes only 'when' and 'refuse', not {other[0]!r}")
        return Case(when, None, None, None, None, refuse=_refusal(entry["refuse"], where, (*at, "refuse")))
    name = entry.get("action")
    if name == "none":
        action = None
    elif name not in ACTIONS:
        raise BindingError(where(*at, "action") + f"unknown action {name!r} (known: {', '.join(sorted(ACTIONS))})")
    else:
        action = ACTIONS[name]
    expression = _compile(entry.get("input"), where, (*at, "input")) if entry.get("input") else None
    required = _check_inputs(expression, action, name, where, (*at, "input")) if action is not None else ()
    if "output" not in entry:
        raise BindingError(where(*at) + "an operation needs an 'output'")
    each = _compile(entry["each"], where, (*at, "each")) if "each" in entry else None
    for key in ("atomic", "item_id"):
        if key in entry and each is None:
            raise BindingError(where(*at, key) + f"{key!r} belongs to an operation that iterates: it needs 'each'")
    if each is not None and action is None:
        raise BindingError(where(*at, "each") + "'each' runs an action per item: it needs an action")
    atomic = entry.get("atomic", False)
    if not isinstance(atomic, bool):
        raise BindingError(where(*at, "atomic") + f"atomic must be true (all items or none) or false (each on its own), got {atomic!r}")
    item_id = _compile(entry["item_id"], where, (*at, "item_id")) if "item_id" in entry else None
    return Case(when, None if action is None else name, action, expression, _rendering(entry["output"], where, (*at, "output")),
                each, atomic, item_id, required=required)


def _refusal(entry, where, at) -> Refusal:
    if not isinstance(entry, dict) or "error" not in entry:
        raise BindingError(where(*at) + "refuse needs an 'error' (a canonical code) and a 'message'")
    unknown = sorted(set(entry) - {"error", "message", "field"})
    if unknown:
        raise BindingError(where(*at, unknown[0]) + f"unknown key {unknown[0]!r} in refuse (expected error, message, field)")
    if entry["error"] not in CANONICAL_ERRORS:
        raise BindingError(where(*at, "error") + f"{entry['error']!r} is not a canonical error code")
    for key in ("message", "field"):
        if key in entry and not isinstance(entry[key], str):
            raise BindingError(where(*at, key) + f"{key} must be text, got {entry[key]!r}")
    if "message" not in entry:
        raise BindingError(where(*at) + "refuse needs a 'message' saying why, in words the client can act on")
    return Refusal(entry["error"], entry["message"], entry.get("field"))


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
    return Expression(text, compiled, compile_tree(compiled.parsed, OPTIONS))


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
            fewest, most = ARITY.get(name) or ((len(signature) - 1, None) if variadic else (len(signature),) * 2)
            if given < fewest or (most is not None and given > most):
                wanted = str(fewest) if fewest == most else f"{fewest} to {most}" if most else f"at least {fewest}"
                raise BindingError(where(*at) + f"{name}() takes {wanted} argument(s), got {given}")
            template = node["children"][0] if name == "format" else {}
            if template.get("type") == "literal" and isinstance(template.get("value"), str):
                beyond = sorted(i for i in placeholders(template["value"]) if i >= given - 1)
                if beyond:
                    raise BindingError(where(*at) + f"format() template uses {{{beyond[0]}}} but has {given - 1} value(s)")
        for child in node.get("children") or ():
            _check_calls(child, where, at)


def _check_inputs(expression: Expression | None, action, name: str, where, at) -> tuple:
    """An input that builds an object must only name keyword arguments the action takes, and all it requires.

    Returns (argument, name to report) for each required argument: the request field the input reads it
    from (`query.accountId` -> accountId), so that a null one is refused naming what the client sent.
    """
    parameters = inspect.signature(action).parameters
    accepted = {p for p in parameters if p != "ctx"}
    needed = [p.name for p in parameters.values() if p.name != "ctx" and p.default is inspect.Parameter.empty]
    tree = expression.compiled.parsed if expression is not None else None
    if tree is None or tree.get("type") != "multi_select_dict":
        if tree is None and needed:
            raise BindingError(where(*at[:-1]) + f"{name} requires {', '.join(needed)}: the operation needs an 'input'")
        return tuple((p, p) for p in needed)
    sources = {}
    for pair in tree["children"]:
        if pair["value"] not in accepted:
            raise BindingError(
                where(*at) + f"input field {pair['value']!r} is not an input of {name} (it takes: {', '.join(sorted(accepted))})"
            )
        sources[pair["value"]] = _source_name(pair["children"][0]) or pair["value"]
    for required in needed:
        if required not in sources:
            raise BindingError(where(*at) + f"input lacks {required!r}, which {name} requires")
    return tuple((p, sources[p]) for p in needed)


def _source_name(node) -> str | None:
    """The request field an input value reads (`body.transfers[0].transferAmount` -> transferAmount), if plain."""
    kind = node.get("type")
    if kind == "field":
        return node["value"]
    if kind in ("subexpression", "index_expression") or (kind == "function_expression" and len(node["children"]) == 1):
        return _source_name(node["children"][-1] if kind == "subexpression" else node["children"][0])
    return None


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


def read_yaml(path: Path) -> tuple[object, dict]:
    """A bank folder's YAML file as (its data, the line of each of its keys: `_line_numbers`).

    Each version of a file (its modification time and size) is read once per process and kept pickled:
    every app made after the first (a server's workers, a test suite's servers) unpickles it instead of
    parsing the YAML twice again, and gets data of its own to change. Errors are not kept: a file that
    does not read is read again next time.
    """
    stat = path.stat()
    data, lines = _read_yaml(path, path.resolve(), stat.st_mtime_ns, stat.st_size)
    return pickle.loads(data), lines


@lru_cache(maxsize=256)
def _read_yaml(path: Path, resolved: Path, mtime_ns: int, size: int) -> tuple[bytes, dict]:
    text = path.read_text(encoding="utf-8")
    data = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - the safe loader
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), _line_numbers(text)


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
                lines[(*prefix, str(index))] = item.start_mark.line + 1
                walk(item, (*prefix, str(index)))

    root = yaml.compose(text, Loader=SAFE_LOADER)
    if root is not None:
        walk(root, ())
    return lines
