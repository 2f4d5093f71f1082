"""Banks answered under their vendors' own host names: `Host: api.example.com` reaches the bank whose spec names it.

An SDK whose base URL cannot be changed, or a connector that writes its vendor's URL in full, calls
`https://api.example.com/v2/payments` and nothing else. Every spec names its addresses in `servers`
(`spec.server_hosts`), so the sandbox knows, from the folder alone, which bank such a request is for:
point the name at the sandbox (a hosts-file line, Docker's `extra_hosts`, a resolver of the test's own),
serve with `--tls` (certificates.py names every such host in the certificate) and the request is
answered as `<mount>/payments` would be, its links and `Location` under `https://api.example.com/v2`.

Several specs may share a host and base path (one vendor's APIs split over files): the request goes to
the first whose paths take it, else to the first of them (its 404, in its dialect), except the sandbox's
own pages (`/`, `/sandbox/v1`, `/oauth/`, `/console`, `/healthz`: a deployment's public name may be one a
spec names, a bank's own sandbox host). A spec's OAuth2 token and authorization URLs that no operation of
it serves (`https://connect.example.com/oauth/token`, a consent page on the API's own host) reach the
sandbox's OAuth server. A binding may name more hosts (`hosts`: a vendor's sandbox host, per-merchant
names its spec gives only in prose). Requests under any other name (`127.0.0.1`, `localhost`, the
sandbox's own host) are routed by path, as always.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..bindings.spec import server_hosts

# What a request routed by its host keeps in its scope: the path its API answers under there (`/v2`),
# in place of the mount, for the URLs its answers carry (http/banks.py's `origin`).
SERVED_UNDER = "sandbox.served_under"
# The sandbox's own pages: under a vendor's name they stay the sandbox's, unless the spec has a path there.
_OWN_PATHS = ("/banks/", "/hub/", "/sandbox/", "/oauth/", "/console", "/healthz", "/readyz", "/.well-known/")
# The sandbox's OAuth server, for a spec's token and authorization URLs on hosts of their own.
_OAUTH_PATHS = {"tokenUrl": "/oauth/token", "refreshUrl": "/oauth/token", "authorizationUrl": "/oauth/authorize"}


class VendorHosts:
    """host -> where its requests go, built once from the mounted banks."""

    def __init__(self, mounts):
        self._exact: dict[str, list] = {}
        self._wildcards: list[tuple[str, list]] = []  # ".example.com" -> entries of `*.example.com`
        self._oauth: dict[tuple[str, str], str] = {}
        for mount in mounts:
            spec = mount.api.spec
            paths = _paths_pattern(spec)
            for host, base in addresses(mount.api):
                entries = (self._exact.setdefault(host, []) if not host.startswith("*.")
                           else _wildcard(self._wildcards, host[1:]))
                entries.append((base, mount.api.mount, paths))
            for (host, path), target in _oauth_urls(mount.api).items():
                self._oauth.setdefault((host, path), target)
        for entries in [*self._exact.values(), *(e for _, e in self._wildcards)]:
            entries.sort(key=lambda entry: -len(entry[0]))  # the longest base path first

    def __bool__(self) -> bool:
        return bool(self._exact or self._wildcards or self._oauth)

    def route(self, scope: dict) -> dict | None:
        """The scope of a request sent to a vendor's host, rewritten to the bank's mount; None for any other."""
        host = _host(scope)
        if not host:
            return None
        path = scope["path"]
        target = self._oauth.get((host, path.rstrip("/")))
        if target is not None:
            return {**scope, "path": target, "raw_path": target.encode(),
                    "query_string": _code_asked(target, scope.get("query_string") or b"")}
        entries = self._exact.get(host)
        if entries is None:
            entries = next((e for suffix, e in self._wildcards if host.endswith(suffix) and "." not in host[:-len(suffix)]),
                           None)
            if entries is None:
                return None
        under = [(base, mount, paths) for base, mount, paths in entries if not base or path == base
                 or path.startswith(base + "/")]
        if not under:
            return None
        # A spec may write its server's path into its paths as well (`https://api.example.com/v1/reports` with
        # `/v1/reports/balances`): its mount serves those paths whole (`spec.server_prefixes` strips no such
        # base), so the request keeps its whole path there; stripped, it reached no operation (404).
        chosen = next(((path[len(base):] or "/", base, mount) for base, mount, paths in under
                       if paths.match(path[len(base):] or "/")), None) or next(
            ((path, "", mount) for base, mount, paths in under if base and paths.match(path)), None)
        if chosen is None:
            if path == "/" or path.startswith(_OWN_PATHS):
                return None  # the sandbox's own page, also under a name a spec gives (its public host)
            chosen = (path[len(under[0][0]):] or "/", under[0][0], under[0][1])
        inner, base, mount = chosen
        raw = scope.get("raw_path") or path.encode()
        raw_inner = raw[len(base.encode()):] if raw.startswith(base.encode()) else inner.encode()
        return {**scope, "path": mount + inner, "raw_path": mount.encode() + (raw_inner or b"/"), SERVED_UNDER: base}


def _code_asked(target: str, query: bytes) -> bytes:
    """A vendor's consent URL's query, asking for a code where it names no `response_type`: the vendor's page
    only ever answers with a code, and its documented URL says nothing of one (Square's
    `https://connect.squareup.com/oauth2/authorize?client_id=...&scope=...&session=False&state=...`); the
    sandbox's authorization endpoint, an OAuth 2 one, refused it with `unsupported_response_type`."""
    if target != _OAUTH_PATHS["authorizationUrl"]:
        return query
    if any(part.split(b"=", 1)[0] == b"response_type" for part in query.split(b"&")):
        return query
    return query + (b"&" if query else b"") + b"response_type=code"


