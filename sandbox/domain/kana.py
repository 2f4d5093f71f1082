"""Beneficiary names in the Zengin character set: half-width kana, digits, capitals, a few symbols.

Connectors send names as people type them (full-width katakana, hiragana, lower-case romaji); the bank
network carries only the Zengin set. `to_zengin` normalises what can be normalised and refuses the rest
(kanji, emoji, most symbols), exactly as a bank's transfer screen would.
"""

from __future__ import annotations

import re

import jaconv

from .errors import SandboxError

_SMALL_TO_LARGE = str.maketrans("ｧｨｩｪｫｬｭｮｯ", "ｱｲｳｴｵﾔﾕﾖﾂ")
# Small kana that have no half-width form become large before the width change, as banks write them.
_SMALL_FULL_WIDTH = str.maketrans("ヮヵヶ", "ワカケ")
_ZENGIN = re.compile(r"[0-9A-Zｱ-ﾝﾞﾟ ()\-./\\｢｣,]*")


def to_zengin(name, field: str = "name") -> str:
    """Return `name` as Zengin half-width kana, or raise `invalid_kana` naming the bad characters."""
    if not isinstance(name, str) or not name.strip():
        raise SandboxError("invalid_kana", f"{field} must be a non-empty string of kana", field=field)
    if len(name) <= 48 and _ZENGIN.fullmatch(name) and name == name.strip() and "  " not in name:
        return name  # already Zengin (as most connectors send it): normalising would not change it
    text = jaconv.hira2kata(name).translate(_SMALL_FULL_WIDTH)
    text = jaconv.z2h(text, kana=True, ascii=True, digit=True)
    text = text.replace("\u3000", " ").replace("ｰ", "-").replace("－", "-").replace("¥", "\\")
    text = text.upper().translate(_SMALL_TO_LARGE)
    text = re.sub(r" +", " ", text).strip()
    if not _ZENGIN.fullmatch(text):
        bad = sorted({ch for ch in text if not _ZENGIN.fullmatch(ch)})
        raise SandboxError(
            "invalid_kana", f"{field} has characters outside the Zengin set: {''.join(bad)!r}", field=field
        )
    if len(text) > 48:
        raise SandboxError("invalid_kana", f"{field} is longer than 48 characters", field=field)
    return text


def same_holder(given: str, holder: str) -> bool:
    """Whether two Zengin names name the same holder, ignoring spacing as banks' name checks do."""
    return given.replace(" ", "") == holder.replace(" ", "")


def passbook_kana(text: str) -> str:
    """Return full-width text as the half-width kana a passbook line shows (no validation)."""
    return jaconv.z2h(jaconv.hira2kata(text), kana=True, ascii=True, digit=True).replace("\u3000", " ")
