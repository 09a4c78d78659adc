"""Screening quality: run contestants (keta, the baseline) on the labelled sets and compare them side by side.

Metrics. On a screening set a query is *flagged* when the outcome is `review` or `hit`. A true match is
*recalled* when it is flagged and its expected entity is among the returned (flagged) matches
(recall@flag); a negative flagged at all is a false positive (false-positive rate = flagged negatives /
negatives). Query-level precision = recalled / all flagged queries; it depends on the share of negatives,
so it is shown for the balanced own set only. Name pairs give precision, recall and F1 at each scorer's own
threshold, next to the peer's frozen run.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from keta.bench import Contestant, NamePair, NameScorer, ScreeningSet
from keta.bench.own_set import NEGATIVE_CATEGORIES, POSITIVE_CATEGORIES, build_own_set
from keta.bench.public import PeerRun, load_name_bench, load_peer_run, load_yente
from keta.domain.screening.model import Match, Query, ScreeningOutcome, WatchlistEntry

ENGINE_MODULE = "keta.screening.engine"


@dataclass(frozen=True, slots=True)
class Target:
    recall: float | None = None
    fpr: float | None = None
    f1: float | None = None

    def describe(self) -> str:
        if self.f1 is not None:
            return f"F1 ≥ {self.f1:g}"
        return f"recall ≥ {self.recall:g} at FPR ≤ {self.fpr:g}"

    def met(self, *, recall: float = 0.0, fpr: float = 1.0, f1: float = 0.0) -> bool:
        if self.f1 is not None:
            return f1 >= self.f1
        return recall >= (self.recall or 0.0) and fpr <= (self.fpr if self.fpr is not None else 1.0)


TARGETS = {"own": Target(recall=0.97, fpr=0.01), "yente": Target(recall=0.97, fpr=0.003), "name_bench": Target(f1=0.85)}
TITLES = {"own": "keta's own set", "yente": "yente fixtures", "name_bench": "name_bench persons"}


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class Tally:
    expected_match: bool
    n: int = 0
    hits: int = 0  # true matches: the expected entity flagged; negatives: any flag
    flagged: int = 0

    @property
    def rate(self) -> float:
        return _ratio(self.hits, self.n)


@dataclass
class ScreeningScore:
    label: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    build_seconds: float = 0.0
    screen_seconds: float = 0.0
    rejected: int = 0  # queries the screener refused with ValueError (e.g. a name with no letters)

    def total(self, expected_match: bool) -> Tally:
        out = Tally(expected_match)
        for t in self.tallies.values():
            if t.expected_match == expected_match:
                out.n, out.hits, out.flagged = out.n + t.n, out.hits + t.hits, out.flagged + t.flagged
        return out

    @property
    def recall(self) -> float:
        return self.total(True).rate

    @property
    def fpr(self) -> float:
        return self.total(False).rate

    @property
    def precision(self) -> float:
        return _ratio(self.total(True).hits, self.total(True).flagged + self.total(False).flagged)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def screen_set(data: ScreeningSet, contestant: Contestant) -> ScreeningScore:
    started = time.perf_counter()
    screener = contestant.build(data.entries)
    score = ScreeningScore(contestant.label, build_seconds=time.perf_counter() - started)
    started = time.perf_counter()
    for labelled in data.queries:
        try:
            outcome, matches = screener.screen(labelled.query)
        except ValueError:  # a name the screener declares unusable: counted, and not a flag
            score.rejected += 1
            outcome, matches = ScreeningOutcome.CLEAR, []
        flagged = ScreeningOutcome(outcome) is not ScreeningOutcome.CLEAR
        tally = score.tallies.setdefault(labelled.category, Tally(labelled.expected_match))
        tally.n += 1
        tally.flagged += flagged
        if labelled.expected_match:
            tally.hits += flagged and any(m.entity_id == labelled.entity_id for m in matches)
        else:
            tally.hits += flagged
    score.screen_seconds = time.perf_counter() - started
    return score


@dataclass
class PairTally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, predicted: bool) -> None:
        self.tp += expected and predicted
        self.fp += predicted and not expected
        self.fn += expected and not predicted
        self.tn += not expected and not predicted

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


@dataclass
class PairScore:
    label: str
    overall: PairTally = field(default_factory=PairTally)
    groups: dict[str, PairTally] = field(default_factory=dict)
    seconds: float = 0.0


def score_pairs(label: str, pairs: Sequence[NamePair], predict: Callable[[NamePair], bool]) -> PairScore:
    started = time.perf_counter()
    score = PairScore(label)
    for pair in pairs:
        predicted = predict(pair)
        score.overall.add(pair.is_match, predicted)
        score.groups.setdefault(pair.group, PairTally()).add(pair.is_match, predicted)
    score.seconds = time.perf_counter() - started
    return score


def score_peer(peer: PeerRun) -> PairScore:
    scores = {id(pair): value for pair, value in peer.scored}
    pairs = [pair for pair, _ in peer.scored]
    return score_pairs(f"{peer.label} @{peer.threshold:.2f}", pairs, lambda p: scores[id(p)] >= peer.threshold)


@dataclass
class SetResult:
    name: str
    notes: tuple[str, ...] = ()
    screening: list[ScreeningScore] = field(default_factory=list)
    pairs: list[PairScore] = field(default_factory=list)
    size: str = ""


@dataclass
class QualityReport:
    sets: list[SetResult] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        def screening(s: ScreeningScore) -> dict[str, Any]:
            categories = {
                c: {"expected_match": t.expected_match, "n": t.n, "hits": t.hits, "rate": t.rate}
                for c, t in s.tallies.items()
            }
            seconds = {"build_seconds": s.build_seconds, "screen_seconds": s.screen_seconds}
            return {
                "rejected": s.rejected,
                "recall": s.recall,
                "fpr": s.fpr,
                "precision": s.precision,
                "f1": s.f1,
                "categories": categories,
                **seconds,
            }

        def pairs(p: PairScore) -> dict[str, Any]:
            t = p.overall
            groups = {g: {"n": v.n, "f1": v.f1} for g, v in p.groups.items()}
            return {
                "n": t.n,
                "precision": t.precision,
                "recall": t.recall,
                "f1": t.f1,
                "tp": t.tp,
                "fp": t.fp,
                "fn": t.fn,
                "tn": t.tn,
                "groups": groups,
                "seconds": p.seconds,
            }

        return {
            "targets": {name: target.describe() for name, target in TARGETS.items()},
            "sets": [
                {
                    "name": r.name,
                    "size": r.size,
                    "notes": list(r.notes),
                    "results": {s.label: screening(s) for s in r.screening} | {p.label: pairs(p) for p in r.pairs},
                }
                for r in self.sets
            ],
            "missing": self.missing,
            "seconds": self.seconds,
        }


def run_quality(
    contestants: Sequence[Contestant],
    *,
    public_dir: Path | None,
    own_size: int,
    negatives_sample: int,
    seed: int,
    progress: Callable[[str], None] = lambda _message: None,
) -> QualityReport:
    started = time.perf_counter()
    report = QualityReport()
    screening_sets: list[ScreeningSet] = [build_own_set(own_size, seed)]
    progress(f"own set: {len(screening_sets[0].queries):,} queries over {len(screening_sets[0].entries):,} entries")
    pairs: tuple[NamePair, ...] | None = None
    peer: PeerRun | None = None
    if public_dir is None:
        report.missing.append("public sets: not present (give --public-dir or set KETA_BENCH_PUBLIC); skipped")
    else:
        pairs, peer = load_name_bench(public_dir), load_peer_run(public_dir)
        if pairs is None:
            report.missing.append(f"name_bench: not present under {public_dir}; skipped")
        yente = load_yente(public_dir, negatives_sample=negatives_sample, seed=seed)
        if yente is None:
            report.missing.append(f"yente fixtures: not present under {public_dir}; skipped")
        else:
            screening_sets.append(yente)
    for data in screening_sets:
        positives = sum(q.expected_match for q in data.queries)
        negatives = len(data.queries) - positives
        size = f"{len(data.entries):,} entries, {positives:,} true matches, {negatives:,} negatives"
        result = SetResult(data.name, data.notes, size=size)
        for contestant in contestants:
            result.screening.append(score := screen_set(data, contestant))
            seconds = f"built in {score.build_seconds:.1f} s, screened in {score.screen_seconds:.1f} s"
            progress(f"{data.name}: {contestant.label} {seconds}")
        report.sets.append(result)
    if pairs is not None:
        report.sets.insert(1, _name_bench(contestants, pairs, peer))
    report.seconds = time.perf_counter() - started
    return report


def _predictor(names: NameScorer) -> Callable[[NamePair], bool]:
    return lambda pair: names.is_match(pair.name1, pair.name2)


def _name_bench(contestants: Sequence[Contestant], pairs: Sequence[NamePair], peer: PeerRun | None) -> SetResult:
    result = SetResult("name_bench", size=f"{len(pairs):,} Person pairs ({sum(p.is_match for p in pairs)} matches)")
    for contestant in contestants:
        result.pairs.append(score_pairs(contestant.label, pairs, _predictor(contestant.names)))
    if peer is not None:
        result.pairs.append(score_peer(peer))
        result.notes = (f"{peer.label}: the peer's stored run on its {len(peer.scored):,} Person rows, own threshold",)
    return result


def category_order(tallies: dict[str, Tally]) -> list[str]:
    """True-match categories first, each group in the own set's order, then by name."""
    known = [*POSITIVE_CATEGORIES, *NEGATIVE_CATEGORIES]
    return sorted(
        tallies, key=lambda c: (not tallies[c].expected_match, known.index(c) if c in known else len(known), c)
    )


