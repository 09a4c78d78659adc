"""Small, explainable comparisons. Each returns a score and the reasons a person can read.

Names are compared token by token, order-free: every query token looks for its best partner in
the entry's name (a spelling family, a transliteration variant, a shared phonetic key, or plain
string similarity for typos), adjacent tokens may be joined ("Abdul Rahman" = "Abdulrahman",
"Min Jun" = "Minjun"), and tokens that stay unmatched cost less when they are middle names or
particles (al-, bin, van…). Every number used here is declared in `scoring.NAME_SETTINGS`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from keta.domain.screening.lexicon import name_words
from keta.domain.screening.normalize import PARTICLES, Token
from keta.domain.screening.phonetic import consonant_skeleton
from keta.domain.screening.scoring import NAME_SETTINGS

_S = {key: setting.value for key, setting in NAME_SETTINGS.items()}  # read once: this module is the hot path

# Titles and honorifics say nothing about who someone is (data/name_words.tsv).
HONORIFICS = name_words("honorific")

# How much an unmatched token costs, relative to a full token, by its role.
MIDDLE_WEIGHT = _S["weight.middle"]
PARTICLE_WEIGHT = _S["weight.particle"]
_ALIGN_FLOOR = _S["align.floor"]
_CONFLICT = _S["conflict.penalty"]
_ANCHOR, _OTHER = _S["coverage.anchor"], _S["coverage.other"]
_SYLLABLE_CAP = _S["token.syllable_cap"]
_SKELETON = _S["token.arabic_skeleton"]
_JW, _OSA = _S["token.similar_jaro_winkler"], _S["token.similar_osa"]
_NATIVE_SHORT = _S["token.native_short"]
_LENGTH_BASE = _S["weight.length_base"]


@dataclass(frozen=True, slots=True)
class TokenMatch:
    score: float
    reason: str  # "equal", "family", "variant", "phonetic", "skeleton", "similar", "initial"


@dataclass(frozen=True, slots=True)
class Pairing:
    query: tuple[int, ...]  # indexes into the query tokens (two when joined)
    entry: tuple[int, ...]
    match: TokenMatch
    query_text: str
    entry_text: str
    entry_original: str
    entry_how: str


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float
    pairings: tuple[Pairing, ...]
    unmatched_query: tuple[str, ...]
    unmatched_entry: tuple[str, ...]
    # How much of both names is accounted for at all, were every pairing exact — leaving aside the parts one side
    # is expected to lack (a passport's middle names, a list's patronymic): 1.0 unless a core name part is missing.
    completeness: float = 0.0


def _forms(token: Token) -> tuple[str, ...]:
    return (token.text, *token.variants)


# Scripts whose characters carry the name itself: two names in the same such script are compared as
# written, not through romanization (김정은 and 김종은 romanize alike but are different names).
NATIVE_COMPARE = frozenset({"hangul", "han", "kana", "cyrillic", "greek", "arabic", "hebrew"})
# Scripts whose romanized tokens are syllables from a closed set: "yan" and "yang" are different
# syllables, not a typo of each other.
SYLLABIC = frozenset({"hangul", "han"})


def compare_tokens(a: Token, b: Token) -> TokenMatch:
    # The order of the tests is also the order of their cost: this runs on every candidate pair.
    if a.script == b.script and a.script in NATIVE_COMPARE:
        return _compare_native(a.original, b.original)
    if a.text == b.text:
        return EQUAL
    if len(a.text) == 1 or len(b.text) == 1:
        # An initial stands for any name with that first letter; it is weak evidence.
        return INITIAL if a.text[0] == b.text[0] else NO_INITIAL
    shared = not a.keys.isdisjoint(b.keys)
    if shared and not _families(a.keys).isdisjoint(b.keys):
        return FAMILY
    if a.text in b.variants or b.text in a.variants or not _spellings(a.variants).isdisjoint(b.variants):
        return VARIANT
    a_forms, b_forms = _forms(a), _forms(b)
    if shared:
        return PHONETIC
    best = 0.0
    for x in a_forms[:4]:
        for y in b_forms[:4]:
            best = max(best, _string_similarity(x, y, at_least=best))
    if best < 1.0 and {a.script, b.script} & SYLLABIC and min(len(a.text), len(b.text)) <= 4:
        best = min(best, _SYLLABLE_CAP)  # one romanized syllable "similar" to another is another syllable
    if "arabic" in (a.script, b.script) and a.script != b.script:
        # Arabic script omits short vowels: compare consonant skeletons for words the tables lack.
        latin, arabic = (b, a) if a.script == "arabic" else (a, b)
        if best < _SKELETON and arabic_skeletons(arabic.text) & arabic_skeletons(latin.text):
            return SKELETON
    return TokenMatch(best, "similar")


@lru_cache(maxsize=100_000)
def _families(keys: frozenset[str]) -> frozenset[str]:
    """The curated-family keys among a token's keys (a frozenset caches its hash: the look-up is cheap)."""
    return frozenset(key for key in keys if key.startswith("fam:"))


