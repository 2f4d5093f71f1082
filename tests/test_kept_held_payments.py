"""Payments held by the order they pay (tests/published_specs/payments-held-by-orders/): a refund made under a
capture starts in its enum's success state; a resource's HATEOAS links point at the sandbox, at its own id; an
authorization fully captured is captured and voided no more (422, `details` filled); and a basket holding the
lists of authorizations, captures and refunds answers their current states, those made under them too."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_server import bank_client

LIVE_SERVER = {"specs": (Path(__file__).parent / "published_specs" / "payments-held-by-orders",)}


@pytest.fixture(scope="module")
def shop(live):
    yield from bank_client(live, "payments-held-by-orders")


def _money(value: str) -> dict:
    return {"currency_code": "EUR", "value": value}


def _basket(shop, intent: str) -> dict:
    made = shop.post("/v9/baskets", json={"intent": intent, "lots": [{"amount": _money("100.00")}]}).json()
    return shop.post(f"/v9/baskets/{made['id']}/{intent.lower()}").json()


def _payments(basket: dict) -> dict:
    return basket["lots"][0]["payments"]


def test_a_refund_made_under_a_capture_starts_completed(shop):
    capture = _payments(_basket(shop, "CAPTURE"))["captures"][0]
    refund = shop.post(f"/v9/payments/captures/{capture['id']}/refund", json={"amount": _money("40.00")})
    assert refund.status_code == 201 and refund.json()["status"] == "COMPLETED"
    assert shop.get(f"/v9/payments/refunds/{refund.json()['id']}").json()["status"] == "COMPLETED"


def _refused(answer) -> bool:
    return answer.status_code == 422 and {"name", "message"} <= set(answer.json())


def _issues(answer) -> list:
    return [(detail.get("issue"), bool(detail.get("description"))) for detail in answer.json().get("details") or ()]


def _captured_in_full(shop) -> str:
    authorization = _payments(_basket(shop, "AUTHORIZE"))["authorizations"][0]
    path = f"/v9/payments/authorizations/{authorization['id']}"
    assert shop.post(f"{path}/capture", json={}).json()["amount"] == _money("100.00")
    assert shop.get(path).json()["status"] == "CAPTURED"
    return path


def _voided(shop) -> str:
    authorization = _payments(_basket(shop, "AUTHORIZE"))["authorizations"][0]
    path = f"/v9/payments/authorizations/{authorization['id']}"
    assert shop.post(f"{path}/void").json()["status"] == "VOIDED"
    return path


def test_a_fully_captured_authorization_is_captured_and_voided_no_more(shop):
    path = _captured_in_full(shop)
    assert _refused(shop.post(f"{path}/capture", json={}))
    assert _refused(shop.post(f"{path}/capture", json={"amount": _money("10.00")}))
    assert _refused(shop.post(f"{path}/void"))
    assert shop.get(path).json()["status"] == "CAPTURED"


def test_a_refusal_names_its_issue_in_its_details(shop):
    captured = _captured_in_full(shop)
    assert _issues(shop.post(f"{captured}/capture", json={})) == [("AUTHORIZATION_ALREADY_CAPTURED", True)]
    assert _issues(shop.post(f"{captured}/void")) == [("PREVIOUSLY_CAPTURED", True)]
    voided = _voided(shop)
    assert _issues(shop.post(f"{voided}/void")) == [("PREVIOUSLY_VOIDED", True)]
    assert _issues(shop.post(f"{voided}/capture", json={})) == [("AUTHORIZATION_VOIDED", True)]


def _links(resource: dict) -> dict:
    return {link["rel"]: (link["href"].split("/banks/payments-held-by-orders", 1)[-1], link.get("method"))
            for link in resource["links"]}


def test_a_resource_links_to_itself_and_its_actions_here(shop):
    basket = shop.post("/v9/baskets", json={"intent": "AUTHORIZE", "lots": [{"amount": _money("100.00")}]}).json()
    own = f"/v9/baskets/{basket['id']}"
    assert _links(basket) == {"self": (own, "GET"), "authorize": (f"{own}/authorize", "POST"),
                              "capture": (f"{own}/capture", "POST")}
    authorization = _payments(shop.post(f"{own}/authorize").json())["authorizations"][0]
    path = f"/v9/payments/authorizations/{authorization['id']}"
    assert _links(shop.get(path).json()) == {"self": (path, "GET"), "capture": (f"{path}/capture", "POST"),
                                             "void": (f"{path}/void", "POST")}
    capture = shop.post(f"{path}/capture", json={}).json()
    assert _links(capture) == {"self": (f"/v9/payments/captures/{capture['id']}", "GET"),
                               "refund": (f"/v9/payments/captures/{capture['id']}/refund", "POST")}
    assert _links(shop.get(path).json()) == {"self": (path, "GET")}  # (captured in full: no more to do)
    assert all(link["href"].startswith(str(shop.base_url)) for link in shop.get(path).json()["links"])


def test_a_basket_holds_the_current_state_of_its_payments(shop):
    basket = _basket(shop, "AUTHORIZE")
    authorization = _payments(basket)["authorizations"][0]
    path = f"/v9/payments/authorizations/{authorization['id']}"
    capture = shop.post(f"{path}/capture", json={"amount": _money("60.00")}).json()
    refund = shop.post(f"/v9/payments/captures/{capture['id']}/refund", json={"amount": _money("10.00")}).json()
    held = _payments(shop.get(f"/v9/baskets/{basket['id']}").json())
    assert [(item["id"], item["status"]) for item in held["authorizations"]] == [(authorization["id"], "PARTIALLY_CAPTURED")]
    assert [(item["id"], item["status"], item["amount"]) for item in held["captures"]] == \
        [(capture["id"], "PARTIALLY_REFUNDED", _money("60.00"))]
    assert [(item["id"], item["status"]) for item in held["refunds"]] == [(refund["id"], "COMPLETED")]
    assert shop.post(f"{path}/void").status_code == 200
    held = _payments(shop.get(f"/v9/baskets/{basket['id']}").json())
    assert held["authorizations"][0]["status"] == "VOIDED" and len(held["captures"]) == 1


def test_a_captured_basket_holds_its_refunds(shop):
    basket = _basket(shop, "CAPTURE")
    capture = _payments(basket)["captures"][0]
    refund = shop.post(f"/v9/payments/captures/{capture['id']}/refund", json={}).json()
    held = _payments(shop.get(f"/v9/baskets/{basket['id']}").json())
    assert [(item["id"], item["status"]) for item in held["captures"]] == [(capture["id"], "REFUNDED")]
    assert [item["id"] for item in held["refunds"]] == [refund["id"]]


def test_a_basket_completed_is_captured_and_authorized_no_more(shop):
    """PayPal's order captured was captured again with 201, a second capture held beside the first, and its
    capture refunded in full was refunded again: each is refused 422 in the API's error form, changing nothing."""
    basket = _basket(shop, "CAPTURE")
    own = f"/v9/baskets/{basket['id']}"
    assert basket["status"] == "COMPLETED"
    for action in ("capture", "authorize"):
        assert _refused(shop.post(f"{own}/{action}")), action
    read = shop.get(own).json()
    assert read["status"] == "COMPLETED" and len(_payments(read)["captures"]) == 1
    assert "authorizations" not in _payments(read) or not _payments(read)["authorizations"]
    capture = f"/v9/payments/captures/{_payments(read)['captures'][0]['id']}"
    assert shop.post(f"{capture}/refund", json={}).status_code == 201
    assert _refused(shop.post(f"{capture}/refund", json={"amount": _money("1.00")}))
    assert len(_payments(shop.get(own).json())["refunds"]) == 1


def test_payments_held_in_a_basket_link_to_their_own_resources_here(shop):
    """PayPal's order held its captures with the draw's links (`https://example.jp/1711`, `rel: sample`): each
    held payment links to its own read and actions here, as it does read on its own."""
    authorized = _basket(shop, "AUTHORIZE")
    authorization = _payments(authorized)["authorizations"][0]
    path = f"/v9/payments/authorizations/{authorization['id']}"
    assert _links(authorization) == {"self": (path, "GET"), "capture": (f"{path}/capture", "POST"),
                                     "void": (f"{path}/void", "POST")}
    captured = _basket(shop, "CAPTURE")
    capture = _payments(captured)["captures"][0]
    own = f"/v9/payments/captures/{capture['id']}"
    assert _links(capture) == {"self": (own, "GET"), "refund": (f"{own}/refund", "POST")}
    refund = shop.post(f"{own}/refund", json={}).json()
    held = _payments(shop.get(f"/v9/baskets/{captured['id']}").json())
    assert _links(held["captures"][0]) == {"self": (own, "GET")}  # (refunded in full)
    assert _links(held["refunds"][0]) == {"self": (f"/v9/payments/refunds/{refund['id']}", "GET")}
