"""Small HTTP servers on 127.0.0.1 that play the other side in tests: a connector's key set, a page elsewhere."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that writes no line per request into the test output."""

    def log_message(self, *_):
        pass

    def send_body(self, status: int, body: bytes, content_type: str) -> None:
        """Answer with `status` and `body`, its length and type declared."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]):
    """Serve `handler` on a free port of 127.0.0.1, on a thread; yield its base URL, then stop it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
