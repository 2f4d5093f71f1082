"""A billing API in Zuora's manner (tests/published_specs/uuid-client-ids), driven over HTTP as its SDK drives it.

Zuora's spec takes a client id of exactly 36 characters and a secret of at most 42 at its own token operation, and
its SDK checks both before it sends: the sandbox's `cn_` ids and 43-character secrets could get no token there.
Each connector's id is also written as a UUID (`client_id_uuid`), which every bank takes, and secrets are 40
characters. Its answers declare their examples under `application/json` and their schemas under
`application/json; charset=utf-8`: read as two bodies, the schema was lost and the token operation was not one.
Its rate-limit headers are typed as numbers, and its SDK reads them with `int()`."""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import httpx
import pytest

from sandbox.governance.connectors import from_uuid_form, uuid_form

LIVE_SERVER = {"open_access": False, "specs": (Path(__file__).parent / "published_specs" / "uuid-client-ids",)}
MOUNT = "/banks/uuid-client-ids"


@pytest.fixture
def connector(third_party):
    return third_party


@pytest.fixture
def client(live_client):
    return live_client


def token(client: httpx.Client, client_id: str, secret: str) -> httpx.Response:
    return client.post(f"{MOUNT}/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                     "client_secret": secret})


def test_the_uuid_form_of_a_client_id_reads_back_and_nothing_else_does():
    for _ in range(500):
        connector_id = "cn_" + secrets.token_hex(8)
        written = uuid_form(connector_id)
        assert uuid.UUID(written).version == 8 and uuid.UUID(written).variant == uuid.RFC_4122 and len(written) == 36
        assert from_uuid_form(written) == from_uuid_form(written.upper()) == connector_id
    assert from_uuid_form(str(uuid.uuid4())) is None and from_uuid_form("x" * 36) is None and from_uuid_form(7) is None
    assert uuid_form("cn_short") is None and uuid_form("tok_0123456789abcdef") is None
    # a digit of the UUID changed is no connector's
    written = uuid_form("cn_0123456789abcdef")
    assert from_uuid_form(written[:-1] + ("0" if written[-1] != "0" else "1")) is None


def test_a_uuid_client_id_and_a_short_secret_get_a_token_the_bank_takes(client, connector):
    assert len(connector["client_secret"]) <= 42
    assert connector["client_id_uuid"] == uuid_form(connector["client_id"])
    # (the sandbox's own id is taken there too, past the spec's bound: it is the SDK that checks before it sends)
    assert token(client, connector["client_id"], connector["client_secret"]).status_code == 200
    answer = token(client, connector["client_id_uuid"], connector["client_secret"])
    assert answer.status_code == 200, answer.text
    access = answer.json()["access_token"]
    assert answer.json()["token_type"].lower() == "bearer" and answer.json()["expires_in"] > 0
    secret = connector["client_secret"]
    wrong = token(client, connector["client_id_uuid"], secret[:-1] + ("x" if secret[-1] != "x" else "y"))
    assert wrong.status_code == 401, wrong.text
    stranger = token(client, str(uuid.uuid4()), secret)  # (a UUID that is no connector's: unknown, as any id)
    assert stranger.status_code == 401, stranger.text
    # a payment made with the token is kept, read back as made, and checked against the schema the second spelling
    # declares (an amount of nothing is refused)
    headers = {"Authorization": f"Bearer {access}"}
    made = client.post(f"{MOUNT}/v1/payments", json={"accountId": "acc-9", "amount": 12.5}, headers=headers)
    assert made.status_code == 200, made.text
    read = client.get(f"{MOUNT}/v1/payments/{made.json()['id']}", headers=headers)
    assert (read.json()["accountId"], read.json()["amount"]) == ("acc-9", 12.5), read.text
    assert client.post(f"{MOUNT}/v1/payments", json={"accountId": "acc-9", "amount": 0}, headers=headers).status_code == 400
    # the sandbox's own token endpoint takes the UUID form too, in HTTP Basic
    basic = client.post("/oauth/token", data={"grant_type": "client_credentials"},
                        auth=(connector["client_id_uuid"], connector["client_secret"]))
    assert basic.status_code == 200, basic.text


def test_rate_limit_headers_are_whole_numbers_once_each_and_the_plans_own(client, connector):
    access = token(client, connector["client_id_uuid"], connector["client_secret"]).json()["access_token"]
    answer = client.post(f"{MOUNT}/v1/payments", json={"accountId": "acc-1", "amount": 3},
                         headers={"Authorization": f"Bearer {access}"})
    assert answer.status_code == 200, answer.text
    for name in ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"):
        values = answer.headers.get_list(name)
        assert len(values) == 1 and values[0].isdigit(), (name, values)
    assert int(answer.headers["ratelimit-remaining"]) < int(answer.headers["ratelimit-limit"])
    # a declared `X-` kind says the same count
    assert answer.headers.get_list("x-ratelimit-remaining-minute") == answer.headers.get_list("ratelimit-remaining")
    issued = token(client, connector["client_id_uuid"], connector["client_secret"])
    assert issued.headers["x-ratelimit-remaining-minute"].isdigit(), issued.headers
    public = client.get(f"{MOUNT}/v1/payments/{answer.json()['id']}")  # no plan limits an anonymous call
    assert all(public.headers[name].isdigit() for name in ("ratelimit-remaining", "ratelimit-reset")), public.headers
