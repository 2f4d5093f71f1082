"""The one TLS context that the sandbox's short-lived HTTP clients share (readiness runs, the console).

Every new httpx client builds a TLS context of its own, loading the CA bundle: about 20 ms of CPU,
even for a plain-HTTP sandbox. The relay opens a client for each request it passes on and the
customer one for each authorization, dozens in a run, and the console one for each control-plane call
a page makes; sharing this context makes each of them cheap.
It verifies exactly as httpx's default does (certifi's bundle, or SSL_CERT_FILE / SSL_CERT_DIR), and
trusts the sandbox's own certificate authority too when `serve --tls` answers with a certificate it
issued (`AUTHORITY_VARIABLE`, set by `serve` for its workers, and by `readiness --ca-file`): the console
calls the control plane at the URL it was opened under, https then, and a readiness run the sandbox
it grades. A connector that a run starts is told to trust it as well (`trusting`): its own process
verifies the bank API's certificate with its own client library.
"""

from __future__ import annotations

import atexit
import os
import shutil
import ssl
import tempfile
from functools import cache
from pathlib import Path

import httpx


# The file of the certificate authority whose certificate this process's server answers with, if any.
AUTHORITY_VARIABLE = "SANDBOX_TLS_AUTHORITY"


@cache
def context() -> ssl.SSLContext:
    """The process's TLS context for the sandbox's URLs, built on first use."""
    made = httpx.create_ssl_context()
    authority = os.environ.get(AUTHORITY_VARIABLE)
    if authority and os.path.exists(authority):
        made.load_verify_locations(cafile=authority)
    return made


def authority() -> str | None:
    """The certificate authority file this process trusts besides the usual ones, or None."""
    found = os.environ.get(AUTHORITY_VARIABLE)
    return found if found and os.path.exists(found) else None


@cache
def trusting() -> dict:
    """The variables that make a connector's process trust `authority()` too, whatever it is written with:
    `SSL_CERT_FILE` (OpenSSL's default: Python's ssl, httpx, aiohttp, Go, curl), `REQUESTS_CA_BUNDLE`
    (requests), `CURL_CA_BUNDLE` and `NODE_EXTRA_CA_CERTS` (Node), and `SANDBOX_CA_FILE` for the
    connector's own use. The first three replace the bundle a client trusts, so they name one of
    certifi's roots and the authority together (written once per process): a connector reaching a
    real service beside the sandbox still verifies it. Empty without an authority."""
    found = authority()
    if found is None:
        return {}
    import certifi

    folder = Path(tempfile.mkdtemp(prefix="bank-sandbox-trust-"))
    atexit.register(shutil.rmtree, folder, True)
    bundle = folder / "bundle.pem"
    bundle.write_text(Path(certifi.where()).read_text(encoding="ascii") + "\n" + Path(found).read_text(encoding="ascii"),
                      encoding="ascii")
    return {"SSL_CERT_FILE": str(bundle), "REQUESTS_CA_BUNDLE": str(bundle), "CURL_CA_BUNDLE": str(bundle),
            "NODE_EXTRA_CA_CERTS": found, "SANDBOX_CA_FILE": found}
