"""Operations of a published spec that hand out access tokens, and where their requests and answers carry them.

Many bank and aggregator APIs issue their tokens from an operation of their own spec rather than from
an OAuth server elsewhere: a client posts its secret id and key (`POST /api/v2/token/new/`), or an
OAuth-style form (`grant_type=client_credentials&client_id=...&client_secret=...`), and reads an
`access` or `access_token` from the answer; a second operation trades a refresh token for a new one.
Their official SDKs call that operation first, then send the token it answered on every call. Served
from its schema alone, such an operation would answer a made-up token that no other operation takes,
so the SDK could go no further. This module only finds such operations and the fields they use, by
the spec's own declarations (an OAuth2 flow's `tokenUrl` or `refreshUrl`) and by the names every
such API uses; `http/token_exchange.py` answers them with real sandbox tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .fallback import deref, flattened
from .jws import carries_json

# Field names by what they carry, compared without case, `_` or `-`.
_ANSWER = {
    "access": ("accesstoken", "access", "token", "jwt", "bearertoken", "authtoken"),
    "refresh": ("refreshtoken", "refresh"),
    "type": ("tokentype",),
    "expires": ("expiresin", "accessexpires", "accessexpiresin", "accesstokenexpiresin", "expires", "expiry",
                "accessexpiry", "ttl"),
    "refresh_expires": ("refreshexpires", "refreshexpiresin", "refreshtokenexpiresin", "refreshexpiry"),
    # A moment rather than a lifetime: a date-time, or seconds since 1970.
    "expires_at": ("expiresat", "accessexpiresat", "accesstokenexpiresat", "expiration", "expirationtime"),
    "refresh_expires_at": ("refreshexpiresat", "refreshtokenexpiresat"),
    "scope": ("scope",),
}
_ASKED = {
    "grant": ("granttype",),
    "refresh": ("refreshtoken", "refresh"),
    # A client's id and secret under the names APIs give them; OAuth's own first, then a login's.
    "id": ("clientid", "secretid", "appid", "applicationid", "apikeyid", "keyid", "clientkey", "username", "login", "loginid"),
    "secret": ("clientsecret", "secretkey", "secret", "appsecret", "applicationsecret", "apisecret", "apikey", "password"),
}


def bare(name) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


@dataclass(frozen=True)
class TokenOperation:
    """Where one token operation's answer puts what it hands out, and what its request sends.

    `answer`: kind -> the path of keys to that field in the success body (`("access",)`, or
    `("data", "access_token")` one object down); `asks`: kind -> the body field that carries it, by
    preference (a client id under OAuth's name before a login's). `status` is the success status.
    """

    status: int
    answer: dict
    asks: dict
    schema: dict  # the success answer's JSON schema
    shapes: dict  # kind -> the schema of the answer's field for it (seconds or a date-time, an enum of types)
    oauth: bool = False  # an OAuth2 token endpoint (at a token URL, or taking a grant_type): RFC 6749's client
    #                      authentication applies, HTTP Basic or `client_id`/`client_secret` in the form
    customer_only: bool = False  # the spec's OAuth2 flows are all a customer's (authorization code, implicit):
    #                              a client's own token (client credentials) is one none of its operations takes


def find(spec: dict, operations) -> dict[str, TokenOperation]:
    """operation id -> TokenOperation for each operation of `operations` ((id, method, path, operation))
    that hands out tokens: a POST whose success answer has an access token field and whose request either
    goes to a path the spec names as an OAuth2 token or refresh URL, or sends a client's id and secret, a
    refresh token, or a grant type."""
    token_paths = _token_paths(spec)
    flows = {name for scheme in ((spec.get("components") or {}).get("securitySchemes") or {}).values()
             if isinstance(scheme, dict) and scheme.get("type") == "oauth2" for name in (scheme.get("flows") or {})}
    customer_only = bool(flows) and not flows & {"clientCredentials", "password"}
    found = {}
    for operation_id, method, path, operation in operations:
        if method.lower() != "post":
            continue
        answered = _answer(spec, operation)
        if answered is None:
            continue
        asks = _asks(spec, operation)
        declared = path.rstrip("/") in token_paths
        if declared or "grant" in asks or "refresh" in asks or ("id" in asks and "secret" in asks):
            found[operation_id] = TokenOperation(*answered[:2], asks, *answered[2:], oauth=declared or "grant" in asks,
                                                 customer_only=customer_only)
    return found


def unserved_token_paths(spec: dict) -> set[str]:
    """The paths under the API's own server of the OAuth2 token and refresh URLs the spec declares but no
    operation of its serves: a relative `tokenUrl: /v1/oauth2/token`, or one on a host of the spec's
    servers. A client resolves such a URL against its base URL (the mount), as OpenAPI says of relative
    URLs, and its SDK asks for a token there before anything else (`http/app.py` answers them as
    `/oauth/token`). A token URL on another host is not the API's: the client is pointed at the
    sandbox's own token endpoint for it."""
    servers = [urlsplit(str(s.get("url", ""))) for s in spec.get("servers") or [] if isinstance(s, dict)]
    hosts = {server.netloc.lower() for server in servers if server.netloc}
    bases = [server.path.rstrip("/") for server in servers]
    operated = {path.rstrip("/") for path in spec.get("paths") or {}}
    found = set()
    for scheme in ((spec.get("components") or {}).get("securitySchemes") or {}).values():
        for flow in ((scheme or {}).get("flows") or {}).values() if isinstance(scheme, dict) else ():
            for key in ("tokenUrl", "refreshUrl"):
                url = urlsplit(str((flow or {}).get(key) or ""))
                if not url.path or (url.netloc and url.netloc.lower() not in hosts):
                    continue
                path = url.path.rstrip("/")
                path = next((path[len(b):] for b in bases if b and path.startswith(b + "/")), path)
                if path not in operated:
                    found.add(path)
    return found


