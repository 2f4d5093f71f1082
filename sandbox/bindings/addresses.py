"""Where a request was sent: its path's values, its query, the URL of the sandbox it was served at, and the
parameters an operation declares in each place; links an answer gives are made from these."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from .fallback import _located, deref


# A JSON format extension after a path's last segment (`/Messages.json`, `/Messages/{Sid}.json`, as Twilio writes
# every path): it says what the answer is written in, not which resource it is, and paths are related as if it were
# not there (read as a segment of its own, each message was one resource without an id, and no creation was kept).
LAST_PARAMETER = re.compile(r"\{([^}/]+)\}(?:\.json)?/?$")


def sent_query(request: dict) -> dict:
    """The query as its client sent it: without the values the spec's defaults filled in (`defaulted`, by
    http/banks.py). A default is what the API assumes of a parameter left out, never something the client said
    of what it asks for: echoed, Lago's `GET /subscriptions/{external_id}` (`?status`, `default: active`)
    answered a subscription kept `pending` as `active`."""
    query = request.get("query") or {}
    defaulted = request.get("defaulted") or ()
    return {name: value for name, value in query.items() if name not in defaulted}


def parameters_in(api, operation_id: str, place: str) -> list[dict]:
    """An operation's parameters `in` one place (`query`, `path`), its path's and its own, `$ref`s read."""
    template, operation = _located(api, operation_id)
    item = (api.spec.get("paths") or {}).get(template) or {}
    return [parameter for parameter in (deref(api.spec, p) for p in
                                        [*(item.get("parameters") or []), *((operation or {}).get("parameters") or [])])
            if isinstance(parameter, dict) and parameter.get("in") == place and "name" in parameter]


def query_parameters(api, operation_id: str) -> list[str]:
    """The names of an operation's query parameters (its path's and its own)."""
    return [parameter["name"] for parameter in parameters_in(api, operation_id, "query")]


def served(api, request: dict) -> tuple[str | None, str]:
    """(scheme and host, path prefix) the request reached the API under (http/banks.py's `origin` and
    `prefix`: the mount, or the vendor's own base path under its host name); the answer's URLs start there."""
    if "prefix" in request:
        return request.get("origin"), request["prefix"]
    headers = request.get("headers") or {}
    host = headers.get("host")
    return (f"{headers.get('x-forwarded-proto', 'http')}://{host}" if host else None), getattr(api, "mount", "")


def path_value(path: dict, name: str):
    """The value a request's path gave the parameter `name` (the router names `{payment-service}`
    `payment_service`, as Starlette's routes take no `-`), or None."""
    return path.get(name, path.get(name.replace("-", "_")))


def _filled(template: str, given: dict, otherwise: dict | None = None) -> str:
    """`template` with each parameter the value the request's path gave it (the router names
    `{payment-service}` `payment_service`, as Starlette's routes take no `-`), else its value in `otherwise`,
    else left as `{name}`; each value quoted for a path."""
    def value(found) -> str:
        name = found.group(1)
        chosen = path_value(given, name)
        chosen = chosen if chosen is not None else (otherwise or {}).get(name)
        return found.group(0) if chosen is None else quote(str(chosen), safe="")
    return re.sub(r"\{([^}/]+)\}", value, template)


def _own_id(body) -> bool:
    """Whether `body` is one resource: it holds an `id` of its own, text or a number."""
    return isinstance(body, dict) and not isinstance(body.get("id"), bool) and isinstance(body.get("id"), (str, int)) \
        and body.get("id") != ""


def _request_url(api, operation_id: str, request: dict) -> str | None:
    """The request's own URL, built from its operation's path and what it sent (None without a Host)."""
    origin, prefix = served(api, request)
    template = _located(api, operation_id)[0]
    if not origin or template is None:
        return None
    path = _filled(template, request.get("path") or {})
    query = _url_query(sent_query(request))
    return f"{origin}{prefix}{path}" + (f"?{query}" if query else "")


def _url_query(query: dict) -> str:
    """A query as its client writes it in a URL (the values the spec's defaults filled in left out, as the client
    never sent them): a boolean as `true`/`false`, a list as its parameter repeated, an object as its keys in
    brackets (`created[gte]=5`). Written as Python writes them, PayPal's `total_required=true` came back in a
    page's links as `total_required=True`, a value its API refuses."""
    pairs: list[tuple[str, str]] = []

    def add(name: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                add(f"{name}[{key}]", inner)
        elif isinstance(value, (list, tuple)):
            for inner in value:
                add(name, inner)
        elif isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif value is not None:
            pairs.append((name, str(value)))

    for name, value in query.items():
        add(str(name), value)
    return urlencode(pairs)
