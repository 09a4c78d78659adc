"""A large synthetic watchlist, fast: 1,000,000 entities in seconds, and queries drawn from it.

Names are sampled (uniformly) from Faker's per-locale first- and last-name lists (class attributes of
`faker.providers.person.<locale>.Provider`; Faker is imported only here, when a list is generated) with
numpy's Generator; each entity gets a partial birth date (65 % full, 10 % year-month, 25 % year), a
nationality for 90 %, a gender, a middle name for some, and for ~30 % a Latin alias (anyascii of the name,
surname first). Queries: half drawn from the list (Latin as on a passport, lightly perturbed: one typo, swapped
fields, title case), half strangers made of a given name and a surname from two different locales.
"""

from __future__ import annotations

import gc
import importlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from anyascii import anyascii

from keta.bench import LabelledQuery
from keta.domain.screening.model import PartialDate, Query, WatchlistEntry

DEFAULT_SEED = 20261129
# Faker locale, nationality (alpha-3), share of the list, name order: "given" (Given Surname), "east" (SurnameGiven,
# no space), "family" (Surname Given, with spaces).
LOCALES: tuple[tuple[str, str, float, str], ...] = (
    ("en_US", "USA", 0.12, "given"),
    ("es_ES", "ESP", 0.07, "given"),
    ("de_DE", "DEU", 0.05, "given"),
    ("fr_FR", "FRA", 0.05, "given"),
    ("it_IT", "ITA", 0.04, "given"),
    ("pt_BR", "BRA", 0.04, "given"),
    ("tr_TR", "TUR", 0.06, "given"),
    ("ru_RU", "RUS", 0.09, "given"),
    ("uk_UA", "UKR", 0.03, "given"),
    ("el_GR", "GRC", 0.03, "given"),
    ("ar_AA", "SAU", 0.10, "given"),
    ("fa_IR", "IRN", 0.04, "given"),
    ("hi_IN", "IND", 0.04, "given"),
    ("id_ID", "IDN", 0.04, "given"),
    ("ko_KR", "KOR", 0.06, "east"),
    ("zh_CN", "CHN", 0.08, "east"),
    ("zh_TW", "TWN", 0.02, "east"),
    ("ja_JP", "JPN", 0.02, "east"),
    ("vi_VN", "VNM", 0.02, "family"),
)
_PRECISION = (0.65, 0.10, 0.25)  # full date, year-month, year


@dataclass(frozen=True, slots=True)
class Pool:
    locale: str
    nationality: str
    order: str
    given: tuple[tuple[str, ...], tuple[str, ...]]  # (male, female)
    surnames: tuple[tuple[str, ...], tuple[str, ...]]  # (male, female) forms
    middles: tuple[str, ...]
    latin: dict[str, str]  # every name above → upper-case anyascii


def _names(provider: Any, *attributes: str) -> tuple[str, ...]:
    for attribute in attributes:
        value = getattr(provider, attribute, None)
        if value and len(value) > 2:
            return tuple(str(v) for v in value)  # tuples, lists, or weighted OrderedDicts (their keys)
    raise LookupError(f"{provider.__module__}: none of {attributes}")


def load_pools() -> list[Pool]:
    pools = []
    for locale, nationality, _share, order in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        given = (
            _names(provider, "first_names_male", "first_names"),
            _names(provider, "first_names_female", "first_names"),
        )
        surnames = (
            _names(provider, "last_names_male", "last_names"),
            _names(provider, "last_names_female", "last_names"),
        )
        middles = _names(provider, "middle_names") if locale == "vi_VN" else ()
        every = {n for group in (*given, *surnames, middles) for n in group}
        pools.append(Pool(locale, nationality, order, given, surnames, middles, {n: _romanize(n) for n in every}))
    return pools


@dataclass(frozen=True, slots=True)
class Synthetic:
    entries: list[WatchlistEntry]
    pools: list[Pool]
    parts: list[tuple[int, str, str, str]]  # per entry: pool index, surname, given names, sex

    @property
    def names(self) -> int:
        return sum(len(e.names) for e in self.entries)


def _romanize(name: str) -> str:
    return anyascii(name).upper().replace("`", "").replace("'", "")


def _latin(pool: Pool, names: str) -> str:
    return " ".join(pool.latin[x] if x in pool.latin else _romanize(x) for x in names.split(" "))