@lru_cache(maxsize=100_000)
def _spellings(variants: tuple[str, ...]) -> frozenset[str]:
    return frozenset(variants)


@lru_cache(maxsize=100_000)
def arabic_skeletons(text: str) -> frozenset[str]:
    """Consonant skeletons of a word, with and without a leading article (الشمري → "lSmr", "Smr";
    "alshammari" → "lSmr", "Smr"). Only skeletons of two consonants or more: "l" says nothing."""
    skeleton = consonant_skeleton(text)
    forms = {skeleton}
    if skeleton.startswith("l") and len(skeleton) > 2:
        forms.add(skeleton[1:])
    return frozenset(f for f in forms if len(f) >= 2)


EQUAL = TokenMatch(1.0, "equal")
FAMILY = TokenMatch(_S["token.family"], "family")
VARIANT = TokenMatch(_S["token.variant"], "variant")
PHONETIC = TokenMatch(_S["token.phonetic"], "phonetic")
INITIAL = TokenMatch(_S["token.initial"], "initial")
SKELETON = TokenMatch(_SKELETON, "skeleton")  # the consonants agree: how unvowelled Arabic script reads in Latin
NO_INITIAL = TokenMatch(0.0, "initial")


def _compare_native(x: str, y: str) -> TokenMatch:
    x, y = x.casefold(), y.casefold()
    if x == y:
        return TokenMatch(1.0, "equal")
    if len(x) <= 3 or len(y) <= 3:
        # One syllable block or ideograph is a whole syllable of the name: partial credit only.
        return TokenMatch(Levenshtein.normalized_similarity(x, y) * _NATIVE_SHORT, "similar")
    return TokenMatch(_string_similarity(x, y), "similar")


def _string_similarity(x: str, y: str, at_least: float = 0.0) -> float:
    """Edit distance (with transpositions) carries most of the weight: one typo in a long name stays near 0.9,
    while a different ending ("Lukashevich"/"Lukashenko") falls well below. Jaro-Winkler adds a little credit
    for a shared beginning. Only similarities that could reach the alignment floor and beat `at_least` are
    computed exactly; any other answer is merely known to be below both (0.0), which is all the alignment
    needs — and it spares the second string distance for nearly every pair a screen compares."""
    if min(len(x), len(y)) <= 2:
        return 1.0 if x == y else 0.0
    needed = max(at_least, _ALIGN_FLOOR)
    osa = OSA.normalized_similarity(x, y, score_cutoff=max(0.0, (needed - _JW) / _OSA))
    if not osa:
        return 0.0
    return _JW * JaroWinkler.normalized_similarity(x, y) + _OSA * osa


def join_tokens(a: Token, b: Token) -> Token:
    """Two adjacent tokens read as one ("Abdul Rahman" → "abdulrahman"), with the spellings of both."""
    text = a.text + b.text
    variants = tuple(dict.fromkeys(x + y for x in _forms(a)[:3] for y in _forms(b)[:3] if x + y != text))
    return Token(
        text=text,
        original=f"{a.original} {b.original}",
        script=a.script,
        variants=variants,
        keys=frozenset(),
        how=a.how,
    )


def _weights(tokens: Sequence[Token], *, middle: Sequence[int]) -> list[float]:
    several = len(tokens) > 1
    weights = []
    for index, token in enumerate(tokens):
        base, minor = _token_weight(token.text)
        if minor and several:
            base *= PARTICLE_WEIGHT
        elif index in middle:
            base *= MIDDLE_WEIGHT
        weights.append(base)
    return weights


@lru_cache(maxsize=100_000)
def _token_weight(text: str) -> tuple[float, bool]:
    """A token's full weight, and whether it is a particle or a title (which weigh little among other names)."""
    return min(len(text), 8) / 8 + _LENGTH_BASE, text in PARTICLES or text in HONORIFICS