def revocations(spec: dict, operations) -> dict[str, str | None]:
    """operation id -> the body field naming the token, for each operation that revokes a token: a `POST` to
    a path ending in `revoke` (`/oauth2/revoke`, `/token/revoke`) whose body carries the token (`access_token`,
    `token`, `refresh_token`); or None, the caller's own token, for a `POST` that ends a session
    (`/authenticate/close_session`, `/logout`, `/sign_out`). Square's and Currencycloud's SDKs revoke
    through their own; answered from the schema alone, the token kept working."""
    found = {}
    for operation_id, method, path, operation in operations:
        last = bare(path.rstrip("/").rsplit("/", 1)[-1])
        if method.lower() != "post":
            continue
        fields = _fields(spec, next(iter(((deref(spec, operation.get("requestBody")) or {}).get("content") or {}).values()),
                                    {}).get("schema"), {"token": ("accesstoken", "token", "refreshtoken")})
        if last.endswith("revoke") and "token" in fields:
            found[operation_id] = fields["token"]
        elif last in ("logout", "signout", "closesession", "endsession", "logoff"):
            found[operation_id] = None
    return found


# What an inspection answers about a token, by field name (compared as `_ANSWER`'s are).
_INSPECTED = {
    # a moment: RFC 3339 text, or seconds since 1970 (RFC 7662's `exp`), as the field is typed
    "expires_at": ("expiresat", "exp", "expiration", "expirationtime", "expiry", "expirydate", "validuntil",
                   "accessexpiresat", "accesstokenexpiresat"),
    "expires": ("expiresin", "ttl", "accessexpiresin", "accesstokenexpiresin"),  # seconds left
    "scopes": ("scopes", "scope", "grantedscopes"),
    "client": ("clientid", "applicationid", "appid"),
    "active": ("active", "isactive", "valid", "isvalid"),
    # the customer the token acts for: its consent's, else its connector's own
    "customer": ("merchantid", "customerid", "userid", "sub", "accountholderid"),
    "type": ("tokentype",),
}
# The names a request sends the token to inspect under (RFC 7662's `token`; Google's `access_token`), and the
# other fields such a request may carry beside it (a body with more is about something else: a card's token).
_INSPECTED_TOKEN = ("token", "accesstoken")
_BESIDE_TOKEN = {"tokentypehint", "clientid", "clientsecret", "secret"}
# Path endings that name an inspection (Square's `/oauth2/token/status`, RFC 7662's `/introspect`, Google's
# `/tokeninfo`), by the bare words of the path's last segments.
_INSPECTING_PATH = re.compile(r"(tokenstatus|introspect|introspection|tokeninfo)$")


