"""How the engine compares the names a spec gives its fields and parameters: bare (`payment_id` is
`paymentid`), singular, and which name says "an id"."""

from __future__ import annotations

import re


def _bare(name) -> str:
    """A name as names are compared here: lower case, letters and digits only (`payment_id` is `paymentid`)."""
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


# Path parameter names that say only "an id", not whose: Marqeta's `/cards/user/{token}`, `/users/{token}/notes`.
_GENERIC_IDS = ("id", "token", "guid", "uuid")
# A name of an id: `customer_id`, `contactId`, `WidgetID` (not `paid` nor `valid`).
AN_ID = re.compile(r"(^|[_\-.])(id|guid|uuid)$|[a-z0-9](ID|Id|GUID|Guid|UUID|Uuid)$")


def _singular(noun: str) -> str:
    """A collection's noun as one of its items: `legal_entities` -> `legal_entity` (Adyen's `legalEntityId` of
    `/legalEntities/{id}/businessLines`), `addresses` -> `address`, `users` -> `user`."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if re.search(r"(ss|x|ch|sh)es$", noun):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
