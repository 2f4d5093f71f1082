"""What a bank's spec, and its binding, declare about who may call each operation.

A published spec says it with security schemes and requirements; this module only reads them (the
HTTP gate enforces them). Three cases per operation:

- ``declared``: some requirement applies (the operation's own, else the spec's top-level one);
- ``open``: the operation itself says ``security: []`` (or offers the empty requirement ``{}``) —
  the bank declares it public;
- ``undeclared``: nothing applies. Many published specs leave security out and describe the token
  in prose (a required ``x-access-token`` header, say). The binding's ``auth`` key then says where
  the token is, and is applied to the served spec as one more scheme; without it such operations
  run only with open access.
"""

from __future__ import annotations

import copy
import re

from .jws import carries_json
from .pointers import deref

AUTH_SCHEME = "sandboxToken"  # the name the binding's token location gets among the spec's schemes
API_KEY_PLACES = ("header", "query", "cookie")
HTTP_SCHEMES = ("bearer", "basic")


def schemes(spec: dict) -> dict:
    return (spec.get("components") or {}).get("securitySchemes") or {}


def with_sandbox_oauth(declared: dict, base: str) -> dict:
    """The OAuth2 schemes of `declared` with their flows' URLs at the sandbox's own OAuth server under
    `base` (the bank's were the bank's); {} when no scheme has a flow. So Swagger UI's Authorize button
    and clients generated from the served spec get their tokens where the sandbox issues them."""
    urls = {"tokenUrl": f"{base}/oauth/token", "refreshUrl": f"{base}/oauth/token",
            "authorizationUrl": f"{base}/oauth/authorize"}
    if not any(isinstance(s, dict) and s.get("type") == "oauth2" for s in declared.values()):
        return {}
    moved = copy.deepcopy(declared)
    for scheme in moved.values():
        if isinstance(scheme, dict) and scheme.get("type") == "oauth2":
            for flow in (scheme.get("flows") or {}).values():
                if isinstance(flow, dict):
                    flow.update({key: url for key, url in urls.items() if key in flow})
    return moved


def requirements(spec: dict, operation: dict) -> list:
    """The security requirements that apply to one operation (alternatives; each one ANDs its schemes)."""
    found = operation["security"] if "security" in operation else spec.get("security")
    return [r for r in found or [] if isinstance(r, dict)]


def place(scheme: dict) -> tuple:
    """Where an apiKey scheme's value is sent (in, name), names compared without case."""
    return scheme.get("in"), str(scheme.get("name", "")).lower()


def client_pair(spec: dict, operation: dict) -> tuple[tuple, tuple, frozenset] | None:
    """A requirement of API keys that carries a client id and a client secret, as Plaid declares
    PLAID-CLIENT-ID with PLAID-SECRET (and its API version as a third key): the places of the id and of
    the secret, and of every key of that requirement. None when no requirement is such a pair.

    The connector's own client id and secret answer for such a pair, as they do for HTTP Basic; the
    requirement's other keys (a version) are then not credentials at all.
    """
    declared = schemes(spec)
    for requirement in requirements(spec, operation):
        keys = [declared.get(name) for name in requirement]
        if not keys or not all(isinstance(k, dict) and k.get("type") == "apiKey" for k in keys):
            continue
        bare = {place(k): re.sub(r"[^a-z]", "", place(k)[1]) for k in keys}
        ids = [p for p, name in bare.items() if name.endswith(("clientid", "appid", "applicationid"))]
        secrets = [p for p, name in bare.items() if name.endswith(("secret", "clientsecret", "appsecret"))]
        if len(ids) == 1 and len(secrets) == 1:
            return ids[0], secrets[0], frozenset(bare)
    return None


