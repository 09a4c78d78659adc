"""The namesake set: a large list with realistic name collisions, and the review rate it causes.

The list is the synthetic multi-script watchlist (`synthetic.py`: Faker's per-locale name pools, names in
their own script, a Latin alias for some), with a second candidate birth date for 5 % of the entries
(FtM keeps every `birthDate`). Queries are Latin, as typed from a passport page:

- true matches, one category per thing lists get wrong: the listed date exact, the year off by one, day and
  month swapped, a year-only listed date, the traveller's date being the list's second candidate, and a
  typo in the name with the exact date;
- innocent namesakes (`namesake_3_9y`): a listed person's full name (same pool, same sex and nationality),
  born 3–9 years from them, both dates complete. Innocent by construction: every listed entry with that
  name has a complete date at least 3 years from the traveller's (others are redrawn);
- innocent travellers (`traveller`): drawn from the same pools as the list, so at a million entries many
  share a name with someone listed; innocent by the same check.

The review rate is the share of innocent namesakes flagged (review or hit): at scale most false alarms
are namesakes, and each costs an officer's time. What this set does not show: spelling variety (the Latin
forms are anyascii's, one per name; the own set tests spellings), nor namesakes born 0–2 years apart
(not separable by date; only a document number or a place of birth tells them apart).
"""

from __future__ import annotations

import calendar
import random
from collections import defaultdict
from dataclasses import replace

from keta.bench import LabelledQuery, ScreeningSet
from keta.bench.synthetic import Synthetic, _latin, _typo, generate_watchlist
from keta.domain.screening.model import PartialDate, Query, WatchlistEntry

POSITIVE_CATEGORIES = (
    "list_date_exact",
    "list_year_off_by_one",
    "list_day_month_swapped",
    "list_year_only",
    "list_second_date",
    "name_typo",
)
NEGATIVE_CATEGORIES = ("namesake_3_9y", "traveller")
NAMESAKE_CATEGORY = "namesake_3_9y"
SECOND_DATE_SHARE = 0.05

Key = tuple[int, str, str, str]  # pool, surname, given names, sex


def _full(rng: random.Random, year: int) -> PartialDate:
    month = rng.randint(1, 12)
    return PartialDate(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


class NamesakeBuilder:
    """Built once per list; `queries(n, seed)` draws a query set from it (cheap), so one list serves many seeds."""

    def __init__(self, data: Synthetic, *, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 (a benchmark)
        self.data = data
        entries = list(data.entries)
        for i in rng.sample(range(len(entries)), int(len(entries) * SECOND_DATE_SHARE)):
            first = entries[i].birth_dates[0]
            entries[i] = replace(entries[i], birth_dates=(first, _full(rng, first.year + rng.choice((-2, -1, 1, 2)))))
        self.entries: tuple[WatchlistEntry, ...] = tuple(entries)
        self.by_key: dict[Key, list[int]] = defaultdict(list)
        for i, part in enumerate(data.parts):
            self.by_key[part].append(i)

    def innocent(self, key: Key, born: PartialDate) -> bool:
        """No entry with this name could be this traveller: each has complete dates ≥ 3 years away."""
        return all(
            d.day is not None and abs(d.year - born.year) >= 3
            for i in self.by_key.get(key, ())
            for d in self.entries[i].birth_dates
        )

    def _latin(self, key: Key) -> tuple[str, str]:
        pool = self.data.pools[key[0]]
        return pool.latin[key[1]], _latin(pool, key[2])

    def _nationality(self, i: int) -> str:
        entry = self.entries[i]
        return entry.nationalities[0] if entry.nationalities else self.data.pools[self.data.parts[i][0]].nationality

    def positive(self, category: str, rng: random.Random) -> LabelledQuery | None:
        i = rng.randrange(len(self.entries))
        entry, key = self.entries[i], self.data.parts[i]
        listed = entry.birth_dates[0]
        surname, given = self._latin(key)
        complete = listed.day is not None
        if category == "list_date_exact" and complete:
            born = listed
        elif category == "list_year_off_by_one" and complete:
            year = listed.year + rng.choice((-1, 1))
            assert listed.month is not None and listed.day is not None
            born = PartialDate(year, listed.month, min(listed.day, calendar.monthrange(year, listed.month)[1]))
        elif category == "list_day_month_swapped" and complete and listed.day != listed.month:
            assert listed.day is not None and listed.month is not None
            if listed.day > 12:
                return None
            born = PartialDate(listed.year, listed.day, listed.month)
        elif category == "list_year_only" and listed.month is None:
            born = _full(rng, listed.year)
        elif category == "list_second_date" and len(entry.birth_dates) > 1:
            born = entry.birth_dates[1]
        elif category == "name_typo" and complete:
            born, surname = listed, _typo(surname, rng)
        else:
            return None
        query = Query("", surname, given, born, self._nationality(i), key[3])
        return LabelledQuery(query, category, True, entry.entity_id)

    def negative(self, category: str, rng: random.Random) -> LabelledQuery | None:
        if category == NAMESAKE_CATEGORY:
            i = rng.randrange(len(self.entries))
            listed, key = self.entries[i].birth_dates[0], self.data.parts[i]
            if listed.day is None:
                return None
            year = listed.year + rng.choice((-1, 1)) * rng.randint(3, 9)
            nationality = self._nationality(i)
        else:
            k = rng.randrange(len(self.data.pools))
            pool, f = self.data.pools[k], rng.randrange(2)
            given = rng.choice(pool.given[f])
            if pool.locale == "zh_CN" and rng.random() < 0.5:
                given += rng.choice(pool.given[f])
            key = (k, rng.choice(pool.surnames[f]), given, "FM"[f])
            year, nationality = rng.randint(1940, 2005), pool.nationality
        born = _full(rng, min(max(year, 1930), 2008))
        if not self.innocent(key, born):
            return None
        surname, given = self._latin(key)
        return LabelledQuery(Query("", surname, given, born, nationality, key[3]), category, False)

    def queries(self, n: int, *, seed: int) -> tuple[LabelledQuery, ...]:
        """`n` queries: half true matches (equal shares per category), a third namesakes, the rest travellers."""
        rng = random.Random(seed)  # noqa: S311
        wanted = {c: n // 2 // len(POSITIVE_CATEGORIES) for c in POSITIVE_CATEGORIES}
        wanted[NAMESAKE_CATEGORY] = n // 3
        wanted["traveller"] = n - sum(wanted.values())
        out: list[LabelledQuery] = []
        for category, count in wanted.items():
            make = self.positive if category in POSITIVE_CATEGORIES else self.negative
            found = 0
            for _ in range(200 * count):
                if found == count:
                    break
                if (labelled := make(category, rng)) is not None:
                    query = replace(labelled.query, id=f"ns-{seed}-{len(out):06d}")
                    out.append(replace(labelled, query=query))
                    found += 1
        rng.shuffle(out)  # a prefix of the set is a sample of it (the baseline screens a prefix)
        return tuple(out)

    def screening_set(self, n: int, *, seed: int) -> ScreeningSet:
        note = f"{len(self.entries):,} synthetic entries (list seed fixed), queries seed {seed}"
        return ScreeningSet("namesakes", self.entries, self.queries(n, seed=seed), (note,))


def build_namesake_list(entities: int, *, seed: int) -> NamesakeBuilder:
    return NamesakeBuilder(generate_watchlist(entities, seed=seed), seed=seed)
