"""Names as screening compares them: cleaned text, then tokens with ASCII spellings, variants and match keys.

`clean_name` makes any typed or imported name safe and canonical (NFKC, no control/format or other invisible
characters, punctuation → spaces, one "Last, First" comma kept). A word mixing look-alike letters of several
scripts ("Vymyslоv" with a Cyrillic о) is then read in one script (`confusables.readings`), and a word wholly in
look-alike letters ("Васо") also gets its Latin look-alike spelling as a variant. `name_tokens` turns it into
`Token`s in "given… surname" order when a comma says so, splitting unspaced CJK names into surname + given name.
Every token carries its primary lower-case ASCII spelling, bounded passport-spelling variants and `keys` —
phonetic keys of every spelling plus "fam:<id>" for each curated family a spelling belongs to. Two tokens that
share a key are candidates for "the same name part"; the scorer decides with the spellings and `how` for
explanations.

Limitations: kana go through Hepburn with passport variants (`japanese.py`); kanji are read as Chinese (pinyin)
here — the screening index adds a Japanese entry's kanji readings as names of their own
(`keta.screening.kanji_readings`, a name dictionary); Arabic
words outside the curated table only get a consonant skeleton (`phonetic.consonant_skeleton` compares it
with Latin spellings); Latin "Min-Jun" is two tokens while Hangul 민준 is one (the scorer joins neighbours).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from keta.domain.screening import confusables, hangul, japanese, scripts
from keta.domain.screening.lexicon import Lexicon, default_lexicon, name_words
from keta.domain.screening.phonetic import phonetic_key
from keta.domain.screening.scripts import Romanized, fold_latin, script_of

__all__ = [
    "MAX_NAME_LENGTH",
    "PARTICLES",
    "InvalidName",
    "Token",
    "clean_name",
    "fold_latin",
    "name_tokens",
    "phonetic_key",
    "script_of",
]

MAX_NAME_LENGTH = 200

# Words the scorer may ignore when they do not match ("bin", "van der"…). Some are also real names — Vietnamese
# Lê is "Le", Chinese 杜 is "Du" — which is why nothing is dropped here.
PARTICLES: frozenset[str] = name_words("particle")  # data/name_words.tsv

_MESSAGES = {
    "empty": "the name is empty",
    "too_long": f"the name is longer than {MAX_NAME_LENGTH} characters",
    "no_letters": "the name has no letters",
}


class InvalidName(ValueError):
    """A name screening cannot use; `code` is "empty", "too_long" or "no_letters". The message never
    repeats the name (it is personal data and errors end up in logs)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(_MESSAGES[code])


_APOSTROPHES = frozenset("'’‘‛ʼʹ`´׳")
_DASHES = frozenset("‐‑‒–—―−﹣")  # the minus sign is a symbol, but people type it as a hyphen


@lru_cache(maxsize=8192)
def _clean_char(ch: str) -> str:
    if ch.isspace():
        return " "
    if ch in _APOSTROPHES:
        return "'"
    category = unicodedata.category(ch)
    if category[0] == "C" or ch == "\u0640" or confusables.is_invisible(ch):
        return ""  # control, format (bidi, zero-width), unassigned, other ignorables (Hangul filler); Arabic tatweel
    if ch == "," or ch == "-":
        return ch
    if category == "Pd" or ch in _DASHES:
        return "-"
    if category[0] in "PS":
        return " "
    return ch


class _CleanTable(dict[int, str]):
    """`str.translate` table filled on first sight of each character: the look-ups of known characters stay in C
    (a list watch of a million names has a few thousand distinct characters, and cleans each name once)."""

    def __missing__(self, code: int) -> str:
        cleaned = _clean_char(chr(code))
        if len(self) < _CLEAN_TABLE_SIZE:  # bounded like the other caches, whatever characters arrive
            self[code] = cleaned
        return cleaned


_CLEAN_TABLE_SIZE = 20_000


_CLEAN = _CleanTable()