def body_pair(spec: dict, operation: dict) -> tuple[str, str] | None:
    """The fields of an operation's JSON request body that carry the client id and secret of its API-key pair
    (`client_pair`), as Plaid declares `client_id` and `secret` in every request beside its PLAID-CLIENT-ID and
    PLAID-SECRET headers, saying either may carry them: (id field, secret field), else None. A connector that
    sends them in the body (Plaid's Node and Go clients of old, a hand-written one) was refused 401 for want of
    the headers, and a wrong secret there passed unseen where the headers carried the right one."""
    pair = client_pair(spec, operation)
    body = deref(spec, operation.get("requestBody")) if pair is not None else None
    media = ((body or {}).get("content") or {}) if isinstance(body, dict) else {}
    schema = next((deref(spec, entry.get("schema")) for kind, entry in media.items()
                   if carries_json(kind) and isinstance(entry, dict)), None)
    if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
        return None
    bare = {name: re.sub(r"[^a-z]", "", str(name).lower()) for name in schema["properties"]}
    ids = [name for name, word in bare.items() if word.endswith(("clientid", "appid", "applicationid"))]
    secrets = [name for name, word in bare.items() if word.endswith(("secret", "clientsecret", "appsecret"))]
    return (ids[0], secrets[0]) if len(ids) == 1 and len(secrets) == 1 else None


def operation_mode(spec: dict, operation: dict) -> str:
    applying = requirements(spec, operation)
    if any(not requirement for requirement in applying) or (not applying and "security" in operation):
        return "open"  # `security: []` on the operation, or an empty requirement `{}` among the alternatives
    return "declared" if applying else "undeclared"


def declares_security(spec: dict) -> bool:
    """True when any requirement is written anywhere in the spec (top level or on an operation)."""
    return bool(spec.get("security")) or any(
        bool(operation.get("security")) for _, operation in _operations(spec))


def api_mode(spec: dict, auth: dict | None) -> str:
    """`declared`, `binding` (the binding says where the token is) or `undeclared` (some operation has none)."""
    if auth:
        return "binding"
    modes = {operation_mode(spec, operation) for _, operation in _operations(spec)}
    return "undeclared" if "undeclared" in modes else "declared"


def declared_scopes(spec: dict) -> dict[str, str]:
    """scope -> description: those of every OAuth2 flow, and any other named in a requirement (OpenID Connect)."""
    scopes = {}
    for scheme in schemes(spec).values():
        if isinstance(scheme, dict) and scheme.get("type") == "oauth2":
            for flow in (scheme.get("flows") or {}).values():
                scopes.update({name: str(text) for name, text in ((flow or {}).get("scopes") or {}).items()})
    title = (spec.get("info") or {}).get("title", "")
    every = [spec.get("security") or []] + [operation.get("security") or [] for _, operation in _operations(spec)]
    for requirement_list in every:
        for requirement in requirement_list:
            for names in (requirement or {}).values():
                for name in names or ():
                    scopes.setdefault(str(name), f"{name} ({title})" if title else str(name))
    return scopes


# A scope that names a resource by a parameter, as Brazil's open finance declares `consent:consentId` for
# the consent a token is bound to: a client asks for `consent:urn:bank:C1` (the literal, or `{consentId}`).
_PARAMETERISED = re.compile(r"^(?P<prefix>[^:\s]+:)(?:\{[^}\s]+\}|[a-z][A-Za-z0-9]*Id)$")


# Scopes of OpenID Connect and OAuth practice that a client asks for whatever the bank's spec declares
# (Xero's SDK always asks for `offline_access`, for a refresh token): granted when asked for, never required.
STANDARD_SCOPES = frozenset({"openid", "offline_access", "profile", "email", "address", "phone"})


def scope_admitted(declared, wanted: str) -> bool:
    """Whether `wanted` is one of the `declared` scopes, or a value of one that names a parameter
    (`consent:urn:bank:C1` of `consent:consentId`)."""
    if wanted in declared:
        return True
    return any((found := _PARAMETERISED.match(scope)) and wanted.startswith(found["prefix"])
               and len(wanted) > len(found["prefix"]) for scope in declared)


# A read-only scope is carried by the scope it narrows (`accounting.transactions` carries
# `accounting.transactions.read`): Xero writes both in one requirement of its reads, where OpenAPI means
# "all of", and a token holding the read-write scope was refused every read the real API answers.
_READ_ONLY = re.compile(r"^(?P<base>.+?)(?:[.:_/]read|[.:_/]readonly)$")


