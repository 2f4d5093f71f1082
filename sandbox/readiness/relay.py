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
"""

from __future__ import annotations

import json
import re
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

from .customer import Customer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}
AUTHORIZE, CALLBACK = "/oauth/authorize", "/callback"
_REFUSAL = re.compile(r'role="alert">\s*([a-z_]+)')  # the error code the authorization page shows


class TokenRelay:
    def __init__(self, token_url: str, on_token=None, customer: Customer | None = None):
        self.token_url = token_url
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
        self._thread = threading.Thread(target=self._server.serve_forever, name="token-relay", daemon=True)

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
        else:
            self._relay(handler)

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
        self._note(kind="authorize", started=started, method=handler.command, path=AUTHORIZE, query=query,
                   operation_id="authorize", status=status, error_code=refusal)

    def _relay(self, handler: BaseHTTPRequestHandler) -> None:
        started = time.time()
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        query = urlsplit(handler.path).query
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            answer = httpx.request(handler.command, self.token_url + (f"?{query}" if query else ""), content=body,
                                   headers=headers, timeout=30)
            status, content, answer_headers = answer.status_code, answer.content, answer.headers
        except httpx.HTTPError as error:
            status, content, answer_headers = 502, json.dumps({"error": "server_error",
                                                               "error_description": str(error)}).encode(), {}
        data = _json(content)
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
                   grant_type=(parse_qs(body.decode("utf-8", "replace")).get("grant_type") or [None])[0],
                   expires_in=data.get("expires_in") if token else None)

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


def _json(content: bytes) -> dict:
    try:
        data = json.loads(content)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="milliseconds")