class PairCache:
    """Token comparisons, kept across candidates and queries: the same list tokens recur across
    candidates (a common surname reaches thousands of entries) and the same passport words recur
    across applicants, so each (query token, list token) pair is compared once. Keys are object ids
    (hashing a token is dearer than comparing many); every entry also holds the tokens of its key, so
    no id in a key can be reused while the entry lives, and emptying the cache past `limit` entries
    keeps that true — one cache may serve many queries, and several threads."""

    def __init__(self, limit: int = 400_000) -> None:
        self.limit = limit
        self.matches: dict[tuple[int, int], tuple[TokenMatch, Token, Token]] = {}
        self.joins: dict[tuple[int, int], tuple[Token, Token, Token]] = {}

    def compare(self, a: Token, b: Token) -> TokenMatch:
        key = (id(a), id(b))
        found = self.matches.get(key)
        if found is None:
            found = self.matches[key] = (compare_tokens(a, b), a, b)
        return found[0]

    def join(self, a: Token, b: Token) -> Token:
        key = (id(a), id(b))
        found = self.joins.get(key)
        if found is None:
            found = self.joins[key] = (join_tokens(a, b), a, b)
        return found[0]

    def trim(self) -> None:
        """Empty the cache when it has grown past its limit (call between queries)."""
        if len(self.matches) + len(self.joins) > self.limit:
            self.matches = {}
            self.joins = {}


def _align(
    q_units: Sequence[tuple[tuple[int, ...], Token]],
    e_units: Sequence[tuple[tuple[int, ...], Token]],
    cache: PairCache,
    used_q: set[int],
    used_e: set[int],
    pairings: list[Pairing],
) -> None:
    """Greedy alignment: best pairings first, each token used once."""
    scored = []
    known = cache.matches  # inlined cache look-up: this loop is the hottest of a screen
    for qi, qt in q_units:
        if used_q.intersection(qi):
            continue
        qt_id = id(qt)
        for ej, et in e_units:
            if (len(qi) == 2 and len(ej) == 2) or used_e.intersection(ej):
                continue  # joining both sides adds nothing a single pairing would not find
            hit = known.get((qt_id, id(et)))
            match = hit[0] if hit is not None else cache.compare(qt, et)
            if match.score >= _ALIGN_FLOOR:
                # prefer single-token pairings on ties; a join must earn its place
                scored.append((match.score - 0.001 * (len(qi) + len(ej)), qi, ej, match, qt, et))
    scored.sort(key=lambda u: u[0], reverse=True)
    for _, qi, ej, match, qt, et in scored:
        if used_q.intersection(qi) or used_e.intersection(ej):
            continue
        used_q.update(qi)
        used_e.update(ej)
        pairings.append(Pairing(qi, ej, match, qt.text, et.text, et.original, et.how))


