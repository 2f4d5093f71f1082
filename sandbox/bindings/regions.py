"""Where an API's made-up data is from: its currency, country, language and telephone numbers.

Values the fallback draws for fields its examples leave out (`generate`'s `_named`) read as a Japanese
bank's by default: yen, `JP`, Tokyo telephone numbers and now and then half-width kana in a name or a memo,
so that a client of a Japanese bank meets them. A spec that shows another currency in its own examples,
defaults and enums (Marqeta's, Plaid's and Square's `USD`, Mollie's `EUR`, UK Open Banking's `GBP`) is answered
in that currency instead, with that country (the one its examples name most, else the currency's), English,
E.164 telephone numbers and plain ASCII text: drawn in yen, with kana names, a US card issuer's answers
read wrong on sight. Read once per spec (its values walked: a 6 MB spec, about a tenth of a second).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import NamedTuple


class Region(NamedTuple):
    currency: str
    country: str
    language: str
    calling_code: str  # "" for a Japanese domestic number
    kana: bool


JAPAN = Region("JPY", "JP", "ja", "", True)

# The country a currency most often names where a spec's examples name none.
_COUNTRY_OF = {"USD": "US", "GBP": "GB", "EUR": "DE", "AUD": "AU", "CAD": "CA", "NZD": "NZ", "CHF": "CH", "SEK": "SE",
               "NOK": "NO", "DKK": "DK", "PLN": "PL", "CZK": "CZ", "HUF": "HU", "BRL": "BR", "MXN": "MX", "INR": "IN",
               "SGD": "SG", "HKD": "HK", "ZAR": "ZA", "NGN": "NG", "KES": "KE", "GHS": "GH", "IDR": "ID", "PHP": "PH",
               "MYR": "MY", "THB": "TH", "KRW": "KR", "CNY": "CN", "AED": "AE", "SAR": "SA", "TRY": "TR", "ILS": "IL"}
# Country calling codes (ITU-T E.164) of the countries above and a few more.
_CALLING = {"US": "1", "CA": "1", "GB": "44", "IE": "353", "DE": "49", "FR": "33", "NL": "31", "BE": "32", "ES": "34",
            "IT": "39", "PT": "351", "AT": "43", "FI": "358", "AU": "61", "NZ": "64", "CH": "41", "SE": "46", "NO": "47",
            "DK": "45", "PL": "48", "CZ": "420", "HU": "36", "BR": "55", "MX": "52", "IN": "91", "SG": "65", "HK": "852",
            "ZA": "27", "NG": "234", "KE": "254", "GH": "233", "ID": "62", "PH": "63", "MY": "60", "TH": "66", "KR": "82",
            "CN": "86", "AE": "971", "SA": "966", "TR": "90", "IL": "972", "LT": "370", "LU": "352", "EE": "372"}
_CURRENCY_NAMES = {"currency", "currencycode", "ccy", "isocurrencycode", "defaultcurrency", "settlementcurrency"}
_COUNTRY_NAMES = {"country", "countrycode", "isocountrycode", "countryiso", "residencecountry"}
_CODE3, _CODE2 = re.compile(r"[A-Za-z]{3}"), re.compile(r"[A-Z]{2}")

_known: dict[int, tuple] = {}


def of(spec: dict) -> Region:
    """The region `spec`'s made-up data is from (JAPAN unless its own values show another currency)."""
    known = _known.get(id(spec))
    if known is None or known[0] is not spec:
        known = _known[id(spec)] = (spec, _read(spec))
    return known[1]


def _read(spec: dict) -> Region:
    currencies, countries = Counter(), Counter()
    _walk(spec, currencies, countries)
    if not currencies:
        return JAPAN
    currency = currencies.most_common(1)[0][0]
    if currency.upper() == "JPY":
        return JAPAN
    country = countries.most_common(1)[0][0] if countries else _COUNTRY_OF.get(currency.upper(), "US")
    if country == "JP":
        country = _COUNTRY_OF.get(currency.upper(), "US")
    return Region(currency, country, "en", _CALLING.get(country, "1"), False)


def _walk(spec: dict, currencies: Counter, countries: Counter) -> None:
    """Count the codes written as the values of currency- and country-named keys: in examples, and as a named
    property's schema's `example`, `default` or one-value `enum`."""
    bares: dict = {}
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(item for item in node if isinstance(item, (dict, list)))
            continue
        for key, value in node.items():
            bare = bares.get(key)
            if bare is None:
                bare = bares[key] = re.sub(r"[^a-z]", "", str(key).lower())
            if bare in _CURRENCY_NAMES or bare in _COUNTRY_NAMES:
                tally, pattern = (currencies, _CODE3) if bare in _CURRENCY_NAMES else (countries, _CODE2)
                for code in _codes(value):
                    if pattern.fullmatch(code):
                        tally[code] += 1
            if isinstance(value, (dict, list)):
                stack.append(value)


# A default given in words in a property's description (Brex's `Money.currency`: "Default to USD if not
# specified"), where the schema has no `default` to say it.
_DEFAULT_IN_WORDS = re.compile(r"\b(?i:defaults?(?:\s+value)?\s+(?:to|is))\s+[`'\"]?([A-Z]{2,3})\b")


def _codes(value) -> list:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # a property's schema
        found = [value[word] for word in ("example", "default") if isinstance(value.get(word), str)]
        if "default" not in value and isinstance(value.get("description"), str):
            found += _DEFAULT_IN_WORDS.findall(value["description"])
        enum = [v for v in value.get("enum") or () if isinstance(v, str)]
        return found + (enum if len(enum) == 1 else [])  # (a list of every code says nothing of which is the API's)
    return []


def telephone(region: Region, rng: random.Random) -> str:
    """A made-up telephone number as the region writes it: Tokyo's domestic form, else E.164 (a North American
    number in the 555-01xx block kept for fiction)."""
    if not region.calling_code:
        return f"03-{rng.randrange(1000, 10000)}-{rng.randrange(1000, 10000)}"
    if region.calling_code == "1":
        return f"+1{rng.randrange(201, 990)}55501{rng.randrange(100):02d}"
    return f"+{region.calling_code}{rng.randrange(10**8, 10**9)}"