def generate_watchlist(n: int, *, seed: int = DEFAULT_SEED, pools: Sequence[Pool] | None = None) -> Synthetic:
    """`n` entities; the same seed gives the same list. The cyclic GC is paused meanwhile (halves the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _generate(n, seed, list(pools or load_pools()))
    finally:
        if enabled:
            gc.enable()


def _generate(n: int, seed: int, pools: list[Pool]) -> Synthetic:
    rng = np.random.default_rng(seed)
    shares = np.array([share for _, _, share, _ in LOCALES])
    where = rng.choice(len(pools), size=n, p=shares / shares.sum()).tolist()
    female = (rng.random(n) < 0.5).tolist()
    u_given, u_surname, u_middle, u_second = (rng.random(n).tolist() for _ in range(4))
    has_middle, has_alias, has_nationality = ((rng.random(n) < p).tolist() for p in (0.15, 0.30, 0.90))
    years = rng.integers(1940, 2006, n).tolist()
    months = rng.integers(1, 13, n).tolist()
    days = rng.integers(1, 29, n).tolist()
    precision = rng.choice(3, size=n, p=_PRECISION).tolist()
    dates: dict[tuple[int, int | None, int | None], tuple[PartialDate, ...]] = {}
    nationalities = [(p.nationality,) for p in pools]
    entries: list[WatchlistEntry] = []
    parts: list[tuple[int, str, str, str]] = []
    for i in range(n):
        k, f = where[i], int(female[i])
        pool = pools[k]
        names = pool.given[f]
        given = names[int(u_given[i] * len(names))]
        surname = pool.surnames[f][int(u_surname[i] * len(pool.surnames[f]))]
        if pool.middles:
            given = f"{pool.middles[int(u_middle[i] * len(pool.middles))]} {given}"
        elif pool.locale == "zh_CN" and u_middle[i] < 0.5:  # a second character
            given += names[int(u_second[i] * len(names))]
        elif has_middle[i] and pool.order == "given":  # a second given name
            given += " " + names[int(u_second[i] * len(names))]
        name = (
            f"{surname}{given}"
            if pool.order == "east"
            else f"{surname} {given}"
            if pool.order == "family"
            else f"{given} {surname}"
        )
        alias = (f"{pool.latin[surname]} {_latin(pool, given)}",) if has_alias[i] else ()
        key = (years[i], months[i] if precision[i] < 2 else None, days[i] if precision[i] == 0 else None)
        born = dates.get(key) or dates.setdefault(key, (PartialDate(*key),))
        sex = "F" if f else "M"
        nationality = nationalities[k] if has_nationality[i] else ()
        entries.append(WatchlistEntry(f"syn-{i:07d}", (name, *alias), born, nationality, sex))
        parts.append((k, surname, given, sex))
    return Synthetic(entries, pools, parts)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    j = rng.randrange(1, len(word) - 1)
    return rng.choice(
        (word[:j] + word[j + 1 :], word[:j] + word[j + 1] + word[j] + word[j + 2 :], word[:j] + "E" + word[j + 1 :])
    )


def make_queries(data: Synthetic, n: int, *, seed: int = DEFAULT_SEED, match_share: float = 0.5) -> list[LabelledQuery]:
    """Queries as typed from a passport (Latin, upper case): matches lightly perturbed, and strangers."""
    rng = random.Random(seed)  # noqa: S311 (a benchmark, not security)
    out: list[LabelledQuery] = []
    for i in range(n):
        if rng.random() < match_share:
            index = rng.randrange(len(data.entries))
            k, surname, given, sex = data.parts[index]
            entry, pool = data.entries[index], data.pools[k]
            s = pool.latin[surname]
            g = _latin(pool, given)
            roll = rng.random()
            if roll < 0.3:
                s = _typo(s, rng)
            elif roll < 0.45:
                s, g = g, s
            elif roll < 0.55:
                s, g = s.title(), g.title()
            d = entry.birth_dates[0]
            born = PartialDate(d.year, d.month or rng.randint(1, 12), d.day or rng.randint(1, 28))
            nationality = entry.nationalities[0] if entry.nationalities else pool.nationality
            out.append(
                LabelledQuery(
                    Query(f"sq-{i:06d}", s, g, born, nationality, sex), "synthetic_match", True, entry.entity_id
                )
            )
        else:
            a, b = rng.sample(data.pools, 2)  # a given name and a surname from two different locales
            f = rng.randrange(2)
            g, s = rng.choice(a.given[f]), rng.choice(b.surnames[f])
            born = PartialDate(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
            query = Query(f"sq-{i:06d}", b.latin[s], a.latin[g], born, a.nationality, "FM"[f])
            out.append(LabelledQuery(query, "synthetic_stranger", False))
    return out
