"""Banks answered under their vendors' own host names, and over TLS with the sandbox's own authority.

An SDK that cannot be given a base URL calls `https://api.<vendor>/v2/...` and nothing else. The spec's
`servers` say which bank such a request is for (tests/published_specs/vendor-host-names names
`api.gadgetpay.test/v2`, `{eu|us}.sandbox.gadgetpay.test/v2`, `{merchant}.shops.gadgetpay.test/v2` and a
token URL on `auth.gadgetpay.test`). Before, a request under those names reached no bank (404), and
`serve` spoke only plain HTTP.
"""

from __future__ import annotations

import os
import re
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import requests

import live_server
from console_browser import chromium, sign_in
from oauth_flows import self_use_token
from sandbox.bindings.spec import server_hosts
from sandbox.http.certificates import server_files

SPECS = Path(__file__).parent / "published_specs"
FOLDER = SPECS / "vendor-host-names"
LIVE_SERVER = {"open_access": False, "specs": (FOLDER,)}
BIN = Path(sys.executable).parent / "bank-sandbox"


def test_a_specs_servers_name_its_hosts_and_base_paths():
    spec = {"servers": [
        {"url": "https://api.gadgetpay.test/v2/"},
        {"url": "https://{region}.sandbox.gadgetpay.test/v2", "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}}},
        {"url": "https://{merchant}.shops.gadgetpay.test/v2", "variables": {"merchant": {"default": "demo"}}},
        {"url": "{base}/v3", "variables": {"base": {"default": "https://alt.gadgetpay.test"}}},
        {"url": "/v1"}, {"url": "http://localhost:8080/v1"}, {"url": "https://10.1.2.3/v1"},
        {"url": "https://pre{x}.gadgetpay.test", "variables": {"x": {"default": "a"}}},  # a free part of a label
    ]}
    assert server_hosts(spec) == [
        ("api.gadgetpay.test", "/v2"), ("eu.sandbox.gadgetpay.test", "/v2"), ("us.sandbox.gadgetpay.test", "/v2"),
        ("demo.shops.gadgetpay.test", "/v2"), ("*.shops.gadgetpay.test", "/v2"), ("alt.gadgetpay.test", "/v3"),
        ("prea.gadgetpay.test", "")]


def _under(live, host: str, method: str, path: str, **kwargs) -> httpx.Response:
    """A request to the live sandbox as a client that resolved `host` to it sends it."""
    port = live.url.rsplit(":", 1)[1]
    headers = {**kwargs.pop("headers", {}), "Host": f"{host}:{port}"}
    return httpx.request(method, f"{live.url}{path}", headers=headers, timeout=30, **kwargs)


def test_a_request_under_the_vendors_host_reaches_its_bank_and_answers_under_that_host(live, admin):
    token = self_use_token(live.url, admin)
    bearer = {"Authorization": f"Bearer {token}"}
    made = _under(live, "api.gadgetpay.test", "POST", "/v2/gadgets", json={"name": "first"}, headers=bearer)
    assert made.status_code == 201, made.text
    port = live.url.rsplit(":", 1)[1]
    gadget = made.json()
    # Its Location is where the vendor's client reads it: the vendor's host and base path, not the mount.
    assert made.headers["location"] == f"http://api.gadgetpay.test:{port}/v2/gadgets/{gadget['id']}"
    read = _under(live, "us.sandbox.gadgetpay.test", "GET", f"/v2/gadgets/{gadget['id']}", headers=bearer)
    assert read.status_code == 200 and read.json() == gadget, read.text
    listed = _under(live, "acme.shops.gadgetpay.test", "GET", "/v2/gadgets", headers=bearer)
    assert listed.status_code == 200, listed.text
    assert gadget in listed.json()["items"]
    assert listed.json()["links"]["self"].startswith(f"http://acme.shops.gadgetpay.test:{port}/v2/gadgets")
    # The same bank under its mount, as always.
    mounted = httpx.get(f"{live.url}/banks/vendor-host-names/gadgets/{gadget['id']}", headers=bearer, timeout=30)
    assert mounted.status_code == 200 and mounted.json() == gadget


def test_the_bindings_hosts_are_names_the_bank_answers_under_too(live, admin):
    """A vendor's sandbox host, or per-merchant names, that the spec's servers do not give (the binding's
    `hosts`): an SDK whose default environment is the sandbox one calls only those."""
    bearer = {"Authorization": f"Bearer {self_use_token(live.url, admin)}"}
    made = _under(live, "api.sandbox-gadgetpay.test", "POST", "/v2/gadgets", json={"name": "sandboxed"}, headers=bearer)
    assert made.status_code == 201, made.text
    port = live.url.rsplit(":", 1)[1]
    assert made.headers["location"].startswith(f"http://api.sandbox-gadgetpay.test:{port}/v2/gadgets/")
    read = _under(live, "shop-42.pay.gadgetpay.test", "GET", f"/v2/gadgets/{made.json()['id']}", headers=bearer)
    assert read.status_code == 200 and read.json()["name"] == "sandboxed", read.text


def test_the_vendors_token_url_on_its_own_host_hands_out_sandbox_tokens(live, admin):
    connector = admin.post("/sandbox/v1/connectors", json={
        "workspace": "default", "name": "vendor-host", "class": "self-use",
        "customer_id": next(a["customer_id"] for a in admin.get("/sandbox/v1/workspaces/default/accounts", params={
            "bank_code": "0990", "limit": 500}).json()["accounts"] if a["customer_kind"] == "corporate")}).json()
    answer = _under(live, "auth.gadgetpay.test", "POST", "/oauth2/token", data={"grant_type": "client_credentials"},
                    auth=(connector["client_id"], connector["client_secret"]))
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    listed = _under(live, "api.gadgetpay.test", "GET", "/v2/gadgets", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200, listed.text
    refused = _under(live, "api.gadgetpay.test", "GET", "/v2/gadgets", headers={"Authorization": "Bearer not-issued"})
    assert refused.status_code == 401 and set(refused.json()) == {"code", "message"}  # the vendor's own error shape


def test_the_sandboxs_own_pages_and_other_names_are_routed_by_path(live):
    assert _under(live, "api.gadgetpay.test", "GET", "/healthz").json() == {"status": "ok"}
    assert _under(live, "api.gadgetpay.test", "GET", "/").json()["name"] == "bank-sandbox"
    # Under a base path the spec does not name, or a name no spec names, nothing is rewritten.
    assert _under(live, "api.gadgetpay.test", "GET", "/v3/gadgets").status_code == 404
    assert _under(live, "unknown.gadgetpay.test", "GET", "/v2/gadgets").status_code == 404
    assert _under(live, "api.gadgetpay.test", "GET", "/v2/nothing-here").status_code in (401, 404)


# -- TLS ------------------------------------------------------------------------------------------


def test_the_names_served_are_the_specs_and_the_bindings():
    from sandbox.bindings import survey
    from sandbox.http.hosts import host_names

    apis, _ = survey((FOLDER.parent,))
    names = host_names([api for api in apis if api.folder == FOLDER])
    assert names == ["*.pay.gadgetpay.test", "*.shops.gadgetpay.test", "api.gadgetpay.test",
                     "api.sandbox-gadgetpay.test", "auth.gadgetpay.test", "demo.shops.gadgetpay.test",
                     "eu.sandbox.gadgetpay.test", "us.sandbox.gadgetpay.test"]


def test_the_server_certificate_names_every_host_and_is_issued_again_only_when_they_change(tmp_path):
    first = server_files(tmp_path, ["api.gadgetpay.test", "*.shops.gadgetpay.test"])
    authority, certificate = first.authority.read_bytes(), first.certificate.read_bytes()
    assert first.names[:3] == ("localhost", "127.0.0.1", "::1") and "*.shops.gadgetpay.test" in first.names
    assert oct(first.key.stat().st_mode & 0o777) == "0o600" and oct((tmp_path / "ca-key.pem").stat().st_mode & 0o777) == "0o600"
    again = server_files(tmp_path, ["api.gadgetpay.test", "*.shops.gadgetpay.test"])
    assert again.certificate.read_bytes() == certificate  # same names: the same certificate
    more = server_files(tmp_path, ["api.gadgetpay.test", "*.shops.gadgetpay.test", "new.gadgetpay.test"])
    assert more.certificate.read_bytes() != certificate and more.authority.read_bytes() == authority
    # What a client checks: the chain verifies against the authority alone, for each name.
    context = ssl.create_default_context(cafile=str(more.authority))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(more.certificate, more.key)
    for name in ("api.gadgetpay.test", "acme.shops.gadgetpay.test", "new.gadgetpay.test", "localhost"):
        _handshake(context, server, name)
    with pytest.raises(ssl.SSLCertVerificationError):
        _handshake(context, server, "api.elsewhere.test")


def _handshake(client: ssl.SSLContext, server: ssl.SSLContext, name: str) -> None:
    """A TLS handshake in memory between the two contexts, the client asking for `name`."""
    client_in, client_out, server_in, server_out = ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO(), ssl.MemoryBIO()
    near = client.wrap_bio(client_in, client_out, server_hostname=name)
    far = server.wrap_bio(server_in, server_out, server_side=True)
    for _ in range(10):
        for side in (near, far):
            try:
                side.do_handshake()
            except ssl.SSLWantReadError:
                pass
        server_in.write(client_out.read())
        client_in.write(server_out.read())
    near.do_handshake()


@pytest.fixture
def tls_sandbox(tmp_path, monkeypatch):
    """`bank-sandbox serve --tls` with the vendor-host-names folder, and a resolver that points its names here."""
    port = live_server.free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")},
           "SANDBOX_ADMIN_TOKEN": live_server.ADMIN_TOKEN}
    process = subprocess.Popen([str(BIN), "serve", "--tls", "--workers", "2", "--port", str(port), "--data-dir",
                                str(tmp_path / "data"), "--specs", str(FOLDER), "--clock", live_server.BUSINESS_MORNING],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    banner = []
    for line in process.stdout:
        banner.append(line)
        if "tls " in line:
            break
    authority = tmp_path / "data" / "tls" / "ca.pem"
    resolve = socket.getaddrinfo

    def pointed_here(host, *args, **kwargs):  # what a hosts-file line does for the client
        return resolve("127.0.0.1" if str(host).endswith("gadgetpay.test") else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", pointed_here)
    try:
        for _ in range(200):
            try:
                requests.get(f"https://localhost:{port}/healthz", verify=str(authority), timeout=5).raise_for_status()
                break
            except requests.ConnectionError:
                if process.poll() is not None:
                    raise AssertionError("".join(banner) + process.stdout.read()) from None
                time.sleep(0.1)
        yield port, authority, "".join(banner)
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
def test_serve_tls_answers_a_client_that_knows_only_the_vendors_url(tls_sandbox):
    port, authority, banner = tls_sandbox
    assert f"https://127.0.0.1:{port}" in banner and str(authority) in banner and "api.gadgetpay.test" in banner
    trusted = ssl.create_default_context(cafile=str(authority))
    with httpx.Client(base_url=f"https://localhost:{port}", verify=trusted, timeout=30,
                      headers={"Authorization": f"Bearer {live_server.ADMIN_TOKEN}"}) as admin:
        accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500})
        company = next(a["customer_id"] for a in accounts.json()["accounts"] if a["customer_kind"] == "corporate")
        connector = admin.post("/sandbox/v1/connectors", json={
            "workspace": "default", "name": "tls", "class": "self-use", "customer_id": company}).json()
    # The client as its vendor wrote it (requests, the vendor's URLs): a token from the vendor's token URL,
    # then the API, all https, the sandbox's authority trusted as SSL_CERT_FILE or REQUESTS_CA_BUNDLE would.
    verify = str(authority)
    token = requests.post(f"https://auth.gadgetpay.test:{port}/oauth2/token", data={"grant_type": "client_credentials"},
                          auth=(connector["client_id"], connector["client_secret"]), verify=verify, timeout=30)
    assert token.status_code == 200, token.text
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    made = requests.post(f"https://api.gadgetpay.test:{port}/v2/gadgets", json={"name": "over tls"}, headers=bearer,
                         verify=verify, timeout=30)
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"https://api.gadgetpay.test:{port}/v2/gadgets/{made.json()['id']}"
    read = requests.get(made.headers["location"], headers=bearer, verify=verify, timeout=30)
    assert read.status_code == 200 and read.json()["name"] == "over tls"
    # A client that does not trust the sandbox's authority is refused by its own TLS check.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"https://api.gadgetpay.test:{port}/v2/gadgets", verify=True, timeout=10)
    # The console over TLS, in a real browser: its forms pass the CSRF check (which, over https, wants the
    # page's own origin as Referer), and it calls the control plane at its https URL, trusting the authority.
    with chromium() as browser:
        page = browser.new_context(ignore_https_errors=True).new_page()
        sign_in(page, f"https://localhost:{port}")
        page.wait_for_selector("tr[data-workspace=default]")


def test_a_readiness_run_grades_a_connector_against_a_sandbox_serving_tls(tls_sandbox, tmp_path):
    """`readiness run --ca-file`: the run's own calls and the connector's process (its own httpx, verifying
    by SSL_CERT_FILE) trust the sandbox's authority. Before, the run could not reach an https sandbox, and a
    connector was refused by its own TLS check."""
    port, authority, _ = tls_sandbox
    careful = Path(__file__).resolve().parent.parent / "examples" / "careful_connector" / "connector.py"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_") and k not in ("SSL_CERT_FILE",
                                                                                               "REQUESTS_CA_BUNDLE")}
    command = [str(BIN), "readiness", "run", "--server", f"https://localhost:{port}", "--admin-token",
               live_server.ADMIN_TOKEN, "--bank", "kaede", "--check", "happy-path", "--out", str(tmp_path / "out")]
    refused = subprocess.run([*command, "--", sys.executable, str(careful)], env=env, capture_output=True, text=True,
                             timeout=300)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stdout + refused.stderr
    assert "cannot reach the sandbox" in refused.stderr and "--ca-file" in refused.stderr, refused.stderr
    graded = subprocess.run([*command, "--ca-file", str(authority), "--", sys.executable, str(careful)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    report = (tmp_path / "out" / "report.json").read_text(encoding="utf-8")
    assert '"result": "passed"' in report and "CERTIFICATE_VERIFY_FAILED" not in report


def test_a_token_over_plain_http_under_any_host_name(live, admin):
    """A compose service (`http://sandbox:8000`) or a pod behind an ingress that ends TLS is reached over HTTP
    under a name that is not a loopback one: the token endpoint answered those 500 (Authlib's refusal)."""
    connector = admin.post("/sandbox/v1/connectors", json={
        "workspace": "default", "name": "plain-http", "class": "self-use",
        "customer_id": next(a["customer_id"] for a in admin.get("/sandbox/v1/workspaces/default/accounts", params={
            "bank_code": "0990", "limit": 500}).json()["accounts"] if a["customer_kind"] == "corporate")}).json()
    for host in ("sandbox:8000", "bank-sandbox.internal"):
        answer = _under(live, host.split(":")[0], "POST", "/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(connector["client_id"], connector["client_secret"]))
        assert answer.status_code == 200, (host, answer.status_code, answer.text[:200])


def test_check_names_the_hosts_a_bank_answers_under():
    import json

    out = subprocess.run([str(BIN), "check", "--json", str(FOLDER)], capture_output=True, text=True, timeout=120)
    bank = json.loads(out.stdout)["banks"][0]
    assert bank["hosts"][:2] == ["api.gadgetpay.test/v2", "eu.sandbox.gadgetpay.test/v2"]
    assert "*.pay.gadgetpay.test/v2" in bank["hosts"]  # the binding's `hosts`


def test_serve_refuses_a_certificate_without_its_key(tmp_path):
    """A half-given TLS setting is a usage error at start (exit 2, nothing served, no data directory made)."""
    chain = server_files(tmp_path / "tls", []).certificate
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SANDBOX_")},
           "SANDBOX_ADMIN_TOKEN": live_server.ADMIN_TOKEN}
    out = subprocess.run([str(BIN), "serve", "--port", str(live_server.free_port()), "--data-dir", str(tmp_path / "data"),
                          "--tls-cert", str(chain)], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 2 and "--tls-cert and --tls-key" in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert not (tmp_path / "data").exists()
