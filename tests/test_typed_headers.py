"""Request headers whose schema types them (boolean, integer) are read as that type, as query and path
values are: NextGenPSD2's `TPP-Redirect-Preferred: true` was refused as "'true' is not of type 'boolean'"."""

from __future__ import annotations

from pathlib import Path

import httpx

FOLDER = Path(__file__).parent / "published_specs"
LIVE_SERVER = {"specs": (FOLDER / "typed-headers",)}
URL = "/banks/typed-headers/consents"


def _post(live, headers):
    return httpx.post(f"{live.url}{URL}", json={}, headers=headers, timeout=30)


def test_a_boolean_and_an_integer_header_are_taken_as_their_types(live):
    for headers in ({"Redirect-Preferred": "true"}, {"Redirect-Preferred": "false"}, {"Frequency": "4"}):
        answer = _post(live, headers)
        assert answer.status_code == 201, (headers, answer.text)


def test_a_header_that_is_not_its_type_is_still_refused(live):
    for headers in ({"Redirect-Preferred": "maybe"}, {"Frequency": "four"}, {"Frequency": "0"}):
        answer = _post(live, headers)
        assert answer.status_code == 400, (headers, answer.text)
        assert "Redirect-Preferred" in answer.text or "Frequency" in answer.text
