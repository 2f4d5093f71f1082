"""A DELETE of a resource's own path that answers the resource, documenting no example (Stripe's
`DELETE /v1/subscriptions/{subscription_exposed_id}`), leaves it in the withdrawn state its enum has
(`canceled`), read back so: the verb was read from the path parameter's name, named no state, and the
subscription stayed `active` (tests/published_specs/withdrawn-by-delete/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "withdrawn-by-delete",)}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "withdrawn-by-delete")


def test_a_delete_answering_the_resource_leaves_it_canceled(client):
    for member in ("ada", "bob", "cy"):
        made = client.post("/memberships", json={"member": member}).json()
        ended = client.delete(f"/memberships/{made['id']}")
        assert ended.status_code == 200 and ended.json()["status"] == "canceled", ended.text
        assert ended.json()["member"] == member
        read = client.get(f"/memberships/{made['id']}")
        assert read.status_code == 200 and read.json()["status"] == "canceled", read.text