@dataclass(frozen=True)
class TokenInspection:
    """An operation that answers facts about a token: where its answer puts them (`answer`: kind -> path of
    keys, as TokenOperation's), and where the request sends the token (`sent`: `("body", name)` or
    `("query", name)`; None: the caller's own, in its Authorization header)."""

    status: int
    answer: dict
    schema: dict
    shapes: dict
    sent: tuple | None


def inspections(spec: dict, operations) -> dict[str, TokenInspection]:
    """operation id -> TokenInspection for each operation that inspects a token: a GET or POST of a path with
    no parameter, whose success answer has a token's facts (an expiry, scopes, a client id, `active`) and no
    token of its own, that either ends in words naming an inspection (`token/status`, `introspect`,
    `tokeninfo`, `token/info`) or answers at least two of them (an expiry, scopes, `active`) about the token
    its request carries: one named in a body or query that carries nothing else (`token`, `access_token`),
    else the caller's own bearer token. Square's SDKs read its `POST /oauth2/token/status` for when their
    token expires: answered from its example (`expires_at` in 2022), tap-square refreshed on every run."""
    found = {}
    for operation_id, method, path, operation in operations:
        if method.lower() not in ("get", "post") or "{" in path or _answer(spec, operation) is not None:
            continue
        answered = _inspected(spec, operation)
        if answered is None:
            continue
        sent = _inspected_token(spec, operation)
        named = _INSPECTING_PATH.search("".join(bare(part) for part in path.rstrip("/").split("/")[-2:]))
        facts = {"expires", "expires_at", "scopes", "active"} & set(answered[1])
        expiry = bool({"expires", "expires_at"} & facts)
        if named or (len(facts) >= 2 and (sent is not None or (_bearer(spec, operation) and "scopes" in facts
                                                                and (expiry or "active" in facts)))):
            found[operation_id] = TokenInspection(*answered, sent)
    return found


def _inspected(spec: dict, operation: dict) -> tuple | None:
    """(status, kind -> path, schema, kind -> field schema) of a success answer holding a token's facts (at
    its top, or in one object property such as `data`), or None."""
    for status, response in (operation.get("responses") or {}).items():
        if not re.fullmatch(r"2\d\d", str(status)):
            continue
        content = deref(spec, response).get("content") or {}
        media = next((m for t, m in content.items() if carries_json(t)), None)
        schema = (media or {}).get("schema") if isinstance(media, dict) else None
        top = _object(spec, schema)
        for outer in (None, *top.get("properties", {})):
            holder = top if outer is None else _object(spec, top["properties"][outer])
            fields = _fields(spec, holder, _INSPECTED)
            if {"expires", "expires_at", "scopes", "active"} & set(fields):
                paths = {kind: (name,) if outer is None else (outer, name) for kind, name in fields.items()}
                return int(status), paths, schema, {kind: deref(spec, holder["properties"][name]) or {}
                                                   for kind, name in fields.items()}
        return None
    return None


def _inspected_token(spec: dict, operation: dict) -> tuple | None:
    """Where the request names the token to inspect: a body field or query parameter `token` or
    `access_token`, beside nothing but a type hint and the client's own id and secret; None if it names none."""
    for media in ((deref(spec, operation.get("requestBody")) or {}).get("content") or {}).values():
        names = {bare(name): name for name in _object(spec, (media or {}).get("schema")).get("properties", {})}
        wanted = next((names[n] for n in _INSPECTED_TOKEN if n in names), None)
        if wanted is not None and set(names) - {bare(wanted)} <= _BESIDE_TOKEN:
            return ("body", wanted)
    for parameter in operation.get("parameters") or ():
        parameter = deref(spec, parameter) or {}
        if parameter.get("in") == "query" and bare(parameter.get("name")) in _INSPECTED_TOKEN:
            return ("query", parameter["name"])
    return None


