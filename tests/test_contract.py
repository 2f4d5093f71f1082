"""What a connector developer reads in a spec holds over real HTTP.

Defaults a spec declares apply when a client leaves the field out; an answer that never came says so
(status, body, Retry-After and the request log agree, as `gateway_timeout`, in every dialect); a
suspended connector asking for a token is told it is suspended, by whom and why; optional query
filters carry no example Swagger UI would fill in as a value; the hub's text says tokens are needed.
"""

from __future__ import annotations

import json

import httpx
import pytest
import yaml
from authlib.integrations.base_client.errors import OAuthError

from oauth_flows import bearer, client_credentials, create_connector
from sandbox.bindings import load_bank
from sandbox.bindings.fallback import deref
from sandbox.bindings.runner import Reply
from sandbox.http import scenarios as scenario_stage
from sandbox.resources import data_dir

LIVE_SERVER = {"open_access": False}
V1 = "/sandbox/v1"
BANKS = sorted(p.name for p in data_dir("specs").iterdir() if (p / "binding.yaml").exists())


@pytest.fixture(scope="module")
def company(admin, live):
    """A self-use connector of a corporate customer of 楓銀行, its token and first account, and a payee."""
    accounts = admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    mine = next(a for a in accounts if a["customer_kind"] == "corporate" and a["bank_code"] == "0990")
    payee = next(a for a in accounts if a["bank_code"] == "0991" and a["account_type"] == "1" and a["status"] == "active")
    connector = create_connector(admin, **{"class": "self-use", "customer_id": mine["customer_id"]})
    return {"connector": connector, "token": client_credentials(live.url, connector), "account": mine, "payee": payee}


def _balance(admin, account_id: str) -> int:
    return admin.get(f"{V1}/workspaces/default/accounts/{account_id}").json()["balance"]


def _hub_transfer(live, company, key: str, amount: int = 1000) -> httpx.Response:
    payee = company["payee"]
    return httpx.post(f"{live.url}/hub/v1/transfers", headers={**bearer(company["token"]), "Idempotency-Key": key},
                      json={"from_account_id": company["account"]["id"], "amount": amount,
                            "to": {"bank_code": payee["bank_code"], "branch_code": payee["branch_code"],
                                   "account_number": payee["account_number"], "name": payee["holder_kana"]}},
                      timeout=30)


def test_spec_defaults_apply_when_the_client_leaves_the_field_out(admin, live, company):
    before = _balance(admin, company["payee"]["id"])
    paid = _hub_transfer(live, company, "defaults-1")  # no to.account_type: the spec's default "1" applies
    assert paid.status_code == 201, paid.text
    assert paid.json()["to"]["account_type"] == "1" and paid.json()["status"] == "executed"
    assert _balance(admin, company["payee"]["id"]) == before + 1000


def test_lost_response_status_body_header_and_log_agree(admin, live, company):
    assert admin.post(f"{V1}/workspaces/default/scenarios", json={"pack": "lost-response"}).status_code == 201
    before = _balance(admin, company["account"]["id"])
    lost = _hub_transfer(live, company, "lost-1")
    try:
        assert lost.status_code == 504, lost.text
        body = lost.json()
        assert body["status"] == 504 and body["code"] == "gateway_timeout", body
        assert "maintenance" not in json.dumps(body)
        assert int(lost.headers["retry-after"]) >= 1
        assert _balance(admin, company["account"]["id"]) < before  # the money moved; only the answer was lost
        logged = admin.get(f"{V1}/workspaces/default/requests", params={"status": 504}).json()["requests"][0]
        assert logged["error_code"] == "gateway_timeout", logged
        paid = _balance(admin, company["account"]["id"])
        again = _hub_transfer(live, company, "lost-1")  # the retry answers the transfer that was made
        assert again.status_code == 201 and again.json()["status"] == "executed", again.text
        assert _balance(admin, company["account"]["id"]) == paid
    finally:
        admin.delete(f"{V1}/workspaces/default/scenarios")


@pytest.mark.parametrize("slug", BANKS)
def test_lost_response_every_bank_words_it_as_a_timeout(slug):
    api = load_bank(data_dir("specs") / slug)
    document = {"path": {}, "query": {}, "headers": {}, "body": None, "bank": None, "workspace": "default",
                "connector": None, "now": "2026-11-05T10:00:00+09:00", "today": "2026-11-05", "interaction_id": "x",
                "operation_id": None}
    plan = scenario_stage.Plan(fail_after={"type": "commit_then_fail", "status": 504})
    reply = scenario_stage.after(api, plan, Reply(201, {"done": True}, {}), document)
    assert reply.status == 504 and reply.error_code == "gateway_timeout"
    assert reply.headers["Retry-After"] == "1"
    text = json.dumps(reply.body, ensure_ascii=False)
    assert "503" not in text and "aintenance" not in text and "メンテナンス" not in text, text


def test_suspended_connector_asking_for_a_token_is_told_it_is_suspended(admin, live, company):
    accounts = admin.get(f"{V1}/workspaces/default/accounts", params={"limit": 500}).json()["accounts"]
    other = next(a for a in accounts if a["customer_kind"] == "corporate" and a["customer_id"] != company["account"]["customer_id"])
    stopped = create_connector(admin, **{"class": "self-use", "customer_id": other["customer_id"]})
    admin.post(f"{V1}/connectors/{stopped['id']}/suspend", json={"reason": "duplicate payments"})
    with pytest.raises(OAuthError) as refused:
        client_credentials(live.url, stopped)
    assert refused.value.error == "invalid_client"
    assert "suspended" in refused.value.description and "bank staff" in refused.value.description
    assert "duplicate payments" in refused.value.description
    # Without the secret, nothing is told: the ordinary refusal.
    with pytest.raises(OAuthError) as guessed:
        client_credentials(live.url, {**stopped, "client_secret": "guess"})
    assert "suspended" not in (guessed.value.description or "")


def _optional_query_parameters(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
                parameter = deref(spec, parameter)
                if parameter.get("in") == "query" and not parameter.get("required"):
                    yield f"{method.upper()} {path} {parameter['name']}", parameter, deref(spec, parameter.get("schema") or {})


@pytest.mark.parametrize("slug", sorted(p.name for p in data_dir("specs").iterdir() if (p / "openapi.yaml").exists()))
def test_spec_optional_filters_carry_no_example_swagger_ui_would_fill_in(slug):
    spec = yaml.safe_load((data_dir("specs") / slug / "openapi.yaml").read_text(encoding="utf-8"))
    filled = [where for where, parameter, schema in _optional_query_parameters(spec)
              if {"example", "examples"} & (set(parameter) | set(schema))]
    assert filled == []


def test_spec_hub_says_calls_need_a_token():
    description = yaml.safe_load((data_dir("specs") / "hub" / "openapi.yaml").read_text(encoding="utf-8"))["info"]["description"]
    assert "let through" not in description.split("SANDBOX_OPEN_ACCESS")[0]
    assert "Every call needs an OAuth 2.0 access token" in description
