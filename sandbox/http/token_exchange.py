"""A bank spec's own token operations answered with real sandbox tokens (`bindings/token_operations.py`).

The caller proves itself as a connector, as at `/oauth/token`: its client id and secret, in HTTP Basic
or in the body's fields under the names the spec gives them (`secret_id`/`secret_key`,
`client_id`/`client_secret`, ...). It gets an access token that every bank of the sandbox takes, in
the fields the spec's answer declares (`access`, `access_token`, `data.token`, ...), with a refresh
token where the answer has room for one and the expiry in the spec's own terms. A refresh token sent to
such an operation (or `grant_type=refresh_token`) buys a new access token for the same connector and
consent; an authorization code (`grant_type=authorization_code`, the customer having signed in at the
sandbox's `/oauth/authorize`) is exchanged exactly as at `/oauth/token`. The rest of the answer is what
the spec's schema makes of it, as for any unbound operation.

Everything the token endpoint refuses is refused here too, in the bank's own error format: an unknown
client or a wrong secret (401, counted against credential stuffing), a client locked for it (429), a
suspended connector (403), a connector that must follow FAPI 2.0 (its tokens come from `/oauth/token`
with `private_key_jwt` and DPoP), a code the OAuth server refuses (its own reason), client credentials at
a bank whose OAuth flows are all a customer's (no operation would take such a token), and a request with
nothing to exchange (400).
"""

from __future__ import annotations

import copy
import logging
import time
from datetime import datetime, timezone

from ..bindings import fallback
from ..bindings.about import correlated
from ..bindings.runner import Reply, render_error
from ..bindings.schemas import schemas_of
from ..bindings.token_operations import TokenInspection, TokenOperation, bare
from ..domain.errors import SandboxError
from ..governance import Governance
from ..governance.tokens import REFRESH_TTL_S
from . import abuse
from .access import basic_pair

log = logging.getLogger(__name__)

CLIENT_GRANTS = ("client_credentials", "password")
_OAUTH_CLIENT = {"id": "client_id", "secret": "client_secret", "grant": "grant_type", "refresh": "refresh_token"}


def exchange(governance: Governance, scopes: str, api, operation_id: str, operation: dict, found: TokenOperation,
             request: dict, authenticated: str | None = None, code_exchange=None) -> Reply:
    """The spec's success answer with a real token in it, or the refusal saying why there is none, in the
    bank's own error format. `authenticated`: the connector the operation's own security already proved (a
    client id and secret in API-key headers, as aggregators send them on every call), which then need not
    repeat them in the body."""
    try:
        return _exchange(governance, scopes, api, operation_id, operation, found, request, authenticated, code_exchange)
    except SandboxError as error:
        reply = render_error(api, error, request)
        if getattr(error, "retry_after", None):
            reply.headers["Retry-After"] = error.retry_after
        return reply


def _exchange(governance: Governance, scopes: str, api, operation_id: str, operation: dict, found: TokenOperation,
              request: dict, authenticated: str | None, code_exchange) -> Reply:
    body = request.get("body") if isinstance(request.get("body"), dict) else {}
    sent = {kind: body.get(name) for kind, name in found.asks.items() if body.get(name) not in (None, "")}
    if found.oauth:  # RFC 6749 2.3.1: a client may send its credentials in the form, declared or not
        sent = {**{kind: body[name] for kind, name in _OAUTH_CLIENT.items() if body.get(name) not in (None, "")}, **sent}
    grant = str(sent.get("grant") or "").strip()
    if grant == "refresh_token" or (not grant and "refresh" in sent and "secret" not in sent):
        token = _refreshed(governance, sent.get("refresh"), rotate="refresh" in found.answer)
    elif grant == "authorization_code" and code_exchange is not None:
        token = _code_exchanged(code_exchange, request.get("headers") or {}, body, sent)
    elif grant in CLIENT_GRANTS and found.customer_only:
        raise SandboxError("invalid_request", f"grant_type {grant!r}: this bank issues tokens only for a customer's "
                                              "authorization; send the customer to the sandbox's /oauth/authorize and "
                                              "exchange the code here (grant_type=authorization_code)")
    elif not grant or grant in CLIENT_GRANTS:
        connector = _client(governance, request.get("headers") or {}, sent, authenticated)
        token = governance.tokens.issue(connector.id, scopes, connector.token_ttl, refresh="refresh" in found.answer)
    else:
        raise SandboxError("invalid_request", f"grant_type {grant!r} is exchanged at the sandbox's own token endpoint, "
                                              "/oauth/token; this operation takes client credentials, authorization "
                                              "codes and refresh tokens")
    return _answer(api, operation_id, operation, found, request, token)


