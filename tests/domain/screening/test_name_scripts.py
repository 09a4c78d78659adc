"""Names in their own scripts: Hangul, Han, Cyrillic, Arabic and Persian, Greek, Kana — and script detection."""

from __future__ import annotations

import pytest

from keta.domain.screening.hangul import decompose
from keta.domain.screening.normalize import Token, name_tokens, phonetic_key, script_of


def token(raw: str) -> Token:
    (only,) = name_tokens(raw)
    return only


def spellings(t: Token) -> set[str]:
    return {t.text, *t.variants}


def latin_matches(t: Token, latin: str) -> bool:
    """Would a Latin-script passport spelling find this token through its keys?"""
    return bool(t.keys & token(latin).keys)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Öztürk", "latin"),
        ("김민준", "hangul"),
        ("王伟", "han"),
        ("さとう", "kana"),
        ("ヤマダ", "kana"),
        ("Пушкин", "cyrillic"),
        ("محمد", "arabic"),
        ("پرویز", "arabic"),
        ("Παπαδόπουλος", "greek"),
        ("דוד", "hebrew"),
        ("Բարակ", "other"),
        ("1234", "other"),
        ("Ivan Петров Сидоров", "cyrillic"),
    ],
)
def test_script_of(text: str, script: str) -> None:
    assert script_of(text) == script


# --- Hangul -----------------------------------------------------------------------------------------------------


def test_hangul_syllables_decompose_arithmetically() -> None:
    assert decompose("가") == (0, 0, 0)
    assert decompose("힣") == (18, 20, 27)
    assert decompose("민") == (6, 20, 4)  # ㅁ ㅣ ㄴ
    assert decompose("A") is None


def test_unspaced_korean_name_splits_into_surname_and_given_name() -> None:
    surname, given = name_tokens("이민준")
    assert (surname.text, surname.script, surname.how) == ("lee", "hangul", "hangul_romanized")
    assert {"yi", "rhee", "i", "ri", "rhie"} <= set(surname.variants)
    assert "fam:ko-lee" in surname.keys
    assert given.text == "minjun"
    assert given.variants[0] == "minjoon"
    assert given.original == "민준"


def test_two_syllable_surnames() -> None:
    assert [t.text for t in name_tokens("남궁민수")] == ["namgung", "minsu"]
    assert "namkung" in name_tokens("남궁민수")[0].variants
    assert [t.text for t in name_tokens("황보영")] == ["hwangbo", "yeong"]
    assert [t.text for t in name_tokens("남궁")] == ["nam", "gung"]  # two syllables: one surname, one given


def test_spaced_korean_names_keep_their_tokens() -> None:
    kim, minjun = name_tokens("김 민준")
    assert (kim.text, minjun.text) == ("kim", "minjun")
    assert "gim" in kim.variants
    assert [t.text for t in name_tokens("김, 민준")] == ["minjun", "kim"]


@pytest.mark.parametrize(
    ("hangul", "expected"),
    [
        ("김민준", {"minjun", "minjoon"}),
        ("김서연", {"seoyeon", "seoyoun", "soyeon", "suhyun"}),
        ("박지훈", {"jihun", "jihoon", "chihun"}),
        ("최현우", {"hyeonu", "hyunwoo"}),
        ("정영수", {"yeongsu", "youngsoo"}),
        ("이은지", {"eunji", "eunjee"}),
        ("김시우", {"siu", "siwoo", "shiwoo"}),
    ],
)
def test_given_name_passport_spellings(hangul: str, expected: set[str]) -> None:
    given = name_tokens(hangul)[1]
    assert expected <= spellings(given)
    assert len(given.variants) <= 12


def test_korean_surname_spellings_match_latin_passports() -> None:
    assert latin_matches(token("박"), "Park") and latin_matches(token("박"), "Pak")
    assert latin_matches(token("최"), "Choi") and latin_matches(token("최"), "Choe")
    assert latin_matches(token("정"), "Jeong") and latin_matches(token("정"), "Chung")
    assert latin_matches(token("이"), "Rhee")
    assert latin_matches(token("리"), "Lee")  # North Korean 리 belongs to the family of 이
    assert not latin_matches(token("박"), "Kim")


def test_korean_surname_families_join_latin_spellings() -> None:
    assert token("Yi").keys & token("Lee").keys & token("Rhee").keys
    assert "fam:ko-lee" in token("Rhie").keys
    assert token("Park").keys & token("Bak").keys
    assert token("Gwon").keys & token("Kwon").keys
    assert not token("Lee").keys & token("Park").keys
    assert "fam:ko-lee" not in token("I").keys  # a lone I is an initial


# --- Han --------------------------------------------------------------------------------------------------------


def test_chinese_name_splits_into_surname_and_given_name() -> None:
    wang, wei = name_tokens("王伟")
    assert (wang.text, wei.text) == ("wang", "wei")
    assert (wang.script, wang.how) == ("han", "han_pinyin")
    assert "wong" in wang.variants
    assert [t.text for t in name_tokens("王小明")] == ["wang", "xiaoming"]


def test_traditional_characters_and_surname_variants() -> None:
    chen, dawen = name_tokens("陳大文")
    assert chen.text == "chen"
    assert {"chan", "tan"} <= set(chen.variants)
    assert dawen.text == "dawen"
    assert latin_matches(chen, "Chan")
    assert [t.text for t in name_tokens("張偉")] == ["zhang", "wei"]


def test_compound_and_heteronym_surnames() -> None:
    assert [t.text for t in name_tokens("欧阳娜娜")] == ["ouyang", "nana"]
    assert name_tokens("曾志伟")[0].text == "zeng"  # pypinyin alone reads 曾 as ceng
    assert name_tokens("单田芳")[0].text == "shan"