def clean_name(raw: str) -> str:
    """NFKC; control and format characters dropped; punctuation → spaces except apostrophes and hyphens;
    the first comma kept as the "Last, First" marker; whitespace collapsed. Raises InvalidName."""
    text = unicodedata.normalize("NFKC", raw)
    mapped = text.translate(_CLEAN)
    head, comma, tail = mapped.partition(",")
    before = _words(head)
    after = _words(tail.replace(",", " "))
    cleaned = f"{' '.join(before)}, {' '.join(after)}" if comma and before and after else " ".join(before + after)
    if not cleaned:
        visible = any(not c.isspace() and unicodedata.category(c)[0] != "C" for c in text)
        raise InvalidName("no_letters" if visible else "empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise InvalidName("too_long")
    if not any(c.isalpha() for c in cleaned):
        raise InvalidName("no_letters")
    return cleaned


def _words(text: str) -> list[str]:
    """Whitespace-separated words without hyphens or apostrophes hanging at their edges."""
    return [w for w in (word.strip("-'") for word in text.split()) if w]


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # the primary lower-case ASCII spelling, letters only
    original: str  # as written (after cleaning), in its own script and case
    script: str  # latin | hangul | han | kana | cyrillic | arabic | greek | hebrew | other
    variants: tuple[str, ...]  # other plausible spellings (at most 12), most common first, never `text`
    keys: frozenset[str]  # phonetic keys of text and variants, "fam:<id>" for each family they belong to
    how: str  # provenance for explanations: latin, turkish_folded, german_umlaut, hangul_romanized, …


def name_tokens(raw: str, lexicon: Lexicon | None = None) -> tuple[Token, ...]:
    """The tokens of a name, "given… surname" when written "SURNAME, Given"; otherwise in written order.
    `lexicon` is the curated name knowledge to use (the packaged one by default)."""
    lex = lexicon or default_lexicon()
    cleaned = clean_name(raw)
    head, comma, tail = cleaned.partition(",")
    words = tail.split() + head.split() if comma else cleaned.split()
    if cleaned.isascii():
        return tuple(t for w in words for part in w.split("-") if part and (t := _token(part, "latin", "", lex)).text)
    # A word mixing look-alike letters of several scripts ("Vymyslоv" with a Cyrillic о) is read in one script,
    # its other readings kept as spellings; a word that really joins two scripts ("Ivanпетров") is still split
    # where the script changes.
    runs = [run for w in words for part in w.split("-") if part for run in _part_runs(part)]
    counts: dict[str, int] = {}
    for _, script, _ in runs:
        counts[script] = counts.get(script, 0) + 1
    tokens: list[Token] = []
    for run, script, other_readings in runs:
        for piece, role in _cjk_pieces(run, script, lex, alone=counts[script] == 1):
            token = _token(piece, script, role, lex)
            if token.text:
                tokens.append(_also_read_as(token, other_readings, lex) if other_readings else token)
    return tuple(tokens)


@lru_cache(maxsize=200_000)
def _part_runs(part: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """A word's script runs with its other readings (words recur across a list far more than names do)."""
    readings = confusables.readings(part)
    return tuple((run, script, readings[1:]) for run, script in scripts.script_runs(readings[0]))


def _also_read_as(token: Token, others: tuple[str, ...], lex: Lexicon) -> Token:
    """The spellings of a mixed word's other readings ("Taраcoв": Latin "tapacob" by count, Cyrillic
    "Тарасов" → "tarasov" to a reader) join its variants, right after its own first ones."""
    extra: list[str] = []
    for other in others:
        spelled = _romanize(other, script_of(other), "", lex)
        extra += [spelled.text, *spelled.variants[:2]]
    spellings = [token.text, *token.variants[:2], *extra, *token.variants[2:]]
    spelled = scripts.romanized(token.original, spellings, token.how)
    return Token(spelled.text, token.original, token.script, spelled.variants, _keys(spelled, lex), token.how)


def _cjk_pieces(run: str, script: str, lex: Lexicon, *, alone: bool) -> list[tuple[str, str]]:
    """Unspaced Korean and Chinese names (the only run of their script, 2–4 syllables) → surname + given."""
    if script == "hangul" and hangul.is_hangul_syllables(run):
        if alone and 2 <= len(run) <= 4:
            cut = hangul.surname_length(run, lex)
            return [(run[:cut], "surname"), (run[cut:], "given")]
        return [(run, "surname" if run in lex.korean_surnames else "given")]
    if script == "han":
        if alone and 2 <= len(run) <= 4:
            cut = scripts.han_surname_length(run, lex)
            return [(run[:cut], "surname"), (run[cut:], "given")]
        return [(run, "surname" if run in lex.han_surnames else "given")]
    return [(run, "")]


@lru_cache(maxsize=200_000)
def _token(run: str, script: str, role: str, lex: Lexicon) -> Token:
    spelled = _romanize(run, script, role, lex)
    if script in confusables.SKELETON_SCRIPTS:
        spelled = _with_look_alike(spelled, confusables.latin_skeleton(run))
    return Token(spelled.text, run, script, spelled.variants, _keys(spelled, lex), spelled.how)


def _with_look_alike(spelled: Romanized, skeleton: str) -> Romanized:
    """A word wholly in look-alike letters ("Васо") may be a Latin name in disguise ("Baco"): its Latin
    look-alike spelling joins the variants, among the first four the scorer compares by similarity."""
    if not skeleton or skeleton == spelled.text or skeleton in spelled.variants:
        return spelled
    variants = list(spelled.variants[: scripts.MAX_VARIANTS - 1])
    variants.insert(min(len(variants), 2), skeleton)
    return Romanized(spelled.original, spelled.text, tuple(variants), spelled.how)


def _romanize(run: str, script: str, role: str, lex: Lexicon) -> Romanized:
    if script == "latin":
        return _latin(run)
    if script == "hangul":
        return hangul.romanize_hangul(run, lex, surname=role == "surname")
    if script == "han":
        return scripts.romanize_han(run, lex, surname=role == "surname")
    if script == "cyrillic":
        return scripts.romanize_cyrillic(run)
    if script == "arabic":
        return scripts.romanize_arabic(run, lex)
    if script == "greek":
        return scripts.romanize_greek(run)
    if script == "kana":
        return japanese.romanize_kana(run)
    return scripts.romanize_other(run, script)


_TURKISH = frozenset("İıŞşĞğÇç")
_UMLAUTS = frozenset("ÄÖÜäöüßẞ")
_ICAO_UMLAUTS = str.maketrans({"Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ä": "ae", "ö": "oe", "ü": "ue"})


def _latin(run: str) -> Romanized:
    folded = scripts.letters(fold_latin(run))
    if run.isascii():
        if "ae" in folded or "oe" in folded or "ue" in folded:  # ICAO Mueller → Müller, written Muller too
            plain = folded.replace("ae", "a").replace("oe", "o").replace("ue", "u")
            return scripts.romanized(run, [folded, plain], "latin")
        return Romanized(run, folded, (), "latin")
    how = "turkish_folded" if any(c in _TURKISH for c in run) else "latin"
    spellings = [folded]
    if any(c in _UMLAUTS for c in run):
        how = how if how != "latin" else "german_umlaut"
        spellings.append(scripts.letters(fold_latin(run.translate(_ICAO_UMLAUTS))))  # Öztürk → oeztuerk
    if "ə" in run or "Ə" in run:  # Azerbaijani: passports write A (Əliyev → ALIYEV), some documents E
        spellings.append(scripts.letters(fold_latin(run.replace("Ə", "E").replace("ə", "e"))))
    return scripts.romanized(run, spellings, how)


def _keys(spelled: Romanized, lex: Lexicon) -> frozenset[str]:
    if not spelled.variants and not _without_article(spelled.text):  # the common case, kept cheap
        return lex.family_keys(spelled.text) | {phonetic_key(spelled.text)}
    keys: set[str] = set()
    for spelling in (spelled.text, *spelled.variants):
        for form in (spelling, _without_article(spelling)):
            if form:
                keys.add(phonetic_key(form))
                keys.update(lex.family_keys(form))
    return frozenset(keys)


def _without_article(spelling: str) -> str:
    """The Arabic article written joined, dropped: "alrahman" → "rahman", "elsayed" → "sayed" (al-/el- and a
    consonant, at least four letters left); "" when the spelling does not start that way."""
    if len(spelling) >= 6 and spelling[:2] in ("al", "el") and spelling[2] not in "aeiouy":
        return spelling[2:]
    return ""
