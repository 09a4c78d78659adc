"""Screening's scoring, declared as data: every feature with its weights, every setting with what it does.

    score = name score (best over the entry's names, 0–1)
          + Σ weight[feature, outcome]        for the evidence features below
    outcome = hit if score ≥ thresholds.hit, review if ≥ thresholds.review, else clear

Each evidence feature is a small pure function that answers with an outcome from a closed set and an
officer-facing explanation; the weight of each outcome is a row of `WEIGHTS`. A policy may override any
row by name (`[screening.weights]` in the policy file, e.g. `"birth_date.different_person" = -0.5`) and
the thresholds (`[screening]`), and `keta bench screening-quality` shows what that costs or gains.
The name comparison's own settings (`NAME_SETTINGS`) are declared here too, so a reader sees every number
in one place; they are fixed in code because the candidate index is built with them.

One rule is not a weight: the same document number on both sides is strong evidence that it is the same
person, so it cancels a contradicting birth date (`STRONG_OVERRIDES_DATE`). Place of birth would be the
other such evidence; applicants' place of birth is not collected, so it is not used.

Weights were chosen on the public sets (yente fixtures, name_bench: tuning data) and on the own set's
tuning seeds; the own set's held-out seeds and the namesake set were not used to choose them (see
`keta bench screening-quality`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Weight:
    feature: str
    outcome: str
    value: float
    description: str

    @property
    def key(self) -> str:
        return f"{self.feature}.{self.outcome}"


def _table(*rows: Weight) -> dict[str, Weight]:
    return {row.key: row for row in rows}


WEIGHTS: Mapping[str, Weight] = _table(
    # birth date (birth_dates.compare_birth_dates): what lists get wrong is forgiven, the rest is another person
    Weight("birth_date", "equal", 0.08, "both dates complete and equal"),
    Weight("birth_date", "equal_as_listed", 0.04, "the list knows only the year (or year and month), and it agrees"),
    Weight("birth_date", "day_month_swapped", 0.03, "same year, day and month swapped (a common list error)"),
    Weight("birth_date", "year_off_by_one", -0.05, "same day and month, year ±1 (a common list error)"),
    Weight("birth_date", "one_digit", -0.06, "one digit mistyped or two adjacent digits transposed"),
    Weight("birth_date", "month_differs_partial", -0.15, "list knows year and month: same year, another month"),
    Weight(
        "birth_date",
        "years_apart_partial",
        -0.35,
        "list knows only the year: 2–3 years away ('circa'); not a list error: the name alone does not reach review",
    ),
    Weight("birth_date", "different_person", -0.5, "beyond every list error: a namesake, not the person"),
    # corroboration (evidence.corroboration): two weak agreements are not one strong one
    Weight(
        "corroboration",
        "partial_date_similar_name",
        -0.25,
        "the list knows only the year (or year and month) and a name part is only similar to the listed one",
    ),
    Weight(
        "corroboration",
        "partial_date_other_name",
        -0.35,
        "as partial_date_similar_name, and the passport's word is itself a name the list holds (another name, "
        "not a typo)",
    ),
    Weight(
        "corroboration",
        "partial_date_partial_name",
        -0.35,
        "the list knows only the year (or year and month) and the name agrees only in part (completeness below "
        "corroboration.strong_name_from: a given name on one side that the other lacks)",
    ),
    Weight(
        "corroboration",
        "partial_date_sex_differs",
        -0.3,
        "the list knows only the year (or year and month) and the sexes differ: only a name and a year agree",
    ),
    Weight(
        "corroboration",
        "list_error_weak_name",
        -0.3,
        "a complete date that agrees only through a list error (year ±1, day/month swapped, one digit) and a name "
        "scoring below corroboration.weak_name_below or with no part better than similar",
    ),
    # nationality (evidence.compare_nationality)
    Weight("nationality", "listed", 0.03, "the applicant's nationality is among the listed ones"),
    Weight("nationality", "not_listed", -0.05, "the list names other nationalities"),
    # sex (evidence.compare_sex)
    Weight("sex", "differs", -0.12, "both known (M/F) and different"),
    # document number (evidence.compare_documents)
    Weight("document", "equal", 0.3, "the passport number is one the list holds for this person"),
)

DEFAULT_THRESHOLDS: Mapping[str, float] = {"review": 0.70, "hit": 0.90, "name": 0.80}
THRESHOLD_DESCRIPTIONS: Mapping[str, str] = {
    "review": "best match at or above it sends the application to an officer",
    "hit": "best match at or above it is a probable hit (an officer still decides)",
    "name": "two names alone match at or above it (keta names compare)",
}

# A name part paired below this agrees only approximately (a curated spelling family or a transliteration variant
# scores 0.97, an exact part 1.0): a typo, a sound-alike, an initial.
SIMILAR_NAME_BELOW = 0.97
# A whole name scoring below this leaves much of itself unexplained (parts missing on both sides, weak pairings).
WEAK_NAME_BELOW = 0.80
# With a partial listed date the name must agree in full: every part paired. Measured as completeness (the name
# score were every pairing exact): a patronymic or father's name the passport leaves out gives 0.95–0.96, a given
# name one side lacks 0.85–0.89. Chosen on the namesake set's
# tuning seeds at 1,000,000 entities (`keta bench screening-speed`), not on its held-out seeds.
STRONG_NAME_FROM = 0.94

# Outcomes that are strong evidence of the same person: a contradicting birth date weighs nothing beside them.
STRONG_OVERRIDES_DATE = frozenset({"document.equal"})


@dataclass(frozen=True, slots=True)
class Setting:
    value: float
    description: str


# The name comparison (features.py), declared here; see the module docstring for why they are not per policy.
NAME_SETTINGS: Mapping[str, Setting] = {
    "token.family": Setting(0.97, "two spellings of one curated family (data/latin_families.tsv, …)"),
    "token.variant": Setting(0.97, "one token's transliteration variant is the other's spelling"),
    "token.phonetic": Setting(0.93, "same phonetic key (phonetic.py)"),
    "token.initial": Setting(0.85, "an initial against a name with that first letter"),
    "token.syllable_cap": Setting(0.70, "most a romanized Hangul/Han syllable gets for being 'similar' to another"),
    "token.arabic_skeleton": Setting(0.90, "an Arabic-script word and a Latin spelling share a consonant skeleton"),
    "token.similar_jaro_winkler": Setting(0.35, "share of Jaro-Winkler in plain string similarity"),
    "token.similar_osa": Setting(0.65, "share of edit distance with transpositions in plain string similarity"),
    "token.native_short": Setting(0.80, "share of edit similarity two short words of the same script get (김 vs 감)"),
    "align.floor": Setting(0.72, "token pairings below this are not pairings"),
    "weight.length_base": Setting(0.50, "a token weighs min(length, 8)/8 + this: long names say more than short"),
    "weight.middle": Setting(0.35, "an unmatched middle name costs this share of a full token"),
    "weight.particle": Setting(0.10, "an unmatched particle or title (al-, bin, van, Dr) costs this share"),
    "coverage.anchor": Setting(0.75, "exponent of the anchored side's coverage (the passport's names must be found)"),
    "coverage.other": Setting(0.25, "exponent of the other side's coverage (lists carry extra names)"),
    "conflict.penalty": Setting(0.12, "per name on each side that the other lacks (Ivanovich vs Viktorovich)"),
}


def weights_with(overrides: Mapping[str, float] | None) -> dict[str, float]:
    """The declared weights with a policy's overrides; raises KeyError naming an unknown row."""
    values = {key: row.value for key, row in WEIGHTS.items()}
    for key, value in (overrides or {}).items():
        if key not in values:
            raise KeyError(key)
        values[key] = value
    return values


def describe() -> list[tuple[str, float, str]]:
    """Every number of the scoring, for a reader: (name, value, what it does)."""
    rows = [(f"threshold.{k}", v, THRESHOLD_DESCRIPTIONS[k]) for k, v in DEFAULT_THRESHOLDS.items()]
    rows += [(f"weight.{w.key}", w.value, w.description) for w in WEIGHTS.values()]
    rows += [(f"name.{k}", s.value, s.description) for k, s in NAME_SETTINGS.items()]
    rows += [
        ("corroboration.similar_name_below", SIMILAR_NAME_BELOW, "a name part paired below this is only similar"),
        ("corroboration.weak_name_below", WEAK_NAME_BELOW, "a whole name below this agrees too little"),
        ("corroboration.strong_name_from", STRONG_NAME_FROM, "a partial listed date needs a name this complete"),
    ]
    return rows
