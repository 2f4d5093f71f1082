"""`bank-sandbox sdk python`: a typed client generated from a bank's spec makes a transfer with a real token."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

from oauth_flows import client_credentials, create_connector

BIN = Path(sys.executable).parent / "bank-sandbox"


LIVE_SERVER = {"open_access": False}


def _generate(slug: str, out: Path, base_url: str):
    result = subprocess.run([str(BIN), "sdk", "python", "--bank", slug, "--out", str(out), "--base-url", base_url],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    package = next(p.name for p in out.iterdir() if (p / "__init__.py").exists())
    sys.path.insert(0, str(out))
    try:
        return package, importlib.import_module(package)
    finally:
        sys.path.remove(str(out))


def test_a_generated_hub_client_makes_a_transfer(live, tmp_path):
    package, _ = _generate("hub", tmp_path / "hub-client", live.url)
    sys.path.insert(0, str(tmp_path / "hub-client"))
    try:
        client_module = importlib.import_module(f"{package}.client")
        create_transfer = importlib.import_module(f"{package}.api.transfers.create_transfer")
        models = importlib.import_module(f"{package}.models")
    finally:
        sys.path.remove(str(tmp_path / "hub-client"))
    with live.admin() as admin:
        accounts = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": "0990", "limit": 500}).json()
        companies = [a for a in accounts["accounts"] if a["customer_kind"] == "corporate"]
        payer = max(companies, key=lambda a: a["balance"])
        payee = next(a for a in accounts["accounts"] if a["customer_id"] != payer["customer_id"])
        connector = create_connector(admin, **{"class": "self-use", "customer_id": payer["customer_id"]})
    token = client_credentials(live.url, connector)["access_token"]
    client = client_module.AuthenticatedClient(base_url=f"{live.url}/hub/v1", token=token)
    request = models.TransferRequest.from_dict({
        "from_account_id": payer["id"], "amount": 1234,
        "to": {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
               "account_number": payee["account_number"], "name": payee["holder_kana"]}})
    answer = create_transfer.sync_detailed(client=client, body=request, idempotency_key="sdk-1")
    assert answer.status_code == 201, answer.content
    transfer = answer.parsed
    assert isinstance(transfer, models.Transfer)
    assert transfer.amount == 1234 and transfer.status.value == "executed"
    assert live.workspaces.verify("default") == []


def test_sdk_for_an_unknown_bank_is_a_usage_error(tmp_path):
    result = subprocess.run([str(BIN), "sdk", "python", "--bank", "nope", "--out", str(tmp_path / "x")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "hub" in result.stderr and "Traceback" not in result.stderr
