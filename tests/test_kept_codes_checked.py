"""A code checked against a resource made to wait for one (tests/published_specs/codes-checked: `POST
.../ChallengeCheck` with `Code` beside the challenge's `Recipient` or `ChallengeSid`, as Twilio Verify's
`VerificationCheck` takes `Code` beside `To` or `VerificationSid`). Drawn, every check answered the example's id and
`approved`, whatever code it was sent, and the challenge was read back `pending`. The sandbox's test code (123456)
approves the challenge named; any other leaves it pending; one waiting for none is not found."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "codes-checked",)}
TEST_CODE = "123456"


@pytest.fixture(scope="module")
def client(live):
    yield from bank_client(live, "codes-checked")


def _door(n: int) -> str:
    return f"/v1/Doors/DR{n:032x}"


def _challenge(client, door: str, recipient: str, medium: str = "sms") -> dict:
    made = client.post(f"{door}/Challenges", data={"Recipient": recipient, "Medium": medium})
    assert made.status_code == 201 and made.json()["status"] == "pending", made.text
    return made.json()


def test_a_wrong_code_answers_the_challenge_still_pending(client):
    door = _door(1)
    made = _challenge(client, door, "+15550002222")
    checked = client.post(f"{door}/ChallengeCheck", data={"Recipient": "+15550002222", "Code": "000000"})
    assert checked.status_code == 201, checked.text
    body = checked.json()
    assert (body["sid"], body["recipient"], body["medium"], body["status"], body["valid"]) == (
        made["sid"], "+15550002222", "sms", "pending", False), body
    assert client.get(f"{door}/Challenges/{made['sid']}").json()["status"] == "pending"


def test_the_test_code_approves_the_challenge_named_by_its_recipient_and_it_is_read_approved(client):
    door = _door(2)
    made = _challenge(client, door, "+15550003333")
    checked = client.post(f"{door}/ChallengeCheck", data={"Recipient": "+15550003333", "Code": TEST_CODE}).json()
    assert (checked["sid"], checked["recipient"], checked["medium"], checked["status"], checked["valid"]) == (
        made["sid"], "+15550003333", "sms", "approved", True), checked
    read = client.get(f"{door}/Challenges/{made['sid']}").json()
    assert (read["status"], read["valid"]) == ("approved", True), read
    # approved, it waits for no code: checked again, it is not found
    again = client.post(f"{door}/ChallengeCheck", data={"Recipient": "+15550003333", "Code": TEST_CODE})
    assert again.status_code == 404, again.text


def test_the_test_code_approves_the_challenge_named_by_its_id(client):
    door = _door(3)
    first = _challenge(client, door, "a@example.com", "email")
    other = _challenge(client, door, "b@example.com", "email")
    checked = client.post(f"{door}/ChallengeCheck", data={"ChallengeSid": first["sid"], "Code": TEST_CODE}).json()
    assert (checked["sid"], checked["recipient"], checked["status"]) == (first["sid"], "a@example.com", "approved")
    assert client.get(f"{door}/Challenges/{other['sid']}").json()["status"] == "pending"


def test_a_check_naming_no_challenge_waiting_is_not_found(client):
    door = _door(4)
    _challenge(client, door, "+15550004444")
    assert client.post(f"{door}/ChallengeCheck", data={"Recipient": "+15559999999", "Code": TEST_CODE}).status_code == 404


def test_a_check_naming_no_challenge_is_refused(client):
    door = _door(5)
    made = _challenge(client, door, "+15550005555")
    refused = client.post(f"{door}/ChallengeCheck", data={"Code": TEST_CODE})
    assert refused.status_code == 400, refused.text
    assert client.get(f"{door}/Challenges/{made['sid']}").json()["status"] == "pending"
