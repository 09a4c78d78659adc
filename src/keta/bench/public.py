"""Loaders for the public benchmark sets (OpenSanctions, MIT licence) in `../shared/benchmarks/public`.

- nomenklatura `name_bench_cases.csv`: the Person rows become labelled name pairs; `logicv2-frozen.csv` is
  the peer's stored run (score per pair), shown at its own threshold 0.70.
- yente fixtures: watchlist = `positives_un_untreated` + `positives_us_congress_untreated` (entity ids are
  row numbers with a prefix); true-match queries = `positives_un_treated` (row i must find untreated row i);
  negatives = a seeded sample of `negatives_global` + `negatives_us`.

Query names: these files give one `full_name` per person (often "LAST, First" or reordered), so the whole
name goes in `Query.surname` and `given_names` stays empty, for every screener alike; the screener must not
rely on the split. Dates are partial and sometimes malformed (`1969-7-16`, `1974-01-32`): they are read
leniently and fall back to year-month or year when the day or month is invalid. Nationality (alpha-2 in the
positives, country names in the negatives) is converted to alpha-3 with the `iso3166` package (plus the
short names below) when it is installed, and left out otherwise. Sex is left out: the positives do not carry it.
"""

from __future__ import annotations

import csv
import importlib
import os
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from keta.bench import LabelledQuery, NamePair, ScreeningSet
from keta.domain.screening.model import PartialDate, Query, WatchlistEntry

ENV_VAR = "KETA_BENCH_PUBLIC"
DEFAULT_RELATIVE = Path("..") / "shared" / "benchmarks" / "public"
PEER_LABEL = "logic-v2 (frozen)"
PEER_THRESHOLD = 0.70
DEFAULT_NEGATIVES = 10_000
YENTE_FILES = (
    "positives_un_untreated.csv",
    "positives_un_treated.csv",
    "positives_us_congress_untreated.csv",
    "negatives_global.csv",
    "negatives_us.csv",
)
# Short country names used in the yente negatives that ISO 3166 spells otherwise.
_COUNTRY_ALIASES = {
    "bolivia": "BO",
    "brunei": "BN",
    "czech republic": "CZ",
    "democratic republic of the congo": "CD",
    "east timor": "TL",
    "iran": "IR",
    "ivory coast": "CI",
    "laos": "LA",
    "moldova": "MD",
    "north korea": "KP",
    "palestine": "PS",
    "russia": "RU",
    "south korea": "KR",
    "syria": "SY",
    "tanzania": "TZ",
    "turkey": "TR",
    "united kingdom": "GB",
    "united states": "US",
    "venezuela": "VE",
    "vietnam": "VN",
}
_LOOSE_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def resolve_public_dir(option: Path | None = None) -> Path | None:
    """`--public-dir`, else $KETA_BENCH_PUBLIC, else ../shared/benchmarks/public from the current directory."""
    env = os.environ.get(ENV_VAR)
    candidate = option or (Path(env) if env else Path.cwd() / DEFAULT_RELATIVE)
    return candidate.resolve() if candidate.is_dir() else None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_name_bench(directory: Path) -> tuple[NamePair, ...] | None:
    path = directory / "nomenklatura" / "name_bench_cases.csv"
    if not path.is_file():
        return None
    return tuple(
        NamePair(r["name1"], r["name2"], r["is_match"].strip().lower() == "true", r["case_group"])
        for r in _rows(path)
        if r["schema"] == "Person"
    )


@dataclass(frozen=True, slots=True)
class PeerRun:
    """A peer's stored scores on name pairs, judged at its own threshold."""

    label: str
    threshold: float
    scored: tuple[tuple[NamePair, float], ...]


def load_peer_run(directory: Path) -> PeerRun | None:
    path = directory / "nomenklatura" / "logicv2-frozen.csv"
    if not path.is_file():
        return None
    scored = tuple(
        (NamePair(r["name1"], r["name2"], r["is_match"].strip().lower() == "true", r["case_group"]), float(r["score"]))
        for r in _rows(path)
        if r["schema"] == "Person"
    )
    return PeerRun(PEER_LABEL, PEER_THRESHOLD, scored)