def host_names(apis) -> list[str]:
    """Every host name the APIs' specs name (servers, OAuth2 URLs on hosts of their own), for a certificate
    (`*.example.com` as written)."""
    return sorted({*(host for api in apis for host, _ in addresses(api)),
                   *(host for api in apis for host, _ in _oauth_urls(api))})


def addresses(api) -> list[tuple[str, str]]:
    """(host, base path) of each address the API answers under (`spec.server_hosts`, its binding's `hosts` too)."""
    return server_hosts(api.spec, api.hosts)


def join_parts(apis) -> None:
    """Make the specs that are parts of one API each other's `kin`: those answering under one host and base
    path (`addresses`) whose paths have none in common (PayPal's orders v2 and payments v2, both at
    `api-m.paypal.com`: the authorization one makes, the other reads and captures). Two specs holding the same
    path are two descriptions of one API (two versions of it, two trials), not parts of it: each keeps its own."""
    groups: list[list] = []
    # (each API's addresses and path shapes worked out once: asked of every other API, a server with the 290 specs
    # of the test suite spent a third of its start there)
    places = {id(api): set(addresses(api)) for api in apis}
    shapes = {id(api): {_shape(path) for path in api.spec.get("paths") or {}} for api in apis}
    for api in apis:
        joined = [group for group in groups if any(places[id(api)] & places[id(other)] for other in group)
                  and not any(shapes[id(api)] & shapes[id(other)] for other in group)]
        group = [member for found in joined for member in found] + [api]
        groups = [found for found in groups if found not in joined] + [group]
    for group in groups:
        for api in group:
            api.kin[:] = sorted((other for other in group if other is not api), key=lambda other: other.slug)


def _shape(template) -> str:
    """A path template without its parameters' names (`/payments/{id}` and `/payments/{payment_id}` are one)."""
    return re.sub(r"\{[^}/]*\}", "{}", str(template).rstrip("/"))


def _wildcard(wildcards: list, suffix: str) -> list:
    for known, entries in wildcards:
        if known == suffix:
            return entries
    wildcards.append((suffix, []))
    return wildcards[-1][1]


def _host(scope: dict) -> str:
    """The request's host name, lower case, without its port."""
    for name, value in scope.get("headers") or ():
        if name == b"host":
            host = value.decode("latin-1").strip().lower()
            return host.rsplit(":", 1)[0] if not host.endswith("]") and host.count(":") == 1 else host
    return ""


def _paths_pattern(spec: dict):
    """One pattern matching every path of the spec (a template's parameters as one segment each)."""
    alternatives = []
    for template in spec.get("paths") or {}:
        parts = re.split(r"(\{[^}/]*\})", str(template).rstrip("/"))
        alternatives.append("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts))
    return re.compile(f"(?:{'|'.join(alternatives)})/?$") if alternatives else re.compile(r"(?!)")


def _oauth_urls(api) -> dict[tuple[str, str], str]:
    """(host, path) of each absolute OAuth2 URL the spec's schemes declare -> the sandbox's own endpoint for it,
    unless the spec has a path there: a token URL the API itself serves (`POST /oauth2/token` on its server's
    host) is the API's, and routed with it; an authorization page on that host that no path of the spec
    takes (Square's `https://connect.squareup.com/oauth2/authorize`, a browser page, not an API operation) is
    the sandbox's, as one on a host of its own is."""
    spec = api.spec
    served: dict[str, list[str]] = {}
    for host, base in addresses(api):
        served.setdefault(host, []).append(base)
    paths = None
    found = {}
    for scheme in ((spec.get("components") or {}).get("securitySchemes") or {}).values():
        for flow in ((scheme or {}).get("flows") or {}).values() if isinstance(scheme, dict) else ():
            for key, target in _OAUTH_PATHS.items():
                url = urlsplit(str((flow or {}).get(key) or ""))
                host, path = (url.hostname or "").lower(), url.path.rstrip("/")
                if not host or "." not in host or host == "localhost":
                    continue
                if host in served:
                    paths = paths or _paths_pattern(spec)
                    if any((not base or path == base or path.startswith(base + "/"))
                           and paths.match(path[len(base):] or "/") for base in served[host]):
                        continue  # the API's own operation
                found[(host, path)] = target
    return found