def _bearer(spec: dict, operation: dict) -> bool:
    """Whether the operation takes a bearer token in its Authorization header (OAuth2, OpenID Connect, HTTP
    bearer, an API key named `Authorization`, or a declared `Authorization` header parameter)."""
    schemes = (spec.get("components") or {}).get("securitySchemes") or {}
    for requirement in operation.get("security", spec.get("security")) or ():
        for name in requirement or {}:
            scheme = deref(spec, schemes.get(name)) or {}
            kind = scheme.get("type")
            if kind in ("oauth2", "openIdConnect") or (kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer") \
                    or (kind == "apiKey" and scheme.get("in") == "header" and bare(scheme.get("name")) == "authorization"):
                return True
    return any((deref(spec, p) or {}).get("in") == "header" and bare((deref(spec, p) or {}).get("name")) == "authorization"
               for p in operation.get("parameters") or ())


def _token_paths(spec: dict) -> set[str]:
    """The paths of every OAuth2 token and refresh URL the spec declares, as written after the server's path
    (a token URL on the API's own host is one of its operations)."""
    servers = [urlsplit(str(s.get("url", ""))).path.rstrip("/") for s in spec.get("servers") or [] if isinstance(s, dict)]
    paths = set()
    for scheme in ((spec.get("components") or {}).get("securitySchemes") or {}).values():
        for flow in ((scheme or {}).get("flows") or {}).values() if isinstance(scheme, dict) else ():
            for key in ("tokenUrl", "refreshUrl"):
                url = urlsplit(str((flow or {}).get(key) or "")).path.rstrip("/")
                if not url:
                    continue
                paths.add(url)
                paths.update(url[len(base):] for base in servers if base and url.startswith(base + "/"))
    return paths


def _object(spec: dict, schema) -> dict:
    schema = flattened(spec, schema)
    if not isinstance(schema, dict):
        return {}
    return schema if isinstance(schema.get("properties"), dict) else {}


def _fields(spec: dict, schema, kinds: dict) -> dict:
    """kind -> property name of an object schema, for each kind one of whose names a property has."""
    names = {bare(name): name for name in _object(spec, schema).get("properties", {})}
    found = {}
    for kind, wanted in kinds.items():
        name = next((names[n] for n in wanted if n in names), None)
        if name is not None:
            found[kind] = name
    return found


def _answer(spec: dict, operation: dict) -> tuple | None:
    """(status, kind -> path, schema, kind -> field schema) of the success answer, if it carries an access
    token (at the top, or in one object property such as `data`)."""
    for status, response in (operation.get("responses") or {}).items():
        if not re.fullmatch(r"2\d\d", str(status)):
            continue
        content = deref(spec, response).get("content") or {}
        media = next((m for t, m in content.items() if carries_json(t)), None)
        if not isinstance(media, dict):
            continue
        schema = media.get("schema") or {}
        top = _object(spec, schema)
        for outer in (None, *top.get("properties", {})):
            holder = top if outer is None else _object(spec, top["properties"][outer])
            fields = _fields(spec, holder, _ANSWER)
            shapes = {kind: deref(spec, holder["properties"][name]) for kind, name in fields.items()}
            if "access" in fields and isinstance(shapes["access"], dict) and shapes["access"].get("type", "string") == "string":
                paths = {kind: (name,) if outer is None else (outer, name) for kind, name in fields.items()}
                return int(status), paths, schema, shapes
        return None
    return None


def _asks(spec: dict, operation: dict) -> dict:
    """kind -> the request body's field for it (JSON or form; the first media type declaring such fields)."""
    content = (deref(spec, operation.get("requestBody")) or {}).get("content") or {}
    for media in content.values():
        found = _fields(spec, (media or {}).get("schema"), _ASKED) if isinstance(media, dict) else {}
        if isinstance(media, dict) and not ("id" in found and "secret" in found):
            found.update(_paired(spec, media.get("schema")))
        if found:
            return found
    return {}


def _paired(spec: dict, schema) -> dict:
    """An id and a secret named for one party (`partnerId` with `partnerSecret`, `merchant_id` with
    `merchant_secret`): the client's id and secret, as the names OAuth and logins give them are."""
    names = {bare(name): name for name in _object(spec, schema).get("properties", {})}
    for key, name in names.items():
        party = key[:-2] if key.endswith("id") else None
        if party and party + "secret" in names:
            return {"id": name, "secret": names[party + "secret"]}
    return {}