def test_lu_with_umlaut_gets_the_passport_yu_spelling() -> None:
    assert name_tokens("吕")[0].variants[-1] == "lyu"
    assert "nyu" in name_tokens("王女")[1].variants


# --- Cyrillic ---------------------------------------------------------------------------------------------------


def test_russian_name_follows_icao_with_variants() -> None:
    first, patronymic, surname = name_tokens("Александр Сергеевич Пушкин")
    assert (first.text, patronymic.text, surname.text) == ("aleksandr", "sergeevich", "pushkin")
    assert first.how == "cyrillic_transliterated"
    assert "alexandr" in first.variants
    assert "sergeyevich" in patronymic.variants
    assert "fam:aleksandr" in first.keys
    assert first.keys & token("Alexander").keys
    assert first.keys & token("Oleksandr").keys


def test_iu_ia_endings() -> None:
    yulia = token("Юлия")
    assert yulia.text == "iuliia"
    assert {"yulia", "julia", "yuliya"} <= set(yulia.variants)
    assert token("Мария").text == "mariia"
    assert "maria" in token("Мария").variants


def test_kh_and_other_systems() -> None:
    assert token("Михаил").text == "mikhail"
    assert "mihail" in token("Михаил").variants
    assert token("Хрущёв").text == "khrushchev"
    assert latin_matches(token("Хрущёв"), "Khrushchyov")
    assert token("Евгений").text == "evgenii"
    assert {"yevgeniy", "evgeny"} <= spellings(token("Евгений"))
    assert token("Достоевский").variants[:2] == ("dostoevsky", "dostoevskiy")
    assert "grigoryev" in token("Григорьев").variants


def test_ukrainian_letters_switch_g_to_h() -> None:
    assert token("Григорій").text == "hryhorii"
    assert "hryhoriy" in token("Григорій").variants
    assert "hrihorii" in token("Григорій").variants or "hryhorij" in token("Григорій").variants
    assert token("Зеленський").text == "zelenskyi" or token("Зеленський").text == "zelenskii"


# --- Arabic script ----------------------------------------------------------------------------------------------


def test_arabic_name_words_get_skeleton_and_table_spellings() -> None:
    muhammad, abd, rahman = name_tokens("محمد عبد الرحمن")
    assert (muhammad.text, muhammad.script, muhammad.how) == ("mhmd", "arabic", "arabic_transliterated")
    assert {"muhammad", "mohammed", "mohamed", "mohammad"} <= set(muhammad.variants)
    assert {"abd", "abdul", "abdel"} <= set(abd.variants)
    assert "rahman" in rahman.variants
    assert "fam:muhammad" in muhammad.keys
    assert latin_matches(muhammad, "Mehmet")
    assert latin_matches(abd, "Abdul") and latin_matches(rahman, "Rahman")


def test_arabic_spelling_forms_fold_before_lookup() -> None:
    assert "ahmed" in token("أحمد").variants
    assert "ahmed" in token("احمد").variants  # alef without hamza
    assert "muhammad" in token("مُحَمَّد").variants  # vowel marks
    assert "fatima" in token("فاطمة").variants and "fatima" in token("فاطمه").variants


def test_joined_arabic_compounds() -> None:
    assert "abdullah" in token("عبدالله").variants
    assert {"abdulaziz", "abdelaziz"} <= set(token("عبدالعزيز").variants)
    assert latin_matches(token("عبدالرحمن"), "Abdurrahman")


def test_persian_names() -> None:
    hossein, parviz = name_tokens("حسین پرویز")
    assert "hossein" in hossein.variants
    assert latin_matches(hossein, "Hussein") and latin_matches(hossein, "Hüseyin")
    assert parviz.text == "prwyz" and parviz.variants == ("parviz",)
    assert "mahdi" in token("مهدی").variants


def test_unknown_arabic_words_still_get_a_skeleton() -> None:
    t = token("كوثراني")
    assert t.text and t.variants == ()


# --- Greek, Kana, Hebrew ----------------------------------------------------------------------------------------


def test_greek_name() -> None:
    giorgos, papadopoulos = name_tokens("Γιώργος Παπαδόπουλος")
    assert (giorgos.text, papadopoulos.text) == ("giorgos", "papadopoulos")
    assert giorgos.how == "greek_transliterated"
    assert "yiorgos" in giorgos.variants
    assert "papadopulos" in papadopoulos.variants
    assert token("Χρήστος").text == "christos"
    assert "hristos" in token("Χρήστος").variants
    assert {"vasilis", "basilis"} <= spellings(token("Βασίλης"))


def test_japanese_kana_and_the_long_vowels_passports_drop() -> None:
    sato = token("さとう")
    assert (sato.text, sato.script, sato.how) == ("sato", "kana", "kana_hepburn")  # as the passport prints it
    assert {"satou", "satoh"} <= set(sato.variants)
    assert token("ゆうき").text == "yuki" and "yuuki" in token("ゆうき").variants
    assert token("ホンマ").text == "homma"


def test_kanji_names_are_read_as_chinese() -> None:
    assert [t.script for t in name_tokens("山田")] == ["han", "han"]  # documented limitation


def test_hebrew_goes_through_generic_transliteration() -> None:
    t = token("דוד")
    assert (t.script, t.how) == ("hebrew", "transliterated")
    assert t.text == "dvd"


def test_phonetic_keys_of_transliterations_meet_latin_spellings() -> None:
    assert phonetic_key("yiorgos") == phonetic_key("yorgos")
    assert latin_matches(token("Юрий"), "Yuri") and latin_matches(token("Юрий"), "Yury")
