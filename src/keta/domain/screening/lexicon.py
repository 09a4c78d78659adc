"""Curated name knowledge, read from reviewed data files shipped in the package (`data/*.tsv`).

Each file's header says what it holds, where its rows come from, its licence and how it is checked;
rows are `key <TAB> values…`. They are loaded once, lazily, with `importlib.resources` — the same kind
of read as `confusables.py` (docs/CONVENTIONS.md says why it keeps the domain pure: the files are part
of the code, versioned and installed with it, never written).

A `Lexicon` is that knowledge as one immutable value. Screening uses `default_lexicon()`; the quality
benchmark builds an engine with `without(...)`, the same knowledge less every row its test set uses, so
that a test set cannot be graded by the rows it was written from. Lexicons compare by identity, so
functions cached per token can take one as an argument.

- `families`: id → the Latin spellings of ONE name (`latin_families.tsv`), plus one family per Korean
  surname row ("ko-lee": lee, yi, rhee…), so Latin "Yi" and "Lee" match without Hangul in sight.
- `korean_surnames`: Hangul surname → spellings; `han_surnames`: Han surname → spellings (not families:
  WONG is 王 and 黄); `arabic_words`: Arabic-script word (folded) → spellings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

_NONE: frozenset[str] = frozenset()


def read_rows(name: str) -> list[list[str]]:
    """The rows of `data/<name>`: tab-separated columns, comments (#) and blank lines skipped."""
    text = files("keta.domain.screening").joinpath("data", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


_HARAKAT = {code: None for code in (*range(0x064B, 0x0660), 0x0670, 0x0640)}
_ARABIC_FOLD = str.maketrans(
    {**_HARAKAT, "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ة": "ه",
     "ۀ": "ه", "ؤ": "و", "ئ": "ي"}
)  # fmt: skip


def fold_arabic(word: str) -> str:
    """Harakat and tatweel dropped; alef, yeh, kaf and teh marbuta forms (Arabic and Persian) made one."""
    return word.translate(_ARABIC_FOLD)


_AL = fold_arabic("ال")
_ABD = fold_arabic("عبد")


@dataclass(frozen=True, eq=False)
class Lexicon:
    latin_families: Mapping[str, tuple[str, ...]]
    korean_surnames: Mapping[str, tuple[str, ...]]
    korean_family_of: Mapping[str, str]  # Hangul surname → the surname whose row names its family
    han_surnames: Mapping[str, tuple[str, ...]]
    arabic_words: Mapping[str, tuple[str, ...]]
    families: dict[str, frozenset[str]] = field(init=False)
    _family_keys: dict[str, frozenset[str]] = field(init=False)

    def __post_init__(self) -> None:
        table: dict[str, set[str]] = {}
        for family, names in self.latin_families.items():
            table.setdefault(family, set()).update(names)
        for hangul, names in self.korean_surnames.items():
            owner = self.korean_surnames.get(self.korean_family_of.get(hangul, hangul)) or names
            table.setdefault("ko-" + owner[0], set()).update(names)
        families = {family: frozenset(members) for family, members in table.items()}
        index: dict[str, set[str]] = {}
        for family, members in families.items():
            for name in members:
                if len(name) >= 2:  # "i" and "o" (이, 오) are spellings, but as Latin tokens they are initials
                    index.setdefault(name, set()).add("fam:" + family)
        object.__setattr__(self, "families", families)
        object.__setattr__(self, "_family_keys", {name: frozenset(keys) for name, keys in index.items()})

    def family_keys(self, spelling: str) -> frozenset[str]:
        """ "fam:<id>" for each family `spelling` (lower-case ASCII) is an exact member of. Exact on purpose:
        looking families up by phonetic key joined unrelated short names (Ri ~ Ra put 이 into 나's family)."""
        return self._family_keys.get(spelling, _NONE)

    def arabic_spellings(self, word: str) -> tuple[str, ...]:
        """Latin spellings of an Arabic-script name word: the table, then al-X and Abd-al-X compositions."""
        folded = fold_arabic(word)
        words = self.arabic_words
        if folded in words:
            return words[folded]
        if folded.startswith(_AL) and folded[2:] in words:
            return tuple(s for base in words[folded[2:]] for s in (base, "al" + base, "el" + base))
        if folded.startswith(_ABD) and len(folded) > 4:
            rest = folded[3:]
            rest = rest[2:] if rest.startswith(_AL) else rest
            return tuple(prefix + base for base in words.get(rest, ()) for prefix in ("abdul", "abdel", "abd", "abdal"))
        return ()

    def spellings(self) -> set[str]:
        """Every Latin spelling the lexicon's rows hold (what a test set's spellings must not be drawn from)."""
        tables = (self.latin_families, self.korean_surnames, self.han_surnames, self.arabic_words)
        return {s for table in tables for row in table.values() for s in row}

    def without(self, spellings: Iterable[str] = (), natives: Iterable[str] = ()) -> Lexicon:
        """This lexicon less every row that holds one of `spellings` (lower-case ASCII) or is keyed by one
        of `natives` (a Hangul, Han or Arabic-script word, compared after Arabic folding)."""
        banned, keys = set(spellings), {fold_arabic(n) for n in natives} | set(natives)

        def keep(table: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
            return {k: row for k, row in table.items() if k not in keys and banned.isdisjoint(row)}

        return Lexicon(
            keep(self.latin_families),
            keep(self.korean_surnames),
            self.korean_family_of,
            keep(self.han_surnames),
            keep(self.arabic_words),
        )


@cache
def default_lexicon() -> Lexicon:
    latin = {row[0]: tuple(row[1].split()) for row in read_rows("latin_families.tsv")}
    korean, family_of = {}, {}
    for surname, owner, spellings in read_rows("korean_surnames.tsv"):
        korean[surname] = tuple(spellings.split())
        family_of[surname] = owner or surname
    han = {char: tuple(row[1].split()) for row in read_rows("han_surnames.tsv") for char in row[0].split()}
    arabic = {fold_arabic(row[0]): tuple(row[1].split()) for row in read_rows("arabic_words.tsv")}
    return Lexicon(latin, korean, family_of, han, arabic)


@cache
def name_words(kind: str) -> frozenset[str]:
    """`honorific`, `particle` or `patronymic_ending` words of `name_words.tsv`."""
    return frozenset(w for row in read_rows("name_words.tsv") if row[0] == kind for w in row[1].split())