def _client(governance: Governance, headers: dict, sent: dict, authenticated: str | None = None):
    """The connector whose client id and secret the request carries (HTTP Basic first, then the body), else
    the one the operation's own security requirement already proved."""
    scheme, _, value = headers.get("authorization", "").partition(" ")
    client_id, secret = (basic_pair(value) if scheme.lower() == "basic" else None) or (sent.get("id"), sent.get("secret"))
    if (not client_id or not secret) and authenticated:
        connector = governance.connectors.get(authenticated)
        _usable(governance, connector)
        return connector
    if not client_id or not secret:
        raise SandboxError("invalid_request", "send a connector's client id and secret to get a token: in HTTP "
                                              "Basic, or in this operation's own fields for them")
    client_id = str(client_id)
    if locked := abuse.locked_client(governance, client_id):
        error = SandboxError("abuse_throttled", locked[1]["error_description"])
        error.retry_after = locked[2]["Retry-After"]
        raise error
    connector = governance.connectors.find(client_id)
    if connector is None or not connector.check_secret(str(secret)):
        abuse.failed_token(governance, client_id)
        raise SandboxError("unauthorized", "the client id and secret are not those of a connector of this sandbox")
    _usable(governance, connector)
    return connector


# The code exchange's fields, by their bare names (PolishAPI writes `Code`, others `redirectUri`).
_CODE_FIELDS = {"code": "code", "redirecturi": "redirect_uri", "codeverifier": "code_verifier", "scope": "scope"}


def revoke(governance: Governance, request: dict, field: str | None, credentials=()) -> None:
    """Revoke the token a spec's own revoke operation names in its body (`field`), access or refresh (the
    pair goes together, as at /oauth/revoke), or, for one that ends a session (`field` None), the token the
    caller sent (`credentials`: the values of the headers that may carry it); a token the sandbox never
    issued is no error (RFC 7009 2.2)."""
    body = request.get("body") if isinstance(request.get("body"), dict) else {}
    for value in ([body.get(field)] if field is not None else credentials):
        if isinstance(value, str) and value:
            token = governance.tokens.by_access(value) or governance.tokens.by_refresh(value)
            if token is not None and not token.revoked:
                governance.tokens.revoke(token)


def inspect(governance: Governance, api, operation_id: str, operation: dict, found: TokenInspection, request: dict,
            credentials=()) -> Reply:
    """The spec's success answer about a token, in its own schema, with the token's real facts: when it
    expires (a moment or the seconds left, as each field is typed), its scopes, its client, whether it is
    active, the customer it acts for, where the answer has fields for them. The token is the one the body or
    query names (`found.sent`), else the caller's own (`credentials`: the values of the headers that may
    carry it, as the gate already checked them). One this sandbox never issued is the spec's 401; one it
    issued that no longer works is `active: false` where the answer says so, else a 401 too (Square's token
    status answers an expired token UNAUTHORIZED), as `/oauth/introspect` tells them apart."""
    where = found.sent
    given = (request.get(where[0]) if isinstance(request.get(where[0]), dict) else {}).get(where[1]) if where else None
    token, expires_at, working = _inspected(governance, [given] if where else list(credentials), refresh=bool(where))
    if token is None or (not working and "active" not in found.answer):
        reason = ("the token is not one this sandbox issued" if token is None
                  else token.problem() or "the token no longer works (revoked, expired, or its connector suspended)")
        return render_error(api, SandboxError("unauthorized", reason), request)
    responses = operation.get("responses") or {}
    response = responses.get(str(found.status)) or responses.get(found.status)
    reply = fallback.answer(api, operation_id, found.status, response, {**request, "body": None})
    body = copy.deepcopy(reply.body) if isinstance(reply.body, dict) else {}
    now = time.time()
    for kind, value in _facts(governance, token, expires_at, working, now).items():
        if kind in found.answer and value is not None:
            _put(body, found.answer[kind], _fact(value, found.shapes.get(kind) or {}, now, kind))
    body = correlated(body, request, lambda candidate: schemas_of(api.spec).fits(found.schema, candidate))
    problem = schemas_of(api.spec).problem(found.schema, body)
    if problem is not None:
        log.warning("%s: the token inspection of %s does not fit its schema (%s); it is sent as the token is",
                    api.slug, operation_id, problem)
    reply.body = body
    reply.headers["Cache-Control"] = "no-store"
    return reply


