"""Names in the Zengin character set: normalising what people type, refusing the rest (sandbox.domain.kana)."""

from __future__ import annotations

import pytest

from sandbox.domain.errors import SandboxError
from sandbox.domain.kana import passbook_kana, same_holder, to_zengin


@pytest.mark.parametrize("typed, zengin", [
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ"),              # already Zengin: unchanged
    ("ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),          # full-width katakana
    ("やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"),          # hiragana
    ("ヤマダ\u3000タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"),     # ideographic space
    ("  ヤマダ   タロウ ", "ﾔﾏﾀﾞ ﾀﾛｳ"),    # runs of spaces collapse, ends are trimmed
    ("yamada taro", "YAMADA TARO"),          # lower-case romaji
    ("ＹＡＭＡＤＡ", "YAMADA"),              # full-width capitals
    ("ｙａｍａｄａ", "YAMADA"),              # full-width lower case
    ("カ）サクラフーズ", "ｶ)ｻｸﾗﾌ-ｽﾞ"),      # full-width parenthesis, long vowel mark as hyphen
    ("ガギグゲゴ パピプペポ", "ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ"),
    ("ヴァイオリン", "ｳﾞｱｲｵﾘﾝ"),
    ("１２３ＡＢＣ", "123ABC"),                # full-width digits
    ("ﾔﾏﾀﾞ.ﾀﾛｳ", "ﾔﾏﾀﾞ.ﾀﾛｳ"),
])
def test_kana_to_zengin_normalises_what_people_type(typed, zengin):
    assert to_zengin(typed) == zengin


@pytest.mark.parametrize("typed, zengin", [
    ("ｷｬｯｼｭ", "ｷﾔﾂｼﾕ"),
    ("キャッシュ", "ｷﾔﾂｼﾕ"),
    ("きゃっしゅ", "ｷﾔﾂｼﾕ"),
    ("ァィゥェォ", "ｱｲｳｴｵ"),
    ("ャュョッ", "ﾔﾕﾖﾂ"),
    ("ヮ", "ﾜ"),
    ("ゎ", "ﾜ"),
    ("ヵ", "ｶ"),
    ("ヶ", "ｹ"),
    ("ホシガオカ", "ﾎｼｶﾞｵｶ"),
    ("ホシヶオカ", "ﾎｼｹｵｶ"),
])
def test_kana_to_zengin_turns_small_kana_into_large(typed, zengin):
    assert to_zengin(typed) == zengin


def test_kana_to_zengin_is_idempotent():
    for typed in ("やまだ たろう", "カ）サクラフーズ", "キャッシュ", "yamada"):
        once = to_zengin(typed)
        assert to_zengin(once) == once


@pytest.mark.parametrize("typed, why", [
    ("山田太郎", "kanji"),
    ("ﾔﾏﾀﾞ 太郎", "kanji mixed with kana"),
    ("ﾔﾏﾀﾞ😀", "emoji"),
    ("🏦", "emoji alone"),
    ("A&B", "ampersand"),
    ("ﾔﾏﾀﾞ\tﾀﾛｳ", "tab"),
    ("ﾔﾏﾀﾞ@ﾀﾛｳ", "at sign"),
    ("ﾔﾏﾀﾞ\nﾀﾛｳ", "newline"),
    ("Ⅻ", "roman numeral"),
    ("ﾔ" * 49, "longer than 48 characters"),
    ("", "empty"),
    ("   ", "only spaces"),
    ("\u3000", "only an ideographic space"),
    (None, "missing"),
    (123, "a number"),
    (["ﾔﾏﾀﾞ"], "a list"),
])
def test_kana_to_zengin_refuses_what_the_network_cannot_carry(typed, why):
    with pytest.raises(SandboxError) as refused:
        to_zengin(typed, "beneficiary name")
    assert refused.value.code == "invalid_kana", why
    assert refused.value.details["field"] == "beneficiary name"


def test_kana_to_zengin_names_the_bad_characters():
    with pytest.raises(SandboxError) as refused:
        to_zengin("ﾔﾏﾀﾞ 太郎")
    assert "太" in refused.value.message and "郎" in refused.value.message


def test_kana_to_zengin_accepts_exactly_48_characters():
    assert to_zengin("ﾔ" * 48) == "ﾔ" * 48


@pytest.mark.parametrize("given, holder, same", [
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ", True),
    ("ﾔﾏﾀﾞﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ", True),    # spacing is ignored
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ｼﾞﾛｳ", False),
    ("ﾔﾏﾀﾞ ﾀﾛ", "ﾔﾏﾀﾞ ﾀﾛｳ", False),   # a prefix is not the name
])
def test_kana_same_holder_ignores_only_spacing(given, holder, same):
    assert same_holder(given, holder) is same


def test_kana_passbook_kana_turns_full_width_text_half_width():
    assert passbook_kana("チャージ") == "ﾁｬｰｼﾞ"  # no Zengin check: small kana and ｰ stay
    assert passbook_kana("でんき\u3000だい") == "ﾃﾞﾝｷ ﾀﾞｲ"