def scope_value(declared, wanted: str) -> tuple[str, str] | None:
    """(the parameter, the value) that `wanted` gives a declared scope naming a resource by a parameter
    (`consentId`, `urn:bank:C1` of `consent:urn:bank:C1` and `consent:consentId`), or None."""
    for scope in declared:
        found = _PARAMETERISED.match(scope)
        if found and wanted.startswith(found["prefix"]) and len(wanted) > len(found["prefix"]):
            return scope[len(found["prefix"]):].strip("{}"), wanted[len(found["prefix"]):]
    return None


def scope_missing(granted, required) -> list[str]:
    """The `required` scopes that `granted` does not carry, a parameterised one carried by any value of it, a
    read-only one by the scope it narrows."""
    return sorted(r for r in required if not scope_admitted(granted, r) and not (
        (found := _PARAMETERISED.match(r)) and any(g.startswith(found["prefix"]) for g in granted)) and not (
        (narrowed := _READ_ONLY.match(r)) and narrowed["base"] in granted))


def check_auth(value) -> dict:
    """The binding's `auth` as a security scheme object; a ValueError says what is wrong with it.

    Written like an OpenAPI scheme: `{in: header, name: x-access-token}` (an API key, the default
    type), or `{type: http, scheme: bearer}` / `{type: http, scheme: basic}`.
    """
    if not isinstance(value, dict):
        raise ValueError("auth must be a mapping such as {in: header, name: x-access-token}")
    scheme = {"type": "apiKey", **value}
    kind = scheme["type"]
    if kind == "apiKey":
        unknown = sorted(set(scheme) - {"type", "in", "name", "description"})
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} (an API key takes in, name, description)")
        if scheme.get("in") not in API_KEY_PLACES:
            raise ValueError(f"auth.in must be one of {', '.join(API_KEY_PLACES)}, got {scheme.get('in')!r}")
        if not (isinstance(scheme.get("name"), str) and scheme["name"].strip()):
            raise ValueError("auth.name must name the header, query parameter or cookie that carries the token")
    elif kind == "http":
        unknown = sorted(set(scheme) - {"type", "scheme", "description"})
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r} (an http scheme takes scheme, description)")
        if str(scheme.get("scheme", "")).lower() not in HTTP_SCHEMES:
            raise ValueError(f"auth.scheme must be bearer or basic, got {scheme.get('scheme')!r}")
    else:
        raise ValueError(f"auth.type must be apiKey or http, got {kind!r}")
    return scheme


# A parameter that carries a token or key by its name alone, in a spec that declares no security.
_CREDENTIAL = re.compile(r"^(x-)?(access[-_]?token|access[-_]?key|auth[-_]?token|api[-_]?key|apikey|authorization|token)$", re.IGNORECASE)


def inferred_auth(spec: dict) -> tuple[dict, str] | None:
    """(`auth`, why) where a spec declares no security but asks for a token in a required parameter of its
    own on most operations (GMO Aozora's `x-access-token` header on every operation): that place, as a
    binding's `auth` would name it. Unread, any token passed (a garbage one answered 200), no call was any
    connector's, and a 401 could not be rehearsed. None when the spec declares security or says nothing."""
    if declares_security(spec):
        return None
    counts: dict = {}
    operations = list(_operations(spec))
    for path_item, (_, operation) in ((_path_item(spec, operation), (m, operation)) for m, operation in operations):
        seen = set()
        for parameter in [*(path_item.get("parameters") or []), *(operation.get("parameters") or [])]:
            parameter = deref(spec, parameter)
            if (isinstance(parameter, dict) and parameter.get("required") and parameter.get("in") in ("header", "query")
                    and _CREDENTIAL.match(str(parameter.get("name", "")))):
                seen.add((parameter["in"], str(parameter["name"])))
        for place in seen:
            counts[place] = counts.get(place, 0) + 1
    if not counts:
        return None
    (where, name), count = max(counts.items(), key=lambda item: item[1])
    if count * 2 < len(operations):
        return None
    auth = ({"type": "http", "scheme": "bearer"} if where == "header" and name.lower() == "authorization"
            else {"type": "apiKey", "in": where, "name": name})
    return auth, (f"declares no security, but {count} of its {len(operations)} operations require the {where} "
                  f"parameter {name!r}: read as where its token goes (a binding's `auth` says otherwise, and "
                  f"its `scopes` name the OAuth scopes the spec names only in prose)")


