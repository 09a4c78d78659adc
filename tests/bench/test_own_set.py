"""keta's own labelled set: deterministic, balanced, every category present, negatives never true matches."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter

import pytest
from rapidfuzz.distance import OSA

from keta.bench import ScreeningSet
from keta.bench.own_set import (
    MIN_SIZE,
    NEGATIVE_CATEGORIES,
    POSITIVE_CATEGORIES,
    SCRIPT_CATEGORIES,
    _typo,
    build_own_set,
    cyrillic,
    fold,
    greek,
    word_part,
)
from keta.domain.screening.model import WatchlistEntry


@pytest.fixture(scope="module")
def own() -> ScreeningSet:
    return build_own_set()


def entities(data: ScreeningSet) -> dict[str, WatchlistEntry]:
    return {e.entity_id: e for e in data.entries}


def test_same_seed_same_set_other_seed_other_set() -> None:
    assert build_own_set(400, seed=7) == build_own_set(400, seed=7)
    assert build_own_set(400, seed=7).queries != build_own_set(400, seed=8).queries


def test_default_size_is_half_true_matches_half_hard_negatives(own: ScreeningSet) -> None:
    assert len(own.queries) == 2000
    assert len(own.entries) == 2000
    assert sum(q.expected_match for q in own.queries) == 1000
    counts = Counter(q.category for q in own.queries)
    assert set(counts) == {*POSITIVE_CATEGORIES, *NEGATIVE_CATEGORIES}
    assert min(counts[c] for c in POSITIVE_CATEGORIES) >= 50
    assert min(counts[c] for c in NEGATIVE_CATEGORIES) >= 250
    assert len({q.query.id for q in own.queries}) == 2000


def test_labels_are_consistent(own: ScreeningSet) -> None:
    known = entities(own)
    for q in own.queries:
        assert q.expected_match == (q.category in POSITIVE_CATEGORIES)
        if q.expected_match:
            assert q.entity_id in known
        else:
            assert q.entity_id is None
        assert q.query.birth_date is not None and q.query.birth_date.day is not None
        assert q.query.nationality is not None and len(q.query.nationality) == 3


def test_script_categories_pair_a_native_script_entry_with_a_latin_query(own: ScreeningSet) -> None:
    known = entities(own)
    scripts = {"hangul_variant": "HANGUL", "cyrillic_variant": "CYRILLIC", "arabic_family": "ARABIC", "greek": "GREEK"}
    scripts |= {"han_pinyin": "CJK", "han_hk_tw": "CJK"}
    for q in own.queries:
        if q.category in scripts:
            native = known[str(q.entity_id)].names[0]
            assert any(scripts[q.category] in unicodedata.name(c, "") for c in native), native
            assert (q.query.surname + q.query.given_names).isascii()


def test_variant_spellings_really_vary(own: ScreeningSet) -> None:
    surnames = Counter(q.query.surname.upper() for q in own.queries if q.category == "hangul_variant")
    assert len(surnames) >= 10
    turkish = [q.query.surname + q.query.given_names for q in own.queries if q.category == "turkish_icao"]
    assert any("OE" in t.upper() or "UE" in t.upper() for t in turkish)
    assert any(c in "ÖÜŞÇĞİ" for t in turkish for c in t)
    arabic = " ".join(q.query.surname.upper() for q in own.queries if q.category == "arabic_family")
    assert "AL-" in arabic and ("EL " in arabic or "EL-" in arabic)


def test_birth_date_categories(own: ScreeningSet) -> None:
    known = entities(own)
    for q in own.queries:
        if not q.category.startswith("dob_"):
            continue
        listed, typed = known[str(q.entity_id)].birth_dates[0], q.query.birth_date
        assert typed is not None
        if q.category == "dob_year_only":
            assert listed.month is None and typed.year == listed.year
        elif q.category == "dob_pm1":
            assert abs(typed.year - listed.year) == 1 and typed.month == listed.month
        else:
            assert (typed.year, typed.month, typed.day) == (listed.year, listed.day, listed.month)
            assert typed.month != typed.day


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(sorted(fold(text).upper().replace(",", " ").replace("-", " ").split()))


def test_no_negative_is_a_true_match_of_a_latin_entry(own: ScreeningSet) -> None:
    """Checked independently of the generator: same words as any listed Latin name → born 3+ years apart."""
    names: dict[tuple[str, ...], list[WatchlistEntry]] = {}
    for entry in own.entries:
        for name in entry.names:
            if fold(name).isascii():
                names.setdefault(_tokens(name), []).append(entry)
    clashes = 0
    for q in own.queries:
        born = q.query.birth_date
        if q.expected_match or born is None:
            continue
        for entry in names.get(_tokens(f"{q.query.given_names} {q.query.surname}"), []):
            clashes += 1
            assert entry.birth_dates, (q, entry)
            assert all(abs(d.year - born.year) >= 3 for d in entry.birth_dates), (q, entry)
    assert clashes > 100  # the check did look at same-name negatives


def test_too_small_a_set_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        build_own_set(MIN_SIZE - 1)


def test_script_categories_cover_every_origin_once() -> None:
    origins = [o for group in SCRIPT_CATEGORIES.values() for o in group]
    assert len(origins) == len(set(origins))


@pytest.mark.parametrize(
    ("word", "scheme", "expected"),
    [
        ("Юлия", "icao", "IULIIA"),
        ("Юлия", "old", "YULIYA"),
        ("Дмитрий", "soft", "DMITRY"),
        ("Дмитрий", "old", "DMITRIY"),
        ("Михаил", "soft", "MIHAIL"),
        ("Григорій", "ua", "HRYHORII"),
        ("Євген", "ua", "YEVHEN"),
        ("Соловьёв", "old", "SOLOVYOV"),
    ],
)
def test_cyrillic_schemes(word: str, scheme: str, expected: str) -> None:
    assert cyrillic(word, scheme) == expected


@pytest.mark.parametrize(
    ("word", "mode", "expected"),
    [
        ("Παπαδόπουλος", "elot", "PAPADOPOULOS"),
        ("Ευάγγελος", "elot", "EVANGELOS"),
        ("Ευθυμίου", "elot", "EFTHYMIOU"),
        ("Χρήστος", "phonetic", "HRISTOS"),
        ("Οικονόμου", "phonetic", "IKONOMOU"),
        ("Μπακογιάννης", "elot", "BAKOGIANNIS"),
        ("Μπακογιάννης", "literal", "MPAKOGIANNIS"),
    ],
)
def test_greek_modes(word: str, mode: str, expected: str) -> None:
    assert greek(word, mode) == expected


def test_latin_styles_keep_icao_plain_and_diacritics() -> None:
    assert word_part("de", "Müller").latin == ("MUELLER", "MULLER", "MÜLLER")
    assert word_part("tr", "Öztürk").latin == ("OZTURK", "OEZTUERK", "ÖZTÜRK")
    assert word_part("tr", "İsmail").latin == ("ISMAIL", "ISMAIL", "İSMAİL")
    assert word_part("ru", "Александр").latin == ("ALEKSANDR", "ALEXANDER", "ALEXANDR")


def test_a_typo_is_one_edit() -> None:
    rng = random.Random(3)
    for _ in range(200):
        changed = _typo("LEE MINJUN", rng)
        assert changed is not None and changed != "LEE MINJUN"
        assert OSA.distance(changed, "LEE MINJUN") == 1
    assert _typo("LI NA", rng) is None