# --- rendering ---------------------------------------------------------------------------------------------------
def _cell(hits: int, n: int, digits: int = 3) -> str:
    return f"{_ratio(hits, n):.{digits}f} ({hits:,}/{n:,})" if n else "–"


def _mark(ok: bool) -> str:
    return "[green]✓ met[/]" if ok else "[red]✗ not met[/]"


def _screening_table(result: SetResult) -> Table:
    target = TARGETS.get(result.name)
    title = f"{TITLES.get(result.name, result.name)} — {result.size}"
    table = Table(title=title, title_justify="left")
    table.add_column("category")
    table.add_column("metric")
    table.add_column("n", justify="right")
    for score in result.screening:
        table.add_column(score.label, justify="right")
    first = result.screening[0]
    for category in category_order(first.tallies):
        tally = first.tallies[category]
        digits = 3 if tally.expected_match else 4  # FPR targets go down to 0.003
        cells = [_cell(s.tallies[category].hits, s.tallies[category].n, digits) for s in result.screening]
        table.add_row(category, "recall" if tally.expected_match else "FPR", f"{tally.n:,}", *cells)
    table.add_section()
    for expected, name in ((True, "recall, all true matches"), (False, "false-positive rate, all negatives")):
        totals = [s.total(expected) for s in result.screening]
        table.add_row(
            f"[bold]{name}[/]",
            "",
            f"{totals[0].n:,}",
            *(f"[bold]{_cell(t.hits, t.n, 3 if expected else 4)}[/]" for t in totals),
        )
    if result.name == "own":
        table.add_row("precision (query level)", "", "", *(f"{s.precision:.3f}" for s in result.screening))
        table.add_row("F1", "", "", *(f"{s.f1:.3f}" for s in result.screening))
    if any(s.rejected for s in result.screening):
        table.add_row("queries refused (ValueError)", "", "", *(f"{s.rejected:,}" for s in result.screening))
    if target:
        table.add_row(
            "target", target.describe(), "", *(_mark(target.met(recall=s.recall, fpr=s.fpr)) for s in result.screening)
        )
    table.add_row(
        "seconds (build + screen)",
        "",
        "",
        *(f"{s.build_seconds:.1f} + {s.screen_seconds:.1f}" for s in result.screening),
    )
    return table


