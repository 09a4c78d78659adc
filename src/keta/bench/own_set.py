"""keta's own labelled multi-script screening set, generated deterministically from a seed.

Persons on the watchlist are written in their own script (Hangul, Cyrillic, Arabic and Persian, Han, Greek, Turkish,
German, Spanish, French, Vietnamese, English) with partial birth dates, alpha-3 nationality, gender and, for ~30 %,
a Latin alias. Queries are what a traveller types from the passport page: half true matches labelled with the entity
they must find, half hard negatives. Where the spellings come from, and how the engine is kept from grading itself
with them, is in `own_names.py`. A negative is never a true match by accident: no entry with the same person key
(surname, first given name) or the same spelling (as a multiset of letters, so joins, hyphens and order cannot hide
it) lacks a birth date or is born less than 3 years from it. Same-name negatives are the namesakes lists really
produce: same nationality, both dates complete, born 3–9 years apart.
"""

from __future__ import annotations

import calendar
import random
import string
from collections import defaultdict
from dataclasses import dataclass, replace

from keta.bench import LabelledQuery, ScreeningSet
from keta.bench.own_names import (
    NEGATIVE_CATEGORIES,
    ORIGINS,
    POSITIVE_CATEGORIES,
    SCRIPT_CATEGORIES,
    Person,
    Pick,
    _canonical,
    _forms,
    _unique,
    cyrillic,
    fields,
    fold,
    greek,
    make_person,
    native_name,
    pools,
    spellings_of,
    word_part,
)
from keta.domain.screening.model import PartialDate, Query, WatchlistEntry

__all__ = [
    "MIN_SIZE", "NEGATIVE_CATEGORIES", "POSITIVE_CATEGORIES", "SCRIPT_CATEGORIES", "build_own_set", "cyrillic",
    "fold", "greek", "spellings_of", "word_part",
]  # fmt: skip

DEFAULT_SEED = 20261129
DEFAULT_SIZE = 2000
MIN_SIZE = 200
_NEGATIVE_SHARES = (0.4, 0.3, 0.3)
_LATIN_ORIGINS = ("tr", "de", "es", "fr", "vi", "en")


def _compatible(dates: tuple[PartialDate, ...], dob: PartialDate) -> bool:
    """Could be the same person: no date on the list, a date that is not complete, or one less than 3 years away."""
    return not dates or any(d.day is None or abs(d.year - dob.year) < 3 for d in dates)


