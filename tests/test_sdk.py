"""`bank-sandbox sdk python`: every bank's typed client pip-installs into a fresh virtualenv and moves money.

The clients are generated once for the module, by the `sdk python` command run in this process (click's
runner; the generator itself is its own process), against the live server's URL, and installed by pip,
from their folders, into one new virtualenv; each bank's test then runs a small program in that
virtualenv which gets a real OAuth token through the client's own helper and pays through the client,
at the base URL it was generated for (no URL is passed at run time).

The new virtualenv sees this one's packages (the clients' dependencies, pip, and poetry-core, the build
backend the generated projects name), so one pip call builds and installs the five clients without an
index: the test checks the packages, not a download.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from oauth_flows import REDIRECT, REGISTRATION, create_connector, third_party_token
from sandbox.cli import main

BIN = Path(sys.executable).parent / "bank-sandbox"
LIVE_SERVER = {"open_access": False}
AMOUNT = 4321
MOUNTS = {"hub": "/hub/v1"}  # the others are served at /banks/<slug>
ACCOUNT_TYPE_NAMES = {"1": "ordinary", "2": "current", "4": "savings", "9": "other"}
# Banks whose payments take a customer's own token (authorization code with PKCE): the scopes asked for.
# The others are paid by a company's self-use connector, whose token the client fetches itself.
CUSTOMER_TOKEN_SCOPES = {"hoshizora": "accounts payments"}

# Each bank's payment through its own client: `client`, `payer`, `payee`, `amount` and `key` are given,
# `answer` is the Response that moved the money. The payer banks with the bank (for the hub, with 楓銀行);
# the payee banks elsewhere in the sandbox. Each entry: the payer's bank code, the status of the answer,
# where the answer says the fee, and the program.
PAYMENTS = {
    "hub": ("0990", 201, lambda body: body["fee"], """
from hub_client.api.transfers import create_transfer
from hub_client.models import TransferRequest
answer = create_transfer.sync_detailed(client=client, idempotency_key=key, body=TransferRequest.from_dict({
    "from_account_id": payer["id"], "amount": amount,
    "to": {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"], "account_type": payee["account_type"],
           "account_number": payee["account_number"], "name": payee["holder_kana"]}}))
"""),
    "kaede": ("0990", 202, lambda body: int(body["totalFee"]), """
from kaede_client.api.transfers import request_transfer
from kaede_client.models import TransferRequest
answer = request_transfer.sync_detailed(client=client, idempotency_key=key, body=TransferRequest.from_dict({
    "accountId": payer["id"],
    "transfers": [{"itemId": "1", "transferAmount": str(amount), "beneficiaryBankCode": payee["bank_code"],
                   "beneficiaryBranchCode": payee["branch_code"], "accountTypeCode": payee["account_type"],
                   "accountNumber": payee["account_number"], "beneficiaryName": payee["holder_kana"]}]}))
"""),
    "tsubame": ("0991", 201, lambda body: body["fee"], """
from tsubame_client.api.transfers import create_transfer
from tsubame_client.models import TransferRequest
answer = create_transfer.sync_detailed(client=client, idempotency_key=key, body=TransferRequest.from_dict({
    "source_account_id": payer["id"], "amount": amount,
    "payee": {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"],
              "account_type": payee["account_type_name"], "account_number": payee["account_number"],
              "name": payee["holder_kana"]}}))
"""),
    "hoshizora": ("0992", 201, lambda body: int(body["Data"]["Charges"][0]["Amount"]["Amount"]), """
from hoshizora_client.api.domestic_payment_consents import create_domestic_payment_consent
from hoshizora_client.api.domestic_payments import create_domestic_payment
from hoshizora_client.models import DomesticPaymentConsentRequest, DomesticPaymentRequest
initiation = {
    "InstructionIdentification": "SDK-1", "EndToEndIdentification": "SDK-E2E-1",
    "InstructedAmount": {"Amount": str(amount), "Currency": "JPY"},
    "DebtorAccount": {"SchemeName": "JP.HSZ.AccountId", "Identification": payer["id"]},
    "CreditorAccount": {"SchemeName": "JP.Zengin", "Name": payee["holder_kana"], "Identification":
        f"{payee['bank_code']}-{payee['branch_code']}-{payee['account_type']}-{payee['account_number']}"}}
# Open Banking: the connector registers the consent with its own client-credentials token; the payment
# goes with the token the customer granted.
connector = package.connect(client_id=given["client_id"], client_secret=given["client_secret"])
consent = create_domestic_payment_consent.sync_detailed(
    client=connector, x_idempotency_key="consent-" + key,
    body=DomesticPaymentConsentRequest.from_dict({"Data": {"Initiation": initiation}, "Risk": {}}))
assert consent.status_code == 201, consent.content
answer = create_domestic_payment.sync_detailed(client=client, x_idempotency_key=key, body=DomesticPaymentRequest.from_dict(
    {"Data": {"ConsentId": consent.parsed.data.consent_id, "Initiation": initiation}, "Risk": {}}))
"""),
    "shirakaba": ("0993", 202, lambda body: body["results"][0]["fee"], """
from shirakaba_client.api.振込 import request_transfers
from shirakaba_client.models import TransferRequest
answer = request_transfers.sync_detailed(client=client, idempotency_key=key, body=TransferRequest.from_dict({
    "accountKey": payer["id"],
    "items": [{"seqNo": 1, "bankCode": payee["bank_code"], "branchCode": payee["branch_code"],
               "accountType": payee["account_type"], "accountNumber": payee["account_number"],
               "payeeName": payee["holder_kana"], "amount": amount}]}))