def _pairs_table(result: SetResult) -> Table:
    target = TARGETS["name_bench"]
    table = Table(title=f"{TITLES['name_bench']} — {result.size}", title_justify="left")
    table.add_column("metric")
    for score in result.pairs:
        table.add_column(score.label, justify="right")
    rows: list[tuple[str, Callable[[PairTally], str]]] = [
        ("pairs", lambda t: f"{t.n:,}"),
        ("precision", lambda t: f"{t.precision:.3f}"),
        ("recall", lambda t: f"{t.recall:.3f}"),
        ("[bold]F1[/]", lambda t: f"[bold]{t.f1:.3f}[/]"),
        ("TP / FP / FN / TN", lambda t: f"{t.tp} / {t.fp} / {t.fn} / {t.tn}"),
    ]
    for name, show in rows:
        table.add_row(name, *(show(p.overall) for p in result.pairs))
    table.add_section()
    for group in sorted({g for p in result.pairs for g in p.groups}):
        cells = (
            f"{p.groups[group].f1:.3f} (n={p.groups[group].n})" if group in p.groups else "–" for p in result.pairs
        )
        table.add_row(f"F1 · {group or '(none)'}", *cells)
    table.add_section()
    table.add_row(f"target: {target.describe()}", *(_mark(target.met(f1=p.overall.f1)) for p in result.pairs))
    return table


def render(report: QualityReport, console: Console) -> None:
    targets = " · ".join(f"{TITLES[name]} {t.describe()}" for name, t in TARGETS.items())
    console.print(f"[bold]Screening quality[/] — targets (issue 3): {targets}")
    for result in report.sets:
        console.print()
        console.print(_pairs_table(result) if result.pairs else _screening_table(result))
        for note in result.notes:
            console.print(f"  [dim]{note}[/]")
    for line in report.missing:
        console.print(f"[yellow]{line}[/]")
    console.print(f"[dim]screening-quality took {report.seconds:.1f} s[/]")


# --- keta's engine, plugged in through its public contract ---------------------------------------------------------
class EngineScreener:
    """Adapts `keta.screening.engine.Engine` (`screen(query, limit=…)` → result with `.outcome`, `.matches`)."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def screen(self, query: Query) -> tuple[ScreeningOutcome, list[Match]]:
        result = self._engine.screen(query, limit=5)
        outcome = ScreeningOutcome(result.outcome)
        # Every returned match counts as flagged when the outcome is not clear; if the engine also returns
        # candidates below the review threshold, filter them here.
        return outcome, ([] if outcome is ScreeningOutcome.CLEAR else list(result.matches))


class EngineNames:
    def __init__(self, compare: Callable[[str, str], Any]) -> None:
        self._compare = compare

    def score(self, a: str, b: str) -> float:
        return float(self._compare(a, b).score)

    def is_match(self, a: str, b: str) -> bool:
        return bool(self._compare(a, b).match)


def keta_contestant(label: str = "keta") -> Contestant:
    """Raises ModuleNotFoundError while the engine does not exist yet."""
    module = importlib.import_module(ENGINE_MODULE)
    engine_class = module.Engine

    def build(entries: Sequence[WatchlistEntry]) -> EngineScreener:
        return EngineScreener(engine_class.build(entries))

    return Contestant(label, build, EngineNames(module.compare_names))