def _full_date(rng: random.Random, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    month = month or rng.randint(1, 12)
    last = calendar.monthrange(year, month)[1]
    return PartialDate(year, month, min(day, last) if day else rng.randint(1, last))


def _typo(text: str, rng: random.Random) -> str | None:
    """One edit (substitution, deletion, insertion, transposition) inside a word of at least four letters."""
    words = text.split(" ")
    choices = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not choices:
        return None
    i = rng.choice(choices)
    w, j = words[i], rng.randrange(1, len(words[i]) - 1)
    c = rng.choice(string.ascii_uppercase.replace(w[j].upper(), ""))
    swap = w[:j] + w[j + 1] + w[j] + w[j + 2 :] if w[j] != w[j + 1] else w[:j] + w[j + 1 :]
    words[i] = rng.choice((w[:j] + c + w[j + 1 :], w[:j] + w[j + 1 :], w[:j] + c + w[j:], swap))
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class _Record:
    person: Person
    entry: WatchlistEntry
    alias: tuple[str, str] | None


def _eligible(category: str, r: _Record) -> bool:
    p, dates = r.person, r.entry.birth_dates
    first = dates[0] if dates else PartialDate(1)
    if category in SCRIPT_CATEGORIES:  # Latin-script origins count only when there is something to fold
        return p.origin in SCRIPT_CATEGORIES[category] and (
            p.origin not in _LATIN_ORIGINS or not r.entry.names[0].isascii()
        )
    return {
        "latin_alias": r.alias is not None,
        "middle_name": bool(p.middles) or len(p.surname) > 1 or p.origin in ("tr", "de", "fr", "en", "el"),
        "typo": any(len(w) >= 4 and w.isalpha() for w in " ".join(fields(p, _canonical)).split(" ")),
        "dob_year_only": len(dates) == 1 and first.month is None,
        "dob_pm1": first.day is not None,
        "dob_swapped": first.day is not None and first.day <= 12 and first.day != first.month,
    }.get(category, True)


class _Builder:
    def __init__(self, size: int, seed: int, part: str) -> None:
        self.part = part
        self.rng = random.Random(seed)  # noqa: S311
        self.records: list[_Record] = []
        self.by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.by_form: dict[str, list[int]] = defaultdict(list)
        for i in range(size):
            self._add(i, make_person(self._origin(), self.rng, part=part))

    def _origin(self) -> str:
        return self.rng.choices(list(ORIGINS), [w for w, _ in ORIGINS.values()])[0]

    def _pick_any(self, p: Person) -> Pick:
        n = 2 if p.origin in _LATIN_ORIGINS else None  # never the spelling with diacritics
        return lambda part: self.rng.choice(part.latin[:n])

    def _add(self, i: int, p: Person) -> None:
        rng = self.rng
        alias = fields(p, self._pick_any(p)) if rng.random() < 0.3 else None
        names = _unique([native_name(p, rng), *([f"{alias[1]} {alias[0]}".title()] if alias else [])])
        nationalities = (rng.choice(ORIGINS[p.origin][1]),) if rng.random() < 0.9 else ()
        gender = p.sex if rng.random() < 0.9 else None
        entry = WatchlistEntry(f"own-e{i:05d}", names, self._entry_dates(), nationalities, gender, list_name="keta-own")
        self.records.append(_Record(p, entry, alias))
        self.by_key[p.key].append(i)
        for form in _forms(p):
            self.by_form[form].append(i)

    def _entry_dates(self) -> tuple[PartialDate, ...]:
        rng = self.rng
        if rng.random() < 0.04:
            return ()
        year, r = rng.randint(1945, 2004), rng.random()
        full = _full_date(rng, year)
        first = full if r < 0.68 else PartialDate(year, full.month) if r < 0.78 else PartialDate(year)
        return (first, PartialDate(year + rng.choice((-2, -1, 1, 2)))) if rng.random() < 0.05 else (first,)

    def _script_fields(self, p: Person) -> tuple[str, str]:
        rng = self.rng
        if p.origin in _LATIN_ORIGINS:  # one style for the whole name: ICAO (OE, UE), plain, or with diacritics
            style = rng.choices((0, 1, 2), (0.4, 0.45, 0.15))[0]
            return fields(p, lambda part: part.latin[style])
        patronymic = rng.random() < (0.5 if p.origin == "ar" else 0.3)
        return fields(p, lambda part: rng.choice(part.latin), patronymic=patronymic)

    def _middle_fields(self, p: Person) -> tuple[str, str]:
        surname, given = fields(p, _canonical, middles=False)
        if p.middles:
            return surname, given
        if len(p.surname) > 1:
            return _canonical(p.surname[0]), given
        extra = self.rng.choice([w for w in pools(self.part).words[f"{p.origin}.{p.sex}"] if w != p.given.native])
        return surname, f"{given} {_canonical(word_part(p.origin, extra))}"

    def _query(self, surname: str, given: str, dob: PartialDate, nationality: str, sex: str) -> Query:
        if self.rng.random() < 0.15 and (surname + given).isascii():  # mostly upper case, as printed
            surname, given = surname.title(), given.title()
        return Query("", surname, given, dob, nationality, sex)

    def positives(self, n: int) -> list[LabelledQuery]:
        buckets = {c: [i for i, r in enumerate(self.records) if _eligible(c, r)] for c in POSITIVE_CATEGORIES}
        for bucket in buckets.values():
            self.rng.shuffle(bucket)
        used: set[int] = set()
        out: list[LabelledQuery] = []
        while len(out) < n and any(buckets.values()):
            for category, bucket in buckets.items():
                while bucket and bucket[-1] in used:
                    bucket.pop()
                if bucket and len(out) < n:
                    used.add(i := bucket.pop())
                    out.append(self._positive(self.records[i], category))
        return out

    def _positive(self, r: _Record, category: str) -> LabelledQuery:
        rng, p, dates = self.rng, r.person, r.entry.birth_dates
        d = dates[0] if dates else _full_date(rng, rng.randint(1945, 2004))
        dob = _full_date(rng, d.year, d.month, d.day)
        if category in SCRIPT_CATEGORIES:
            surname, given = self._script_fields(p)
        elif category == "latin_alias" and r.alias:
            surname, given = r.alias
        elif category == "middle_name":
            surname, given = self._middle_fields(p)
        else:
            surname, given = fields(p, _canonical)
        if category == "order_swapped":
            surname, given = given, surname
        elif category == "comma_order":
            surname, given = f"{surname}, {given}", ""
        elif category == "typo":
            in_surname = rng.random() < 0.5
            first = _typo(surname if in_surname else given, rng)
            if first is None:
                in_surname = not in_surname
                first = _typo(surname if in_surname else given, rng)
            if first is not None:
                surname, given = (first, given) if in_surname else (surname, first)
        elif category == "dob_pm1" and d.day:
            dob = _full_date(rng, d.year + rng.choice((-1, 1)), d.month, d.day)
        elif category == "dob_swapped" and d.month and d.day:
            dob = PartialDate(d.year, d.day, d.month)
        nationality = r.entry.nationalities[0] if r.entry.nationalities else rng.choice(ORIGINS[p.origin][1])
        return LabelledQuery(self._query(surname, given, dob, nationality, p.sex), category, True, r.entry.entity_id)

    def negatives(self, n: int) -> list[LabelledQuery]:
        counts = [round(n * share) for share in _NEGATIVE_SHARES[:-1]]
        counts.append(n - sum(counts))
        dated = [r for r in self.records if r.entry.birth_dates]
        out: list[LabelledQuery] = []
        for category, count in zip(NEGATIVE_CATEGORIES, counts, strict=True):
            made = 0
            for _ in range(100 * count):
                if made == count:
                    break
                if query := self._negative(category, dated):
                    out.append(LabelledQuery(query, category, False))
                    made += 1
        return out

    def _negative(self, category: str, dated: list[_Record]) -> Query | None:
        rng = self.rng
        if category == "neg_stranger":
            p = make_person(self._origin(), rng, part=self.part)
            if p.key in self.by_key:
                return None
            dob = _full_date(rng, rng.randint(1940, 2006))
            if rng.random() < 0.2:  # typed in the person's own script
                surname, given = " ".join(x.native for x in p.surname), " ".join(x.native for x in p.given_parts())
            else:
                surname, given = fields(p, self._pick_any(p))
            nationality = rng.choice(ORIGINS[p.origin][1])
        else:
            r = rng.choice(dated)
            p = r.person
            if category == "neg_same_surname":
                other = make_person(p.origin, rng, p.sex, part=self.part)
                p = Person(p.origin, p.sex, p.surname, other.given, other.middles, other.patronymic)
                if p.key in self.by_key:  # another given name than anyone on the list with this surname
                    return None
                surname, given = fields(p, _canonical)
            else:
                surname, given = self._script_fields(p) if rng.random() < 0.5 else fields(p, _canonical)
            # The namesakes lists really produce: both dates complete, 3–9 years apart (closer is not separable
            # by date; further is easier). The listed date must be complete for that to hold.
            if r.entry.birth_dates[0].day is None:
                return None
            year = r.entry.birth_dates[0].year + rng.choice((-1, 1)) * rng.randint(3, 9)
            dob = _full_date(rng, min(max(year, 1930), 2008))
            nationality = r.entry.nationalities[0] if r.entry.nationalities else rng.choice(ORIGINS[p.origin][1])
        return None if self._conflicts(p, dob) else self._query(surname, given, dob, nationality, p.sex)

    def _conflicts(self, p: Person, dob: PartialDate) -> bool:
        """Would the query be a true match of some entry (same person key or spelling, compatible birth date)?"""
        near = set(self.by_key.get(p.key, ()))
        for form in _forms(p):
            near.update(self.by_form.get(form, ()))
        return any(_compatible(self.records[i].entry.birth_dates, dob) for i in near)


def build_own_set(size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, part: str = "all") -> ScreeningSet:
    """`size` queries (half true matches, half hard negatives) over a watchlist of `size` entries, drawn from the
    name pools of `part` ("all", "tuning" or "held_out": see `own_names.pools`)."""
    if size < MIN_SIZE:
        raise ValueError(f"the own set needs at least {MIN_SIZE} queries, got {size}")
    builder = _Builder(size, seed, part)
    labelled = builder.positives(size // 2) + builder.negatives(size - size // 2)
    builder.rng.shuffle(labelled)
    queries = tuple(replace(q, query=replace(q.query, id=f"own-q{i:05d}")) for i, q in enumerate(labelled))
    note = f"seed {seed}, {part} pools; same-name negatives born 3–9 years apart, both dates complete"
    name = "own" if part == "all" else f"own_{part}"
    return ScreeningSet(name, tuple(r.entry for r in builder.records), queries, (note,))
