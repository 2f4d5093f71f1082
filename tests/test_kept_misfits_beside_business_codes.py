"""A body that does not fit its schema is refused with a code that can say so
(tests/published_specs/misfits-beside-business-codes/): where an operation declares a 400 of free-text codes and a
422 of business codes, the misfit is the 400's; where it declares only the 422, its code for any other error.
Brazil's consents answered an `expirationDateTime` longer than its maxLength 422 `PERMISSOES_PJ_INCORRETAS`, a code
about business permissions."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "misfits-beside-business-codes",)}
TOO_LONG = {"expires_at": "2027-05-21T08:30:00Z" + "x" * 30}


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "misfits-beside-business-codes")


def test_a_misfit_is_the_400_of_free_text_codes_not_a_business_rule(client):
    refused = client.post("/mandates", json=TOO_LONG)
    assert refused.status_code == 400, refused.text
    assert refused.json()["errors"][0]["code"] not in ("SIGNATORIES_MISSING", "COMPANY_LIMITS_INCORRECT")


def test_a_misfit_where_only_business_codes_are_declared_is_any_other_error(client):
    refused = client.post("/mandates/mdt_1/renewals", json=TOO_LONG)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == "OTHER_REASON"