"""),
}

_PROGRAM = """
import importlib, json, sys
given = json.loads(sys.argv[1])
package = importlib.import_module(given["package"])
if given.get("token"):
    client = package.connect(given["token"])
else:
    client = package.connect(client_id=given["client_id"], client_secret=given["client_secret"])
payer, payee, amount, key = given["payer"], given["payee"], given["amount"], given["key"]
{payment}
print(json.dumps({{"module": package.__file__, "base_url": client._base_url, "status": answer.status_code,
                  "body": json.loads(answer.content)}}, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def clients(live, tmp_path_factory):
    """Every bank's client, generated against the live server and pip-installed into one fresh virtualenv."""
    root = tmp_path_factory.mktemp("sdk")
    for slug in PAYMENTS:
        generated = CliRunner().invoke(main, ["sdk", "python", "--bank", slug, "--out", str(root / slug),
                                              "--base-url", live.url, "--data-dir", str(root / "data")])
        assert generated.exit_code == 0, f"{slug}: {generated.output} {generated.exception!r}"
        assert f"import {slug}_client" in generated.output, generated.output
    fresh = root / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-index",
                                "--no-deps", "--no-build-isolation", *(str(root / slug) for slug in PAYMENTS)],
                               capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return root, fresh, python


def _accounts(admin, bank_code: str) -> list[dict]:
    answer = admin.get("/sandbox/v1/workspaces/default/accounts", params={"bank_code": bank_code, "limit": 500})
    return [a for a in answer.json()["accounts"] if a["status"] == "active"]


@pytest.mark.slow
@pytest.mark.parametrize("slug", sorted(PAYMENTS))
def test_sdk_client_installed_by_pip_moves_money(live, clients, slug):
    root, fresh, python = clients
    bank_code, status, fee_of, payment = PAYMENTS[slug]
    other = "0991" if bank_code == "0990" else "0990"
    scope = CUSTOMER_TOKEN_SCOPES.get(slug)
    with live.admin() as admin:
        payer = max((a for a in _accounts(admin, bank_code) if a["account_type"] == "1"
                     and a["customer_kind"] == ("individual" if scope else "corporate")), key=lambda a: a["balance"])
        payee = next(a for a in _accounts(admin, other) if a["customer_kind"] == "individual" and a["account_type"] == "1")
        payee["account_type_name"] = ACCOUNT_TYPE_NAMES[payee["account_type"]]
        if scope:
            connector = create_connector(admin, **{"class": "third-party", "registration_number": REGISTRATION,
                                                   "redirect_uris": [REDIRECT]})
        else:
            connector = create_connector(admin, **{"class": "self-use", "customer_id": payer["customer_id"]})
    given = {"package": f"{slug}_client", "client_id": connector["client_id"], "client_secret": connector["client_secret"],
             "payer": payer, "payee": payee, "amount": AMOUNT, "key": f"sdk-{slug}-1"}
    if scope:  # the customer signs in and consents on the bank's pages; Authlib exchanges the code
        given["token"] = third_party_token(live.url, connector, payer["customer_id"], scope)["access_token"]
    ran = subprocess.run([str(python), "-c", _PROGRAM.format(payment=payment), json.dumps(given)],
                         capture_output=True, text=True, timeout=120, cwd=root)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    answer = json.loads(ran.stdout)
    assert Path(answer["module"]).is_relative_to(fresh), answer["module"]  # the installed package, not the folder
    assert answer["base_url"] == f"{live.url}{MOUNTS.get(slug, f'/banks/{slug}')}"  # --base-url took effect
    assert answer["status"] == status, answer

    with live.admin() as admin:
        after = {a["id"]: a["balance"] for code in (bank_code, other) for a in _accounts(admin, code)}
    assert after[payee["id"]] == payee["balance"] + AMOUNT
    assert payer["balance"] - after[payer["id"]] == AMOUNT + fee_of(answer["body"]) > AMOUNT  # and the bank's fee
    assert live.workspaces.verify("default") == []


def test_sdk_readme_says_where_the_bank_is_and_how_to_get_a_token(live, clients):
    root, _, _ = clients
    readme = (root / "kaede" / "README.md").read_text(encoding="utf-8")
    assert f"`{live.url}/banks/kaede`" in readme and f"{live.url}/oauth/token" in readme
    assert "grant_type=client_credentials" in readme and "connect(client_id=" in readme and "PKCE" in readme
    assert "`kaede_client.api.transfers.request_transfer` | 振込依頼" in readme
    assert "pip install" in readme


def test_sdk_for_an_unknown_bank_is_a_usage_error(tmp_path):
    result = subprocess.run([str(BIN), "sdk", "python", "--bank", "nope", "--out", str(tmp_path / "x")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "hub" in result.stderr and "Traceback" not in result.stderr


def test_sdk_for_a_bank_folder_given_with_specs(tmp_path):
    folder = Path(__file__).parent / "published_specs"
    generated = CliRunner().invoke(main, ["sdk", "python", "--bank", "unquoted-dates", "--specs", str(folder),
                                          "--out", str(tmp_path / "client"), "--data-dir", str(tmp_path / "data")])
    assert generated.exit_code == 0, generated.output
    assert (tmp_path / "client" / "pyproject.toml").exists()