def _path_item(spec: dict, operation: dict) -> dict:
    return next((item for item in (spec.get("paths") or {}).values() if isinstance(item, dict)
                 and any(candidate is operation for candidate in item.values())), {})


def with_auth(spec: dict, auth: dict | None) -> dict:
    """The spec as served: the binding's token location added as a scheme every undeclared operation needs.

    The author's document is not touched (a copy is returned); operations that say `security: []`
    stay open.
    """
    if not auth:
        return spec
    served = copy.deepcopy(spec)
    components = served.setdefault("components", {})
    components.setdefault("securitySchemes", {})[AUTH_SCHEME] = dict(auth)
    served["security"] = [{AUTH_SCHEME: []}]
    return served


def token_free(spec: dict, operations, token_operations: dict) -> dict:
    """The spec with each operation that hands out tokens (`token_operations`: id -> TokenOperation;
    `operations` are the spec's (id, method, path, operation)) open where no caller can meet its
    requirement: where every requirement on it asks for a token, which no caller holds before its first
    one (Nordigen's token operation inherits the API's bearer requirement), and on an OAuth2 token endpoint,
    where RFC 6749 lets a client prove itself in HTTP Basic or in the form's `client_id` and `client_secret`
    whatever the spec declares (Dwolla's asks for Basic; its SDK posts the form). The token exchange checks
    the client's credentials itself. Elsewhere a requirement of HTTP Basic or of a client id and secret
    stays, as the credentials such an operation takes. The author's document is not touched (a copy is
    returned)."""
    declared = schemes(spec)
    opened = []
    for operation_id, method, path, operation in operations:
        found = token_operations.get(operation_id)
        if found is None:
            continue
        required = requirements(spec, operation)
        pair = client_pair(spec, operation)
        if required and (found.oauth or all(any(_asks_token(declared.get(name), pair) for name in r) for r in required)):
            opened.append((path, method))
    if not opened:
        return spec
    served = copy.deepcopy(spec)
    for path, method in opened:
        served["paths"][path][method]["security"] = []
    return served


_CREDENTIAL_CONSTRAINTS = ("pattern", "minLength", "maxLength", "format", "enum")


def credentials_as_issued(spec: dict, operations, token_operations: dict) -> dict:
    """The spec with the request fields that carry a client's id and secret on each token operation freed of
    the bank's format for them (Currencycloud's `api_key: {pattern: ^[a-f0-9]{64}$}`): the credentials a
    connector holds are the sandbox's, in its format, and the exchange checks them itself. Without this every
    login of the SDK was refused as a bad request before its secret was even compared. The author's document
    is not touched (a copy is returned)."""
    served = None
    for operation_id, method, path, _ in operations:
        found = token_operations.get(operation_id)
        names = [found.asks[kind] for kind in ("id", "secret") if found is not None and kind in found.asks]
        if not names:
            continue
        served = served or copy.deepcopy(spec)
        operation = served["paths"][path][method]
        body = deref(served, operation.get("requestBody"))
        if not isinstance(body, dict) or not body:
            continue
        body = copy.deepcopy(body)
        for media in (body.get("content") or {}).values():
            schema = deref(served, (media or {}).get("schema"))
            if not isinstance(schema, dict) or not isinstance(schema.get("properties"), dict):
                continue
            schema = copy.deepcopy(schema)
            for name in names:
                field = deref(served, schema["properties"].get(name))
                if isinstance(field, dict):
                    schema["properties"][name] = {k: v for k, v in field.items() if k not in _CREDENTIAL_CONSTRAINTS}
            media["schema"] = schema
        operation["requestBody"] = body
    return served or spec


def _asks_token(scheme, pair) -> bool:
    if not isinstance(scheme, dict):
        return False
    kind = scheme.get("type")
    if kind == "http":
        return str(scheme.get("scheme", "")).lower() != "basic"
    if kind == "apiKey":
        return pair is None or place(scheme) not in pair[2]
    return kind in ("oauth2", "openIdConnect")


def _operations(spec: dict):
    for item in (spec.get("paths") or {}).values():
        for method, operation in (item or {}).items():
            if method in ("get", "put", "post", "delete", "options", "head", "patch", "trace") and isinstance(operation, dict):
                yield method, operation
