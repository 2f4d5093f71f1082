"""`bank-sandbox sdk python`: a typed client generated from a bank's spec makes a transfer with a real token."""

from __future__ import annotations

import importlib
import json
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


# Run inside the fresh virtualenv: the installed client (not the generated folder) makes one transfer.
_TRANSFER_SCRIPT = """
import json, sys
import shirakaba_client
from shirakaba_client import AuthenticatedClient
from shirakaba_client.api.振込 import request_transfers
from shirakaba_client.models import TransferRequest, TransferResults

base_url, token, request = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
client = AuthenticatedClient(base_url=base_url, token=token)
answer = request_transfers.sync_detailed(client=client, body=TransferRequest.from_dict(request), idempotency_key="sdk-pip-1")
assert isinstance(answer.parsed, TransferResults), answer.content
print(json.dumps({"module": shirakaba_client.__file__, "status": answer.status_code, "body": answer.parsed.to_dict()}))
"""


def test_a_bank_client_installed_by_pip_makes_a_transfer(live, tmp_path):
    """白樺銀行's client: generated, pip-installed into a fresh virtualenv, and paying through a real token."""
    out = tmp_path / "shirakaba-client"
    result = subprocess.run([str(BIN), "sdk", "python", "--bank", "shirakaba", "--out", str(out), "--base-url", live.url],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "import shirakaba_client" in result.stdout
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(out)],
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]

    with live.admin() as admin:
        companies = [a for a in admin.get("/sandbox/v1/workspaces/default/accounts",
                                          params={"bank_code": "0993", "limit": 500}).json()["accounts"]
                     if a["customer_kind"] == "corporate" and a["status"] == "active"]
        payer = max(companies, key=lambda a: a["balance"])
        payee = next(a for a in admin.get("/sandbox/v1/workspaces/default/accounts",
                                          params={"bank_code": "0990", "limit": 500}).json()["accounts"]
                     if a["customer_kind"] == "individual" and a["status"] == "active")
        connector = create_connector(admin, **{"class": "self-use", "customer_id": payer["customer_id"]})
    token = client_credentials(live.url, connector)["access_token"]
    request = {"accountKey": payer["id"], "items": [{
        "seqNo": 1, "bankCode": "0990", "branchCode": payee["branch_code"], "accountType": payee["account_type"],
        "accountNumber": payee["account_number"], "payeeName": payee["holder_kana"], "amount": 4321}]}
    ran = subprocess.run([str(python), "-c", _TRANSFER_SCRIPT, f"{live.url}/banks/shirakaba", token, json.dumps(request)],
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    answer = json.loads(ran.stdout)
    assert Path(answer["module"]).is_relative_to(venv), answer["module"]  # the installed package, not the folder
    assert answer["status"] == 202 and answer["body"]["acceptedCount"] == 1, answer
    item = answer["body"]["results"][0]
    assert item["itemStatus"] == "OK" and item["status"] == "3" and item["fee"] == 385, item

    with live.admin() as admin:
        after = {a["id"]: a["balance"] for code in ("0993", "0990") for a in admin.get(
            "/sandbox/v1/workspaces/default/accounts", params={"bank_code": code, "limit": 500}).json()["accounts"]}
    assert after[payer["id"]] == payer["balance"] - 4321 - 385
    assert after[payee["id"]] == payee["balance"] + 4321
    assert live.workspaces.verify("default") == []
