"""Whether a request's `Accept` admits any media type the operation answers with (RFC 9110 §12.5.1).

A client that asks only for what the bank never sends (`Accept: text/html` of a JSON API) gets 406 Not
Acceptable, as a real bank and Prism answer, instead of JSON it said it cannot read. The types of every
answer the operation declares count, its errors' too: a generated client asks for the JSON of a PDF
download's declared errors alone (openapi-generator sends `Accept: application/json` whenever JSON is
among the declared types), and is answered the PDF, as RFC 9110 lets a server disregard `Accept`. An
operation that declares no type, or an `Accept` that cannot be read, is never refused.
"""

from __future__ import annotations

import re

# A vendor type that names an API version and no format (`application/vnd.recurly.v2021-02-25`,
# `application/vnd.github.v3`): APIs that version by media type read it as "this version, in JSON", and
# their clients send it on every call (Recurly's), where the spec declares its answers `application/json`.
_VERSION_TYPE = re.compile(r"vnd\.[a-z0-9_-]+(\.[a-z0-9_-]+)*\.v?\d[0-9._-]*")


def media_types(responses: dict) -> frozenset:
    """The media types (type/subtype, lower case) the answers of an operation declare, errors included."""
    return frozenset(_bare(media) for response in (responses or {}).values() if isinstance(response, dict)
                     for media in (response.get("content") or {}))


def acceptable(accept: str | None, offered: frozenset) -> bool:
    """True unless `accept` names media ranges and none of them (with q > 0) covers an offered type."""
    if not accept or not offered:
        return True
    named, ranges = False, []
    for part in accept.split(","):
        media, *params = [piece.strip() for piece in part.split(";")]
        if not media:
            continue
        if "/" not in media:
            return True  # not a media range: nothing to judge by
        quality = next((p.split("=", 1)[1] for p in params if p.lower().startswith("q=")), "1")
        try:
            refused = float(quality) <= 0
        except ValueError:
            return True
        named = True
        if not refused:
            ranges.append(media.lower())
    return not named or any(_covers(wanted, media) for wanted in ranges for media in offered)


def _covers(wanted: str, media: str) -> bool:
    if wanted == "*/*" or wanted == media:
        return True
    kind, _, subtype = wanted.partition("/")
    if subtype == "*":
        return media.startswith(kind + "/")
    # A structured syntax suffix (RFC 6839): `application/hal+json` is JSON, so a client asking for
    # `application/json` (Mollie's SDK, any generic JSON client) reads it.
    media_kind, _, media_subtype = media.partition("/")
    if media_kind == kind and "+" in media_subtype and media_subtype.rsplit("+", 1)[1] == subtype:
        return True
    # The other way round: a client asking for a JSON dialect (`application/hal+json`, as Finix's SDK
    # asks of every call its spec declares `application/json` for) reads plain JSON with the same parser;
    # specs declare `application/json` where the bank's wire says its suffixed type.
    if media == f"{kind}/json" and subtype.endswith("+json"):
        return True
    return media == "application/json" and kind == "application" and _VERSION_TYPE.fullmatch(subtype) is not None


def _bare(media: str) -> str:
    return media.split(";")[0].strip().lower()