def compare_names(
    query: Sequence[Token],
    entry: Sequence[Token],
    *,
    query_middle: Sequence[int] = (),
    entry_middle: Sequence[int] | None = None,
    cache: PairCache | None = None,
    anchor: str = "query",
) -> NameScore:
    """Order-free alignment of two token lists; 1.0 is the same name, 0.0 nothing in common.

    `query_middle` marks query tokens that are middle names (passports list them after the first
    given name); entries do not say which token is which, so their inner tokens count as middle.
    Tokens are first paired one to one; joined pairs ("Abdul Rahman" ~ "Abdulrahman") are tried
    only for what stays unexplained — most names never need them, and they cost the most.
    """
    if not query or not entry:
        return NameScore(0.0, (), tuple(t.original for t in query), tuple(t.original for t in entry))
    if entry_middle is None:
        entry_middle = range(1, len(entry) - 1)
    if all(t.script in SYLLABIC for t in entry):
        # A Chinese or Korean given name written in syllables ("LI QIANG") is one name, not a first
        # and a middle name: a syllable the list lacks is a different name.
        query_middle = ()
    cache = cache or PairCache()
    used_q: set[int] = set()
    used_e: set[int] = set()
    pairings: list[Pairing] = []
    singles_q: list[tuple[tuple[int, ...], Token]] = [((i,), t) for i, t in enumerate(query)]
    singles_e: list[tuple[tuple[int, ...], Token]] = [((j,), t) for j, t in enumerate(entry)]
    _align(singles_q, singles_e, cache, used_q, used_e, pairings)
    imperfect = len(used_q) < len(query) or len(used_e) < len(entry) or any(p.match.score < 0.9 for p in pairings)
    if imperfect and (_join_could_help(query, entry) or _join_could_help(entry, query)):
        # Re-align from scratch with joined units too: a join may beat a weak single pairing
        # ("RamiMakhlouf" is better read as "Rami Makhlouf" than as a misspelt "Makhlouf").
        joins_q: list[tuple[tuple[int, ...], Token]] = [
            ((i, i + 1), cache.join(query[i], query[i + 1])) for i in range(len(query) - 1)
        ]
        joins_e: list[tuple[tuple[int, ...], Token]] = [
            ((j, j + 1), cache.join(entry[j], entry[j + 1])) for j in range(len(entry) - 1)
        ]
        if _any_pairs(joins_q, entry, cache) or _any_pairs(joins_e, query, cache, joined_first=False):
            used_q, used_e, pairings = set(), set(), []
            _align(singles_q + joins_q, singles_e + joins_e, cache, used_q, used_e, pairings)
        # (when no joined unit pairs with anything, re-aligning would only repeat the single pairings)
    q_weights = _weights(query, middle=query_middle)
    e_weights = _weights(entry, middle=entry_middle)
    q_got = sum(p.match.score * sum(q_weights[i] for i in p.query) for p in pairings)
    e_got = sum(p.match.score * sum(e_weights[j] for j in p.entry) for p in pairings)
    q_cov = q_got / sum(q_weights)
    e_cov = e_got / sum(e_weights)
    # Completeness: were every pairing exact, how much would be missing? Not the passport's middle names (lists
    # often give only the first given name), nor a list's inner names or patronymics (passports leave them out):
    # the passport's surname and first given name, and the list's first and last names, must all be there.
    q_missing = sum(q_weights[i] for i in range(len(query)) if i not in used_q and i not in query_middle)
    e_missing = sum(
        e_weights[j]
        for j in range(len(entry))
        if j not in used_e and j not in entry_middle and not _is_patronymic(entry[j].text)
    )
    q_found, e_found = 1 - q_missing / sum(q_weights), 1 - e_missing / sum(e_weights)
    # One side must be explained almost entirely, the other may carry extra names at a small cost
    # (lists hold full names with patronymics and titles). Screening trusts the passport: every name
    # on it must be found. A bare pair of names has no such side, so the shorter one is it.
    if anchor == "query" or len(query) <= len(entry):
        score = q_cov**_ANCHOR * e_cov**_OTHER
        complete = q_found**_ANCHOR * e_found**_OTHER
    else:
        score = e_cov**_ANCHOR * q_cov**_OTHER
        complete = e_found**_ANCHOR * q_found**_OTHER
    # A name on each side that the other lacks is a contradiction, not an omission
    # ("Sergey Ivanovich" is not "Sergey Viktorovich").
    conflicts = min(_significant(query, used_q), _significant(entry, used_e))
    score = max(0.0, score - _CONFLICT * conflicts)
    return NameScore(
        round(score, 4),
        tuple(pairings),
        tuple(query[i].original for i in range(len(query)) if i not in used_q),
        tuple(entry[j].original for j in range(len(entry)) if j not in used_e),
        round(max(0.0, complete - _CONFLICT * conflicts), 4),
    )


def _any_pairs(
    joined: Sequence[tuple[tuple[int, ...], Token]],
    other: Sequence[Token],
    cache: PairCache,
    *,
    joined_first: bool = True,
) -> bool:
    """Does any joined unit pair (at the alignment floor) with a single token of the other side?"""
    for _, unit in joined:
        for token in other:
            match = cache.compare(unit, token) if joined_first else cache.compare(token, unit)
            if match.score >= _ALIGN_FLOOR:
                return True
    return False


def _join_could_help(split: Sequence[Token], whole: Sequence[Token]) -> bool:
    """Could two adjacent tokens on one side be one token on the other? A cheap test (first letters,
    lengths) that spares most non-matching candidates the costly join phase."""
    if len(split) < 2:
        return False
    starts = {t.text[0] for t in whole if t.text}
    longest = max(len(t.text) for t in whole)
    return any(
        a.text
        and ({a.text[0], *(v[0] for v in a.variants if v)} & starts)
        and 2 * (len(a.text) + len(b.text)) >= longest
        for a, b in itertools.pairwise(split)
    )


_PATRONYMIC_ENDINGS = tuple(name_words("patronymic_ending"))


def _is_patronymic(text: str) -> bool:
    return len(text) > 6 and text.endswith(_PATRONYMIC_ENDINGS)


def _significant(tokens: Sequence[Token], used: set[int]) -> int:
    """Unmatched tokens that are real names (not particles, titles or initials)."""
    return sum(
        1
        for i, token in enumerate(tokens)
        if i not in used and len(token.text) > 1 and token.text not in PARTICLES and token.text not in HONORIFICS
    )