def _inspected(governance: Governance, values: list, refresh: bool) -> tuple:
    """(token, when it expires, whether it works) of the first of `values` this sandbox issued: an access
    token, else, where the request names the token itself (`refresh`), a refresh token (RFC 7662 inspects
    either, as `/oauth/introspect` does); (None, None, False) for none."""
    for value in values:
        if not isinstance(value, str) or not value:
            continue
        token = governance.tokens.by_access(value)
        if token is not None:
            return (token, token.issued_at + token.expires_in,
                    token.problem() is None and token.connector_status == "active")
        token = governance.tokens.by_refresh(value) if refresh else None
        if token is not None:
            working = not token.revoked and not token.refresh_expired() and token.connector_status == "active" and (
                token.grant is None or token.grant.active())
            return token, token.refresh_expires_at, working
    return None, None, False


def _facts(governance: Governance, token, expires_at: float, working: bool, now: float) -> dict:
    """kind -> what the sandbox knows of a token, as `/oauth/introspect` answers it (an expiry as the seconds
    left from `now`, as `_shaped` takes a lifetime)."""
    left = max(0, int(expires_at - now))
    customer = token.grant.customer_id if token.grant is not None else None
    if customer is None:
        connector = governance.connectors.find(token.connector_id)
        customer = getattr(connector, "customer_id", None)
    return {"expires_at": left, "expires": left, "scopes": token.scope, "client": token.connector_id,
            "active": working, "customer": customer, "type": "DPoP" if token.jkt else "Bearer"}


