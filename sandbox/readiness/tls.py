"""The one TLS context that the sandbox's short-lived HTTP clients share (readiness runs, the console).

Every new httpx client builds a TLS context of its own, loading the CA bundle: about 20 ms of CPU,
even for a plain-HTTP sandbox. The relay opens a client for each request it passes on and the
customer one for each authorization, dozens in a run, and the console one for each control-plane call
a page makes; sharing this context makes each of them cheap.
It verifies exactly as httpx's default does (certifi's bundle, or SSL_CERT_FILE / SSL_CERT_DIR), and
trusts the sandbox's own certificate authority too when `serve --tls` answers with a certificate it
issued (`AUTHORITY_VARIABLE`, set by `serve` for its workers): the console calls the control plane at
the URL it was opened under, https then.
"""

from __future__ import annotations

import os
import ssl
from functools import cache

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
