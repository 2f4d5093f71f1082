"""A recording relay in front of the sandbox's OAuth endpoints, for one readiness check.

The request log keeps bank calls only; how often a connector asks for tokens, and whether it keeps
asking once it is suspended, happens at the token endpoint. The command under test is given this
relay's URL as SANDBOX_TOKEN_URL: each request is passed on unchanged and answered with the sandbox's
own answer, and the relay notes when it came, how it ended and which tokens it carried back (those
are never written to a report; they are what the URLs must not contain).

For a third-party check the relay is also where the connector sends its customer to authorize
(SANDBOX_AUTHORIZE_URL): the plan's customer signs in and consents there (see `customer`), and the
redirect lands on the relay's callback page (SANDBOX_REDIRECT_URI, the connector's registered
redirect URI), which shows the code and state as JSON, as a native app's loopback redirect would.

For a plan on the FAPI 2.0 profile (`signed_urls`) the connector signs the URLs it calls: a DPoP
proof names the method and URL (`htu`), a client assertion its audience (`aud`). So the relay then
forwards every request with the Host the connector addressed (the sandbox takes its own URL from it),
relays the pushed authorization requests (PAR) and fronts the bank API too. It notes how each request
authenticated and presented its token, by name only (`private_key_jwt`, `DPoP`, which parameters):
no value leaves the relay, and a proof's `jti` is kept as a digest, to tell a replayed proof.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
from joserfc import jws
from joserfc.errors import JoseError

from . import tls
from .customer import Customer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}
AUTHORIZE, CALLBACK, PAR = "/oauth/authorize", "/callback", "/oauth/par"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SCHEMES = {"bearer": "Bearer", "dpop": "DPoP", "basic": "Basic"}  # how the Authorization header names its scheme
PKCE_METHODS = {"S256", "plain"}
_CHALLENGE_ERROR = re.compile(r'error="([a-z_]+)"')  # the error a WWW-Authenticate challenge names
_REFUSAL = re.compile(r'role="alert">\s*([a-z_]+)')  # the error code the authorization page shows
POLL_S = 0.05  # how often the relay's server looks whether it was asked to stop


class TokenRelay:
    def __init__(self, token_url: str, on_token=None, customer: Customer | None = None, signed_urls: bool = False):
        self.token_url = token_url
        self.upstream = f"{urlsplit(token_url).scheme}://{urlsplit(token_url).netloc}"
        self.signed_urls = signed_urls  # forward with the connector's Host, relay PAR and the bank API too
        self.presentations: list[dict] = []  # bank calls (signed_urls only): how each presented its token
        self._proofs: set[str] = set()  # digests of the DPoP proofs' jti seen so far
        self.on_token = on_token  # called once, with the first token issued, before the connector hears of it
        self.customer = customer  # who authorizes a third-party connector (None: no authorize endpoint)
        self.requests: list[dict] = []
        self.issued: list[str] = []
        self._lock = threading.Lock()
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the standard library's naming
                relay._route(self)

            do_GET = do_POST

            def log_message(self, *args):  # the relay's own access log would only add noise to the run's output
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # shutdown() returns at serve_forever's next poll: a short poll ends each check's relay at once
        # instead of up to half a second later (the default), eleven times a run.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": POLL_S},
                                        name="token-relay", daemon=True)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.root}{urlsplit(self.token_url).path}"

    @property
    def authorize_url(self) -> str:
        return f"{self.root}{AUTHORIZE}"

    @property
    def redirect_uri(self) -> str:
        return f"{self.root}{CALLBACK}"

    @property
    def par_url(self) -> str:
        return f"{self.root}{PAR}"

    def fronted(self, url: str) -> str:
        """The relay's address for a URL of the sandbox (the bank API's, when it fronts it)."""
        return f"{self.root}{url[len(self.upstream):]}" if self.signed_urls and url.startswith(self.upstream) else url

    def __enter__(self) -> TokenRelay:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _route(self, handler: BaseHTTPRequestHandler) -> None:
        path = urlsplit(handler.path).path
        if path == AUTHORIZE and self.customer is not None:
            self._authorize(handler)
        elif path == CALLBACK:
            _answer(handler, 200, json.dumps({k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
                                             ).encode(), {"Content-Type": "application/json"})
        elif self.signed_urls and path == PAR:
            self._push(handler)
        elif self.signed_urls and path != urlsplit(self.token_url).path:
            self._bank(handler)
        else:
            self._relay(handler)

    def _forward(self, handler: BaseHTTPRequestHandler, url: str) -> tuple[bytes, int, bytes, dict]:
        """Pass one request on: its body, and the sandbox's status, content and headers."""
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        query = urlsplit(handler.path).query
        dropped = HOP_BY_HOP - {"host"} if self.signed_urls else HOP_BY_HOP
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in dropped}
        try:
            answer = httpx.request(handler.command, url + (f"?{query}" if query else ""), content=body,
                                   headers=headers, timeout=30, verify=tls.context())
            return body, answer.status_code, answer.content, answer.headers
        except httpx.HTTPError as error:
            return body, 502, json.dumps({"error": "server_error", "error_description": str(error)}).encode(), {}

    def _client_side(self, handler: BaseHTTPRequestHandler, form: dict) -> dict:
        """How a token or PAR request authenticated and proved its key, by name: never a value."""
        if form.get("client_assertion_type") == JWT_BEARER and form.get("client_assertion"):
            client_auth = "private_key_jwt"
        elif _scheme(handler.headers.get("Authorization")) == "Basic":
            client_auth = "client_secret_basic"
        elif form.get("client_secret"):
            client_auth = "client_secret_post"
        else:
            client_auth = "none"
        return {"client_auth": client_auth, "dpop": self._proof(handler.headers.get("DPoP")),
                "params": sorted(form)}

    def _proof(self, proof: str | None) -> str | None:
        """`fresh` or `replayed` (its jti was seen before in this check), None without a proof."""
        if not proof:
            return None
        try:
            jti = json.loads(jws.extract_compact(proof.encode()).payload).get("jti")
        except (JoseError, ValueError, UnicodeError, AttributeError):
            jti = None
        digest = hashlib.sha256(str(jti if jti is not None else proof).encode()).hexdigest()
        with self._lock:
            seen = digest in self._proofs
            self._proofs.add(digest)
        return "replayed" if seen else "fresh"

    def _push(self, handler: BaseHTTPRequestHandler) -> None:
        started = time.time()
        body, status, content, headers = self._forward(handler, f"{self.upstream}{PAR}")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        side = self._client_side(handler, form)
        _answer(handler, status, content, headers)
        self._note(kind="par", started=started, method=handler.command, path=PAR, query=urlsplit(handler.path).query,
                   operation_id="par", status=status, error_code=_json(content).get("error") if status >= 400 else None,
                   pkce=_pkce(form.get("code_challenge_method"), form.get("code_challenge")), **side)

    def _bank(self, handler: BaseHTTPRequestHandler) -> None:
        started = time.time()
        path = urlsplit(handler.path).path
        _, status, content, headers = self._forward(handler, f"{self.upstream}{path}")
        challenge = _CHALLENGE_ERROR.search(headers.get("www-authenticate") or "")
        _answer(handler, status, content, headers)
        presented = {"at": _iso(time.time()), "started": started, "ended": time.time(), "kind": "presented",
                     "method": handler.command, "path": path, "status": status,
                     "scheme": _scheme(handler.headers.get("Authorization")),
                     "dpop": self._proof(handler.headers.get("DPoP")),
                     "error_code": challenge.group(1) if challenge else None}
        with self._lock:
            self.presentations.append(presented)

    def _authorize(self, handler: BaseHTTPRequestHandler) -> None:
        started = time.time()
        query = urlsplit(handler.path).query
        try:
            answer = self.customer.authorize(query)
            status, content, headers = answer.status_code, answer.content, answer.headers
        except httpx.HTTPError as error:
            status, content, headers = 502, str(error).encode(), {}
        location = headers.get("location") or ""
        refusal = (parse_qs(urlsplit(location).query).get("error") or [None])[0] if location else None
        if status >= 400:
            found = _REFUSAL.search(content.decode("utf-8", "replace"))
            refusal = found.group(1) if found else "invalid_request"
        _answer(handler, status, content, headers)
        asked = {k: v[0] for k, v in parse_qs(query).items()}
        self._note(kind="authorize", started=started, method=handler.command, path=AUTHORIZE, query=query,
                   operation_id="authorize", status=status, error_code=refusal, params=sorted(asked),
                   pkce=_pkce(asked.get("code_challenge_method"), asked.get("code_challenge")))

    def _relay(self, handler: BaseHTTPRequestHandler) -> None:
        started = time.time()
        query = urlsplit(handler.path).query
        body, status, content, answer_headers = self._forward(handler, self.token_url)
        data = _json(content)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        token = data.get("access_token") if status == 200 else None
        with self._lock:
            first = token is not None and not self.issued
            if token:
                self.issued.append(token)
                self.issued.extend(t for t in (data.get("refresh_token"),) if t)
        if first and self.on_token is not None:
            self.on_token()
        _answer(handler, status, content, answer_headers)
        self._note(kind="token", started=started, method=handler.command, path=urlsplit(self.token_url).path,
                   query=query, operation_id="token", status=status,
                   error_code=data.get("error") if status >= 400 else None,
                   grant_type=form.get("grant_type"), expires_in=data.get("expires_in") if token else None,
                   token_type=data.get("token_type"), **self._client_side(handler, form))

    def _note(self, *, started: float, **call) -> None:
        with self._lock:
            self.requests.append({"at": _iso(time.time()), "started": started, "ended": time.time(), **call})


def _answer(handler: BaseHTTPRequestHandler, status: int, content: bytes, headers) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        if name.lower() not in HOP_BY_HOP:
            handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(content)))
    handler.end_headers()
    handler.wfile.write(content)


def _scheme(authorization: str | None) -> str | None:
    """The Authorization header's scheme, by its standard name (`other` for any other word)."""
    if not authorization or not authorization.split():
        return None
    return SCHEMES.get(authorization.split()[0].lower(), "other")


def _pkce(method: str | None, challenge: str | None) -> str | None:
    """The PKCE method an authorization request asked for (a protocol name, never the challenge)."""
    if not challenge:
        return None
    method = method or "plain"  # RFC 7636: no method means plain
    return method if method in PKCE_METHODS else "other"


def _json(content: bytes) -> dict:
    try:
        data = json.loads(content)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="milliseconds")