def loose_date(text: str) -> PartialDate | None:
    """`1980`, `1980-5-3`; an impossible day or month falls back to the part that is valid."""
    match = _LOOSE_DATE.match(text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    for candidate in ((year, month, day), (year, month, None), (year, None, None)):
        try:
            return PartialDate.parse(str(PartialDate(*candidate)))
        except ValueError:
            continue
    return None


def country_converter() -> tuple[Callable[[str], str | None], str]:
    """Alpha-2 code or English country name → alpha-3, and a note saying how (or that it is skipped)."""
    try:
        countries = importlib.import_module("iso3166").countries
    except ImportError:
        return (lambda _value: None), "nationality skipped (the iso3166 package is not installed)"

    def convert(value: str) -> str | None:
        value = value.strip()
        try:
            return str(countries.get(_COUNTRY_ALIASES.get(value.lower(), value)).alpha3)
        except KeyError:
            return None

    return convert, "nationality converted to alpha-3 with iso3166 (+ common short names); unknown ones left out"


def _treated_category(treated: dict[str, str], untreated: dict[str, str]) -> str:
    """The fixture shifts some birth dates by years because it tests retrieval, which ignores dates: those rows
    are counted apart ("un_treated_dob_shifted"), so that a date-aware screener's recall on them reads as
    what it is — a decade-off date is no evidence a list gets dates that wrong."""
    a, b = loose_date(treated["date_of_birth"]), loose_date(untreated["date_of_birth"])
    return "un_treated_dob_shifted" if a and b and abs(a.year - b.year) >= 2 else "un_treated"


def load_yente(
    directory: Path, *, negatives_sample: int = DEFAULT_NEGATIVES, seed: int = 20261129
) -> ScreeningSet | None:
    base = directory / "yente"
    if not all((base / name).is_file() for name in YENTE_FILES):
        return None
    nationality, nationality_note = country_converter()

    def query(qid: str, row: dict[str, str]) -> Query:
        born = loose_date(row["date_of_birth"])
        return Query(
            qid, row["full_name"].strip(), "", born, nationality(row["nationality"]) if row["nationality"] else None
        )

    def entry(eid: str, row: dict[str, str]) -> WatchlistEntry:
        born, country = loose_date(row["date_of_birth"]), row["nationality"] and nationality(row["nationality"])
        return WatchlistEntry(eid, (row["full_name"].strip(),), (born,) if born else (), (country,) if country else ())

    untreated, treated = _rows(base / "positives_un_untreated.csv"), _rows(base / "positives_un_treated.csv")
    if len(untreated) != len(treated):
        raise ValueError(f"{base}: treated and untreated UN rows differ in number ({len(treated)} vs {len(untreated)})")
    congress = _rows(base / "positives_us_congress_untreated.csv")
    entries = [entry(f"yente-un-{i}", r) for i, r in enumerate(untreated)]
    entries += [entry(f"yente-us-congress-{i}", r) for i, r in enumerate(congress)]
    queries = [
        LabelledQuery(query(f"yente-q-un-{i}", r), _treated_category(r, untreated[i]), True, f"yente-un-{i}")
        for i, r in enumerate(treated)
    ]
    pool = [("neg_global", r) for r in _rows(base / "negatives_global.csv")]
    pool += [("neg_us", r) for r in _rows(base / "negatives_us.csv")]
    sample = random.Random(seed).sample(range(len(pool)), min(negatives_sample, len(pool)))  # noqa: S311
    queries += [LabelledQuery(query(f"yente-q-neg-{i}", pool[i][1]), pool[i][0], False) for i in sorted(sample)]
    notes = (
        "query name: full_name in surname, given names empty (every screener alike)",
        f"negatives: {len(sample):,} of {len(pool):,} sampled with seed {seed}",
        nationality_note,
    )
    return ScreeningSet("yente", tuple(entries), tuple(queries), notes)
