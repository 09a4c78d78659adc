"""Screening quality over many seeds: every figure as its mean and its worst seed, each set labelled by its role.

Sets and roles:
- `own_tuning`: keta's own multi-script set from the tuning part of its name pools — tuning data;
- `own_held_out`: the same generator on the held-out third of every pool and other seeds — no weight or
  threshold was chosen on it;
- `namesakes_tuning`: a synthetic list with realistic name collisions (`namesakes.py`), one list, query seeds
  vary — the birth-date evidence was designed and its thresholds chosen on it (and on the same generator at
  1,000,000 entities, `keta bench screening-speed`'s tuning seeds): tuning data;
- `namesakes_held_out`: the same generator with another list seed and other query seeds — nothing chosen on it;
- `yente` fixtures and `name_bench` pairs (OpenSanctions, MIT) — public, and tuning data. name_bench has no seed.

On the own sets keta is measured with every row of its data files that shares a spelling or a native word with
the set withheld (`Lexicon.without`): the table overlap is then zero by construction, and the figure says what
the engine does with names its tables do not know. The production engine (full tables) is shown beside it with
its overlap, for comparison only.

Figures: recall (true matches flagged with the right entity), false-positive rate (negatives flagged) and the
review rate (innocent namesakes flagged: a listed person's full name, same nationality, both dates complete,
born 3–9 years apart — at scale most false alarms are these, and each is an officer's time).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from keta.bench import Contestant, NamePair, Screener, ScreeningSet
from keta.bench.namesakes import NAMESAKE_CATEGORY, build_namesake_list
from keta.bench.own_names import spellings_of
from keta.bench.own_set import build_own_set
from keta.bench.public import PeerRun, load_name_bench, load_peer_run, load_yente
from keta.bench.quality import PairScore, ScreeningScore, Target, score_pairs, score_peer, screen_set
from keta.domain.screening.lexicon import Lexicon, default_lexicon
from keta.domain.screening.model import WatchlistEntry

KetaFactory = Callable[[str, Lexicon | None], Contestant]

TARGETS = {
    "own_tuning": Target(recall=0.97, fpr=0.01),
    "own_held_out": Target(recall=0.97, fpr=0.01),
    "namesakes_tuning": Target(recall=0.97, fpr=0.01),
    "namesakes_held_out": Target(recall=0.97, fpr=0.01),
    "yente": Target(recall=0.97, fpr=0.003),
    "name_bench": Target(f1=0.85),
}
ROLES = {
    "own_tuning": "tuning data",
    "own_held_out": "held out: no weight or threshold chosen on it",
    "namesakes_tuning": "tuning data: the birth-date evidence was designed on it",
    "namesakes_held_out": "held out: another list seed and other query seeds, nothing chosen on it",
    "yente": "public, tuning data",
    "name_bench": "public, tuning data",
}
TITLES = {
    "own_tuning": "keta's own set, tuning part",
    "own_held_out": "keta's own set, held-out part",
    "namesakes_tuning": "namesake set, tuning part",
    "namesakes_held_out": "namesake set, held-out part",
    "yente": "yente fixtures",
    "name_bench": "name_bench persons",
}
REVIEW_CATEGORY = {"own_tuning": "neg_same_name_other_dob", "own_held_out": "neg_same_name_other_dob"}
REVIEW_CATEGORY |= {"namesakes_tuning": NAMESAKE_CATEGORY, "namesakes_held_out": NAMESAKE_CATEGORY}
# The held-out namesake part: its own list seed (offset from the base seed) and query seeds.
HELD_OUT_LIST_SEED_OFFSET = 1
NAMESAKE_SEED_OFFSETS = {"namesakes_tuning": (0, 2000), "namesakes_held_out": (HELD_OUT_LIST_SEED_OFFSET, 2500)}
WITHHELD, FULL = "keta (rows withheld)", "keta (full tables)"


@dataclass
class SeededSet:
    name: str
    seeds: list[int]
    size: str = ""
    notes: list[str] = field(default_factory=list)
    runs: dict[str, list[ScreeningScore]] = field(default_factory=dict)  # contestant → one score per seed
    pairs: list[PairScore] = field(default_factory=list)
    overlap: dict[str, list[float]] = field(default_factory=dict)  # contestant → overlap per seed

    def review(self, score: ScreeningScore) -> float | None:
        tally = score.tallies.get(REVIEW_CATEGORY.get(self.name, ""))
        return tally.rate if tally and tally.n else None


def spread(values: Sequence[float], *, worst: Callable[[Sequence[float]], float]) -> tuple[float, float]:
    return (statistics.fmean(values), worst(values)) if values else (0.0, 0.0)


def figures(data: SeededSet, label: str) -> dict[str, tuple[float, float] | None]:
    """Mean and worst seed of recall, false-positive rate and review rate for one contestant."""
    runs = data.runs[label]
    reviews = [r for s in runs if (r := data.review(s)) is not None]
    return {
        "recall": spread([s.recall for s in runs], worst=min),
        "fpr": spread([s.fpr for s in runs], worst=max),
        "review_rate": spread(reviews, worst=max) if reviews else None,
    }


@dataclass
class SeededReport:
    sets: list[SeededSet] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out = []
        for s in self.sets:
            results: dict[str, Any] = {}
            for label, runs in s.runs.items():
                results[label] = {k: (list(v) if v else None) for k, v in figures(s, label).items()}
                results[label]["per_seed"] = [
                    {"seed": seed, "recall": r.recall, "fpr": r.fpr, "review_rate": s.review(r), "rejected": r.rejected}
                    for seed, r in zip(s.seeds, runs, strict=False)
                ]
                if label in s.overlap:
                    results[label]["table_overlap"] = statistics.fmean(s.overlap[label])
            for p in s.pairs:
                t = p.overall
                results[p.label] = {"n": t.n, "precision": t.precision, "recall": t.recall, "f1": t.f1}
            role = {"role": ROLES[s.name], "target": TARGETS[s.name].describe()}
            out.append({"name": s.name, "seeds": s.seeds, "size": s.size, "notes": s.notes, **role, "results": results})
        return {"sets": out, "missing": self.missing, "seconds": self.seconds}


@dataclass(frozen=True, slots=True)
class Plan:
    seeds: int = 10
    base_seed: int = 20261129
    own_size: int = 2000
    negatives_sample: int = 10_000
    namesake_entities: int = 20_000
    namesake_queries: int = 2000
    baseline_seeds: int = 3  # the brute-force baseline is slow: it runs on the first seeds only
    baseline_namesake_queries: int = 400


def _seeds(plan: Plan, offset: int) -> list[int]:
    return [plan.base_seed + offset + i for i in range(plan.seeds)]


def _measure(
    target: SeededSet,
    data: ScreeningSet,
    contestants: Sequence[Contestant],
    *,
    seed_index: int,
    plan: Plan,
) -> None:
    for contestant in contestants:
        if contestant.label == "baseline" and seed_index >= plan.baseline_seeds:
            continue
        target.runs.setdefault(contestant.label, []).append(screen_set(data, contestant))


def run_seeded(
    keta: KetaFactory | None,
    baseline: Contestant,
    *,
    public_dir: Path | None,
    plan: Plan,
    progress: Callable[[str], None] = lambda _line: None,
) -> SeededReport:
    started = time.perf_counter()
    report = SeededReport()
    full = default_lexicon()
    for name, part, offset in (("own_tuning", "tuning", 0), ("own_held_out", "held_out", 1000)):
        result = SeededSet(name, _seeds(plan, offset))
        for i, seed in enumerate(result.seeds):
            data = build_own_set(plan.own_size, seed, part)
            latin, native = spellings_of(data)
            withheld = full.without(latin, native)
            contestants = [baseline]
            if keta is not None:
                contestants = [keta(WITHHELD, withheld), keta(FULL, None), baseline]
                result.overlap[WITHHELD] = [*result.overlap.get(WITHHELD, []), _overlap(latin, withheld)]
                result.overlap[FULL] = [*result.overlap.get(FULL, []), _overlap(latin, full)]
            _measure(result, data, contestants, seed_index=i, plan=plan)
            result.size = f"{len(data.entries):,} entries, {len(data.queries):,} queries per seed"
            result.notes = [data.notes[0].replace(f"seed {seed}", "seeds as listed"), *result.notes[1:]]
        progress(f"{name}: {len(result.seeds)} seeds")
        report.sets.append(result)
    for name in NAMESAKE_SEED_OFFSETS:
        report.sets.append(_namesakes(name, keta, baseline, plan, progress))
    if public_dir is None:
        report.missing.append("public sets: not present (give --public-dir or set KETA_BENCH_PUBLIC); skipped")
    else:
        report.sets.extend(_public(keta, baseline, public_dir, plan, report.missing))
        progress("public sets done")
    report.seconds = time.perf_counter() - started
    return report


def _overlap(latin: set[str], lexicon: Lexicon) -> float:
    """Share of a set's Latin spellings that the engine's data files hold."""
    return len(latin & lexicon.spellings()) / len(latin) if latin else 0.0


def _namesakes(
    name: str, keta: KetaFactory | None, baseline: Contestant, plan: Plan, progress: Callable[[str], None]
) -> SeededSet:
    list_offset, query_offset = NAMESAKE_SEED_OFFSETS[name]
    builder = build_namesake_list(plan.namesake_entities, seed=plan.base_seed + list_offset)
    result = SeededSet(name, _seeds(plan, query_offset))
    contestants = [c.build(builder.entries) for c in ([keta("keta", None)] if keta else [])]
    labels = ["keta"] if keta else []
    brute = None
    for i, seed in enumerate(result.seeds):
        data = builder.screening_set(plan.namesake_queries, seed=seed)
        for label, screener in zip(labels, contestants, strict=True):
            fixed = Contestant(label, _built(screener), baseline.names)
            result.runs.setdefault(label, []).append(screen_set(data, fixed))
        if i < plan.baseline_seeds:
            brute = brute or baseline.build(builder.entries)
            short = replace(data, queries=data.queries[: plan.baseline_namesake_queries])
            fixed = Contestant("baseline", _built(brute), baseline.names)
            result.runs.setdefault("baseline", []).append(screen_set(short, fixed))
    result.size = f"{len(builder.entries):,} entries (one list), {plan.namesake_queries:,} queries per seed"
    result.notes = [
        f"list seed {plan.base_seed + list_offset} fixed, query seeds vary; the index is built once",
        f"baseline: first {plan.baseline_namesake_queries} queries of its seeds (brute force is slow)",
    ]
    progress(f"{name}: {len(result.seeds)} seeds over {len(builder.entries):,} entries")
    return result


def _public(
    keta: KetaFactory | None, baseline: Contestant, public_dir: Path, plan: Plan, missing: list[str]
) -> list[SeededSet]:
    out: list[SeededSet] = []
    contestants = [keta("keta", None), baseline] if keta else [baseline]
    yente = SeededSet("yente", _seeds(plan, 3000))
    for i, seed in enumerate(yente.seeds):
        data = load_yente(public_dir, negatives_sample=plan.negatives_sample, seed=seed)
        if data is None:
            missing.append(f"yente fixtures: not present under {public_dir}; skipped")
            break
        _measure(yente, data, contestants, seed_index=i, plan=plan)
        yente.size = f"{len(data.entries):,} entries, {len(data.queries):,} queries per seed"
        yente.notes = [*data.notes[:1], f"negatives: {plan.negatives_sample:,} sampled per seed", *data.notes[2:]]
    if yente.runs:
        out.append(yente)
    pairs, peer = load_name_bench(public_dir), load_peer_run(public_dir)
    if pairs is None:
        missing.append(f"name_bench: not present under {public_dir}; skipped")
    else:
        out.append(_name_bench(contestants, pairs, peer))
    return out


def _built(screener: Screener) -> Callable[[Sequence[WatchlistEntry]], Screener]:
    """A factory that hands back a screener already built (the namesake list is indexed once for all seeds)."""
    return lambda _entries: screener


def _predict(contestant: Contestant) -> Callable[[NamePair], bool]:
    return lambda pair: contestant.names.is_match(pair.name1, pair.name2)


def _name_bench(contestants: Sequence[Contestant], pairs: Sequence[NamePair], peer: PeerRun | None) -> SeededSet:
    result = SeededSet("name_bench", [], size=f"{len(pairs):,} Person pairs ({sum(p.is_match for p in pairs)} matches)")
    for c in contestants:
        result.pairs.append(score_pairs(c.label, pairs, _predict(c)))
    if peer is not None:
        result.pairs.append(score_peer(peer))
        result.notes = [f"{peer.label}: the peer's stored run on its {len(peer.scored):,} Person rows, own threshold"]
    result.notes.append("deterministic: no seed")
    return result
