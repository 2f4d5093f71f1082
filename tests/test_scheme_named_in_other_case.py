"""A security requirement naming its scheme in another case than the spec declares it
(tests/published_specs/scheme-named-in-other-case/).

India's Account Aggregator specs (ReBIT's AA, FIP and FIU APIs) declare `client_api_key` and `aa_api_key` and
require `Client_api_key` and `AA_api_key`: the folder was refused as naming a scheme the document does not
declare, and no call of the API was served. The requirement is read as the one scheme it names bar the case:
the key goes in that scheme's header, and a key the sandbox never issued is the spec's 401.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from oauth_flows import self_use_token

FOLDER = Path(__file__).parent / "published_specs" / "scheme-named-in-other-case"
LIVE_SERVER = {"open_access": False, "specs": (FOLDER,)}
SENT = {"ver": "1.0", "txnid": "0b811819-9044-4856-b0ee-8c88035f8858"}


def test_the_api_is_served_and_takes_the_key_in_the_declared_schemes_header(live, admin):
    token = self_use_token(live.url, admin)
    with httpx.Client(base_url=f"{live.url}/banks/scheme-named-in-other-case", timeout=30) as client:
        sent = client.post("/Parcel", json=SENT, headers={"partner_api_key": token})
        assert sent.status_code == 200, sent.text
        assert sent.json()["txnid"] == SENT["txnid"], sent.text
        forged = client.post("/Parcel", json=SENT, headers={"partner_api_key": "made-up"})
        assert forged.status_code == 401 and "errorCode" in forged.json(), forged.text
        assert client.post("/Parcel", json=SENT).status_code == 401


def test_check_says_which_scheme_it_read():
    from sandbox.bindings.check import check_folders

    text = repr(check_folders([FOLDER]))
    assert "names the security scheme 'Partner_api_key', which the document declares as 'partner_api_key'" in text, text
