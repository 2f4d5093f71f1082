"""A bound transfer through a Swagger 2.0 bank against the same transfer through kaede, in one server.

    .venv/bin/python bench/swagger_bank_bench.py [--seconds 10] [--connections 16] [--rounds 2]

Writes a bank folder `kaede-swagger` beside nothing else: kaede's transfer request as a Swagger 2.0
spec (`application/json;charset=UTF-8` bodies, an oauth2 `application` flow, the body parameter
referring to a second file of definitions built from kaede's own schemas) with kaede's binding for
that operation. Serves it with `bank-sandbox serve --specs` next to the shipped kaede (open access,
the clock frozen at a business-day 10:00 so transfers execute at once) and drives the same one-yen
transfer through both with wrk (each request a fresh Idempotency-Key). Prints requests/s and p50/p99
for each and the ratio (target: the Swagger 2.0 bank within 10% of kaede).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import yaml

from http_bench import fill, free_port, stop, wait, wrk

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = "bench-token-" + "x" * 32
PATH = "/corporation/v1/transfer/request"
TRANSFER = {
    "accountId": "{payer[id]}",
    "transfers": [{"transferAmount": "1", "beneficiaryBankCode": "{payee[bank_code]}",
                   "beneficiaryBranchCode": "{payee[branch_code]}", "accountTypeCode": "{payee[account_type]}",
                   "accountNumber": "{payee[account_number]}", "beneficiaryName": "{payee[holder_kana]}"}],
}


def swagger_folder(root: Path) -> Path:
    """kaede's transfer request, as a bank publishing Swagger 2.0 would write it."""
    kaede = ROOT / "specs" / "kaede"
    spec = yaml.safe_load((kaede / "openapi.yaml").read_text(encoding="utf-8"))
    folder = root / "kaede-swagger"
    folder.mkdir(parents=True)
    # kaede's schemas as a definitions file of their own: Swagger 2.0 says x-nullable for nullable.
    text = yaml.safe_dump(spec["components"]["schemas"], allow_unicode=True)
    text = text.replace("#/components/schemas/", "#/").replace("nullable: true", "x-nullable: true")
    (folder / "definitions.yaml").write_text(text, encoding="utf-8")
    swagger = {
        "swagger": "2.0",
        "info": {"title": "楓銀行 振込API (Swagger 2.0)", "version": "1.0"},
        "basePath": "/",
        "consumes": ["application/json;charset=UTF-8"],
        "produces": ["application/json;charset=UTF-8"],
        "securityDefinitions": {"kaedeOAuth": {"type": "oauth2", "flow": "application", "tokenUrl": "/oauth/token",
                                               "scopes": {"kaede:transfers.write": "振込 (transfers)"}}},
        "paths": {PATH: {"post": {
            "operationId": "requestTransfer",
            "security": [{"kaedeOAuth": ["kaede:transfers.write"]}],
            "parameters": [
                {"name": "Idempotency-Key", "in": "header", "required": True, "type": "string", "minLength": 1, "maxLength": 255},
                {"name": "body", "in": "body", "required": True, "schema": {"$ref": "definitions.yaml#/TransferRequest"}},
            ],
            "responses": {
                "202": {"description": "accepted", "schema": {"$ref": "definitions.yaml#/TransferRequestResponse"}},
                "400": {"description": "refused", "schema": {"$ref": "definitions.yaml#/Error"}},
            },
        }}},
    }
    (folder / "swagger.yaml").write_text(yaml.safe_dump(swagger, allow_unicode=True), encoding="utf-8")
    binding = yaml.safe_load((kaede / "binding.yaml").read_text(encoding="utf-8"))
    binding["operations"] = {"requestTransfer": binding["operations"]["requestTransfer"]}
    binding["mount"] = "/banks/kaede-swagger"
    (folder / "binding.yaml").write_text(yaml.safe_dump(binding, allow_unicode=True), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="swagger-bench-"))
    swagger_folder(work / "specs")
    port = free_port()
    env = {**os.environ, "SANDBOX_ADMIN_TOKEN": TOKEN, "SANDBOX_OPEN_ACCESS": "1"}
    server = subprocess.Popen([str(BIN / "bank-sandbox"), "serve", "--port", str(port), "--data-dir", str(work / "data"),
                               "--specs", str(work / "specs"), "--strict", "--clock", "2026-11-05T10:00:00+09:00"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait(f"{base}/healthz")
        accounts = httpx.get(f"{base}/sandbox/v1/workspaces/default/accounts", params={"limit": 500},
                             headers={"Authorization": f"Bearer {TOKEN}"}).json()["accounts"]
        payer = max((a for a in accounts if a["bank_code"] == "0990" and a["customer_kind"] == "corporate"),
                    key=lambda a: a["balance"])
        payee = next(a for a in accounts if a["bank_code"] != "0990" and a["customer_kind"] == "individual")
        body = fill(TRANSFER, {"payer": payer, "payee": payee})
        results = {}
        # Alternating rounds, the best of each: on a shared machine the first minutes are the noisiest.
        for _ in range(args.rounds):
            for name, mount in (("kaede", "/banks/kaede"), ("kaede-swagger", "/banks/kaede-swagger")):
                check = httpx.post(f"{base}{mount}{PATH}", json=body, headers={"Idempotency-Key": f"check-{name}"})
                if check.status_code != 202:
                    raise SystemExit(f"{name}: answered {check.status_code} {check.text[:300]}")
                figures = wrk(f"{base}{mount}{PATH}", "POST", body, args.seconds, args.connections, work)
                if name not in results or figures["rps"] > results[name]["rps"]:
                    results[name] = figures
        print(f"one server, {args.connections} connections, {args.seconds} s each, 2 wrk threads, 127.0.0.1")
        print(f"{'bank':<14} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        for name, figures in results.items():
            print(f"{name:<14} {figures['rps']:>9.0f} {figures['p50_ms']:>8.1f} {figures['p99_ms']:>8.1f} {figures['non_2xx']:>8}")
        ratio = results["kaede-swagger"]["rps"] / results["kaede"]["rps"]
        print(f"Swagger 2.0 / kaede = {ratio:.2f}x (target: within 10%)")
    finally:
        stop([server])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