def _fact(value, schema: dict, now: float, kind: str):
    """One fact in the field's own type: scopes as a list or as RFC 6749's space-separated text, an expiry as
    `_shaped` writes a lifetime or a moment (RFC 3339 text, or seconds since 1970)."""
    if kind == "scopes":
        return value.split() if schema.get("type") == "array" else value
    if kind == "expires_at" and schema.get("type") == "string":
        return datetime.fromtimestamp(now + value, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if (
            schema.get("format") != "date") else _shaped(value, schema, now, kind)
    if kind == "active" and schema.get("type") == "string":
        return "true" if value else "false"
    return _shaped(value, schema, now, kind)


def _code_exchanged(code_exchange, headers: dict, body: dict, sent: dict) -> dict:
    """The token an authorization code buys, exchanged exactly as at /oauth/token (the same client
    authentication, redirect URI and PKCE checks, the same abuse counting), for a spec whose own token
    operation takes the code (Square's ObtainToken, PolishAPI's token): the customer signed in on the
    sandbox's /oauth/authorize, where the served spec's authorizationUrl points."""
    form = {"grant_type": "authorization_code",
            **{_CODE_FIELDS[bare(name)]: str(value) for name, value in body.items()
               if bare(name) in _CODE_FIELDS and value not in (None, "")}}
    if "id" in sent and "secret" in sent:  # in the spec's own fields: as RFC 6749's form fields
        form.update(client_id=str(sent["id"]), client_secret=str(sent["secret"]))
    status, answer, answered = code_exchange(form, {k: v for k, v in headers.items() if k == "authorization"})
    if status == 200 and answer.get("access_token"):
        return answer
    description = answer.get("error_description") or answer.get("error") or f"the code exchange answered {status}"
    if status == 429:  # a client locked out for guessing: as long as /oauth/token says
        error = SandboxError("abuse_throttled", description)
        error.retry_after = answered.get("Retry-After") or "60"
        raise error
    raise SandboxError("unauthorized" if status == 401 else "invalid_request", f"{answer.get('error', 'invalid_grant')}: "
                                                                              f"{description}")


def _usable(governance: Governance, connector) -> None:
    if connector.suspended:
        raise SandboxError("connector_suspended", f"the connector {connector.id} is suspended: it gets no token "
                                                  "until bank staff resume it")
    if governance.connectors.profile(connector) == "fapi2":
        raise SandboxError("unauthorized", f"the connector {connector.id} follows FAPI 2.0: its tokens come from "
                                           "/oauth/token, with private_key_jwt and a DPoP proof")


def _refreshed(governance: Governance, refresh, rotate: bool):
    """A new access token for the connector and consent of a refresh token (a new refresh token too when
    the answer carries one: the old pair is then revoked, as /oauth/token rotates them)."""
    if not refresh:
        raise SandboxError("invalid_request", "send the refresh token to exchange")
    old = governance.tokens.by_refresh(str(refresh))
    if old is None or old.revoked or old.refresh_expired():
        raise SandboxError("unauthorized", "the refresh token is not one this sandbox issued, or it was revoked "
                                           "or has expired; ask for a new token with the client id and secret")
    if old.grant is not None and not old.grant.active():
        raise SandboxError("unauthorized", f"the customer's consent ({old.grant.id}) has ended")
    connector = governance.connectors.get(old.connector_id)
    _usable(governance, connector)
    token = governance.tokens.issue(connector.id, old.scope, connector.token_ttl, refresh=rotate,
                                    grant_id=old.grant_id)
    if rotate:
        governance.tokens.revoke(old)
    return token


def _answer(api, operation_id: str, operation: dict, found: TokenOperation, request: dict, token: dict) -> Reply:
    """The operation's success answer as its schema makes it, the token's parts put in their fields."""
    responses = operation.get("responses") or {}
    response = responses.get(str(found.status)) or responses.get(found.status)
    reply = fallback.answer(api, operation_id, found.status, response, {**request, "body": None})
    body = copy.deepcopy(reply.body) if isinstance(reply.body, dict) else {}
    schema = found.schema
    now = time.time()
    values = {"access": token["access_token"], "refresh": token.get("refresh_token"), "type": token["token_type"],
              "expires": token["expires_in"], "expires_at": token["expires_in"], "scope": token["scope"],
              **({"refresh_expires": REFRESH_TTL_S, "refresh_expires_at": REFRESH_TTL_S} if "refresh_token" in token else {})}
    for kind, path in found.answer.items():
        if values.get(kind) is None:
            continue
        _put(body, path, _shaped(values[kind], found.shapes.get(kind) or {}, now, kind))
    body = correlated(body, request, lambda candidate: schemas_of(api.spec).fits(schema, candidate))
    problem = schemas_of(api.spec).problem(schema, body)
    if problem is not None:
        log.warning("%s: the token answer of %s does not fit its schema (%s); it is sent as the token needs it",
                    api.slug, operation_id, problem)
    reply.body = body
    reply.headers["Cache-Control"] = "no-store"  # as RFC 6749 section 5.1 asks of a token answer
    return reply


def _shaped(value, schema: dict, now: float, kind: str):
    """A lifetime or a moment as the field declares it (seconds, seconds since 1970, a date-time); the token
    type in the case its enum uses."""
    if kind.startswith(("expires", "refresh_expires")):
        moment = kind.endswith("_at") or schema.get("format") in ("date", "date-time")
        if schema.get("type") == "string" and not moment:
            return str(int(value))  # a lifetime written as text (`expires_in: "3600"`), not a moment
        if schema.get("type") == "string":
            at = datetime.fromtimestamp(now + value, timezone.utc)
            return at.date().isoformat() if schema.get("format") == "date" else at.isoformat(timespec="seconds")
        return int(now + value) if kind.endswith("_at") else int(value)
    if kind == "type" and schema.get("enum"):
        return next((e for e in schema["enum"] if bare(e) == bare(value)), value)
    return value


def _put(body: dict, path: tuple, value) -> None:
    for key in path[:-1]:
        if not isinstance(body.get(key), dict):
            body[key] = {}
        body = body[key]
    body[path[-1]] = value

